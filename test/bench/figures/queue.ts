// 5. Queue mode: the webhook example (examples/06) in n8n's scaling mode, n8n main and two
// workers on PostgreSQL and Redis (dev/n8n/queue-mode.ts), the package installed from the packed
// tarball into every user folder. 20 webhook calls of 5 prompts each at once, tasks of T = 10 s:
// wall time from the first call to the last answer, the executions per worker, and each
// worker's peak RSS.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { request } from 'undici';
import { activateWorkflow, importWorkflows, startQueueMode } from '../../../dev/n8n/n8n-cli.ts';
import type { QueueMode, WorkflowToImport } from '../../../dev/n8n/n8n-cli.ts';
import { exampleWorkflows, provisionImini } from '../../../dev/n8n/provision.ts';
import { root } from '../build.ts';
import type { Settings } from '../options.ts';
import { mb, out, progress, sec, verdict } from '../output.ts';
import { startMockProcess } from '../processes.ts';

const WEBHOOK_EXAMPLE = 'iminiEx6Webhook';
const PROMPTS_PER_CALL = 5;

/** Kilobyte fields of /proc/<pid>/status: VmRSS (now) and VmHWM (peak since start). */
function memoryKb(pid: number): { rss: number; hwm: number } {
	const status = readFileSync(`/proc/${pid}/status`, 'utf8');
	const field = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? Number.NaN);
	return { rss: field('VmRSS'), hwm: field('VmHWM') };
}

async function call(url: string, prompts: string[]): Promise<{ status: number; images: number; end: number }> {
	const answer = await request(url, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify({ prompts }),
		headersTimeout: 600_000,
		bodyTimeout: 600_000,
	});
	const body = (await answer.body.json()) as unknown[];
	return { status: answer.statusCode, images: Array.isArray(body) ? body.length : 0, end: performance.now() };
}

export async function queueFigure(settings: Settings): Promise<void> {
	const { queueCalls: calls, taskSeconds } = settings;
	const T = taskSeconds * 1000;
	progress('queue: installing what is missing (n8n, Redis, PostgreSQL) and packing the package');
	for (const script of ['dev/n8n/install.sh', 'dev/n8n/install-queue-services.sh']) execFileSync('bash', [script], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
	execFileSync('npm', ['run', 'build', '--silent'], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
	progress(`queue: n8n main + 2 workers, ${calls} webhook calls x ${PROMPTS_PER_CALL} prompts, T=${taskSeconds}s (about a minute to start, then about ${Math.round(T / 1000 + 10)} s)`);
	const mock = await startMockProcess({ simulator: { imageTaskMs: T, rateLimit: null } });
	let queue: QueueMode | undefined;
	try {
		const example = exampleWorkflows().find((w) => w.id === WEBHOOK_EXAMPLE)!.json as unknown as WorkflowToImport;
		queue = await startQueueMode({
			prepare: async (main, workers) => {
				await provisionImini(main, { apiKey: mock.apiKey, baseUrl: mock.url, name: 'Imini API (offline mock)' }, { examples: false, workerHomes: workers });
				await importWorkflows(main, [example]);
			},
		});
		await activateWorkflow(queue.main, WEBHOOK_EXAMPLE);
		const url = `${queue.main.url}/webhook/imini-images`;
		// Both workers load and run every code path once before anything is timed.
		await Promise.all([0, 1, 2, 3].map((i) => call(url, [`warm-up ${i} [mock time=100]`])));
		const before = new Set(queue.workerByExecution().keys());
		const idle = queue.workers.map((w) => memoryKb(w.service.pid));

		mock.record(true);
		const t0 = performance.now();
		const epoch0 = Date.now();
		const answers = await Promise.all(
			Array.from({ length: calls }, (_, c) => call(url, Array.from({ length: PROMPTS_PER_CALL }, (_, p) => `queue bench ${c}.${p}: a lighthouse at dawn`))),
		);
		const wallMs = Math.max(...answers.map((a) => a.end)) - t0;
		const { log, violations } = await mock.take();
		const bad = answers.filter((a) => a.status !== 200 || a.images !== PROMPTS_PER_CALL);
		if (bad.length) throw new Error(`${bad.length} of ${calls} calls were not answered with ${PROMPTS_PER_CALL} images: ${JSON.stringify(bad.slice(0, 3))}`);

		const split: Record<string, number> = {};
		for (const [id, worker] of queue.workerByExecution()) if (!before.has(id)) split[worker] = (split[worker] ?? 0) + 1;
		const memory = queue.workers.map((w, i) => `${w.name} ${mb(idle[i].rss * 1024)} idle -> peak ${mb(memoryKb(w.service.pid).hwm * 1024)}`);
		const tasks = calls * PROMPTS_PER_CALL;
		const polls = log.filter((e) => e.method === 'GET' && e.url.includes('/tasks/')).length;
		const limit = 1.3 * T + 5000;
		// Where the time goes, from the simulator's own request log (epoch ms).
		const submits = log.filter((e) => e.method === 'POST').map((e) => e.t - epoch0);
		const files = log.filter((e) => e.url.startsWith('/files/')).map((e) => (e.end ?? e.t) - epoch0);
		const breakdown =
			`submits between +${sec(Math.min(...submits))} and +${sec(Math.max(...submits))}, last file downloaded at +${sec(Math.max(...files))},` +
			` last answer at +${sec(wallMs)} (answers first at +${sec(Math.min(...answers.map((a) => a.end)) - t0)})`;
		out(
			`queue: wall=${sec(wallMs)} T=${taskSeconds}s ratio_to_T=${(wallMs / T).toFixed(2)} (${calls} webhook calls x ${PROMPTS_PER_CALL} prompts = ${tasks} tasks at once, n8n main + 2 workers, PostgreSQL, Redis, binary data in the database;` +
				` first call to last answer, each answer carrying its ${PROMPTS_PER_CALL} images)` +
				` ${breakdown}; executions per worker ${JSON.stringify(split)}; RSS ${memory.join(', ')}; ${(polls / tasks).toFixed(1)} polls/task; Prism contract violations ${violations}` +
				` target: wall<=1.3T+5s=${sec(limit)} ${verdict(wallMs <= limit)}`,
		);
	} finally {
		await queue?.stop();
		await mock.close();
	}
}
