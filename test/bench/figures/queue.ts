// 6. Queue mode: the webhook example (examples/07) in n8n's scaling mode, n8n main and two
// workers on PostgreSQL and Redis (dev/n8n/queue-mode.ts), the package installed from the packed
// tarball into every user folder. Bursts of webhook calls of 5 prompts each, tasks of T = 10 s:
//   queue        no rate limit: wall time from the first call to the last answer against T, the
//                executions per worker and each worker's RSS.
//   queue quota  the key's rate quota (Q calls per window, 429s without Retry-After) shared by
//                every execution on both workers: wall time against the quota bound
//                N·(1 + polls per task)/Q.
//   queue storm  the storm figure's shape in queue mode: N webhook calls of one prompt each at
//                once, through the storm's quota, across both workers: delivered, 429s, wall.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { request } from 'undici';
import { getExecution } from '../../../dev/n8n/executions.ts';
import { importCredentials, importWorkflows } from '../../../dev/n8n/n8n-commands.ts';
import { startQueueMode } from '../../../dev/n8n/queue-mode.ts';
import { activateWorkflow } from '../../../dev/n8n/server.ts';
import type { QueueMode } from '../../../dev/n8n/queue-mode.ts';
import { WEBHOOK_EXAMPLE_ID, provisionImini, webhookExample, webhookExampleCopy } from '../../../dev/n8n/provision.ts';
import { root } from '../compile.ts';
import type { MockMessage } from '../mock-process.ts';
import type { Settings } from '../flags.ts';
import { mb, out, progress, sec, verdict } from '../report.ts';
import { startMockProcess } from '../bench-processes.ts';
import type { MockHandle } from '../bench-processes.ts';

const PROMPTS_PER_CALL = 5;
const QUOTA_PATH = 'imini-images-quota';
const STORM_PATH = 'imini-images-storm';

/** Kilobyte fields of /proc/<pid>/status: VmRSS (now) and VmHWM (peak since start). */
function memoryKb(pid: number): { rss: number; hwm: number } {
	const status = readFileSync(`/proc/${pid}/status`, 'utf8');
	const field = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? Number.NaN);
	return { rss: field('VmRSS'), hwm: field('VmHWM') };
}

type Answer = { status: number; images: number; end: number; executionId?: string };

async function call(url: string, prompts: string[]): Promise<Answer> {
	const answer = await request(url, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify({ prompts }),
		// A connection of its own, as separate apps calling the webhook have (and no reuse of an idle
		// keep-alive socket that n8n is closing at that moment).
		reset: true,
		headersTimeout: 900_000,
		bodyTimeout: 900_000,
	});
	const body = (await answer.body.json()) as Array<{ execution_id?: string }>;
	const images = Array.isArray(body) ? body.length : 0;
	return { status: answer.statusCode, images, end: performance.now(), executionId: images ? body[0].execution_id : undefined };
}

type Burst = { wallMs: number; epoch0: number; split: Record<string, number>; taken: Extract<MockMessage, { type: 'taken' }>; last: Answer };

/** `calls` webhook calls of 5 prompts (or `promptsPerCall`) at once; every one must come back with its images. */
async function burst(queue: QueueMode, mock: MockHandle, path: string, calls: number, label: string, promptsPerCall = PROMPTS_PER_CALL): Promise<Burst> {
	const before = new Set(queue.workerByExecution().keys());
	mock.record(true);
	const t0 = performance.now();
	const epoch0 = Date.now();
	const answers = await Promise.all(
		Array.from({ length: calls }, (_, c) => call(`${queue.main.url}/webhook/${path}`, Array.from({ length: promptsPerCall }, (_, p) => `${label} ${c}.${p}: a lighthouse at dawn`))),
	);
	const wallMs = Math.max(...answers.map((a) => a.end)) - t0;
	const taken = await mock.take();
	const bad = answers.filter((a) => a.status !== 200 || a.images !== promptsPerCall);
	if (bad.length) throw new Error(`${label}: ${bad.length} of ${calls} calls were not answered with ${promptsPerCall} images: ${JSON.stringify(bad.slice(0, 3))}`);
	const split: Record<string, number> = {};
	for (const [id, worker] of queue.workerByExecution()) if (!before.has(id)) split[worker] = (split[worker] ?? 0) + 1;
	const last = answers.reduce((a, b) => (b.end > a.end ? b : a));
	return { wallMs, epoch0, split, taken, last };
}

/** When each node of an execution started and how long it ran (n8n's own run data), from the burst's start. */
async function nodeTimeline(queue: QueueMode, executionId: string, epoch0: number): Promise<string> {
	for (let attempt = 0; attempt < 100; attempt++) {
		const execution = await getExecution(queue.main, executionId);
		if (execution.status !== 'running' && execution.status !== 'new') {
			const runs = Object.entries(execution.data.resultData.runData as Record<string, Array<{ startTime: number; executionTime: number }>>);
			return runs
				.sort((a, b) => a[1][0].startTime - b[1][0].startTime)
				.map(([node, [run]]) => `${node} +${sec(run.startTime - epoch0)} for ${sec(run.executionTime)}`)
				.join(', ');
		}
		await new Promise((r) => setTimeout(r, 200));
	}
	return 'unavailable';
}

export async function queueFigure(settings: Settings): Promise<void> {
	const { queueCalls: calls, queueQuotaCalls: quotaCalls, taskSeconds, quotaRequests, quotaWindowSeconds, stormExecutions, stormRequests, stormWindowSeconds } = settings;
	const T = taskSeconds * 1000;
	const quota = { requests: quotaRequests, windowMs: quotaWindowSeconds * 1000 };
	const stormQuota = { requests: stormRequests, windowMs: stormWindowSeconds * 1000 };
	progress('queue: installing what is missing (n8n, Redis, PostgreSQL) and building the package');
	for (const script of ['dev/n8n/install.sh', 'dev/n8n/install-queue-services.sh']) execFileSync('bash', [script], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
	execFileSync('npm', ['run', 'build', '--silent'], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
	progress(
		`queue: n8n main + 2 workers; ${calls} webhook calls x ${PROMPTS_PER_CALL} prompts, T=${taskSeconds}s; then ${quotaCalls} calls through a quota of ${quota.requests} calls per ${quotaWindowSeconds} s` +
			' (about a minute to start, then 1-4 minutes)',
	);
	const free = await startMockProcess({ simulator: { imageTaskMs: T, rateLimit: null } });
	const limited = await startMockProcess({ simulator: { imageTaskMs: T, rateLimit: quota, retryAfter: false } });
	const stormy = await startMockProcess({ simulator: { imageTaskMs: 3_000, rateLimit: stormQuota, retryAfter: false } });
	let queue: QueueMode | undefined;
	try {
		queue = await startQueueMode({
			prepare: async (main, workers) => {
				await provisionImini(main, { apiKey: free.apiKey, baseUrl: free.url, name: 'Imini API (offline mock)' }, { examples: false, workerHomes: workers });
				await importCredentials(main, [
					{ id: 'imini-quota', name: 'Imini API (quota)', type: 'iminiApi', data: { apiKey: limited.apiKey, baseUrl: limited.url } },
					{ id: 'imini-storm', name: 'Imini API (storm)', type: 'iminiApi', data: { apiKey: stormy.apiKey, baseUrl: stormy.url } },
				]);
				// On a tight quota a user gives rows time to wait for it.
				const quotaCopy = webhookExampleCopy({ id: 'iminiBenchQuota', name: 'bench · quota', path: QUOTA_PATH, credential: { id: 'imini-quota', name: 'Imini API (quota)' }, parameters: { timeout: 900 } });
				// The node's defaults, as a form or an app calling per prompt would use it.
				const stormCopy = webhookExampleCopy({ id: 'iminiBenchStorm', name: 'bench · storm', path: STORM_PATH, credential: { id: 'imini-storm', name: 'Imini API (storm)' } });
				await importWorkflows(main, [webhookExample(), quotaCopy, stormCopy]);
			},
		});
		await activateWorkflow(queue.main, WEBHOOK_EXAMPLE_ID);
		await activateWorkflow(queue.main, 'iminiBenchQuota');
		await activateWorkflow(queue.main, 'iminiBenchStorm');
		// Both workers load and run every code path once before anything is timed.
		await Promise.all([0, 1, 2, 3].map((i) => call(`${queue!.main.url}/webhook/imini-images`, [`warm-up ${i} [mock time=100]`])));
		const idle = queue.workers.map((w) => memoryKb(w.service.pid));

		const open = await burst(queue, free, 'imini-images', calls, 'queue bench');
		const memory = queue.workers.map((w, i) => `${w.name} ${mb(idle[i].rss * 1024)} idle -> peak ${mb(memoryKb(w.service.pid).hwm * 1024)}`);
		const tasks = calls * PROMPTS_PER_CALL;
		const { log, violations } = open.taken;
		const submits = log.filter((e) => e.method === 'POST').map((e) => e.t - open.epoch0);
		const files = log.filter((e) => e.url.startsWith('/files/')).map((e) => (e.end ?? e.t) - open.epoch0);
		const polls = log.filter((e) => e.method === 'GET' && e.url.includes('/tasks/')).length;
		const limit = 1.3 * T + 5000;
		const timeline = open.last.executionId ? await nodeTimeline(queue, open.last.executionId, open.epoch0) : 'unavailable';
		out(
			`queue: wall=${sec(open.wallMs)} T=${taskSeconds}s ratio_to_T=${(open.wallMs / T).toFixed(2)} (${calls} webhook calls x ${PROMPTS_PER_CALL} prompts = ${tasks} tasks at once, n8n main + 2 workers, PostgreSQL, Redis, binary data in the database;` +
				` first call to last answer, each answer carrying its ${PROMPTS_PER_CALL} images; submits between +${sec(Math.min(...submits))} and +${sec(Math.max(...submits))}, last file downloaded at +${sec(Math.max(...files))};` +
				` the last answer's execution ${open.last.executionId}: ${timeline})` +
				` executions per worker ${JSON.stringify(open.split)}; RSS ${memory.join(', ')}; ${(polls / tasks).toFixed(1)} polls/task; Prism contract violations ${violations}` +
				` target: wall<=1.3T+5s=${sec(limit)} ${verdict(open.wallMs <= limit)}`,
		);

		const capped = await burst(queue, limited, QUOTA_PATH, quotaCalls, 'queue quota bench');
		const rows = quotaCalls * PROMPTS_PER_CALL;
		const { stats } = capped.taken;
		const pollsPerTask = stats.polls / rows;
		const bound = ((rows * (1 + pollsPerTask)) / quota.requests) * quota.windowMs;
		const ratio = capped.wallMs / bound;
		out(
			`queue quota: wall=${sec(capped.wallMs)} bound=${sec(bound)} ratio_to_bound=${ratio.toFixed(2)} (${quotaCalls} webhook calls x ${PROMPTS_PER_CALL} prompts = ${rows} rows, all delivered, across 2 workers ${JSON.stringify(capped.split)};` +
				` one key's quota of ${quota.requests} calls per ${quotaWindowSeconds} s, sliding window, no Retry-After; T=${taskSeconds}s; tasks_created=${stats.submits} polls_per_task=${pollsPerTask.toFixed(2)} 429s_served=${stats.rateLimited};` +
				` Prism contract violations ${capped.taken.violations}) target: wall<=1.15·bound=${sec(1.15 * bound)} ${verdict(ratio <= 1.15)}`,
		);

		const storm = await burst(queue, stormy, STORM_PATH, stormExecutions, 'queue storm bench', 1);
		out(
			`queue storm: ${stormExecutions}x1 delivered=${stormExecutions}/${stormExecutions} tasks_created=${storm.taken.stats.submits} 429s=${storm.taken.stats.rateLimited} wall=${sec(storm.wallMs)}` +
				` (${stormExecutions} webhook calls of one prompt at once across 2 workers ${JSON.stringify(storm.split)}; quota ${stormRequests} calls per ${stormWindowSeconds} s, sliding window, no Retry-After; tasks of 3 s;` +
				` Prism contract violations ${storm.taken.violations}; compare the storm line's 1x${stormExecutions} sheet) target: all rows ${verdict(storm.taken.stats.submits === stormExecutions)}`,
		);
	} finally {
		await queue?.stop();
		await free.close();
		await limited.close();
		await stormy.close();
	}
}
