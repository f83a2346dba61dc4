// How long imini's tasks take, learned from the account's recent tasks (every execution in this
// process that uses the account: accounts.ts), and when to check a task next.
//
// Every finished task says how long it took, by imini's own clock (`created_at` to
// `completed_at`), and tasks of one model and settings take about as long as each other. So once
// one task of a kind has finished, the next ones (in the same batch or in the next execution of
// a form) are due at about the same age: they are checked every 2 s
// (the most often imini recommends) from a little before the fastest sibling's duration to a
// little after the slowest's, and sparsely before and after. Until a sibling has finished, the
// model catalog's estimate shapes the schedule; without one, imini's own schedule applies.
//
// The planning here is pure (ages in, delays out); the poller (poller.ts) owns time and tasks.
import { expectedTaskSeconds } from '../imini/models';
import type { IminiTask } from '../imini/task';

/** imini: "A polling interval of 2 seconds is recommended": never check one task more often on our own. */
export const MIN_CHECK_INTERVAL_MS = 2_000;

/** The user's polling options; absent = automatic. */
export type PollBounds = {
	/** The first check happens exactly this long after the submit. */
	firstCheckMs?: number;
	/** No two checks of a task are further apart. */
	longestIntervalMs?: number;
};

/** Ages (ms since the task was created) at which a task is expected to finish. */
export type DurationWindow = { lowMs: number; highMs: number; learned: boolean };

/**
 * Request fields that change how long a task takes; the rest (prompt, aspect ratio) are assumed
 * not to (inferred: imini publishes no timings per setting).
 */
const durationFields = ['resolution', 'quality', 'num', 'duration', 'generate_audio'] as const;

/** Tasks with the same key are expected to take about as long as each other. */
export function paceKey(model: string, body?: Record<string, unknown>): string {
	const settings = durationFields.filter((field) => body?.[field] !== undefined).map((field) => `${field}=${String(body?.[field])}`);
	return [model, ...settings].join(' ');
}

/** A learned window reaches this share beyond the fastest and slowest durations seen. */
const LEARNED_MARGIN = 0.2;
/** Before a window: a first check at this share of its start, then doubling ages up to the start. */
const FIRST_CHECK_SHARE = 0.5;
/** Inside an estimated (not yet learned) window: checks this share of the task's age apart. */
const ESTIMATED_SPACING = 0.6;
/** Past a window (the task is slower than expected): this share of the age, so checks thin out. */
const LATE_SPACING = 0.25;
/**
 * Sparse checks vary by this share either way: the tasks of a batch then take turns rather than
 * all being checked at the same ages, so whichever finishes first is seen soon, and its siblings
 * learn from it.
 */
const SPREAD = 0.35;
/** imini's longest advised interval: tasks alike, taken together, are checked at least this often. */
const GROUP_INTERVAL_MS = 5_000;
/** However long a task runs, it is checked about this often (give or take SPREAD) unless the user says otherwise. */
const AUTOMATIC_LONGEST_INTERVAL_MS = 30_000;

/** A duration seen, and when it was learned (on the pace's clock). */
type Seen = { ms: number; at: number };

/** Durations older than this no longer count: imini's pace changes with its load. */
export const PACE_MEMORY_MS = 30 * 60_000;
/** The most recent durations kept per pace key. */
export const PACE_SAMPLES = 16;
/** Pace keys (model and settings) remembered; the least recently learned go first. */
export const PACE_KEYS = 64;

/** Recent durations of the tasks that succeeded, per pace key; bounded, old ones fading out. */
export class TaskPace {
	private readonly seen = new Map<string, Seen[]>();
	private readonly now: () => number;

	constructor(options: { now?: () => number } = {}) {
		this.now = options.now ?? (() => Date.now());
	}

	/** Learns from a settled task; true when this changed the window for `key`. */
	learn(key: string, task: IminiTask): boolean {
		// A failure says nothing about how long a success takes (content checks fail fast).
		if (task.status !== 'succeeded' || !task.completed_at) return false;
		const ms = Date.parse(task.completed_at) - Date.parse(task.created_at);
		if (!Number.isFinite(ms) || ms < 0) return false;
		const before = this.range(key);
		const samples = this.recent(key) ?? [];
		samples.push({ ms, at: this.now() });
		if (samples.length > PACE_SAMPLES) samples.shift();
		// Most recently learned last: the map's order is the eviction order.
		this.seen.delete(key);
		this.seen.set(key, samples);
		if (this.seen.size > PACE_KEYS) this.seen.delete(this.seen.keys().next().value as string);
		const after = this.range(key);
		return before?.fastestMs !== after?.fastestMs || before?.slowestMs !== after?.slowestMs;
	}

	/** Where tasks of `key` are expected to finish: learned, else the catalog's estimate for `model`. */
	window(key: string, model: string | undefined): DurationWindow | undefined {
		const known = this.range(key);
		if (known) {
			return {
				lowMs: known.fastestMs * (1 - LEARNED_MARGIN),
				highMs: known.slowestMs * (1 + LEARNED_MARGIN) + MIN_CHECK_INTERVAL_MS,
				learned: true,
			};
		}
		const estimate = model === undefined ? undefined : expectedTaskSeconds(model);
		return estimate && { lowMs: estimate.low * 1000, highMs: estimate.high * 1000, learned: false };
	}

	/** How many pace keys are remembered (bounded by PACE_KEYS). */
	get size(): number {
		return this.seen.size;
	}

	/** The durations of `key` still recent enough to count; forgets the key when none are. */
	private recent(key: string): Seen[] | undefined {
		const samples = this.seen.get(key);
		if (!samples) return undefined;
		const since = this.now() - PACE_MEMORY_MS;
		while (samples.length > 0 && samples[0].at < since) samples.shift();
		if (samples.length === 0) {
			this.seen.delete(key);
			return undefined;
		}
		return samples;
	}

	private range(key: string): { fastestMs: number; slowestMs: number } | undefined {
		const samples = this.recent(key);
		if (!samples) return undefined;
		let fastestMs = Number.POSITIVE_INFINITY;
		let slowestMs = 0;
		for (const { ms } of samples) {
			fastestMs = Math.min(fastestMs, ms);
			slowestMs = Math.max(slowestMs, ms);
		}
		return { fastestMs, slowestMs };
	}
}

/**
 * How long after a check answered at age `ageMs` to check again (or, with `ageMs` the age at
 * submit, when to check first): every 2 s inside a learned window, landing on its start from a
 * few checks before it; elsewhere in proportion to the age. `siblings` tasks alike are watched
 * (this one included): together they check at least as often as imini's schedule checks one
 * task, so a lone task is never checked less often than imini advises. `turn` in [0, 1) varies
 * the sparse checks (see SPREAD); 0.5 is the middle.
 */
export function delayForAge(ageMs: number, window: DurationWindow, bounds: PollBounds, siblings = 1, turn = 0.5): number {
	const floor = minInterval(bounds);
	const { lowMs, highMs, learned } = window;
	let delay: number;
	const spread = 1 - SPREAD + 2 * SPREAD * turn;
	const groupLongest = Math.min(AUTOMATIC_LONGEST_INTERVAL_MS, Math.sqrt(siblings) * GROUP_INTERVAL_MS);
	if (ageMs + floor < lowMs) {
		// Short of a learned window tasks alike rarely finish: one check half-way, then its start.
		// Short of an estimated one: half-way, then doubling ages (for a lone task, as imini advises).
		const halfWay = FIRST_CHECK_SHARE * lowMs - ageMs;
		const sparse = learned ? (halfWay > floor ? 0 : lowMs - ageMs) : Math.min(groupLongest, ageMs) * spread;
		delay = Math.min(lowMs - ageMs, Math.max(halfWay, sparse));
		// A check just short of the window would hold the next one 2 s into it: check at its start.
		if (ageMs + delay > lowMs - floor) delay = lowMs - ageMs;
	} else if (ageMs < highMs && learned) delay = lowMs - ageMs;
	else delay = Math.min(groupLongest, (ageMs < highMs ? ESTIMATED_SPACING : LATE_SPACING) * ageMs) * spread;
	return Math.min(bounds.longestIntervalMs ?? Number.POSITIVE_INFINITY, Math.max(floor, delay));
}

/** The shortest interval between two checks of a task: 2 s, or less if the user asks for it. */
export function minInterval(bounds: PollBounds): number {
	return Math.min(MIN_CHECK_INTERVAL_MS, bounds.longestIntervalMs ?? MIN_CHECK_INTERVAL_MS);
}
