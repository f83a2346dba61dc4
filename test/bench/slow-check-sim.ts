// How late the other tasks of a run are noticed when one status answer is slow: the poller as it
// is (nodes/engine/poller.ts) against the poller as it was before issue 23 (before/poller.ts),
// side by side, on virtual time (every figure exactly reproducible).
//
// One batch: `tasks` tasks submitted together, each finishing after about `seconds` (spread
// evenly over ±20 %). The second check of task 0 takes `slowSeconds` to be answered (a check that
// meets timeouts and retries: 4 attempts × the 30 s read timeout plus backoff is about 134 s).
// For every other task we record how long after it finished a check first saw it settled.
//
// Compiled to CommonJS by test/bench/tsconfig.json; run by bench-processes.ts (runChild) with child_process.fork.
import { TaskPoller } from '../../nodes/engine/poller';
import { TaskPoller as PollerBefore } from './before/poller';
import type { IminiTask, TaskKind } from '../../nodes/imini/task';
import { VirtualClock } from '../harness/virtual-clock';

export type SlowCheckSpec = { tasks: number; seconds: number; slowSeconds: number[] };
export type SlowCheckResult = { poller: 'before' | 'after'; slowSeconds: number; tasks: number; meanLateMs: number; maxLateMs: number; unnoticed: number };

type SimTask = { durationMs: number; polls: number; noticedAt?: number };

type Poller = { waitFor(kind: TaskKind, taskId: string, options: { timeoutMs: number; submittedAt: number; model?: string }): Promise<IminiTask> };

export async function simulate(which: 'before' | 'after', spec: SlowCheckSpec, slowSeconds: number): Promise<SlowCheckResult> {
	const clock = new VirtualClock();
	const tasks = new Map<string, SimTask>();
	const iso = (ms: number) => new Date(ms).toISOString();
	const fetchTask = async (_kind: TaskKind, taskId: string, _deadlineAt: number, signal?: AbortSignal): Promise<IminiTask> => {
		const task = tasks.get(taskId)!;
		task.polls++;
		if (taskId === 'task_0' && task.polls === 2) await clock.sleep(slowSeconds * 1000, signal ?? new AbortController().signal);
		const now = clock.now();
		const settled = now >= task.durationMs;
		if (settled) task.noticedAt ??= now;
		return { task_id: taskId, model: 'sim', request_id: 'req_sim', status: settled ? 'succeeded' : 'processing', created_at: iso(0), completed_at: settled ? iso(task.durationMs) : null } as IminiTask;
	};
	const options = { fetchTask, clock };
	const poller: Poller = which === 'after' ? new TaskPoller(options) : new PollerBefore(options);
	const waits: Array<Promise<unknown>> = [];
	for (let i = 0; i < spec.tasks; i++) {
		const durationMs = spec.seconds * 1000 * (0.8 + (0.4 * (i + 0.5)) / spec.tasks);
		tasks.set(`task_${i}`, { durationMs, polls: 0 });
		waits.push(poller.waitFor('image', `task_${i}`, { timeoutMs: 600_000, submittedAt: 0 }).catch(() => undefined));
	}
	await clock.run();
	await Promise.all(waits);
	const others = [...tasks.entries()].filter(([id]) => id !== 'task_0').map(([, task]) => task);
	const late = others.filter((t) => t.noticedAt !== undefined).map((t) => t.noticedAt! - t.durationMs);
	return {
		poller: which,
		slowSeconds,
		tasks: others.length,
		meanLateMs: late.reduce((a, b) => a + b, 0) / Math.max(1, late.length),
		maxLateMs: Math.max(0, ...late),
		unnoticed: others.length - late.length,
	};
}

async function main(): Promise<void> {
	const spec = JSON.parse(process.argv[2] ?? '{}') as SlowCheckSpec;
	const results: SlowCheckResult[] = [];
	for (const slow of spec.slowSeconds) for (const which of ['before', 'after'] as const) results.push(await simulate(which, spec, slow));
	process.send?.({ type: 'report', results }, () => process.exit(0));
}

if (require.main === module) {
	main().catch((error: unknown) => {
		process.send?.({ type: 'error', message: error instanceof Error ? (error.stack ?? error.message) : String(error) }, () => process.exit(1));
	});
}
