// The "Imini API" credential's Test button, as n8n runs it (POST /rest/credentials/test in a
// real n8n with the package installed from its tarball): against the offline mock, and against
// Base URLs where no imini API answers (another web server, a closed port, TLS to a plain HTTP
// port), which must not pass as "key accepted".
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { MockServer } from '../../mock-server/index.ts';
import { freePort } from '../../dev/n8n/processes.ts';
import type { RunningN8n } from '../../dev/n8n/server.ts';
import { formatViolations } from '../harness/mock';
import { useRealN8n } from '../harness/real-n8n.ts';

const ACCEPTED = { status: 'OK', message: 'Connection successful!' };
const REJECTED = { status: 'Error', message: "imini does not accept this API key (401). Copy it again from imini's API Keys page (sign in at imini.ai), or create a new one." };
const USE = 'Set Base URL back to https://openapi.imini.ai/imini/router.';
const NOT_IMINI = { status: 'Error', message: `The Base URL does not lead to imini: the server there answered, but not as imini does. ${USE}` };
const NO_ROUTE = { status: 'Error', message: `The Base URL does not lead to imini's API: nothing there answers for imini tasks. ${USE}` };

let mock: MockServer;
let n8n: RunningN8n;
/** A web server that is not imini: /missing answers a 404 page, /site a 200 page, /api a JSON 404. */
let other: Server;
let otherUrl: string;
const otherRequests: string[] = [];

const real = useRealN8n();

beforeAll(async () => {
	({ mock, n8n } = real);
	other = createServer((req, res) => {
		otherRequests.push(`${req.method} ${req.url}`);
		if (req.url?.startsWith('/site/')) {
			res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>Welcome</title><h1>Our website</h1>');
		} else if (req.url?.startsWith('/api/')) {
			res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ message: 'Not Found', statusCode: 404 }));
		} else {
			res.writeHead(404, { 'content-type': 'text/html' }).end('<html><body><h1>404 Not Found</h1><hr>nginx</body></html>');
		}
	});
	await new Promise<void>((resolve) => other.listen(0, '127.0.0.1', resolve));
	otherUrl = `http://127.0.0.1:${(other.address() as AddressInfo).port}`;
});

afterAll(async () => {
	await new Promise((resolve) => other?.close(resolve));
});

async function testCredential(data: Record<string, string>): Promise<{ status: string; message: string }> {
	const response = await n8n.rest('POST', '/rest/credentials/test', {
		credentials: { id: 'imini-mock', name: 'Imini API (offline mock)', type: 'iminiApi', data },
	});
	expect(response.status).toBe(200);
	return response.body.data;
}

describe('the Imini API credential test', () => {
	it('accepts a good key without creating a task', async () => {
		const submits = mock.stats.submits;
		expect(await testCredential({ apiKey: mock.apiKey, baseUrl: mock.url })).toEqual(ACCEPTED);
		expect(mock.stats.submits).toBe(submits);
	});

	it.each(['/', '/v1', '/v1/', '//'])('accepts the Base URL with %j at the end (the requests go to the same place)', async (tail) => {
		expect(await testCredential({ apiKey: mock.apiKey, baseUrl: `${mock.url}${tail}` })).toEqual(ACCEPTED);
	});

	it('tells a rejected key apart', async () => {
		expect(await testCredential({ apiKey: 'not-the-key', baseUrl: `${mock.url}/` })).toEqual(REJECTED);
	});

	it('the check stays inside the contract, and never shows the key', () => {
		expect(formatViolations(mock.violations)).toBe('');
		expect(n8n.logs()).not.toContain(mock.apiKey);
		expect(n8n.logs()).not.toContain('not-the-key');
	});

	it('a wrong path on the mock: no imini API at this Base URL', async () => {
		expect(await testCredential({ apiKey: mock.apiKey, baseUrl: `${mock.url}/wrong-prefix` })).toEqual(NO_ROUTE);
		// That path is outside the contract on purpose, and the only thing Prism objects to.
		expect(mock.violations.filter((v) => !v.path.startsWith('/wrong-prefix/'))).toEqual([]);
		mock.violations.length = 0;
	});

	it.each([
		['a 404 page', '/missing'],
		['a website (200 and HTML)', '/site'],
		["another API's JSON 404", '/api'],
	])('%s: no imini API at this Base URL', async (_what, path) => {
		otherRequests.length = 0;
		expect(await testCredential({ apiKey: mock.apiKey, baseUrl: `${otherUrl}${path}` })).toEqual(NOT_IMINI);
		expect(otherRequests).toEqual([`GET ${path}/v1/images/tasks/task_credential_check`]);
	});

	it("nothing listening: n8n's network error, neither accepted nor rejected", async () => {
		const closed = await freePort();
		// n8n 2.x gives the code, n8n 1.x "The service refused the connection - perhaps it is offline".
		expect(await testCredential({ apiKey: mock.apiKey, baseUrl: `http://127.0.0.1:${closed}` })).toEqual({ status: 'Error', message: expect.stringMatching(/ECONNREFUSED|refused the connection/) });
	});

	it("https to a plain HTTP server: n8n's TLS error, neither accepted nor rejected", async () => {
		const result = await testCredential({ apiKey: mock.apiKey, baseUrl: otherUrl.replace('http:', 'https:') });
		expect(result.status).toBe('Error');
		expect(result.message).toMatch(/SSL|TLS|EPROTO/);
	});
});
