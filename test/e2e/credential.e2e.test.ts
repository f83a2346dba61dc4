// The "Imini API" credential's Test button, as n8n runs it (POST /rest/credentials/test in a
// real n8n with the package installed from its tarball), against the offline mock.
import { startMock } from '../../mock-server/index.ts';
import type { MockServer } from '../../mock-server/index.ts';
import { createN8nHome, startN8n } from '../../dev/n8n/n8n-cli.ts';
import type { N8nHome, RunningN8n } from '../../dev/n8n/n8n-cli.ts';
import { provisionImini } from '../../dev/n8n/provision.ts';
import { formatViolations } from '../harness/mock';

let mock: MockServer;
let home: N8nHome;
let n8n: RunningN8n;

beforeAll(async () => {
	mock = await startMock({ simulator: { rateLimit: null } });
	home = await createN8nHome();
	await provisionImini(home, { apiKey: mock.apiKey, baseUrl: mock.url, name: 'Imini API (offline mock)' }, { examples: false });
	n8n = await startN8n(home);
});

afterAll(async () => {
	await n8n?.stop();
	await home?.cleanup();
	await mock?.close();
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
		expect(await testCredential({ apiKey: mock.apiKey, baseUrl: mock.url })).toEqual({ status: 'OK', message: 'Connection successful!' });
		expect(mock.stats.submits).toBe(submits);
	});

	it('tells a rejected key apart', async () => {
		expect(await testCredential({ apiKey: 'not-the-key', baseUrl: `${mock.url}/` })).toEqual({
			status: 'Error',
			message: "imini rejected this API key (401). Check it on imini's API Keys page.",
		});
	});

	it('the check stays inside the contract', () => {
		expect(formatViolations(mock.violations)).toBe('');
	});
});
