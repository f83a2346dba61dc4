// Durable waits in n8n's queue mode: PostgreSQL, Redis, n8n main and two workers of concurrency
// 1 (two slots in all), the package installed from the tarball in every user folder. N = 4
// executions of the durable video loop (examples/08), more than there are slots, all park at
// once; while they are parked the webhook example (07) answers at once; one worker is killed
// with SIGKILL during the park, and the other runs every resumed execution to its video. About
// two minutes, most of it n8n's park granularity (65 s).
import { startMock } from '../../mock-server/index.ts';
import type { MockServer } from '../../mock-server/index.ts';
import { getExecution, listExecutions } from '../../dev/n8n/executions.ts';
import type { Execution } from '../../dev/n8n/executions.ts';
import { importWorkflows } from '../../dev/n8n/n8n-commands.ts';
import { startQueueMode } from '../../dev/n8n/queue-mode.ts';
import type { QueueMode } from '../../dev/n8n/queue-mode.ts';
import { activateWorkflow } from '../../dev/n8n/server.ts';
import { WEBHOOK_EXAMPLE_ID, provisionImini, webhookExample } from '../../dev/n8n/provision.ts';
import { durableLoopWorkflow } from '../harness/durable-loop.ts';
import { formatViolations } from '../harness/mock';
import { postWebhook } from '../harness/webhook';
import { LOCK_SETTINGS } from '../harness/queue-mode/cluster';
import { waitFor } from '../harness/wait-for';

const N = 4;
const SLOTS_PER_WORKER = 1;
const loop = durableLoopWorkflow({ id: 'durableQueue', path: 'durable-queue', wait: { inMemoryFor: 0 } });
const examplePath = (webhookExample().nodes as Array<{ type: string; parameters: { path?: string } }>).find((n) => n.type === 'n8n-nodes-base.webhook')!.parameters.path!;

let mock: MockServer;
let queue: QueueMode;

beforeAll(async () => {
	mock = await startMock({ simulator: { rateLimit: null, imageTaskMs: 500 } });
	queue = await startQueueMode({
		concurrency: SLOTS_PER_WORKER,
		env: LOCK_SETTINGS,
		prepare: async (main, workers) => {
			await provisionImini(main, { apiKey: mock.apiKey, baseUrl: mock.url, name: 'Imini API (offline mock)' }, { examples: [WEBHOOK_EXAMPLE_ID], workerHomes: workers });
			await importWorkflows(main, [loop]);
		},
	});
	await activateWorkflow(queue.main, WEBHOOK_EXAMPLE_ID);
	await activateWorkflow(queue.main, loop.id!);
});

afterAll(async () => {
	await queue?.stop();
	await mock?.close();
});

async function loopExecutions(): Promise<Execution[]> {
	const found = await listExecutions(queue.main, { workflowId: loop.id });
	return await Promise.all(found.map((e) => getExecution(queue.main, e.id)));
}

describe(`queue mode, 2 workers × ${SLOTS_PER_WORKER} slot: ${N} long videos parked by Imini Wait`, () => {
	it('all park at once, a webhook answers while they wait, and a worker killed during the park loses nothing', async () => {
		const prompts = Array.from({ length: N }, (_, i) => `[mock time=40000] queue ${i}: a lighthouse in a storm`);
		for (const prompt of prompts) expect((await postWebhook(`${queue.main.url}/webhook/durable-queue`, { prompt, timeout: 600 })).status).toBe(200);
		const parked = await waitFor(`${N} executions to park`, async () => {
			const executions = await listExecutions(queue.main, { workflowId: loop.id, status: ['waiting'] });
			return executions.length === N && executions;
		}, 90_000);
		const parkedAt = Date.now();

		// More executions than slots are waiting, and the slots are free: a short webhook answers at once.
		const answer = await postWebhook(`${queue.main.url}/webhook/${examplePath}`, { prompts: ['while parked: a red fox'] });
		expect(answer.status).toBe(200);
		expect(answer.body).toHaveLength(1);
		// Held in memory, the videos would keep both slots for at least 30 s more (40 s tasks).
		expect(answer.ms).toBeLessThan(25_000);

		const [victim, survivor] = queue.workers;
		await victim.service.kill();
		const killedAt = Date.now();

		const executions = await waitFor('every parked execution to finish', async () => {
			const all = await loopExecutions();
			return all.length === N && all.every((e) => e.status === 'success' || e.status === 'error' || e.status === 'crashed') && all;
		}, 150_000);
		const videos = executions.map((e) => {
			expect(e.status).toBe('success');
			const runs = e.data.resultData.runData['Imini Wait'] as Array<{ data: { main: Array<Array<{ json: Record<string, any>; binary?: Record<string, { id: string }> }>> } }>;
			const [video] = runs.at(-1)!.data.main[1];
			expect(video.json.status).toBe('succeeded');
			expect(video.binary!.data.id).toMatch(/^database:/);
			return video.json.task_id as string;
		});
		// One task per execution, none twice, every one delivered.
		const submitted = mock.submissions.filter((s) => prompts.includes(String(s.body.prompt)));
		expect(submitted).toHaveLength(N);
		expect(new Set(videos)).toEqual(new Set(submitted.map((s) => s.taskId)));
		// The resumed runs went to the worker still alive.
		const resumedOn = queue.workerByExecution();
		for (const { id } of parked) expect(resumedOn.get(id)).toBe(survivor.name);
		expect(formatViolations(mock.violations)).toBe('');

		const finishedMs = Math.max(...executions.map((e) => Date.parse(e.stoppedAt!))) - parkedAt;
		process.stderr.write(
			`\n[durable queue] ${N} executions parked at once on ${queue.workers.length * SLOTS_PER_WORKER} slots; a webhook answered in ${(answer.ms / 1000).toFixed(1)} s while they waited;` +
				` ${victim.name} SIGKILLed ${((killedAt - parkedAt) / 1000).toFixed(0)} s into the park; all ${N} videos delivered by ${survivor.name} ${(finishedMs / 1000).toFixed(0)} s after parking; ${submitted.length} tasks created\n`,
		);
	}, 300_000);
});
