// With n8n's SSRF protection on (N8N_SSRF_PROTECTION_ENABLED, in n8n 2.41 off by default), a
// request to a local mock never leaves: the node must say so, name the setting, and not claim
// that a task may exist. Set before n8n-core (and its config) loads, so this file has its own.
process.env.N8N_SSRF_PROTECTION_ENABLED = 'true';
// eslint-disable-next-line import/first
import { generate, useWorkflows } from '../harness/workflow-tests';

const h = useWorkflows({ prism: false });

describe("n8n's SSRF protection", () => {
	it('a submit to a blocked address says it was never sent, that no task exists, and which setting allows it', async () => {
		const before = h.mock.stats.submits;
		const result = await h.run({ nodes: [generate({ resource: 'image', model: 'google/nano-banana', prompt: 'a fox' })] });
		expect(result.status).toBe('error');
		expect(result.error!.message).toMatch(/^n8n refused to send the request: its SSRF protection \(N8N_SSRF_PROTECTION_ENABLED\) blocks this address, so no task was created and nothing was charged\. To use a local imini mock, list its address in N8N_SSRF_ALLOWED_IP_RANGES/);
		expect(result.error!.message).not.toContain('may or may not exist');
		expect(h.mock.stats.submits).toBe(before);
	});
});
