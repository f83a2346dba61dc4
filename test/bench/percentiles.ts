/** The value at quantile `q` (0..1) of an ascending array, nearest-rank; NaN when empty. */
export function percentile(sorted: number[], q: number): number {
	if (sorted.length === 0) return Number.NaN;
	return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
}

export const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;
