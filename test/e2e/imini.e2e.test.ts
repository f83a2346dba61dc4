// The package where users live: packed, installed into a real n8n the way n8n installs
// community packages, and every example workflow run by `n8n execute` against the offline mock.
// Binary data in the 'filesystem' mode (compat.e2e.test.ts runs the 'database' mode).
import { readMp4Info } from '../../mock-server/media/mp4.ts';
import { readPngSize } from '../../mock-server/media/png.ts';
import type { MockServer } from '../../mock-server/index.ts';
import { readBinaryData } from '../../dev/n8n/binary-data.ts';
import { executeWorkflow, importCredentials, importWorkflow, nodeOutput } from '../../dev/n8n/n8n-commands.ts';
import type { N8nHome } from '../../dev/n8n/home.ts';
import type { ExecuteResult } from '../../dev/n8n/n8n-commands.ts';
import { exampleWorkflows } from '../../dev/n8n/provision.ts';
import { formatViolations } from '../harness/mock';
import { useRealN8n } from '../harness/real-n8n.ts';

let mock: MockServer;
let home: N8nHome;
const runs = new Map<string, ExecuteResult>();

/**
 * `n8n execute` ends when an execution parks and never resumes it (only `n8n start` does), and the
 * examples that wait for a video park it from its first check. These runs are about what the
 * examples do around the wait, so here those examples check videos in memory for their first
 * minute, as a user can set it (Check Videos in Memory First); parking itself runs in a started n8n
 * (durable.e2e.test.ts, and example 08 from the editor in editor.e2e.test.ts).
 */
const WAITING_EXAMPLES = ['iminiEx3SubmitWait', 'iminiEx4ImageToVideo', 'iminiEx8DurableLoop'];

function checkingVideosInMemory(json: Record<string, unknown>): Record<string, unknown> {
	const copy = structuredClone(json) as { nodes: Array<{ type: string; parameters: Record<string, unknown> }> };
	for (const node of copy.nodes) if (node.type === 'n8n-nodes-imini.iminiWait') node.parameters.videoInMemoryFor = 60;
	return copy;
}

const real = useRealN8n({
	simulator: { imageTaskMs: 1500, videoTaskMs: 3000 },
	env: { N8N_DEFAULT_BINARY_DATA_MODE: 'filesystem' },
	examples: true,
	start: false,
	beforeStart: async ({ home }) => {
		for (const example of exampleWorkflows().filter((w) => WAITING_EXAMPLES.includes(w.id))) {
			await importWorkflow(home, checkingVideosInMemory(example.json) as never);
		}
	},
});

beforeAll(() => {
	({ mock, home } = real);
});

afterEach(() => {
	expect(formatViolations(mock.violations)).toBe('');
});

async function run(id: string): Promise<ExecuteResult> {
	const result = await executeWorkflow(home, id);
	runs.set(id, result);
	return result;
}

function promptOf(taskId: string): unknown {
	return mock.submissions.find((s) => s.taskId === taskId)?.body.prompt;
}

describe('the example workflows, in a real n8n', () => {
	it('are all there (6 · the chat agent is chatted with in agent.e2e.test.ts; 7 · the webhook runs in test/scale; 8 · parked across a restart in durable.e2e.test.ts)', () => {
		expect(exampleWorkflows().map((w) => w.id)).toEqual([
			'iminiEx1PromptImg',
			'iminiEx2Batch',
			'iminiEx3SubmitWait',
			'iminiEx4ImageToVideo',
			'iminiEx5Errors',
			'iminiEx6AgentChat',
			'iminiEx7Webhook',
			'iminiEx8DurableLoop',
		]);
	});

	it('1 · prompt to image: one PNG of the asked size as binary data', async () => {
		const result = await run('iminiEx1PromptImg');
		expect(result.error).toBeNull();
		const [item] = nodeOutput(result.output, 'Imini Generate');
		expect(item.json).toMatchObject({ status: 'succeeded', model: 'google/nano-banana-pro', width: 2048, height: 1152 });
		expect(item.binary.data.mimeType).toBe('image/png');
		expect(readPngSize(readBinaryData(home, item.binary.data))).toEqual({ width: 2048, height: 1152 });
		expect(promptOf(item.json.task_id)).toBe('A red fox curled up in fresh snow, golden hour, 35 mm photo');
	});

	it('2 · batch: ten prompts, ten images, in input order', async () => {
		const result = await run('iminiEx2Batch');
		expect(result.error).toBeNull();
		const prompts = nodeOutput(result.output, 'One Item per Prompt').map((i: { json: { prompt: string } }) => i.json.prompt);
		const items = nodeOutput(result.output, 'Imini Generate');
		expect(items).toHaveLength(10);
		expect(items.map((i: { json: { task_id: string } }) => promptOf(i.json.task_id))).toEqual(prompts);
		expect(items.map((i: { pairedItem: unknown }) => i.pairedItem)).toEqual(prompts.map((_: string, item: number) => ({ item })));
		for (const item of items) expect(readPngSize(readBinaryData(home, item.binary.data))).toEqual({ width: 1024, height: 1024 });
	});

	it('3 · submit, wait, check: the task ID flows through and the video is downloaded with its cover', async () => {
		const result = await run('iminiEx3SubmitWait');
		expect(result.error).toBeNull();
		const [submitted] = nodeOutput(result.output, "Submit (Don't Wait)");
		expect(submitted.json).toMatchObject({ status: 'queued', kind: 'video' });
		// Out of Done (output 1): the mock's 3 s video finishes within the in-memory minute, so nothing parks.
		expect(nodeOutput(result.output, 'Imini Wait', 0)).toEqual([]);
		const [waited] = nodeOutput(result.output, 'Imini Wait', 1);
		expect(waited.json).toMatchObject({ task_id: submitted.json.task_id, status: 'succeeded' });
		expect(waited.binary).toBeUndefined();
		const [checked] = nodeOutput(result.output, 'Imini Get Task');
		expect(checked.binary.data.mimeType).toBe('video/mp4');
		expect(readMp4Info(readBinaryData(home, checked.binary.data))).toMatchObject({ width: 1280, height: 720, durationSeconds: 5 });
		expect(readPngSize(readBinaryData(home, checked.binary.cover))).toEqual({ width: 1280, height: 720 });
	});

	it('4 · image to video: the generated image becomes the first frame', async () => {
		const result = await run('iminiEx4ImageToVideo');
		expect(result.error).toBeNull();
		const [video] = nodeOutput(result.output, 'Imini Wait', 1);
		expect(readMp4Info(readBinaryData(home, video.binary.data))).toMatchObject({ width: 1280, height: 720, durationSeconds: 4 });
		const sent = mock.submissions.find((s) => s.taskId === video.json.task_id)!.body as { reference_images: Array<{ url: string; reference_type: string }> };
		expect(sent.reference_images).toHaveLength(1);
		expect(sent.reference_images[0].reference_type).toBe('first_frame');
		expect(sent.reference_images[0].url).toMatch(/^data:image\/png;base64,iVBORw0KGgo/);
	});

	it('8 · durable video loop: with Check Videos in Memory First at a minute, a video done within it comes out of Done without parking', async () => {
		const result = await run('iminiEx8DurableLoop');
		expect(result.error).toBeNull();
		expect(nodeOutput(result.output, 'Imini Wait', 0)).toEqual([]);
		const [video] = nodeOutput(result.output, 'Video Ready');
		expect(video.json).toMatchObject({ status: 'succeeded', kind: 'video' });
		expect(readMp4Info(readBinaryData(home, video.binary.data))).toMatchObject({ width: 1280, height: 720, durationSeconds: 4 });
		expect(mock.submissions.filter((s) => s.taskId === video.json.task_id)).toHaveLength(1);
	});

	it('5 · errors: the refused prompt goes to the error output, the others complete', async () => {
		const result = await run('iminiEx5Errors');
		expect(result.error).toBeNull();
		const images = nodeOutput(result.output, 'Imini Generate', 0);
		const failed = nodeOutput(result.output, 'Imini Generate', 1);
		expect(images).toHaveLength(2);
		expect(failed).toHaveLength(1);
		expect(failed[0].json.error).toContain("imini's content safety flagged the prompt");
		for (const item of images) expect(item.binary.data.mimeType).toBe('image/png');
	});
});

/** Example 1 with its Imini Generate on another credential. */
async function importExampleWith(workflowId: string, credential: { id: string; name: string; data: Record<string, string> }): Promise<void> {
	await importCredentials(home, [{ id: credential.id, name: credential.name, type: 'iminiApi', data: credential.data }]);
	const example = exampleWorkflows()[0].json as { nodes: Array<{ type: string; credentials?: unknown }> };
	await importWorkflow(home, {
		...(example as unknown as { name: string; nodes: unknown[]; connections: Record<string, unknown> }),
		id: workflowId,
		name: workflowId,
		nodes: example.nodes.map((n) => (n.credentials ? { ...n, credentials: { iminiApi: { id: credential.id, name: credential.name } } } : n)),
	});
}

describe('a wrong Base URL, in a real n8n', () => {
	it('the submit fails with "No imini API at this Base URL" and the fix', async () => {
		await importExampleWith('iminiWrongBaseUrl', { id: 'imini-wrong-url', name: 'Imini API (wrong Base URL)', data: { apiKey: mock.apiKey, baseUrl: `${mock.url}/wrong-prefix` } });
		const result = await executeWorkflow(home, 'iminiWrongBaseUrl');
		expect(result.exitCode).not.toBe(0);
		expect(result.error).toContain('No imini API at this Base URL (404');
		expect(result.error).toContain('Open the credential "Imini API (wrong Base URL)" and set Base URL to https://openapi.imini.ai/imini/router, with nothing after it.');
		// The wrong path is outside the contract on purpose; nothing else may be.
		expect(mock.violations.filter((v) => !v.path.startsWith('/wrong-prefix/'))).toEqual([]);
		mock.violations.length = 0;
	});
});

describe('a wrong API key, in a real n8n', () => {
	it('fails with the readable 401 message, and the key is nowhere in the output', async () => {
		const wrongKey = 'sk-wrong-key-7d1e4b';
		await importExampleWith('iminiWrongKey', { id: 'imini-wrong', name: 'Imini API (wrong key)', data: { apiKey: wrongKey, baseUrl: mock.url } });
		const result = await executeWorkflow(home, 'iminiWrongKey');
		expect(result.exitCode).not.toBe(0);
		expect(result.error).toContain('imini does not accept the API key of the credential "Imini API (wrong key)" (401)');
		expect(result.stdout + result.stderr).not.toContain(wrongKey);
	});
});
