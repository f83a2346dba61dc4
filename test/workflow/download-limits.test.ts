// Result downloads through n8n's real HTTP helper, with limits small enough to test: a body that
// trickles is broken off at its deadline (n8n's own timeout counts only silence), and the error
// names the task. The node under test is a stand-in that downloads one URL the way Imini
// Generate does (createIminiClient, toNodeError).
import { createEngine } from '../harness/n8n-engine/engine';
import { IminiApi } from '../../credentials/IminiApi.credentials';
import { IminiGenerate } from '../../nodes/IminiGenerate/IminiGenerate.node';
import { useMock } from '../harness/mock';
import { fetchFileNode } from '../harness/n8n-engine/fetch-file-node';

const limits = { maxBytes: { image: 64 * 1024 * 1024, video: 64 * 1024 * 1024 }, bodyDeadlineMs: { image: 500, video: 500 } };

const fetchFile = fetchFileNode({ limits: () => limits, nameFiles: false, item: ({ value }) => ({ json: { bytes: value.data.length, mimeType: value.mimeType } }) });

const mock = useMock({ prism: false });

describe('a result file that trickles', () => {
	it('is broken off at its deadline, retried, and then reported with its task', async () => {
		const credentials = { iminiApi: { apiKey: mock.current.apiKey, baseUrl: mock.current.url } };
		const engine = createEngine({ nodeTypes: { gen: new IminiGenerate(), fetch: fetchFile }, credentialTypes: [new IminiApi()], credentials });
		const submitted = await engine.run({
			nodes: [{ name: 'Gen', type: 'gen', parameters: { resource: 'image', model: 'google/nano-banana', prompt: 'slowly [mock download=trickle:20000]', download: false, options: { firstCheckAfter: 0.1, maxCheckInterval: 0.1 } }, credentials: { iminiApi: { id: '1', name: 'i' } } }],
		});
		const { url, task_id } = submitted.output('Gen')[0].json as { url: string; task_id: string };
		const started = performance.now();
		const result = await engine.run({
			nodes: [{ name: 'Fetch', type: 'fetch', credentials: { iminiApi: { id: '1', name: 'i' } } }],
			input: [{ json: { url, task_id, base_url: mock.current.url } }],
		});
		// 4 attempts of 0.5 s each, plus the retry backoff (1-2 s, 2-4 s, 4-8 s at most) and a loaded
		// machine's slack; without the deadline each attempt takes the whole 20 s trickle.
		expect(performance.now() - started).toBeLessThan(30_000);
		expect(result.error!.message).toMatch(new RegExp(`^The result file of task ${task_id} could not be downloaded \\(after 4 attempts\\) \\(the file did not arrive within 0\\.5 s`));
	});
});
