// The tasks the simulator remembers: the live ones by id (a settled task is forgotten
// `taskTtlMs` after it settled, and then looks unknown, as upstream), the newest 500 for the task
// console, and the newest 200 request bodies for tests that assert what a client sent.
import type { TaskKind } from '../contract/validator.ts';
import { HttpError } from '../core/http.ts';
import { taskRecord } from './simulated-task.ts';
import type { Task, TaskRecord } from './simulated-task.ts';

/** A task as it was submitted (the newest 200), for tests that assert what a client sent. */
export type Submission = { taskId: string; kind: TaskKind; body: Record<string, unknown> };

/** How many tasks the console and `GET /mock/tasks` remember. */
const HISTORY_SIZE = 500;
/** How many submitted bodies `MockServer.submissions` keeps. */
const SUBMISSIONS_SIZE = 200;
/** Tasks kept at most (the oldest go first), whatever the TTL: a long soak must not grow without bound. */
const MAX_TASKS = 50_000;

export type TaskStore = ReturnType<typeof createTaskStore>;

export function createTaskStore(options: { taskTtlMs: number; queuedShare: number }, now: () => number) {
	const tasks = new Map<string, Task>();
	/** Every task created, oldest first (the newest HISTORY_SIZE), for the task console. */
	const history: Task[] = [];
	const submissions: Submission[] = [];
	const expiresAt = (task: Task) => task.createdAt + task.durationMs + options.taskTtlMs;
	let addsSincePrune = 0;

	/**
	 * Forgets tasks past their TTL (their polls answer 404 either way), and the oldest beyond
	 * MAX_TASKS. Run every so often as tasks are added, so that the work stays in proportion to
	 * the tasks kept, not to every task ever made.
	 */
	function prune(): void {
		if (++addsSincePrune < Math.max(64, tasks.size / 4)) return;
		addsSincePrune = 0;
		const time = now();
		for (const [id, task] of tasks) if (time > expiresAt(task)) tasks.delete(id);
		for (const id of tasks.keys()) {
			if (tasks.size <= MAX_TASKS) break;
			tasks.delete(id);
		}
	}

	return {
		submissions,

		add(task: Task, body: Record<string, unknown>): void {
			prune();
			tasks.set(task.id, task);
			history.push(task);
			if (history.length > HISTORY_SIZE) history.shift();
			submissions.push({ taskId: task.id, kind: task.kind, body });
			if (submissions.length > SUBMISSIONS_SIZE) submissions.shift();
		},

		/** The task `id`, if it is still remembered and belongs to `kind` and `key` (null: any); else imini's 404. */
		find(id: string, kind: TaskKind | null, key: string | null): Task {
			const task = tasks.get(id);
			if (task && now() > expiresAt(task)) {
				tasks.delete(id);
				throw new HttpError(404, `Task ${id} not found or expired.`);
			}
			// A task belongs to one key and one kind: anything else looks unknown, as it would upstream.
			if (!task || (kind && task.kind !== kind) || (key && task.apiKey !== key)) {
				throw new HttpError(404, `Task ${id} not found or expired.`);
			}
			return task;
		},

		/** Tasks kept in memory (expired ones are pruned as tasks are added). */
		size: () => tasks.size,

		/** Tasks currently neither settled nor expired (for concurrency assertions). */
		inFlight(): number {
			const time = now();
			let count = 0;
			for (const task of tasks.values()) if (time < task.createdAt + task.durationMs) count++;
			return count;
		},

		/** The tasks seen so far, newest first, as the console shows them. */
		records(filesBaseUrl: string): TaskRecord[] {
			const time = now();
			return history.map((task) => taskRecord(task, time, options.queuedShare, expiresAt(task), filesBaseUrl)).reverse();
		},

		reset(): void {
			tasks.clear();
			history.length = 0;
			submissions.length = 0;
		},
	};
}
