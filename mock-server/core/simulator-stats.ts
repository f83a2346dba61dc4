// The simulator's counters, as tests and benchmarks read them (`MockServer.stats`) and the task
// console shows them. One object for the simulator's life: POST /mock/reset zeroes it in place.
export type SimulatorStats = {
	submits: number;
	polls: number;
	files: number;
	inFlightPeak: number;
	/** 429s the rate limit served (injected faults not counted). */
	rateLimited: number;
	/** Calls that reached the "other origin" of a `redirect` fault carrying an API key: must stay 0. */
	keyLeaks: number;
};

export function createStats(): SimulatorStats {
	return { submits: 0, polls: 0, files: 0, inFlightPeak: 0, rateLimited: 0, keyLeaks: 0 };
}

export function resetStats(stats: SimulatorStats): void {
	Object.assign(stats, createStats());
}
