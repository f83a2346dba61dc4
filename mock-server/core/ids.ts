// Task ids, request ids and the draws of probabilistic faults. With a seed they come from a
// hash of (seed, stream, counter), so two runs (or a run and itself after POST /mock/reset)
// hand out the same ids in the same order, and the pictures drawn from them are the same bytes;
// each stream has its own counter, so turning a fault rate on does not change the ids.
import { createHash, randomBytes } from 'node:crypto';

export type IdSource = {
	/** imini's shape: task_ + 19 digits. */
	taskId(): string;
	/** `req_` + 12 hex digits, as in imini's poll and error examples. */
	requestId(): string;
	/** A UUID, as in imini's submit examples. */
	uuid(): string;
	/** A number in [0, 1) for fault rates. */
	draw(): number;
	/** Starts every sequence again (a fresh random start without a seed). */
	reset(): void;
};

export function createIds(seed: string | null): IdSource {
	const counters = new Map<string, number>();
	const bytes = (stream: string, n: number): Buffer => {
		if (seed === null) return randomBytes(n);
		const count = counters.get(stream) ?? 0;
		counters.set(stream, count + 1);
		return createHash('sha256').update(`${seed}\n${stream}\n${count}`).digest().subarray(0, n);
	};
	return {
		taskId() {
			const digits = BigInt(`0x${bytes('task', 8).toString('hex')}`) % 10n ** 19n;
			return `task_${digits.toString().padStart(19, '1')}`;
		},
		requestId: () => `req_${bytes('request', 6).toString('hex')}`,
		uuid() {
			const b = Buffer.from(bytes('uuid', 16));
			b[6] = (b[6] & 0x0f) | 0x40;
			b[8] = (b[8] & 0x3f) | 0x80;
			const hex = b.toString('hex');
			return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
		},
		draw: () => bytes('fault', 6).readUIntBE(0, 6) / 2 ** 48,
		reset: () => counters.clear(),
	};
}
