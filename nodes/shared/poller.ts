// One poller for all the tasks of a node run. Each task keeps imini's recommended schedule
// (first check 2 s after submit, then 2 s, 3 s, 5 s, 5 s, ...) measured from its own submit,
// but a single loop sleeps until the next task is due and checks every due task at once, so
// 50 tasks cost one timer, not 50, and each is noticed on its own schedule.
import { sleep as n8nSleep } from 'n8n-workflow';
import type { TaskKind } from './catalog';
import { QuotaExhaustedError, TaskTimeoutError } from './errors';
import type { IminiTask } from './transport';

export type PollSchedule = {
	/** Delay from submit to the first check. */
	firstCheckMs: number;
	/** Delays between later checks; the last one repeats. */
	intervalsMs: readonly number[];
};

/** imini's advice: first poll after 2 s, then back off 2 s / 3 s / 5 s. */
export const vendorSchedule: PollSchedule = { firstCheckMs: 2_000, intervalsMs: [2_000, 3_000, 5_000] };

/** Scales the vendor schedule to user bounds: a first check and a longest interval. */
export function scheduleWithin(firstCheckMs: number, maxIntervalMs: number): PollSchedule {
	return {
		firstCheckMs,
		intervalsMs: vendorSchedule.intervalsMs.map((ms) => Math.min(ms, maxIntervalMs)),
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

export type PollerOptions = {
	/** One status check; `deadlineAt` is the task's deadline (a wait for the quota ends there). */
	fetchTask: (kind: TaskKind, taskId: string, deadlineAt: number) => Promise<IminiTask>;
	schedule: PollSchedule;
	/** n8n's execution cancel signal: aborting it stops every wait at once. */
	signal?: AbortSignal;
	clock?: PollerClock;
	/** Most task checks in flight at once. */
	concurrency?: number;
	onCheck?: (task: IminiTask) => void;
};

type Watch = {
	kind: TaskKind;
	taskId: string;
	startedAt: number;
	deadlineAt: number;
	checks: number;
	nextAt: number;
	/** The last status seen; none until a check got through. */
	lastTask?: IminiTask;
	resolve: (task: IminiTask) => void;
	reject: (error: unknown) => void;
};

export class TaskPoller {
	private readonly watches = new Set<Watch>();
	private readonly clock: PollerClock;
	private loop: Promise<void> | undefined;
	private wake: AbortController | undefined;
	private sleepingUntil = Number.POSITIVE_INFINITY;
	private readonly options: PollerOptions;

	constructor(options: PollerOptions) {
		this.options = options;
		this.clock = options.clock ?? realClock;
	}

	/**
	 * Resolves with the settled task (succeeded or failed), or rejects with TaskTimeoutError once
	 * `timeoutMs` has passed since `submittedAt`, or with the error of a check that failed for good.
	 */
	async waitFor(kind: TaskKind, taskId: string, timeoutMs: number, submittedAt = this.clock.now()): Promise<IminiTask> {
		return await new Promise<IminiTask>((resolve, reject) => {
			const watch: Watch = {
				kind,
				taskId,
				startedAt: submittedAt,
				deadlineAt: submittedAt + timeoutMs,
				checks: 0,
				nextAt: Math.min(submittedAt + this.options.schedule.firstCheckMs, submittedAt + timeoutMs),
				resolve,
				reject,
			};
			if (this.options.signal?.aborted) {
				reject(this.options.signal.reason);
				return;
			}
			this.watches.add(watch);
			if (watch.nextAt < this.sleepingUntil) this.wake?.abort();
			this.loop ??= this.run().finally(() => {
				this.loop = undefined;
			});
		});
	}

	get pending(): number {
		return this.watches.size;
	}

	private async run(): Promise<void> {
		const cancel = this.options.signal;
		while (this.watches.size > 0) {
			if (cancel?.aborted) return this.rejectAll(cancel.reason);
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
		try {
			task = await this.options.fetchTask(watch.kind, watch.taskId, watch.deadlineAt);
		} catch (error) {
			this.watches.delete(watch);
			if (this.options.signal?.aborted) watch.reject(this.options.signal.reason);
			else if (error instanceof QuotaExhaustedError && error.reason === 'deadline') {
				// The rate limit left no room for a check before the deadline: as unconfirmed as a
				// task still running, and reported the same way, with its id.
				const lastSeen = watch.lastTask ?? { task_id: watch.taskId, status: 'queued' };
				watch.reject(new TaskTimeoutError(watch.kind, lastSeen, this.clock.now() - watch.startedAt, 'rate limit'));
			} else watch.reject(error);
			return;
		}
		watch.checks++;
		watch.lastTask = task;
		this.options.onCheck?.(task);
		const now = this.clock.now();
		if (isSettled(task)) {
			this.watches.delete(watch);
			watch.resolve(task);
		} else if (now >= watch.deadlineAt) {
			this.watches.delete(watch);
			watch.reject(new TaskTimeoutError(watch.kind, task, now - watch.startedAt));
		} else {
			// The last check lands on the deadline itself, so a task that finishes just in time counts.
			watch.nextAt = Math.min(now + delayBeforeCheck(this.options.schedule, watch.checks + 1), watch.deadlineAt);
		}
	}

	private rejectAll(reason: unknown): void {
		for (const watch of this.watches) watch.reject(reason);
		this.watches.clear();
	}
}
