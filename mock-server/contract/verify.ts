// `imini-mock verify --base-url <url> --key <key>`: checks a running imini (the real one, or
// this mock) against openapi/imini.yaml at no cost. Only calls that cannot spend credits are
// made: polls of a task id that cannot exist, a bad key, and submissions the contract refuses
// (a 400 is never charged). Each goes through Prism's validating proxy, and every difference
// from the contract is reported: an unexpected status, or a response Prism finds off-spec.
import { startPrismProxy } from './prism.ts';

export type Probe = { name: string; method: 'GET' | 'POST'; path: string; key: 'good' | 'bad' | 'none'; body?: unknown; expect: number };

/** A task id of imini's shape that no task will ever have. */
const NO_SUCH_TASK = 'task_0000000000000000000';

export const probes: Probe[] = [
	{ name: 'poll an image task that cannot exist', method: 'GET', path: `/v1/images/tasks/${NO_SUCH_TASK}`, key: 'good', expect: 404 },
	{ name: 'poll a video task that cannot exist', method: 'GET', path: `/v1/videos/tasks/${NO_SUCH_TASK}`, key: 'good', expect: 404 },
	{ name: 'poll with an invalid key', method: 'GET', path: `/v1/images/tasks/${NO_SUCH_TASK}`, key: 'bad', expect: 401 },
	{ name: 'submit without a key', method: 'POST', path: '/v1/images/generate', key: 'none', body: { model: 'google/nano-banana', prompt: 'verify' }, expect: 401 },
	{ name: 'submit an image without its prompt', method: 'POST', path: '/v1/images/generate', key: 'good', body: { model: 'google/nano-banana' }, expect: 400 },
	{
		name: 'submit a video longer than the model allows',
		method: 'POST',
		path: '/v1/videos/generate',
		key: 'good',
		body: { model: 'kling/kling-v3', prompt: 'verify', duration: 99 },
		expect: 400,
	},
];

export type ProbeResult = {
	probe: string;
	method: string;
	path: string;
	expected: number;
	status: number | null;
	/** Every way the answer differs from the contract (empty: conforms). */
	differences: string[];
};

export type VerifyReport = { baseUrl: string; conforms: boolean; results: ProbeResult[] };

type PrismViolation = { location?: string[]; severity?: string; message?: string };

export async function verify(options: { baseUrl: string; key: string; timeoutMs?: number }): Promise<VerifyReport> {
	const proxy = await startPrismProxy({ upstream: options.baseUrl, onViolation: () => undefined });
	const results: ProbeResult[] = [];
	try {
		for (const probe of probes) {
			const differences: string[] = [];
			let status: number | null = null;
			try {
				const key = probe.key === 'good' ? options.key : probe.key === 'bad' ? 'imini-mock-verify-invalid-key' : null;
				const answer = await fetch(`${proxy.url}${probe.path}`, {
					method: probe.method,
					headers: {
						...(key ? { authorization: `Bearer ${key}` } : {}),
						...(probe.body === undefined ? {} : { 'content-type': 'application/json' }),
					},
					body: probe.body === undefined ? undefined : JSON.stringify(probe.body),
					signal: AbortSignal.timeout(options.timeoutMs ?? 30_000),
				});
				await answer.arrayBuffer();
				status = answer.status;
				if (answer.headers.get('content-type')?.startsWith('application/problem+json')) {
					differences.push(`Prism answered ${status} itself: the upstream could not be reached or sent no valid HTTP/JSON answer`);
				} else if (status !== probe.expect) {
					differences.push(`status ${status}, expected ${probe.expect}`);
				}
				const header = answer.headers.get('sl-violations');
				let violations: PrismViolation[] = [];
				try {
					violations = header ? (JSON.parse(header) as PrismViolation[]) : [];
				} catch {
					violations = [{ location: ['response'], message: header ?? '' }];
				}
				// The probes break the request side on purpose; only the answers are on trial.
				for (const v of violations.filter((v) => v.location?.[0] === 'response')) {
					differences.push(`${(v.location ?? []).join('.')}: ${v.message ?? ''}`);
				}
			} catch (error) {
				differences.push(`no answer: ${(error as Error).message}`);
			}
			results.push({ probe: probe.name, method: probe.method, path: probe.path, expected: probe.expect, status, differences });
		}
	} finally {
		await proxy.close();
	}
	return { baseUrl: options.baseUrl, conforms: results.every((r) => r.differences.length === 0), results };
}

export function formatReport(report: VerifyReport): string {
	const lines = [`Checking ${report.baseUrl} against openapi/imini.yaml (no credits spent):`];
	for (const r of report.results) {
		lines.push(`  ${r.differences.length ? 'DIFFERS' : 'ok     '}  ${r.method} ${r.path} (${r.probe}) -> ${r.status ?? 'no answer'}`);
		for (const d of r.differences) lines.push(`             ${d}`);
	}
	const count = report.results.filter((r) => r.differences.length).length;
	lines.push(report.conforms ? 'Every answer matches the contract.' : `${count} of ${report.results.length} answers differ from the contract.`);
	return lines.join('\n');
}
