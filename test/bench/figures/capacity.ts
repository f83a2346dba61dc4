// 4. Mock capacity: req/s and latency of submit+poll traffic, through Prism and straight to the
// simulator.
import { Pool } from 'undici';
import type { Settings } from '../flags.ts';
import { msf, out, progress, verdict } from '../report.ts';
import { startMockProcess } from '../bench-processes.ts';
import { percentile } from '../percentiles.ts';

type LoadResult = { requests: number; submits: number; errors: number; elapsedMs: number; latencies: number[] };

/** `connections` workers, each: submit a task, then poll it `pollsPerSubmit` times; stop at `total` requests. */
async function load(base: string, apiKey: string, total: number, connections: number, pollsPerSubmit: number): Promise<LoadResult> {
	const pool = new Pool(base, { connections, pipelining: 1 });
	const latencies: number[] = [];
	let issued = 0;
	let submits = 0;
	let errors = 0;
	const headers = { authorization: `Bearer ${apiKey}` };
	const body = JSON.stringify({ model: 'google/nano-banana', prompt: 'capacity probe' });
	const timed = async <T>(fn: () => Promise<{ status: number; value: T }>): Promise<T | undefined> => {
		const start = performance.now();
		try {
			const { status, value } = await fn();
			latencies.push(performance.now() - start);
			if (status < 200 || status >= 300) errors++;
			return status < 300 ? value : undefined;
		} catch {
			latencies.push(performance.now() - start);
			errors++;
			return undefined;
		}
	};
	const worker = async () => {
		while (issued < total) {
			issued++;
			submits++;
			const taskId = await timed(async () => {
				const res = await pool.request({ path: '/v1/images/generate', method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body });
				const json = (await res.body.json()) as { task_id?: string };
				return { status: res.statusCode, value: json.task_id };
			});
			for (let i = 0; i < pollsPerSubmit && issued < total && taskId; i++) {
				issued++;
				await timed(async () => {
					const res = await pool.request({ path: `/v1/images/tasks/${taskId}`, method: 'GET', headers });
					await res.body.text();
					return { status: res.statusCode, value: true };
				});
			}
		}
	};
	const start = performance.now();
	await Promise.all(Array.from({ length: connections }, worker));
	const elapsedMs = performance.now() - start;
	await pool.close();
	return { requests: issued, submits, errors, elapsedMs, latencies: latencies.sort((a, b) => a - b) };
}

export async function capacityFigure(settings: Settings): Promise<void> {
	const { requests, connections } = settings;
	const pollsPerSubmit = 4;
	progress(`capacity: ${requests} requests through Prism and ${requests} straight to the simulator, ${connections} connections`);
	// Tasks last 6 s: polls see queued, processing and succeeded answers.
	const mock = await startMockProcess({ simulator: { imageTaskMs: 6000, rateLimit: null } });
	try {
		const measure = async (base: string) => {
			await load(base, mock.apiKey, Math.min(300, requests), connections, pollsPerSubmit); // warm-up, not counted
			mock.record(false); // resets the mock's CPU counter
			const result = await load(base, mock.apiKey, requests, connections, pollsPerSubmit);
			const taken = await mock.take();
			return { ...result, cpu: taken.cpuMs / taken.wallMs, cpuPerRequest: taken.cpuMs / result.requests, violations: taken.violations };
		};
		const prism = await measure(mock.url);
		const direct = await measure(mock.filesUrl);
		const line = (name: string, r: Awaited<ReturnType<typeof measure>>) => {
			const rps = (r.requests / r.elapsedMs) * 1000;
			const p50 = percentile(r.latencies, 0.5);
			const p99 = percentile(r.latencies, 0.99);
			return {
				rps,
				p50,
				p99,
				text:
					`capacity ${name}: ${rps.toFixed(0)} req/s p50=${msf(p50)} p99=${msf(p99)} (${r.requests} requests = ${r.submits} submits + ${r.requests - r.submits} polls, ${connections} connections,` +
					` ${r.errors} errors, mock process CPU ${(r.cpu * 100).toFixed(0)}% of one core = ${msf(r.cpuPerRequest)} per request)`,
			};
		};
		const viaPrism = line('through Prism', prism);
		const straight = line('straight to the simulator', direct);
		out(`${viaPrism.text}, contract violations ${prism.violations} target: >=300 req/s ${verdict(viaPrism.rps >= 300)}, p99<100ms ${verdict(viaPrism.p99 < 100)}`);
		out(
			`${straight.text}; simulator alone = ${(straight.rps / viaPrism.rps).toFixed(1)}x the req/s through Prism, Prism adds ${msf(prism.cpuPerRequest - direct.cpuPerRequest)} of CPU per request target: n/a`,
		);
	} finally {
		await mock.close();
	}
}
