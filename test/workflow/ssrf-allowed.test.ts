// With n8n's SSRF protection on and the mock's address allowed (what docs/admin/reliability.md tells a
// user of the local mock to set), the node reaches the API and downloads the result file.
process.env.N8N_SSRF_PROTECTION_ENABLED = 'true';
process.env.N8N_SSRF_ALLOWED_IP_RANGES = '127.0.0.1/32';
// eslint-disable-next-line import/first
import { generate, useWorkflows } from '../harness/workflow-tests';

const h = useWorkflows({ prism: false });

describe("n8n's SSRF protection, with the mock's address allowed", () => {
	it('generates and downloads as usual', async () => {
		const result = await h.run({ nodes: [generate({ resource: 'image', model: 'google/nano-banana', prompt: 'a fox' })] });
		expect(result.status).toBe('success');
		expect(result.output('Generate')[0].binary!.data.mimeType).toBe('image/png');
	});
});
