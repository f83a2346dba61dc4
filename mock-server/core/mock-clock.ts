// The mock's clock. A task's state is a pure function of the time, so moving this clock moves
// every task at once: `POST /mock/clock {"advance": 600}` tests a 10-minute video deadline in
// a second, `{"freeze": true}` holds every task where it is (Stripe's test clocks, for imini).
// It also drives the rate limit's window and the task TTL, as real time would.

export type MockClock = {
	now(): number;
	advance(ms: number): void;
	freeze(frozen: boolean): void;
	/** Back to the source's time, running. */
	reset(): void;
	state(): { now: string; frozen: boolean; offset_ms: number };
};

/** `source` is the time the clock follows (Date.now, or a test's manual clock). */
export function createClock(source: () => number): MockClock {
	let offset = 0;
	let frozenAt: number | null = null;
	const now = () => frozenAt ?? source() + offset;
	return {
		now,
		advance(ms) {
			// Dates end at ±8.64e15 ms: a clock moved past that would make every later answer fail.
			if (!Number.isFinite(ms) || ms < 0 || !Number.isFinite(new Date(now() + ms).getTime())) throw new RangeError('The mock clock cannot move that far.');
			if (frozenAt !== null) frozenAt += ms;
			else offset += ms;
		},
		freeze(frozen) {
			if (frozen && frozenAt === null) frozenAt = now();
			if (!frozen && frozenAt !== null) {
				// Restart from where it stood: the frozen time does not jump forward.
				offset = frozenAt - source();
				frozenAt = null;
			}
		},
		reset() {
			offset = 0;
			frozenAt = null;
		},
		state: () => ({ now: new Date(now()).toISOString(), frozen: frozenAt !== null, offset_ms: now() - source() }),
	};
}
