// One poller for all the tasks of a node run. Each task is checked on its own schedule, counted
// from its own submit: when tasks of its model and settings have finished lately (in this run or
// another execution on the same account), around
// the age they finished at (task-pace.ts); before that, around the catalog's estimate for the
// model; without either, on imini's advice (first check after 2 s, then 2 s, 3 s, 5 s, 5 s ...).
// A single loop sleeps until the next task is due and checks every due task at once, so 50
// tasks cost one timer, not 50.
//
// Every check goes through the account's quota scheduler (quota.ts): under a rate limit a check
// waits its turn there, and this task's next check is counted from when that answer arrived, so
// the cadence here never adds to a queue the quota is holding back.
import { sleep as n8nSleep } from 'n8n-workflow';
import type { TaskKind } from './catalog';
import { QuotaExhaustedError, TaskTimeoutError } from './errors';
import { delayForAge, minInterval, paceKey } from './task-pace';
import type { PollBounds, TaskPace } from './task-pace';
import type { IminiTask } from './transport';

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

export function isSettled(task: IminiTask): boolean {
	return task.status === 'succeeded' || task.status === 'failed';
}

export type PollerClock = {
	now(): number;
	/** Resolves after ms, rejects when the signal aborts. */
	sleep(ms: number, signal: AbortSignal): Promise<void>;
};

export const realClock: PollerClock = {
	now: () => Date.now(),
	sleep: async (ms, signal) => await n8nSleep(ms, signal),
};

/** Where the tasks a poller must deliver are booked (account.ts: admission of new submits). */
export type DeliveryTracker = {
	/** A task to deliver by `deadlineAt`; the returned function closes it. */
	open(deadlineAt: number): () => void;
};

export type PollerOptions = {
	/** One status check; `deadlineAt` is the task's deadline (a wait for the quota ends there). */
	fetchTask: (kind: TaskKind, taskId: string, deadlineAt: number) => Promise<IminiTask>;
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
	clock?: PollerClock;
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

/** Steps of the golden ratio spread turns evenly over [0, 1), however many tasks there are. */
const GOLDEN = 0.618_033_988_75;

type Watch = {
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
	checking: boolean;
	/** The last status seen; none until a check got through. */
	lastTask?: IminiTask;
	/** Closes the task's entry in the delivery book. */
	close: () => void;
	resolve: (task: IminiTask) => void;
	reject: (error: unknown) => void;
};

export class TaskPoller {
	private readonly watches = new Set<Watch>();
	private readonly clock: PollerClock;
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
				checking: false,
				close: () => undefined,
				resolve,
				reject,
			};
			if (seen) this.identify(watch, seen);
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
	 */
	private async run(): Promise<void> {
		const cancel = this.options.signal;
		for (;;) {
			if (cancel?.aborted) this.rejectAll(cancel.reason);
			if (this.watches.size === 0) {
				this.running = false;
				return;
			}
			const now = this.clock.now();
			const due = [...this.watches].filter((w) => w.nextAt <= now);
			if (due.length > 0) {
				await this.checkAll(due);
				continue;
			}
			const nextAt = Math.min(...[...this.watches].map((w) => w.nextAt));
			const wake = new AbortController();
			const onCancel = () => wake.abort();
			cancel?.addEventListener('abort', onCancel, { once: true });
			this.wake = wake;
			this.sleepingUntil = nextAt;
			try {
				await this.clock.sleep(nextAt - now, wake.signal);
			} catch {
				// woken early: a new task is due sooner, or the execution was cancelled (checked above)
			} finally {
				cancel?.removeEventListener('abort', onCancel);
				this.wake = undefined;
				this.sleepingUntil = Number.POSITIVE_INFINITY;
			}
		}
	}

	private async checkAll(due: Watch[]): Promise<void> {
		const queue = [...due];
		const workers = Array.from({ length: Math.min(this.options.concurrency ?? 8, queue.length) }, async () => {
			for (let watch = queue.shift(); watch; watch = queue.shift()) await this.check(watch);
		});
		await Promise.all(workers);
	}

	private async check(watch: Watch): Promise<void> {
		let task: IminiTask;
		watch.checking = true;
		try {
			// The last check is due on the deadline itself and timers fire late: the quota scheduler
			// still sends a call past its deadline when nothing holds it back (quota.ts).
			task = await this.options.fetchTask(watch.kind, watch.taskId, watch.deadlineAt);
		} catch (error) {
			this.forget(watch);
			if (this.options.signal?.aborted) watch.reject(this.options.signal.reason);
			else if (error instanceof QuotaExhaustedError && error.reason === 'deadline') {
				// The rate limit left no room for a check before the deadline: as unconfirmed as a
				// task still running, and reported the same way, with its id.
				const lastSeen = watch.lastTask ?? { task_id: watch.taskId, status: 'queued' };
				watch.reject(new TaskTimeoutError(watch.kind, lastSeen, this.clock.now() - watch.startedAt, 'rate limit'));
			} else watch.reject(error);
			return;
		} finally {
			watch.checking = false;
		}
		const now = this.clock.now();
		watch.checks++;
		watch.lastCheckAt = now;
		watch.lastTask = task;
		this.identify(watch, task);
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

	/** A task's own answer tells its model and age, when the caller could not (Imini Wait). */
	private identify(watch: Watch, task: IminiTask): void {
		if (watch.key !== undefined) return;
		const createdAt = Date.parse(task.created_at);
		watch.model = task.model;
		watch.key = paceKey(task.model);
		// imini's clock, taken as this one's (both are NTP time); never in the future.
		if (Number.isFinite(createdAt)) watch.createdAt = Math.min(createdAt, this.clock.now());
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

	/**
	 * When to check `watch` next: never sooner than 2 s after its last check (or its submit),
	 * never later than its deadline, and never just before the deadline, where a check would
	 * leave less than 2 s to the last one, which lands on the deadline itself.
	 */
	private planNext(watch: Watch): number {
		const floor = minInterval(this.bounds);
		const from = watch.lastCheckAt ?? watch.startedAt;
		const window = watch.key === undefined || watch.createdAt === undefined ? undefined : this.options.pace?.window(watch.key, watch.model);
		let at: number;
		if (watch.checks === 0 && this.bounds.firstCheckMs !== undefined) at = watch.startedAt + this.bounds.firstCheckMs;
		else if (window && watch.createdAt !== undefined) at = from + delayForAge(from - watch.createdAt, window, this.bounds, this.siblings(watch.key), (watch.turn + watch.checks * GOLDEN) % 1);
		else at = from + delayBeforeCheck(this.fallback, watch.checks + 1);
		at = Math.max(at, this.clock.now(), watch.lastCheckAt === undefined ? 0 : watch.lastCheckAt + floor);
		const { deadlineAt } = watch;
		if (at >= deadlineAt) return deadlineAt;
		if (deadlineAt - at < floor) return deadlineAt - floor >= from + floor ? deadlineAt - floor : deadlineAt;
		return at;
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
			watch.close();
			watch.reject(reason);
		}
		this.watches.clear();
	}
}
