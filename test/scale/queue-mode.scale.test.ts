// The package in n8n's queue mode, where production users run it: n8n main takes the webhook
// calls, Redis hands the executions to two workers, PostgreSQL stores everything, and binary
// data lives in the database. Every process has the package installed from the packed tarball.
// The webhook example (Webhook → Imini Generate → Respond to Webhook) runs against the offline
// mock; the figures each test measures are printed at the end.
import { downloadBinaryData, getExecution, listExecutions, stopExecution } from '../../dev/n8n/executions.ts';
import type { Execution } from '../../dev/n8n/executions.ts';
import { LOCK_SETTINGS, startScaleSetup } from '../harness/queue-mode/cluster';
import type { ScaleSetup, WebhookAnswer } from '../harness/queue-mode/cluster';
import { CALLS, PROMPTS_PER_CALL, countBy, prompts, runBurst } from '../harness/queue-mode/burst';
import { observe, waitFor } from '../harness/wait-for';

// 80 calls per 20 s sliding window (240 a minute): a window long enough that three quick
// retries about 5-7.5 s apart would run out inside it.
const QUOTA = { requests: 80, windowMs: 20_000 };
// The storm: one prompt per call (a form or an app calling per prompt), through a quota far below
// what 30 of them ask for at once.
const STORM = { calls: 30, promptsPerCall: 1 };
const STORM_QUOTA = { requests: 20, windowMs: 20_000 };
const figures: string[] = [];
let setup: ScaleSetup;

beforeAll(async () => {
	const started = Date.now();
	setup = await startScaleSetup([
		// The example as shipped. Short tasks keep the burst about the machine, not the clock.
		{ name: 'burst', simulator: { imageTaskMs: 500 } },
		// One key's quota, shared by every execution on both workers: the burst needs about 200
		// calls, two and a half windows' worth (the node's defaults: automatic timeout).
		{ name: 'quota', simulator: { imageTaskMs: 500, rateLimit: QUOTA } },
		{ name: 'quotaRetryAfter', simulator: { imageTaskMs: 500, rateLimit: QUOTA, retryAfter: true } },
		{ name: 'storm', simulator: { imageTaskMs: 500, rateLimit: STORM_QUOTA } },
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

describe('n8n queue mode: main, two workers, PostgreSQL, Redis, binary data in the database', () => {
	it('burst: 20 webhook calls of 5 prompts at once, each answered with its own images, on both workers, every task created once', async () => {
		const { mock } = setup.scenarios.burst;
		const { wallMs, answers, executionIds, byTask, split } = await runBurst(setup, 'burst');
		// Both workers ran executions.
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

	for (const [scenario, retryAfter] of [
		['quota', false],
		['quotaRetryAfter', true],
	] as const) {
		it(`shared rate limit (${QUOTA.requests} calls per ${QUOTA.windowMs / 1000} s for the key, 429s ${retryAfter ? 'with' : 'without'} Retry-After): the same burst, every row delivered`, async () => {
			const { mock, traffic } = setup.scenarios[scenario];
			const { wallMs, split } = await runBurst(setup, scenario);
			const refused = traffic.withStatus(429);
			// The quota was really hit, by calls of many executions at once...
			expect(refused.length).toBeGreaterThan(0);
			expect(refused.every((e) => (e.retryAfter !== undefined) === retryAfter)).toBe(true);
			// ...and yet no row failed (runBurst checked every answer) and nothing was submitted twice.
			const accepted = traffic.exchanges.filter((e) => e.status !== 429).length;
			const boundMs = (accepted / QUOTA.requests) * QUOTA.windowMs;
			// Executions coming back at the same instant would show as a spike of calls after the 429s.
			const afterFirst429 = traffic.exchanges.filter((e) => e.at > refused[0].at + 1_000).map((e) => e.at).sort((a, b) => a - b);
			let peak = 0;
			for (let i = 0, j = 0; i < afterFirst429.length; i++) {
				while (afterFirst429[i] - afterFirst429[j] > 250) j++;
				peak = Math.max(peak, i - j + 1);
			}
			figures.push(
				`quota${retryAfter ? ' (429s with Retry-After)' : ' (429s without Retry-After)'}: ${CALLS * PROMPTS_PER_CALL} rows delivered in ${(wallMs / 1000).toFixed(1)} s;` +
					` the mock served ${refused.length} 429s (${refused.filter((e) => e.method === 'POST').length} to submits, ${refused.filter((e) => e.method === 'GET').length} to polls) and accepted ${accepted} calls` +
					` = ${(boundMs / 1000).toFixed(1)} s at the quota (wall/bound ${(wallMs / boundMs).toFixed(2)}); busiest 250 ms after the first 429s: ${peak} calls; ${mock.stats.submits} submissions; executions per worker ${JSON.stringify(split)}`,
			);
		});
	}

	it(`storm: ${STORM.calls} webhook calls of one prompt each at once, across both workers, through ${STORM_QUOTA.requests} calls per ${STORM_QUOTA.windowMs / 1000} s: every call answered, no 429 storm`, async () => {
		const { mock, traffic } = setup.scenarios.storm;
		const { wallMs, split } = await runBurst(setup, 'storm', STORM);
		const refused = traffic.withStatus(429);
		const accepted = traffic.exchanges.filter((e) => e.status !== 429).length;
		const boundMs = (accepted / STORM_QUOTA.requests) * STORM_QUOTA.windowMs;
		// Each worker's executions share one pace (one account per process); the two workers find
		// their shares of the key's quota: a few 429s each, not several per execution.
		expect(refused.length).toBeGreaterThan(0);
		expect(refused.length).toBeLessThan(STORM.calls);
		expect(Object.keys(split).sort()).toEqual(['worker-1', 'worker-2']);
		figures.push(
			`storm: ${STORM.calls} calls × 1 prompt answered in ${(wallMs / 1000).toFixed(1)} s; the mock served ${refused.length} 429s and accepted ${accepted} calls` +
				` = ${(boundMs / 1000).toFixed(1)} s at the quota (wall/bound ${(wallMs / boundMs).toFixed(2)}); ${mock.stats.submits} submissions; executions per worker ${JSON.stringify(split)}`,
		);
	});

	it('stop from n8n main while a worker polls: the execution ends canceled within seconds and the mock sees no poll after', async () => {
		const { mock, traffic, path } = setup.scenarios.stop;
		const prompt = 'stop test: a harbour at night, slow oil painting';
		const pending = setup.call(path, { prompts: [prompt] });
		const taskId = await waitFor('the task to be submitted', () => mock.submissions.find((s) => s.body.prompt === prompt)?.taskId, 60_000);
		await waitFor('the worker to poll the task twice', () => traffic.pollsOf(taskId).length >= 2, 30_000);
		const [running] = await listExecutions(setup.queue.main, { workflowId: setup.scenarios.stop.workflowId, status: ['running'] });
		expect(running).toBeDefined();

		const stopAt = Date.now();
		await stopExecution(setup.queue.main, running.id);
		// n8n main marks the execution canceled at once and tells the worker over Redis; the worker
		// then aborts the run, which ends the node's polling.
		const canceled = await waitFor('the execution to be canceled', async () => {
			const execution = await getExecution(setup.queue.main, running.id);
			return execution.status === 'canceled' && execution;
		}, 30_000);
		// Two writers: n8n main stores its own message when it marks the run canceled; the worker's
		// save, when it lands after, carries the node's, which names the task still running.
		const message = canceled.data.resultData.error?.message ?? '';
		expect(message === 'The execution was cancelled manually' || (message.startsWith('Execution canceled') && message.includes(taskId))).toBe(true);
		const worker = setup.queue.workers.find((w) => w.name === setup.queue.workerByExecution().get(running.id))!;
		// A canceled run ends its job with an error: "Worker errored while running execution 21 (job 21)".
		const ended = new RegExp(`Worker (finished|errored while running) execution ${running.id} \\(`);
		await waitFor('the worker to end the execution', () => ended.test(worker.service.logs()), 30_000);
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
			[...logs.matchAll(/imini task (task_\d+) created \(item (\d+), image, google\/nano-banana\) in execution (\d+), node "Imini Generate"/g)].map((m) => [
				m[1],
				{ item: Number(m[2]), execution: m[3] },
			]),
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
