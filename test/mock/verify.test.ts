// `imini-mock verify`: the calls that cost nothing, through Prism's validating proxy, against a
// running imini. Offline, the imini on trial is the simulator itself (which must conform) and a
// simulator made to break the contract (whose every difference must be reported).
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { formatReport, probes, verify } from '../../mock-server/contract/verify.ts';
import { useMock } from '../harness/mock';

const mock = useMock();

/** The simulator, with its 404 answers bent out of the contract: a plain-text body, and no error code on 401s. */
function breakingProxy(upstream: string): Promise<Server> {
	const server = createServer(async (req, res) => {
		const chunks: Buffer[] = [];
		for await (const chunk of req) chunks.push(chunk as Buffer);
		const answer = await fetch(`${upstream}${req.url}`, {
			method: req.method,
			headers: Object.fromEntries(Object.entries(req.headers).filter(([name]) => ['authorization', 'content-type'].includes(name))) as Record<string, string>,
			body: chunks.length ? Buffer.concat(chunks) : undefined,
		});
		const body = (await answer.json()) as { error: Record<string, unknown> };
		if (answer.status === 404) {
			res.writeHead(200, { 'content-type': 'application/json' });
			res.end(JSON.stringify({ status: 'unknown' }));
			return;
		}
		if (answer.status === 401) delete body.error.code;
		res.writeHead(answer.status, { 'content-type': 'application/json' });
		res.end(JSON.stringify(body));
	});
	return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

describe('imini-mock verify', () => {
	it('finds the simulator (under production\'s path prefix) true to the contract', async () => {
		const report = await verify({ baseUrl: `${mock.current.controlUrl}/imini/router`, key: mock.current.apiKey });
		expect(report.results.map((r) => [r.path, r.status, r.differences])).toEqual(probes.map((p) => [p.path, p.expect, []]));
		expect(report.conforms).toBe(true);
		expect(formatReport(report)).toContain('Every answer matches the contract.');
		// No task was created: nothing was charged.
		expect(mock.current.stats.submits).toBe(0);
	});

	it('reports every difference of a simulator made to break the contract', async () => {
		const server = await breakingProxy(mock.current.controlUrl);
		try {
			const report = await verify({ baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, key: mock.current.apiKey });
			expect(report.conforms).toBe(false);
			const byProbe = Object.fromEntries(report.results.map((r) => [r.probe, r.differences]));
			expect(byProbe['poll an image task that cannot exist']).toEqual(expect.arrayContaining(['status 200, expected 404']));
			expect(byProbe['poll an image task that cannot exist'].some((d) => d.startsWith('response.body'))).toBe(true);
			expect(byProbe['poll with an invalid key'].some((d) => /response\.body\.error.*code/.test(d))).toBe(true);
			expect(byProbe['submit an image without its prompt']).toEqual([]);
			expect(formatReport(report)).toMatch(/4 of 6 answers differ from the contract\.$/);
		} finally {
			await new Promise((resolve) => server.close(resolve));
		}
	});

	it('reports an imini it cannot reach', async () => {
		const report = await verify({ baseUrl: 'http://127.0.0.1:9', key: 'k', timeoutMs: 5_000 });
		expect(report.conforms).toBe(false);
		expect(report.results[0].differences[0]).toMatch(/Prism answered|no answer/);
	});
});
