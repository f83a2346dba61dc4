// When to check one watched task next: from what is known of tasks like it (task-pace.ts), or on
// imini's schedule (poll-schedule.ts), within the user's bounds and the task's deadline. Pure
// functions of a watch; the poller (poller.ts) owns the loop and the checks.
import type { IminiTask, TaskKind } from '../imini/task';
import { delayBeforeCheck } from './poll-schedule';
import type { PollSchedule } from './poll-schedule';
import { delayForAge, minInterval, paceKey } from './task-pace';
import type { DurationWindow, PollBounds } from './task-pace';

/** Steps of the golden ratio spread turns evenly over [0, 1), however many tasks there are. */
export const GOLDEN = 0.618_033_988_75;

export type Watch = {
	kind: TaskKind;
	taskId: string;
	startedAt: number;
	deadlineAt: number;
	/** When imini created the task, on this clock; the age its pace is planned by. */
	createdAt?: number;
	model?: string;
	key?: string;
	checks: number;
	/** Where this task's sparse checks fall among its siblings' (task-pace.ts, SPREAD). */
	turn: number;
	/** When the last check's answer arrived. */
	lastCheckAt?: number;
	nextAt: number;
	/** The check in flight, if any: aborting it abandons the check (poller.ts). */
	checking: AbortController | undefined;
	/** The last status seen; none until a check got through. */
	lastTask?: IminiTask;
	/** Closes the task's entry in the delivery book. */
	close: () => void;
	resolve: (task: IminiTask) => void;
	reject: (error: unknown) => void;
};

/** What a plan needs besides the watch: now, the user's bounds, the fallback schedule, what is known. */
export type Plan = {
	now: number;
	bounds: PollBounds;
	fallback: PollSchedule;
	/** Where tasks like this one are expected to finish; undefined when the task's model or age is unknown. */
	window: DurationWindow | undefined;
	/** How many watched tasks share its pace key (their sparse checks are spread among them). */
	siblings: number;
};

/** A task's own answer tells its model and age, when the caller could not (Imini Wait). */
export function identify(watch: Watch, task: IminiTask, now: number): void {
	if (watch.key !== undefined) return;
	const createdAt = Date.parse(task.created_at);
	watch.model = task.model;
	watch.key = paceKey(task.model);
	// imini's clock, taken as this one's (both are NTP time); never in the future.
	if (Number.isFinite(createdAt)) watch.createdAt = Math.min(createdAt, now);
}

/**
 * When to check `watch` next: never sooner than 2 s after its last check (or its submit),
 * never later than its deadline, and never just before the deadline, where a check would
 * leave less than 2 s to the last one, which lands on the deadline itself.
 */
export function nextCheckAt(watch: Watch, plan: Plan): number {
	const { bounds, window } = plan;
	const floor = minInterval(bounds);
	const from = watch.lastCheckAt ?? watch.startedAt;
	let at: number;
	if (watch.checks === 0 && bounds.firstCheckMs !== undefined) at = watch.startedAt + bounds.firstCheckMs;
	else if (window && watch.createdAt !== undefined) at = from + delayForAge(from - watch.createdAt, window, bounds, plan.siblings, (watch.turn + watch.checks * GOLDEN) % 1);
	else at = from + delayBeforeCheck(plan.fallback, watch.checks + 1);
	at = Math.max(at, plan.now, watch.lastCheckAt === undefined ? 0 : watch.lastCheckAt + floor);
	const { deadlineAt } = watch;
	if (at >= deadlineAt) return deadlineAt;
	if (deadlineAt - at < floor) return deadlineAt - floor >= from + floor ? deadlineAt - floor : deadlineAt;
	return at;
}
