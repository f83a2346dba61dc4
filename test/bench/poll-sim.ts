// Polling cost of a schedule, measured by driving the REAL TaskPoller (nodes/engine/poller.ts)
// on virtual time: `now()` returns virtual ms and `sleep(ms)` resolves when the virtual clock
// gets there, so hours of polling take milliseconds and every figure is exactly reproducible.
//
// Each case submits many tasks into ONE poller (as a batch does), spread over the first 2.5 s,
// with task times spread evenly over ±20% of the nominal time (stratified, not random: the
// result is the same on every run). A check takes no virtual time (the network round trip is
// measured for real by the capacity figure). Like imini, every answer carries the task's model
// and `created_at`, and a finished task its `completed_at`, so a learning poller learns here what
// it would learn from imini. For every task we record when it finished, when the poller's check
// first saw it settled, and how many checks it cost.
//
// Compiled to CommonJS by test/bench/tsconfig.json; run by bench-processes.ts (runChild) with child_process.fork.
import { TaskPoller } from '../../nodes/engine/poller';
import type { PollSchedule } from '../../nodes/engine/poll-schedule';
import type { TaskKind } from '../../nodes/imini/task';
import { TaskPace } from '../../nodes/engine/task-pace';
import type { PollBounds } from '../../nodes/engine/task-pace';
import type { IminiTask } from '../../nodes/imini/task';
import { VirtualClock } from '../harness/virtual-clock';

/** Tasks of `model` (the catalog's estimate for it is where a learning poller starts) taking about `seconds`. */
export type PollCase = { kind: TaskKind; model: string; seconds: number };
/**
 * A poller to compare: learning (`learn`) or not; with the user's bounds (the node's options);
 * with a fixed schedule instead of imini's for tasks whose pace is not known.
 */
export type ScheduleSpec = { name: string; learn: boolean; bounds?: PollBounds; fallback?: PollSchedule };
export type PollSpec = { tasks: number; jitter: number; cases: PollCase[]; schedules: ScheduleSpec[] };
export type PollResult = {
	schedule: string;
	kind: TaskKind;
	seconds: number;
	tasks: number;
	meanDelayMs: number;
	maxDelayMs: number;
	meanPolls: number;
	maxPolls: number;
};

type SimTask = { submittedAt: number; durationMs: number; polls: number; noticedAt?: number };

const iso = (ms: number) => new Date(ms).toISOString();

export async function simulate(spec: ScheduleSpec, { kind, model, seconds }: PollCase, count: number, jitter: number): Promise<Omit<PollResult, 'schedule'>> {
	const clock = new VirtualClock();
	const tasks = new Map<string, SimTask>();
	const poller = new TaskPoller({
		bounds: spec.bounds,
		fallback: spec.fallback,
		pace: spec.learn ? new TaskPace() : undefined,
		clock,
		fetchTask: async (_kind, taskId) => {
			const task = tasks.get(taskId)!;
			task.polls++;
			const now = clock.now();
			const settled = now - task.submittedAt >= task.durationMs;
			if (settled) task.noticedAt ??= now;
			const times = { created_at: iso(task.submittedAt), completed_at: settled ? iso(task.submittedAt + task.durationMs) : null };
			return { task_id: taskId, model, request_id: 'req_sim', status: settled ? 'succeeded' : 'processing', ...times } as IminiTask;
		},
	});
	const nominalMs = seconds * 1000;
	// imini's advice (and the node's default): 120 s for an image, 600 s for a video. Never hit here.
	const timeoutMs = Math.max(kind === 'image' ? 120_000 : 600_000, 2 * nominalMs);
	const waits: Array<Promise<unknown>> = [];
	for (let i = 0; i < count; i++) {
		const durationMs = nominalMs * (1 - jitter + (2 * jitter * (i + 0.5)) / count);
		const submitOffset = (i * 7919) % 2500;
		const taskId = `task_${i}`;
		waits.push(
			clock.sleep(submitOffset).then(async () => {
				tasks.set(taskId, { submittedAt: clock.now(), durationMs, polls: 0 });
				return await poller.waitFor(kind, taskId, { timeoutMs, submittedAt: clock.now(), model });
			}),
		);
	}
	await clock.run();
	await Promise.all(waits);
	let delaySum = 0;
	let delayMax = 0;
	let pollSum = 0;
	let pollMax = 0;
	for (const task of tasks.values()) {
		if (task.noticedAt === undefined) throw new Error('a simulated task was never noticed');
		const delay = task.noticedAt - (task.submittedAt + task.durationMs);
		delaySum += delay;
		delayMax = Math.max(delayMax, delay);
		pollSum += task.polls;
		pollMax = Math.max(pollMax, task.polls);
	}
	return { kind, seconds, tasks: count, meanDelayMs: delaySum / count, maxDelayMs: delayMax, meanPolls: pollSum / count, maxPolls: pollMax };
}

async function main(): Promise<void> {
	const spec = JSON.parse(process.argv[2] ?? '{}') as PollSpec;
	const results: PollResult[] = [];
	for (const pollCase of spec.cases) {
		for (const schedule of spec.schedules) {
			results.push({ schedule: schedule.name, ...(await simulate(schedule, pollCase, spec.tasks, spec.jitter)) });
		}
	}
	process.send?.({ type: 'report', results }, () => process.exit(0));
}

if (require.main === module) {
	main().catch((error: unknown) => {
		process.send?.({ type: 'error', message: error instanceof Error ? (error.stack ?? error.message) : String(error) }, () => process.exit(1));
	});
}
