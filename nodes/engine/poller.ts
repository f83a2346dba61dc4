// One poller for all the tasks of a node run. Each task is checked on its own schedule, counted
// from its own submit: when tasks of its model and settings have finished lately (in this run or
// another execution on the same account), around
// the age they finished at (task-pace.ts); before that, around the catalog's estimate for the
// model; without either, on imini's advice (first check after 2 s, then 2 s, 3 s, 5 s, 5 s ...).
// A single loop sleeps until the next task is due and starts every due check, so 50 tasks cost
// one timer, not 50.
//
// Invariant kept here: one task's slow answer never delays another task's checks. Each check
// runs on its own (at most `concurrency` at once); the loop never waits for a check to finish,
// only for the next moment something is due. And no task outlives its deadline by more than
// LAST_CHECK_GRACE_MS, whatever the network does: a check still unanswered then is abandoned
// (its request aborted) and the task reported as still running, as last seen, with its id.
//
// Every check goes through the account's quota scheduler (quota.ts): under a rate limit a check
// waits its turn there, and this task's next check is counted from when that answer arrived, so
// the cadence here never adds to a queue the quota is holding back.
import { isSettled } from '../imini/task';
import type { IminiTask, TaskKind } from '../imini/task';
import { realClock } from './clock';
import type { Clock } from './clock';
import { QuotaExhaustedError, TaskTimeoutError } from './errors';
import { GOLDEN, identify, nextCheckAt } from './check-plan';
import type { Watch } from './check-plan';
import { scheduleWithin } from './poll-schedule';
import type { PollSchedule } from './poll-schedule';
import { minInterval, paceKey } from './task-pace';
import type { PollBounds, TaskPace } from './task-pace';

/** Where the tasks a poller must deliver are booked (accounts.ts: admission of new submits). */
export type DeliveryTracker = {
	/** A task to deliver by `deadlineAt`; the returned function closes it. */
	open(deadlineAt: number): () => void;
};

export type PollerOptions = {
	/**
	 * One status check; `deadlineAt` is the task's deadline (a wait for the quota ends there).
	 * `signal` aborts when the poller gives up on this check (its task's deadline has passed by
	 * LAST_CHECK_GRACE_MS): the request and any retry wait should stop then.
	 */
	fetchTask: (kind: TaskKind, taskId: string, deadlineAt: number, signal: AbortSignal) => Promise<IminiTask>;
	/** The user's polling options. */
	bounds?: PollBounds;
	/** What is known about task durations (the account's); without it, every task follows `fallback`. */
	pace?: TaskPace;
	/** Told of every task watched until it is delivered or given up. */
	deliveries?: DeliveryTracker;
	/** The schedule of a task whose pace is unknown (default: imini's, within `bounds`). */
	fallback?: PollSchedule;
	/** n8n's execution cancel signal: aborting it stops every wait at once. */
	signal?: AbortSignal;
	clock?: Clock;
	/** Most task checks in flight at once. */
	concurrency?: number;
	onCheck?: (task: IminiTask) => void;
};

export type WaitOptions = {
	timeoutMs: number;
	/** When the task was submitted (default: now); the deadline and its pace count from there. */
	submittedAt?: number;
	/** The model and request body (Imini Generate): tasks alike in both share a pace. */
	model?: string;
	body?: Record<string, unknown>;
	/** The task as already looked up (Imini Wait): no check is spent to learn its model and age. */
	seen?: IminiTask;
};

/**
 * How long past its deadline a task's last check may still be answered. The last check is sent on
 * the deadline itself; one that takes longer (a slow answer, retries, a wait for the quota) is
 * abandoned, so a run ends at most this long after its last task's deadline.
 */
export const LAST_CHECK_GRACE_MS = 5_000;

/** Checks in flight at once, when the caller does not say. */
const DEFAULT_CONCURRENCY = 8;

export class TaskPoller {
	private readonly watches = new Set<Watch>();
	private readonly clock: Clock;
	private readonly bounds: PollBounds;
	private readonly fallback: PollSchedule;
	private running = false;
	private watched = 0;
	private wake: AbortController | undefined;
	private sleepingUntil = Number.POSITIVE_INFINITY;
	private readonly options: PollerOptions;

	constructor(options: PollerOptions) {
		this.options = options;
		this.clock = options.clock ?? realClock;
		this.bounds = options.bounds ?? {};
		this.fallback = options.fallback ?? scheduleWithin(this.bounds);
	}

	/**
	 * Resolves with the settled task (succeeded or failed), or rejects with TaskTimeoutError once
	 * `timeoutMs` has passed since the submit, or with the error of a check that failed for good.
	 */
	async waitFor(kind: TaskKind, taskId: string, options: WaitOptions): Promise<IminiTask> {
		const { seen } = options;
		if (seen && isSettled(seen)) return seen;
		const startedAt = options.submittedAt ?? this.clock.now();
		return await new Promise<IminiTask>((resolve, reject) => {
			if (this.options.signal?.aborted) {
				reject(this.options.signal.reason);
				return;
			}
			const watch: Watch = {
				kind,
				taskId,
				startedAt,
				deadlineAt: startedAt + options.timeoutMs,
				createdAt: options.model === undefined ? undefined : startedAt,
				model: options.model,
				key: options.model === undefined ? undefined : paceKey(options.model, options.body),
				checks: 0,
				turn: (this.watched++ * GOLDEN) % 1,
				nextAt: 0,
				checking: undefined,
				close: () => undefined,
				resolve,
				reject,
			};
			if (seen) identify(watch, seen, this.clock.now());
			watch.nextAt = this.planNext(watch);
			watch.close = this.options.deliveries?.open(watch.deadlineAt) ?? watch.close;
			this.watches.add(watch);
			if (watch.nextAt < this.sleepingUntil) this.wake?.abort();
			if (!this.running) {
				this.running = true;
				this.run().catch((error: unknown) => this.rejectAll(error));
			}
		});
	}

	get pending(): number {
		return this.watches.size;
	}

	/**
	 * `running` is cleared in the same tick as the loop finds nothing left to watch, so a task
	 * added right after (by a caller resuming from the last resolve) always finds a loop to join.
	 * The loop starts checks and never awaits them: a finished check wakes it.
	 */
	private async run(): Promise<void> {
		const cancel = this.options.signal;
		const concurrency = Math.max(1, this.options.concurrency ?? DEFAULT_CONCURRENCY);
		for (;;) {
			if (cancel?.aborted) this.rejectAll(cancel.reason);
			if (this.watches.size === 0) {
				this.running = false;
				return;
			}
			const now = this.clock.now();
			let wakeAt = Number.POSITIVE_INFINITY;
			const due: Watch[] = [];
			for (const watch of this.watches) {
				if (watch.checking) {
					// A check still unanswered past the grace is abandoned: the task is reported
					// as last seen, and nothing else waited for it.
					const giveUpAt = watch.deadlineAt + LAST_CHECK_GRACE_MS;
					if (now >= giveUpAt) this.abandon(watch, now);
					else wakeAt = Math.min(wakeAt, giveUpAt);
				} else if (watch.nextAt <= now) due.push(watch);
				else wakeAt = Math.min(wakeAt, watch.nextAt);
			}
			// Most overdue first; the rest wait for a free slot (a finished check wakes the loop).
			due.sort((a, b) => a.nextAt - b.nextAt);
			for (const watch of due) {
				if (this.inFlight >= concurrency) break;
				this.startCheck(watch);
			}
			if (due.length > 0 && this.inFlight < concurrency) continue;
			const wake = new AbortController();
			const onCancel = () => wake.abort();
			cancel?.addEventListener('abort', onCancel, { once: true });
			this.wake = wake;
			this.sleepingUntil = wakeAt;
			try {
				if (Number.isFinite(wakeAt)) await this.clock.sleep(Math.max(0, wakeAt - now), wake.signal);
				else await new Promise<void>((resolve) => wake.signal.addEventListener('abort', () => resolve(), { once: true }));
			} catch {
				// woken early: a check finished, a new task is due sooner, or the execution was cancelled (checked above)
			} finally {
				cancel?.removeEventListener('abort', onCancel);
				this.wake = undefined;
				this.sleepingUntil = Number.POSITIVE_INFINITY;
			}
		}
	}

	private inFlight = 0;

	private startCheck(watch: Watch): void {
		const controller = new AbortController();
		watch.checking = controller;
		this.inFlight++;
		this.check(watch, controller)
			.catch((error: unknown) => {
				// check() settles its own watch; this only guards the loop against a bug there.
				if (this.watches.has(watch)) {
					this.forget(watch);
					watch.reject(error);
				}
			})
			.finally(() => {
				this.inFlight--;
				if (watch.checking === controller) watch.checking = undefined;
				this.wake?.abort();
			});
	}

	/** The task's last check went unanswered past the grace: report it as last seen, with its id. */
	private abandon(watch: Watch, now: number): void {
		watch.checking?.abort();
		this.forget(watch);
		const lastSeen = watch.lastTask ?? { task_id: watch.taskId, status: 'queued' };
		watch.reject(new TaskTimeoutError(watch.kind, lastSeen, now - watch.startedAt));
	}

	private async check(watch: Watch, controller: AbortController): Promise<void> {
		let task: IminiTask;
		try {
			// The last check is due on the deadline itself and timers fire late: the quota scheduler
			// still sends a call past its deadline when nothing holds it back (quota.ts).
			task = await this.options.fetchTask(watch.kind, watch.taskId, watch.deadlineAt, controller.signal);
		} catch (error) {
			// Abandoned (already reported), or the run is over: nothing more to say about it.
			if (!this.watches.has(watch)) return;
			this.forget(watch);
			if (this.options.signal?.aborted) watch.reject(this.options.signal.reason);
			else if (error instanceof QuotaExhaustedError && error.reason === 'deadline') {
				// The rate limit left no room for a check before the deadline: as unconfirmed as a
				// task still running, and reported the same way, with its id.
				const lastSeen = watch.lastTask ?? { task_id: watch.taskId, status: 'queued' };
				watch.reject(new TaskTimeoutError(watch.kind, lastSeen, this.clock.now() - watch.startedAt, 'rate limit'));
			} else watch.reject(error);
			return;
		}
		if (!this.watches.has(watch)) return;
		watch.checking = undefined;
		const now = this.clock.now();
		watch.checks++;
		watch.lastCheckAt = now;
		watch.lastTask = task;
		identify(watch, task, now);
		this.options.onCheck?.(task);
		if (isSettled(task)) {
			this.forget(watch);
			watch.resolve(task);
			if (watch.key && this.options.pace?.learn(watch.key, task)) this.replan(watch.key);
		} else if (now >= watch.deadlineAt) {
			this.forget(watch);
			watch.reject(new TaskTimeoutError(watch.kind, task, now - watch.startedAt));
		} else {
			watch.nextAt = this.planNext(watch);
		}
	}

	/**
	 * A sibling just finished: the others of its kind are due around the same age. A check is
	 * pulled earlier only when that gains more than the 2 s it would then hold the next one back:
	 * a task due in a moment is checked then, not now (younger, and perhaps not done yet).
	 */
	private replan(key: string): void {
		const floor = minInterval(this.bounds);
		for (const watch of this.watches) {
			if (watch.key !== key || watch.checking) continue;
			const planned = this.planNext(watch);
			if (planned < watch.nextAt - floor) watch.nextAt = planned;
		}
	}

	private planNext(watch: Watch): number {
		const window = watch.key === undefined || watch.createdAt === undefined ? undefined : this.options.pace?.window(watch.key, watch.model);
		return nextCheckAt(watch, { now: this.clock.now(), bounds: this.bounds, fallback: this.fallback, window, siblings: this.siblings(watch.key) });
	}

	private siblings(key: string | undefined): number {
		let count = 0;
		for (const watch of this.watches) if (watch.key === key) count++;
		return Math.max(1, count);
	}

	private forget(watch: Watch): void {
		this.watches.delete(watch);
		watch.close();
	}

	private rejectAll(reason: unknown): void {
		for (const watch of this.watches) {
			watch.checking?.abort();
			watch.close();
			watch.reject(reason);
		}
		this.watches.clear();
	}
}
