// How a fuzz suite (test/fuzz/) runs: `npm test` a few runs from a fixed seed; `npm run
// test:fuzz` (FUZZ_LONG=1) more runs from a random seed, printed so a failure can be replayed with
// FUZZ_SEED (and FUZZ_PATH, the counterexample's path fast-check prints). FUZZ_RUNS sets the count.
export type FuzzSettings = {
	long: boolean;
	runs: number;
	seed: number;
	/** fast-check's `fc.assert` options for these settings. */
	assertOptions: { seed: number; numRuns: number; path: string | undefined; endOnFailure: true; verbose: 1 };
	/** The line to print before the runs: the seed, the runs and how to replay them. */
	replayHint(what: string): string;
};

export function fuzzSettings(runs: { short: number; long: number }, fixedSeed: number): FuzzSettings {
	const long = process.env.FUZZ_LONG === '1';
	const count = Number(process.env.FUZZ_RUNS ?? (long ? runs.long : runs.short));
	const seed = process.env.FUZZ_SEED !== undefined ? Number(process.env.FUZZ_SEED) : long ? Math.floor(Math.random() * 2 ** 31) : fixedSeed;
	const replayPath = process.env.FUZZ_PATH;
	return {
		long,
		runs: count,
		seed,
		assertOptions: { seed, numRuns: count, path: replayPath, endOnFailure: true, verbose: 1 },
		replayHint: (what) => `${what} seed ${seed}, ${count} runs${replayPath ? `, path ${replayPath}` : ''}: replay with FUZZ_SEED=${seed} npm run test:fuzz`,
	};
}
