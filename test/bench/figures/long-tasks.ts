// 8. long tasks: N videos of T seconds in n8n's queue mode, one worker with C slots (N > C),
// each video its own execution of the durable video loop (examples/08), waited by Imini Wait in
// memory and then parked between checks, side by side in one run on one setup. In each half:
// another workflow (the webhook example, 07) is called 5 s in, and the worker is killed with
// SIGKILL 15 s in and started again. Reported per half: wall time from the first call to the
// last execution's end, slots held (executions running, sampled every second: peak and
// slot-seconds), the other workflow's answer time, and the videos delivered.
// Imini Wait's "Check in Memory First" is set to 0 here, so the parked half parks at the first
// check (with the default, tasks are checked in memory for their first minute): T stays short.
import { execFileSync } from 'node:child_process';
import { listExecutions, getExecution } from '../../../dev/n8n/executions.ts';
import { importWorkflows } from '../../../dev/n8n/n8n-commands.ts';
import { WEBHOOK_EXAMPLE_ID, provisionImini, webhookExample } from '../../../dev/n8n/provision.ts';
import { startQueueMode } from '../../../dev/n8n/queue-mode.ts';
import type { QueueMode } from '../../../dev/n8n/queue-mode.ts';
import { activateWorkflow } from '../../../dev/n8n/server.ts';
import { durableLoopWorkflow } from '../../harness/durable-loop.ts';
import { postWebhook } from '../../harness/webhook.ts';
import { root } from '../compile.ts';
import type { Settings } from '../flags.ts';
import { out, progress, sec, verdict } from '../report.ts';
import { startMockProcess } from '../bench-processes.ts';

const SLOTS = 2;
// Short enough that a stalled job (the killed worker's) is noticed within seconds.
const LOCK_SETTINGS = { QUEUE_WORKER_LOCK_DURATION: '10000', QUEUE_WORKER_LOCK_RENEW_TIME: '2000', QUEUE_WORKER_STALLED_INTERVAL: '5000' };

type Half = { wallMs: number; peakSlots: number; slotSeconds: number; otherMs: number; delivered: number; created: number; ended: Record<string, number> };

const examplePath = () => (webhookExample().nodes as Array<{ type: string; parameters: { path?: string } }>).find((n) => n.type === 'n8n-nodes-base.webhook')!.parameters.path!;

async function half(queue: QueueMode, workflowId: string, path: string, label: string, n: number, taskSeconds: number, submitted: () => Promise<number>): Promise<Half> {
	const t0 = Date.now();
	const before = await submitted();
	const samples: number[] = [];
	let sampling = true;
	const sampler = (async () => {
		while (sampling) {
			// Running executions are the ones holding a slot (queued ones are `new`, parked ones `waiting`).
			const running = await listExecutions(queue.main, { workflowId, status: ['running'] });
			samples.push(running.length);
			await new Promise((r) => setTimeout(r, 1000));
		}
	})();
	for (let i = 0; i < n; i++) {
		const answer = await postWebhook(`${queue.main.url}/webhook/${path}`, { prompt: `[mock time=${taskSeconds * 1000}] ${label} ${i}: a lighthouse in a storm`, timeout: 900 });
		if (answer.status !== 200) throw new Error(`${label}: webhook answered ${answer.status}`);
	}
	await new Promise((r) => setTimeout(r, Math.max(0, t0 + 5_000 - Date.now())));
	const other = postWebhook(`${queue.main.url}/webhook/${examplePath()}`, { prompts: [`${label}: a red fox`] }, 900_000);
	await new Promise((r) => setTimeout(r, Math.max(0, t0 + 15_000 - Date.now())));
	progress(`long tasks, ${label}: killing the worker (SIGKILL) 15 s in and starting it again`);
	await queue.crashAndRestartWorker('worker-1');
	const otherAnswer = await other;
	const deadline = Date.now() + (4 * taskSeconds + 240) * 1000;
	let executions: Awaited<ReturnType<typeof getExecution>>[] = [];
	for (;;) {
		const all = await listExecutions(queue.main, { workflowId });
		if (all.length >= n && all.every((e) => !['running', 'new', 'waiting', 'unknown'].includes(e.status))) {
			executions = await Promise.all(all.map((e) => getExecution(queue.main, e.id)));
			break;
		}
		if (Date.now() > deadline) throw new Error(`${label}: executions still unfinished: ${JSON.stringify(all.map((e) => e.status))}`);
		await new Promise((r) => setTimeout(r, 1000));
	}
	sampling = false;
	await sampler;
	const end = Math.max(...executions.map((e) => Date.parse(e.stoppedAt ?? '') || Date.now()));
	const delivered = executions.filter((e) => {
		const runs = e.data.resultData.runData['Imini Wait'] as Array<{ data?: { main: Array<Array<{ json: { status?: string }; binary?: unknown }>> } }> | undefined;
		const last = runs?.at(-1)?.data?.main;
		return e.status === 'success' && (last ?? []).some((output) => (output ?? []).some((item) => item.json.status === 'succeeded' && item.binary));
	}).length;
	const ended: Record<string, number> = {};
	for (const e of executions) ended[e.status] = (ended[e.status] ?? 0) + 1;
	return {
		wallMs: end - t0,
		peakSlots: Math.max(0, ...samples),
		slotSeconds: samples.reduce((a, b) => a + b, 0),
		otherMs: otherAnswer.ms,
		delivered,
		// The other workflow's image is one of the tasks created meanwhile.
		created: (await submitted()) - before - 1,
		ended,
	};
}

export async function longTasksFigure(settings: Settings): Promise<void> {
	const n = settings.longTasks;
	const taskSeconds = settings.longTaskSeconds;
	progress('long tasks: installing what is missing (n8n, Redis, PostgreSQL) and building the package');
	for (const script of ['dev/n8n/install.sh', 'dev/n8n/install-queue-services.sh']) execFileSync('bash', [script], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
	execFileSync('npm', ['run', 'build', '--silent'], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
	progress(`long tasks: n8n main + 1 worker of ${SLOTS} slots; ${n} videos of ${taskSeconds} s in memory, then parked (about 4 minutes)`);
	const mock = await startMockProcess({ simulator: { imageTaskMs: 1_000, rateLimit: null } });
	const inMemory = durableLoopWorkflow({ id: 'benchLongMemory', path: 'bench-long-memory', wait: { parkBetweenChecks: false } });
	// Waited in memory there is nothing to loop: Imini Wait's one output goes on.
	inMemory.connections = { ...inMemory.connections, 'Imini Wait': { main: [[{ node: 'Video Ready', type: 'main', index: 0 }]] } };
	const parked = durableLoopWorkflow({ id: 'benchLongParked', path: 'bench-long-parked', wait: { inMemoryFor: 0 } });
	let queue: QueueMode | undefined;
	try {
		queue = await startQueueMode({
			workers: 1,
			concurrency: SLOTS,
			env: LOCK_SETTINGS,
			prepare: async (main, workers) => {
				await provisionImini(main, { apiKey: mock.apiKey, baseUrl: mock.url, name: 'Imini API (offline mock)' }, { examples: [WEBHOOK_EXAMPLE_ID], workerHomes: workers });
				await importWorkflows(main, [inMemory, parked]);
			},
		});
		for (const id of [WEBHOOK_EXAMPLE_ID, inMemory.id!, parked.id!]) await activateWorkflow(queue.main, id);
		const submitted = async () => {
			mock.record(true);
			return (await mock.take()).stats.submits;
		};
		const memory = await half(queue, inMemory.id!, 'bench-long-memory', 'in memory', n, taskSeconds, submitted);
		const durable = await half(queue, parked.id!, 'bench-long-parked', 'parked', n, taskSeconds, submitted);
		const line = (h: Half) =>
			`wall=${sec(h.wallMs)} slots_peak=${h.peakSlots}/${SLOTS} slot_seconds=${h.slotSeconds} other_workflow=${sec(h.otherMs)} delivered_after_restart=${h.delivered}/${n} video_tasks_created=${h.created} ended=${JSON.stringify(h.ended)}`;
		out(
			`long tasks: in memory ${line(memory)} | parked ${line(durable)}` +
				` (${n} videos of ${taskSeconds} s, each its own execution of examples/08, queue mode: main + 1 worker of ${SLOTS} slots, PostgreSQL, Redis;` +
				` another workflow (examples/07, one image) called 5 s in; the worker SIGKILLed 15 s in and started again; Check in Memory First 0, parks of 65 s)` +
				` target: parked, every video delivered and the other workflow answered within 10 s ${verdict(durable.delivered === n && durable.otherMs < 10_000)}`,
		);
	} finally {
		await queue?.stop();
		await mock.close();
	}
}
