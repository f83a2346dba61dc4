// The compat smoke: what users of every n8n version in dev/n8n/versions.json rely on, in one
// workflow run (`n8n execute`) and one `n8n start`, so it stays cheap enough to run on each
// version. `npm run test:e2e` runs it on the pinned n8n with the rest of the suite;
// `npm run test:compat` runs it alone on each "compat" version (N8N_VERSION=<v>).
//
// Binary data is kept in n8n's 'database' mode (n8n 3.0 drops the in-memory mode; queue mode
// needs a store every process reads) and read back through n8n's REST API, as the editor does.
// imini.e2e.test.ts runs in the 'filesystem' mode.
import { readPngSize } from '../../mock-server/media/png.ts';
import type { MockServer } from '../../mock-server/index.ts';
import { readBinaryData } from '../../dev/n8n/binary-data.ts';
import { downloadBinaryData } from '../../dev/n8n/executions.ts';
import { executeWorkflow, importWorkflow, nodeOutput } from '../../dev/n8n/n8n-commands.ts';
import { N8N_MAJOR, N8N_VERSION } from '../../dev/n8n/paths.ts';
import type { N8nHome } from '../../dev/n8n/home.ts';
import type { ExecuteResult } from '../../dev/n8n/n8n-commands.ts';
import type { RunningN8n } from '../../dev/n8n/server.ts';
import { EXAMPLE_CHAT_MODEL_CREDENTIAL, EXAMPLE_CREDENTIAL_ID } from '../../dev/n8n/provision.ts';
import { formatViolations } from '../harness/mock';
import { useRealN8n } from '../harness/real-n8n.ts';

const BINARY_MODE: 'database' | 'filesystem' = 'database';
const CREDENTIAL_NAME = 'Imini API (offline mock)';
const imini = { iminiApi: { id: EXAMPLE_CREDENTIAL_ID, name: CREDENTIAL_NAME } };
const UNSAFE = 'something the safety filter refuses [mock unsafe]';

let node = 0;
const at = (name: string, type: string, typeVersion: number, parameters: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
	id: `00000000-0000-4000-8000-${String(++node).padStart(12, '0')}`,
	name,
	type,
	typeVersion,
	position: [node * 200, 0],
	parameters,
	...extra,
});
const main = (...targets: string[]) => ({ main: [targets.map((target) => ({ node: target, type: 'main', index: 0 }))] });

/** Branches from one trigger: each part of the smoke is a branch, so one run covers them all. */
const smokeWorkflow = {
	id: 'iminiCompatSmoke',
	name: 'imini compat smoke',
	settings: { executionOrder: 'v1' },
	nodes: [
		at('Start', 'n8n-nodes-base.manualTrigger', 1, {}),
		// Generate with binary output
		at('Generate', 'n8n-nodes-imini.iminiGenerate', 1, { resource: 'image', model: 'google/nano-banana-pro', prompt: 'a red fox in fresh snow', aspectRatio: '16:9', resolution: '1K', options: {} }, { credentials: imini }),
		// error items with Continue On Fail
		at('Prompts', 'n8n-nodes-base.set', 3.4, { mode: 'raw', jsonOutput: JSON.stringify({ prompts: ['a watercolor harbour', UNSAFE] }), options: {} }),
		at('One Item per Prompt', 'n8n-nodes-base.splitOut', 1, { fieldToSplitOut: 'prompts', options: { destinationFieldName: 'prompt' } }),
		at('Generate or Fail', 'n8n-nodes-imini.iminiGenerate', 1, { resource: 'image', model: 'google/nano-banana', prompt: '={{ $json.prompt }}', options: {} }, { credentials: imini, onError: 'continueRegularOutput' }),
		at('Generate or Error Output', 'n8n-nodes-imini.iminiGenerate', 1, { resource: 'image', model: 'google/nano-banana', prompt: '={{ $json.prompt }}', options: {} }, { credentials: imini, onError: 'continueErrorOutput' }),
		at('Images', 'n8n-nodes-base.noOp', 1, {}),
		at('Failed Items', 'n8n-nodes-base.noOp', 1, {}),
		// a picture still being made at its first check, and a result file cut off at every try
		at('Slow Picture', 'n8n-nodes-imini.iminiGenerate', 1, { resource: 'image', model: 'google/nano-banana', prompt: 'a slow sunrise [mock time=7000]', options: { firstCheckAfter: 1 } }, { credentials: imini }),
		at('Cut-off File', 'n8n-nodes-imini.iminiGenerate', 1, { resource: 'image', model: 'google/nano-banana', prompt: 'a torn map [mock download=truncate]', options: {} }, { credentials: imini, onError: 'continueRegularOutput' }),
		// submit, then Imini Wait
		at('Submit', 'n8n-nodes-imini.iminiGenerate', 1, { resource: 'image', model: 'google/nano-banana', prompt: 'a paper boat', waitForCompletion: false, options: {} }, { credentials: imini }),
		at('Imini Wait', 'n8n-nodes-imini.iminiWait', 1, { taskId: '={{ $json.task_id }}', taskType: 'auto', timeout: 60, onTimeout: 'error', download: false, options: {} }, { credentials: imini }),
		// tool mode: AI Agent 2.2 calls Imini Generate's tool variant through a scripted chat model
		at('Question', 'n8n-nodes-base.set', 3.4, { mode: 'raw', jsonOutput: JSON.stringify({ chatInput: 'a lighthouse at dusk 16:9' }), options: {} }),
		at('AI Agent', '@n8n/n8n-nodes-langchain.agent', 2.2, { promptType: 'define', text: '={{ $json.chatInput }}', options: {} }),
		at('Chat Model', '@n8n/n8n-nodes-langchain.lmChatOpenAi', 1.2, { model: { __rl: true, mode: 'id', value: 'gpt-4.1-mini' }, options: {} }, { credentials: { openAiApi: EXAMPLE_CHAT_MODEL_CREDENTIAL } }),
		at('Draw Picture', 'n8n-nodes-imini.iminiGenerateTool', 1, {
			resource: 'image',
			model: 'google/nano-banana-pro',
			prompt: "={{ $fromAI('prompt', 'What to draw', 'string') }}",
			aspectRatio: "={{ $fromAI('aspect_ratio', 'Aspect ratio such as 16:9', 'string', '') }}",
			options: {},
		}, { credentials: imini }),
	],
	connections: {
		Start: main('Generate', 'Prompts', 'Slow Picture', 'Cut-off File', 'Submit', 'Question'),
		Prompts: main('One Item per Prompt'),
		'One Item per Prompt': main('Generate or Fail', 'Generate or Error Output'),
		'Generate or Error Output': { main: [[{ node: 'Images', type: 'main', index: 0 }], [{ node: 'Failed Items', type: 'main', index: 0 }]] },
		Submit: main('Imini Wait'),
		Question: main('AI Agent'),
		'Chat Model': { ai_languageModel: [[{ node: 'AI Agent', type: 'ai_languageModel', index: 0 }]] },
		'Draw Picture': { ai_tool: [[{ node: 'AI Agent', type: 'ai_tool', index: 0 }]] },
	},
};

let mock: MockServer;
let home: N8nHome;
let run: ExecuteResult;
let n8n: RunningN8n | undefined;

const real = useRealN8n({
	simulator: { imageTaskMs: 1000 },
	chatModel: true,
	credentialName: CREDENTIAL_NAME,
	// n8n 1.x only offers the modes named in N8N_AVAILABLE_BINARY_DATA_MODES (default: filesystem).
	env: { N8N_DEFAULT_BINARY_DATA_MODE: BINARY_MODE, N8N_AVAILABLE_BINARY_DATA_MODES: 'filesystem,database' },
	beforeStart: async ({ home }) => {
		await importWorkflow(home, smokeWorkflow);
		run = await executeWorkflow(home, smokeWorkflow.id);
	},
});

beforeAll(() => {
	({ mock, home, n8n } = real);
});

async function fileBytes(binary: { id?: string; data?: string }): Promise<Buffer> {
	return BINARY_MODE === 'database' ? await downloadBinaryData(n8n!, binary.id!) : readBinaryData(home, binary);
}

async function testCredential(data: Record<string, string>): Promise<{ status: string; message: string }> {
	const response = await n8n!.rest('POST', '/rest/credentials/test', { credentials: { id: EXAMPLE_CREDENTIAL_ID, name: CREDENTIAL_NAME, type: 'iminiApi', data } });
	expect(response.status).toBe(200);
	return response.body.data;
}

describe(`n8n ${N8N_VERSION}: the compat smoke`, () => {
	it('the workflow runs to the end', () => {
		expect(run.error).toBeNull();
		expect(run.exitCode).toBe(0);
	});

	it(`Generate: the image as binary data (kept in the '${BINARY_MODE}' mode)`, async () => {
		const [item] = nodeOutput(run.output, 'Generate');
		expect(item.json).toMatchObject({ status: 'succeeded', width: 1024, height: 576 });
		expect(item.binary.data.mimeType).toBe('image/png');
		if (BINARY_MODE === 'database') expect(item.binary.data.id).toMatch(/^database:/);
		expect(readPngSize(await fileBytes(item.binary.data))).toEqual({ width: 1024, height: 576 });
	});

	it('Continue On Fail: the refused prompt becomes an error item, the other one an image', () => {
		const items = nodeOutput(run.output, 'Generate or Fail');
		expect(items).toHaveLength(2);
		expect(items[0].json).toMatchObject({ status: 'succeeded' });
		expect(items[0].binary.data.mimeType).toBe('image/png');
		expect(items[1].json.error).toContain("imini's content safety flagged the prompt");
		expect(items.map((i: { pairedItem: unknown }) => i.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
	});

	// n8n 2.x sends an item to the error output when its JSON holds only `error`, `message` and
	// `details`; n8n 1.x only when it holds `error` alone or `error` and `message`, so there this
	// package's error items ({ error, details }) stay on the regular output.
	const errorOutput = N8N_MAJOR >= 2 ? 1 : 0;
	it(`On Error → Continue (using error output): the refused prompt leaves on output ${errorOutput}`, () => {
		const images = nodeOutput(run.output, 'Generate or Error Output', 0);
		const failed = nodeOutput(run.output, 'Generate or Error Output', errorOutput).filter((i: { json: { error?: string } }) => i.json.error);
		expect(images.filter((i: { binary?: { data: { mimeType: string } } }) => i.binary?.data.mimeType === 'image/png')).toHaveLength(1);
		expect(failed).toHaveLength(1);
		expect(failed[0].json.error).toContain("imini's content safety flagged the prompt");
		expect(failed[0].json.details).toBeDefined();
		expect(nodeOutput(run.output, errorOutput ? 'Failed Items' : 'Images')).toHaveLength(errorOutput ? 1 : 2);
	});

	it('a picture still being made at its first check is checked again and delivered', async () => {
		const [item] = nodeOutput(run.output, 'Slow Picture');
		expect(item.json.status).toBe('succeeded');
		// Made in 7 s: the node's first check (after 1 s) saw it still running.
		expect(mock.requests().filter((r) => r.task_id === item.json.task_id && r.method === 'GET').length).toBeGreaterThanOrEqual(2);
		expect(item.binary.data.mimeType).toBe('image/png');
		expect(readPngSize(await fileBytes(item.binary.data)).width).toBeGreaterThan(0);
	});

	it('a result file cut off at every try: an error item naming the task, after 4 tries', () => {
		const [item] = nodeOutput(run.output, 'Cut-off File');
		const task = mock.submissions.find((s) => (s.body as { prompt?: string }).prompt?.startsWith('a torn map'));
		expect(item.json.error).toMatch(new RegExp(`^The result file of task ${task!.taskId} could not be downloaded \\(after 4 attempts\\)`));
		expect(item.binary).toBeUndefined();
	});

	it('Imini Wait: the submitted task is waited for to the end', () => {
		const [submitted] = nodeOutput(run.output, 'Submit');
		const [waited] = nodeOutput(run.output, 'Imini Wait');
		expect(submitted.json.status).toBe('queued');
		expect(waited.json).toMatchObject({ task_id: submitted.json.task_id, status: 'succeeded' });
	});

	it("tool mode: the agent's tool call draws the picture and the model gets its URL", () => {
		const submission = mock.submissions.find((s) => (s.body as { prompt?: string }).prompt === 'a lighthouse at dusk 16:9');
		expect(submission?.body).toMatchObject({ model: 'google/nano-banana-pro', aspect_ratio: '16:9' });
		const [answer] = nodeOutput(run.output, 'AI Agent');
		expect(answer.json.output).toContain(`/files/${submission!.taskId}`);
	});

	it('the credential test: key accepted, key rejected, no imini API at this Base URL', async () => {
		expect(await testCredential({ apiKey: mock.apiKey, baseUrl: `${mock.url}/v1/` })).toEqual({ status: 'OK', message: 'Connection successful!' });
		expect(await testCredential({ apiKey: 'not-the-key', baseUrl: mock.url })).toMatchObject({ status: 'Error', message: expect.stringContaining('imini does not accept this API key (401)') });
		expect(await testCredential({ apiKey: mock.apiKey, baseUrl: `${mock.url}/wrong-prefix` })).toMatchObject({ status: 'Error', message: expect.stringContaining('The Base URL does not lead to imini') });
	});

	it('every request stayed inside the contract, and the key is nowhere in the output', () => {
		// The wrong-prefix credential test is outside the contract on purpose.
		expect(formatViolations(mock.violations.filter((v) => !v.path.startsWith('/wrong-prefix/')))).toBe('');
		expect(run.stdout + run.stderr + (n8n?.logs() ?? '')).not.toContain(mock.apiKey);
	});
});
