// The package in n8n's queue mode, where production users run it: n8n main takes the webhook
// calls, Redis hands the executions to two workers, PostgreSQL stores everything, and binary
// data lives in the database. Every process has the package installed from the packed tarball.
// The webhook example (Webhook → Imini Generate → Respond to Webhook) runs against the offline
// mock; the figures each test measures are printed at the end.
import { readPngSize, imageSize } from '../../mock-server/media.ts';
import { downloadBinaryData, getExecution, listExecutions, stopExecution } from '../../dev/n8n/n8n-cli.ts';
import type { Execution } from '../../dev/n8n/n8n-cli.ts';
import { formatViolations } from '../harness/mock';
import { LOCK_SETTINGS, startScaleSetup } from './cluster';
import type { ScaleSetup, WebhookAnswer } from './cluster';
import { observe, waitFor } from './wait';

const CALLS = 20;
const PROMPTS_PER_CALL = 5;
const RATIOS = ['1:1', '16:9', '9:16', '4:3', '3:4'];
const figures: string[] = [];
let setup: ScaleSetup;

beforeAll(async () => {
	const started = Date.now();
	setup = await startScaleSetup([
		// The example as shipped. Short tasks keep the burst about the machine, not the clock.
		{ name: 'burst', simulator: { imageTaskMs: 500 } },
		// Checks every second, so "no poll after the stop" is watched over several intervals.
		{ name: 'stop', simulator: { imageTaskMs: 600_000 }, generateOptions: { firstCheckAfter: 0.5, maxCheckInterval: 1 } },
		{ name: 'killed', simulator: { imageTaskMs: 25_000 }, generateOptions: { maxCheckInterval: 1 } },
	]);
	const { postgres, redis, main, workers } = setup.queue;
	figures.push(
		`setup: PostgreSQL ${postgres.version}, Redis ${redis.version}, n8n main + ${workers.length} workers ready in ${((Date.now() - started) / 1000).toFixed(1)} s` +
			` (main ${(main.readyMs / 1000).toFixed(1)} s, workers ${workers.map((w) => (w.readyMs / 1000).toFixed(1)).join(' / ')} s after their spawn)`,
	);
});

afterAll(async () => {
	await setup?.stop();
	process.stdout.write(`\n[queue mode] ${figures.join('\n[queue mode] ')}\n`);
});

function prompts(label: string, call: number): string[] {
	return Array.from({ length: PROMPTS_PER_CALL }, (_, p) => `${label} ${call}.${p}: a lighthouse at dawn, watercolour`);
}

function countBy(values: string[]): Record<string, number> {
	const counts: Record<string, number> = {};
	for (const value of values) counts[value] = (counts[value] ?? 0) + 1;
	return counts;
}

/** An execution once its worker (or n8n main, for a dead worker's) has stored how it ended: Respond to Webhook answers before that. */
function finishedExecution(id: string): Promise<Execution> {
	return waitFor(
		`execution ${id} to be stored as finished`,
		async () => {
			const stored = await getExecution(setup.queue.main, id);
			return stored.status !== 'running' && stored.status !== 'new' && stored;
		},
		60_000,
	);
}

type AnsweredImage = { prompt: string; task_id: string; width: number; height: number; mime_type: string; execution_id: string; image_base64: string };

describe('n8n queue mode: main, two workers, PostgreSQL, Redis, binary data in the database', () => {
	it('burst: 20 webhook calls of 5 prompts at once, each answered with its own images, on both workers, every task created once', async () => {
		const { mock, path } = setup.scenarios.burst;
		const bodies = Array.from({ length: CALLS }, (_, c) => ({ prompts: prompts('burst', c), aspect_ratio: RATIOS[c % RATIOS.length] }));
		const started = Date.now();
		const answers = await Promise.all(bodies.map((body) => setup.call(path, body)));
		const wallMs = Date.now() - started;

		const submitted = new Map(mock.submissions.map((s) => [s.taskId, s.body]));
		const byTask = new Map<string, AnsweredImage>();
		const executionIds: string[] = [];
		for (const [c, answer] of answers.entries()) {
			expect({ call: c, status: answer.status }).toEqual({ call: c, status: 200 });
			const images = answer.body as AnsweredImage[];
			// Its own prompts, in order, each paired with the task made from it, at the asked size.
			expect(images.map((image) => image.prompt)).toEqual(bodies[c].prompts);
			const size = imageSize(bodies[c].aspect_ratio, '1K');
			for (const image of images) {
				expect(submitted.get(image.task_id)).toMatchObject({ prompt: image.prompt, aspect_ratio: bodies[c].aspect_ratio });
				expect({ width: image.width, height: image.height, mime_type: image.mime_type }).toEqual({ ...size, mime_type: 'image/png' });
				expect(readPngSize(Buffer.from(image.image_base64, 'base64'))).toEqual(size);
				byTask.set(image.task_id, image);
			}
			const ids = [...new Set(images.map((image) => image.execution_id))];
			expect(ids).toHaveLength(1);
			executionIds.push(ids[0]);
		}
		expect(new Set(executionIds).size).toBe(CALLS);
		expect(byTask.size).toBe(CALLS * PROMPTS_PER_CALL);

		// No task created twice: one submission per prompt, and nothing else.
		expect(mock.stats.submits).toBe(CALLS * PROMPTS_PER_CALL);
		const sentPrompts = mock.submissions.map((s) => s.body.prompt);
		expect(new Set(sentPrompts).size).toBe(sentPrompts.length);
		expect(formatViolations(mock.violations)).toBe('');

		// Both workers ran executions.
		const byExecution = setup.queue.workerByExecution();
		const split = countBy(executionIds.map((id) => byExecution.get(id) ?? 'no worker'));
		expect(Object.keys(split).sort()).toEqual(['worker-1', 'worker-2']);

		// Every file is in the database, and n8n main (which ran none of them) reads it back.
		let files = 0;
		for (const id of executionIds) {
			const execution = await finishedExecution(id);
			expect(execution.status).toBe('success');
			const items = execution.data.resultData.runData['Imini Generate'][0].data.main[0] as Array<{ json: { task_id: string }; binary: { data: { id: string } } }>;
			expect(items).toHaveLength(PROMPTS_PER_CALL);
			for (const item of items) {
				expect(item.binary.data.id).toMatch(/^database:/);
				const bytes = await downloadBinaryData(setup.queue.main, item.binary.data.id);
				expect(bytes.equals(Buffer.from(byTask.get(item.json.task_id)!.image_base64, 'base64'))).toBe(true);
				files++;
			}
		}
		const slowest = Math.max(...answers.map((a) => a.ms));
		figures.push(
			`burst: ${CALLS} calls × ${PROMPTS_PER_CALL} prompts (mock task time 0.5 s) answered in ${(wallMs / 1000).toFixed(1)} s (slowest call ${(slowest / 1000).toFixed(1)} s);` +
				` executions per worker ${JSON.stringify(split)}; ${mock.stats.submits} submissions for ${byTask.size} images; ${files} files read back through n8n main from the database; Prism violations 0`,
		);
	});

	it('stop from n8n main while a worker polls: the execution ends canceled within seconds and the mock sees no poll after', async () => {
		const { mock, traffic, path } = setup.scenarios.stop;
		const prompt = 'stop test: a harbour at night, slow oil painting';
		const pending = setup.call(path, { prompts: [prompt] });
		const taskId = await waitFor('the task to be submitted', () => mock.submissions.find((s) => s.body.prompt === prompt)?.taskId, 60_000);
		await waitFor('the worker to poll the task twice', () => traffic.pollsOf(taskId).length >= 2, 30_000);
		const [running] = await listExecutions(setup.queue.main, { workflowId: 'iminiScalestop', status: ['running'] });
		expect(running).toBeDefined();

		const stopAt = Date.now();
		await stopExecution(setup.queue.main, running.id);
		// n8n main marks the execution canceled at once and tells the worker over Redis; the worker
		// then aborts the run, which ends the node's polling.
		const canceled = await waitFor('the execution to be canceled', async () => {
			const execution = await getExecution(setup.queue.main, running.id);
			return execution.status === 'canceled' && execution;
		}, 30_000);
		expect(canceled.data.resultData.error?.message).toBe('The execution was cancelled manually');
		const worker = setup.queue.workers.find((w) => w.name === setup.queue.workerByExecution().get(running.id))!;
		await waitFor('the worker to end the execution', () => worker.service.logs().includes(`Worker finished execution ${running.id} `), 30_000);
		const endedOnWorkerMs = Date.now() - stopAt;
		expect(endedOnWorkerMs).toBeLessThan(5_000);
		const answer: WebhookAnswer = await pending;

		// The workflow checks every second: three quiet seconds are three missed checks.
		const pollsAtEnd = traffic.pollsOf(taskId).length;
		await observe(3_000);
		const polls = traffic.pollsOf(taskId);
		expect(polls).toHaveLength(pollsAtEnd);
		expect(polls.filter((p) => p.at > stopAt + endedOnWorkerMs)).toEqual([]);
		figures.push(
			`stop: POST /rest/executions/${running.id}/stop on main → execution "canceled", run ended on ${worker.name} ${(endedOnWorkerMs / 1000).toFixed(2)} s after the stop;` +
				` ${polls.length} polls of the task, ${polls.filter((p) => p.at > stopAt).length} after the stop, none in the 3 s after;` +
				` the webhook caller got ${answer.status} "${answer.body?.message}"`,
		);
	});

	it('worker killed (SIGKILL) mid-batch: what n8n does is recorded, nothing is submitted twice, and every task id is in the worker log', async () => {
		const { mock, path } = setup.scenarios.killed;
		const before = new Set(setup.queue.workerByExecution().keys());
		const bodies = Array.from({ length: 4 }, (_, c) => ({ prompts: prompts('killed', c) }));
		const pending = bodies.map((body) => setup.call(path, body).then((answer) => ({ ...answer, at: Date.now() })));
		await waitFor('all 20 tasks to be submitted', () => mock.stats.submits >= 20, 90_000);
		const started = await waitFor('4 executions to start on the workers', () => {
			const fresh = [...setup.queue.workerByExecution()].filter(([id]) => !before.has(id));
			return fresh.length >= 4 && fresh;
		}, 30_000);
		const onWorker = countBy(started.map(([, worker]) => worker));
		const victimName = Object.entries(onWorker).sort((a, b) => b[1] - a[1])[0][0];
		const victim = setup.queue.workers.find((w) => w.name === victimName)!;
		const victimExecutions = started.filter(([, worker]) => worker === victimName).map(([id]) => id);

		const killedAt = Date.now();
		await victim.service.kill();
		const answers = await Promise.all(pending);
		const statuses = await Promise.all(started.map(async ([id]) => [id, await finishedExecution(id)] as const));

		// The survivors' calls are answered with their images; the victim's executions end as failed,
		// once its job lock has lapsed, without being run again anywhere.
		for (const [id, execution] of statuses) {
			expect({ id, status: execution.status }).toEqual({ id, status: victimExecutions.includes(id) ? 'error' : 'success' });
		}
		expect(mock.stats.submits).toBe(20);
		const failedAnswers = answers.filter((a) => a.status !== 200);
		expect(failedAnswers).toHaveLength(victimExecutions.length);
		const victimError = statuses.find(([id]) => victimExecutions.includes(id))?.[1].data.resultData.error?.message;
		figures.push(
			`worker killed: ${victimName} (${victimExecutions.length} of 4 executions, ${victimExecutions.length * PROMPTS_PER_CALL} tasks in flight) SIGKILLed;` +
				` its executions ended "error" ${((Math.max(...failedAnswers.map((a) => a.at)) - killedAt) / 1000).toFixed(1)} s later (job lock ${Number(LOCK_SETTINGS.QUEUE_WORKER_LOCK_DURATION) / 1000} s, stalled check every ${Number(LOCK_SETTINGS.QUEUE_WORKER_STALLED_INTERVAL) / 1000} s): "${victimError}";` +
				` callers got ${JSON.stringify(countBy(answers.map((a) => String(a.status))))} (${JSON.stringify(failedAnswers[0]?.body).slice(0, 100)}); not re-run: ${mock.stats.submits} submissions for 20 tasks`,
		);

		// Every task the package created is in a worker's log (the killed one's too), with its
		// execution and item: enough to pick each one up with Imini Get Task.
		const logs = setup.queue.workers.map((w) => w.service.logs()).join('\n');
		const logged = new Map(
			[...logs.matchAll(/imini task (task_\d+) created \(execution (\d+), item (\d+), image, google\/nano-banana\)/g)].map((m) => [m[1], { execution: m[2], item: Number(m[3]) }]),
		);
		const executionOfCall = new Map<string, string>();
		for (const submission of mock.submissions.filter((s) => String(s.body.prompt).startsWith('killed '))) {
			const [, call, item] = /^killed (\d+)\.(\d+):/.exec(String(submission.body.prompt))!;
			const entry = logged.get(submission.taskId);
			expect({ task: submission.taskId, item: entry?.item }).toEqual({ task: submission.taskId, item: Number(item) });
			expect(started.map(([id]) => id)).toContain(entry!.execution);
			// The five tasks of one call were made by one execution.
			expect(entry!.execution).toBe(executionOfCall.get(call) ?? entry!.execution);
			executionOfCall.set(call, entry!.execution);
		}
		expect(executionOfCall.size).toBe(4);
		figures.push(`worker killed: all 20 task ids in the worker logs with execution and item`);
	});
});
