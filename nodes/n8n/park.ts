// When a durable wait (Imini Wait's "Park the Workflow Between Checks") saves the execution and
// frees its worker instead of sleeping until the next status check. Pure: times in, a decision out.
//
// n8n resumes a parked execution from its WaitTracker, which runs on the (leader) main process
// only, reads the database every 60 s and looks 70 s ahead. A park of about 65 s or more resumes
// on time; a shorter one can resume up to a minute late, so shorter waits stay in memory (n8n's
// own Wait node draws the line at 65 s too). While parked, an execution holds no concurrency slot
// and no memory, and it survives a restart or a crash of any n8n process.

/** The shortest park that resumes on time (n8n's WaitTracker: 60 s tick, 70 s look-ahead). */
export const MIN_PARK_MS = 65_000;

/** How long a task is checked in memory before it may park: an image is done well within it. */
export const DEFAULT_IN_MEMORY_MS = 60_000;

export type ParkInput = {
	now: number;
	/** When imini created the task (its `created_at`, on this clock). */
	createdAt: number;
	/** created_at + Timeout: the On Timeout choice applies from here. */
	deadlineAt: number;
	/** Checked in memory until the task is this old (the user's "Check in Memory For"). */
	inMemoryMs: number;
	/** The user's Longest Check Interval, when set: parks last at least 65 s, and this long if longer. */
	longestIntervalMs?: number;
};

export type ParkPlan =
	/** The deadline has passed: On Timeout applies. */
	| { action: 'timeout' }
	/** Check in memory (the poller's schedule) until `until`, then plan again. */
	| { action: 'memory'; until: number }
	/** Save the execution and check again at `until`. */
	| { action: 'park'; until: number };

export function planPark({ now, createdAt, deadlineAt, inMemoryMs, longestIntervalMs }: ParkInput): ParkPlan {
	if (now >= deadlineAt) return { action: 'timeout' };
	// Young tasks (and every image) are watched in memory: most finish before they could park.
	const memoryUntil = createdAt + inMemoryMs;
	if (now < memoryUntil) return { action: 'memory', until: Math.min(memoryUntil, deadlineAt) };
	// Too close to the deadline to park on time: the last stretch is waited in memory.
	if (deadlineAt - now < MIN_PARK_MS) return { action: 'memory', until: deadlineAt };
	const interval = Math.max(MIN_PARK_MS, longestIntervalMs ?? 0);
	return { action: 'park', until: Math.min(now + interval, deadlineAt) };
}
