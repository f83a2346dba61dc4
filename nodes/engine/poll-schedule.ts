// imini's polling advice (first check after 2 s, then 2 s / 3 s / 5 s), kept within the user's
// bounds: the schedule of a task whose pace nothing is known about yet (task-pace.ts knows more).
import type { PollBounds } from './task-pace';

export type PollSchedule = {
	/** Delay from submit to the first check. */
	firstCheckMs: number;
	/** Delays between later checks; the last one repeats. */
	intervalsMs: readonly number[];
};

/** imini's advice: first poll after 2 s, then back off 2 s / 3 s / 5 s. */
export const vendorSchedule: PollSchedule = { firstCheckMs: 2_000, intervalsMs: [2_000, 3_000, 5_000] };

/** imini's schedule within the user's bounds: the fallback when nothing is known about a task's pace. */
export function scheduleWithin(bounds: PollBounds): PollSchedule {
	const longest = bounds.longestIntervalMs ?? Number.POSITIVE_INFINITY;
	return {
		firstCheckMs: bounds.firstCheckMs ?? Math.min(vendorSchedule.firstCheckMs, longest),
		intervalsMs: vendorSchedule.intervalsMs.map((ms) => Math.min(ms, longest)),
	};
}

/** Delay before check number `check` (1-based), counted from the previous check (or the submit). */
export function delayBeforeCheck(schedule: PollSchedule, check: number): number {
	if (check <= 1) return schedule.firstCheckMs;
	const { intervalsMs } = schedule;
	return intervalsMs[Math.min(check - 2, intervalsMs.length - 1)];
}
