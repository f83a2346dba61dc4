// Imini Generate as an AI agent's tool, the way users run agents: a real n8n 2.40.7 (`n8n start`)
// with the package installed from its tarball, the chat-triggered agent example (06) and variants
// of it, chat messages sent to the chat trigger's production webhook, and a scripted
// OpenAI-compatible chat model that records what the agent hands it as each tool's result.
// n8n's own Date & Time tool is the control: whatever breaks it is n8n's, not this package's.
import type { MockServer } from '../../mock-server/index.ts';
import { importWorkflows } from '../../dev/n8n/n8n-commands.ts';
import type { RunningN8n } from '../../dev/n8n/server.ts';
import { exampleWorkflows } from '../../dev/n8n/provision.ts';
import { textOf, toolResults } from '../../dev/scripted-chat-model.ts';
import type { RecordedChat, ScriptedChatModel } from '../../dev/scripted-chat-model.ts';
import { formatViolations } from '../harness/mock';
import { useRealN8n } from '../harness/real-n8n.ts';

type WorkflowNode = { id: string; name: string; type: string; typeVersion: number; position: number[]; parameters: Record<string, unknown>; [key: string]: unknown };
type WorkflowJson = { id: string; name: string; nodes: WorkflowNode[]; connections: Record<string, unknown>; settings?: Record<string, unknown>; [key: string]: unknown };

const CHAT_TRIGGER = 'When chat message received';
const AGENT = 'AI Agent';
const DRAW = 'Draw Picture';
/** The fields of Imini Generate's normal output for one image. */
// The task and its file's URL, with the prompt and the settings that made it.
const IMAGE_FIELDS = ['aspect_ratio', 'completed_at', 'created_at', 'file_count', 'file_index', 'height', 'kind', 'model', 'prompt', 'request_id', 'resolution', 'status', 'submit_request_id', 'task_id', 'url', 'width'];

const example = () => exampleWorkflows().find((w) => w.id === 'iminiEx6AgentChat')!.json as unknown as WorkflowJson;

const dateTimeTool: WorkflowNode = {
	id: 'b8c1f3a0-0000-4000-8000-00000000d47e',
	name: 'Date & Time',
	type: 'n8n-nodes-base.dateTimeTool',
	typeVersion: 2,
	position: [0, 0],
	parameters: { operation: 'getCurrentDate', includeTime: true, outputFieldName: 'currentDate', options: {} },
};

/** A tool that throws: n8n's HTTP Request tool, pointed where nothing listens. */
const failingTool: WorkflowNode = {
	id: 'b8c1f3a0-0000-4000-8000-0000000077e0',
	name: 'Fetch Page',
	type: 'n8n-nodes-base.httpRequestTool',
	typeVersion: 4.2,
	position: [0, 0],
	parameters: { url: 'http://127.0.0.1:9/', options: {} },
};

type Variant = { agentVersion?: number; tool?: WorkflowNode; legacyOrder?: boolean; responseMode?: 'lastNode' | 'streaming' };

/**
 * The agent example as shipped, made reachable as an embedded chat (a public chat trigger, the
 * webhook n8n's chat widget posts to), optionally with another agent version, another tool, or
 * the legacy execution order (a workflow without `settings.executionOrder`).
 */
function agentWorkflow(id: string, variant: Variant = {}): WorkflowJson {
	const base = example();
	const nodes = base.nodes.map((node) => {
		if (node.name === CHAT_TRIGGER) {
			return { ...node, webhookId: `${id}-chat`, parameters: { public: true, mode: 'webhook', options: { responseMode: variant.responseMode ?? 'lastNode' } } };
		}
		if (node.name === AGENT && variant.agentVersion) return { ...node, typeVersion: variant.agentVersion };
		if (node.name === DRAW && variant.tool) return { ...variant.tool, position: node.position };
		return node;
	});
	const connections = { ...base.connections };
	if (variant.tool) {
		delete connections[DRAW];
		connections[variant.tool.name] = { ai_tool: [[{ node: AGENT, type: 'ai_tool', index: 0 }]] };
	}
	return { ...base, id, name: `agent e2e ${id}`, nodes, connections, settings: variant.legacyOrder ? {} : base.settings };
}

const workflows = [
	agentWorkflow('example'),
	agentWorkflow('exampleStreaming', { responseMode: 'streaming' }),
	agentWorkflow('agent3', { agentVersion: 3.1 }),
	agentWorkflow('dateTime2', { tool: dateTimeTool }),
	agentWorkflow('dateTime3', { agentVersion: 3.1, tool: dateTimeTool }),
	agentWorkflow('legacy2', { legacyOrder: true }),
	agentWorkflow('legacyDateTime2', { legacyOrder: true, tool: dateTimeTool }),
	agentWorkflow('legacy3', { agentVersion: 3.1, legacyOrder: true }),
	agentWorkflow('legacyDateTime3', { agentVersion: 3.1, legacyOrder: true, tool: dateTimeTool }),
	agentWorkflow('failing2', { tool: failingTool }),
	agentWorkflow('failing3', { agentVersion: 3.1, tool: failingTool }),
];

let mock: MockServer;
let model: ScriptedChatModel;
let n8n: RunningN8n;
const figures: string[] = [];

async function waitFor(what: string, check: () => Promise<boolean> | boolean, timeoutMs = 60_000): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (!(await check())) {
		if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}\n--- n8n output ---\n${n8n.logs().split('\n').slice(-30).join('\n')}`);
		await new Promise((resolve) => setTimeout(resolve, 200));
	}
}

async function chatRequest(workflowId: string, body: Record<string, unknown>): Promise<Response> {
	return await fetch(`${n8n.url}/webhook/${workflowId}-chat/chat`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
}

async function activate(id: string): Promise<void> {
	const workflow = await n8n.rest('GET', `/rest/workflows/${id}`);
	const response = await n8n.rest('POST', `/rest/workflows/${id}/activate`, { versionId: workflow.body.data.versionId });
	if (response.status !== 200) throw new Error(`activating ${id}: ${response.status} ${JSON.stringify(response.body)}`);
	// A chat trigger answers "load previous session" without running the workflow: a safe probe
	// that its POST webhook is registered.
	await waitFor(`the chat webhook of ${id}`, async () => (await chatRequest(id, { action: 'loadPreviousSession', sessionId: 'probe' })).status === 200);
}

let sessions = 0;

type Chat = { status: number; answer: string; requests: RecordedChat[] };

/** One message, as n8n's chat widget sends it; the answer, and what the model was asked in this conversation. */
async function chat(workflowId: string, message: string): Promise<Chat> {
	const response = await chatRequest(workflowId, { action: 'sendMessage', sessionId: `session-${++sessions}`, chatInput: message });
	const text = await response.text();
	let answer = text;
	try {
		answer = (JSON.parse(text) as { output?: string }).output ?? text;
	} catch {
		// Streaming: one JSON object per line, the answer in the `item` chunks.
		const chunks = text.split('\n').filter(Boolean).map((line) => JSON.parse(line) as { type: string; content?: string });
		answer = chunks.filter((c) => c.type === 'item').map((c) => c.content).join('');
	}
	const requests = model.requests.filter((r) => textOf(r.request.messages.find((m) => m.role === 'user')) === message);
	return { status: response.status, answer, requests };
}

/** What the model received as the result of its (only) tool call. */
function toolResultOf(conversation: Chat): string {
	const results = conversation.requests.flatMap((r) => toolResults(r.request));
	expect(results).toHaveLength(1);
	return results[0];
}

function taskIdIn(answer: string): string {
	const taskId = /\/files\/(task_\d+)\/0\.png/.exec(answer)?.[1];
	if (!taskId) throw new Error(`no image URL in the answer: ${answer}`);
	return taskId;
}

const real = useRealN8n({
	simulator: { imageTaskMs: 1500 },
	chatModel: true,
	examples: true,
	beforeStart: async ({ home }) => importWorkflows(home, workflows as never),
});

beforeAll(async () => {
	({ mock, n8n } = real);
	model = real.model!;
	// /healthz/readiness answers before n8n has finished starting (its active workflows and node
	// types are set up afterwards): activating a workflow meanwhile fails now and then.
	await waitFor('the end of n8n start', () => n8n.logs().includes('Editor is now accessible via'));
	for (const workflow of workflows) await activate(workflow.id);
});

afterAll(async () => {
	if (figures.length) process.stderr.write(`\n[agent e2e] ${figures.join('\n[agent e2e] ')}\n`);
});

afterEach(() => {
	expect(formatViolations(mock.violations)).toBe('');
});

describe('the agent example (06), chatted with through its chat trigger', () => {
	it('draws on request: the model gets the task and the URL as a few hundred bytes of JSON, and nothing is downloaded', async () => {
		const files = mock.stats.files;
		const conversation = await chat('example', 'a red fox in fresh snow, 16:9');
		expect(conversation.status).toBe(200);
		const taskId = taskIdIn(conversation.answer);
		expect(conversation.answer).toMatch(new RegExp(`^Here you are: http://127\\.0\\.0\\.1:\\d+/files/${taskId}/0\\.png \\(1024×576\\)$`));

		const [asked, answered] = conversation.requests;
		expect(asked.reply).toEqual({ toolCalls: [{ name: 'Draw_Picture', arguments: { prompt: 'a red fox in fresh snow, 16:9', aspect_ratio: '16:9' } }] });
		const received = toolResultOf(conversation);
		const items = JSON.parse(received) as Array<Record<string, unknown>>;
		expect(items).toHaveLength(1);
		expect(Object.keys(items[0]).sort()).toEqual(IMAGE_FIELDS);
		expect(items[0]).toMatchObject({ task_id: taskId, status: 'succeeded', width: 1024, height: 576 });
		expect(received).not.toMatch(/base64|data:image|iVBORw0KGgo/);
		expect(Buffer.byteLength(received)).toBeLessThan(1024);
		expect(mock.stats.files).toBe(files);
		expect(mock.submissions.find((s) => s.taskId === taskId)?.body).toEqual({ model: 'google/nano-banana-pro', prompt: 'a red fox in fresh snow, 16:9', aspect_ratio: '16:9', resolution: '1K' });

		figures.push(`the model received ${Buffer.byteLength(received)} bytes from Imini Generate: ${Object.keys(items[0]).join(', ')}`);
		figures.push(`tool call (model's tool call answered → the tool result reached the model): ${answered.receivedAt - asked.answeredAt} ms, mock image task of 1.5 s, first status check at 2 s`);
	});

	it('the model reads that it gets URLs, and sees prompt as required and the other arguments as optional', () => {
		const [first] = model.requests;
		const tool = first.request.tools?.find((t) => t.function.name === 'Draw_Picture')?.function;
		expect(tool?.description).toContain('Returns the files, or their links when an AI agent uses it as a tool');
		expect(tool?.parameters?.required).toEqual(['prompt']);
		expect(Object.keys(tool?.parameters?.properties ?? {})).toEqual(['prompt', 'aspect_ratio', 'resolution']);
	});

	it('arguments the model leaves out are not sent: imini applies the model defaults', async () => {
		const conversation = await chat('example', 'a lighthouse at dusk');
		expect(conversation.requests[0].reply).toEqual({ toolCalls: [{ name: 'Draw_Picture', arguments: { prompt: 'a lighthouse at dusk' } }] });
		const taskId = taskIdIn(conversation.answer);
		expect(mock.submissions.find((s) => s.taskId === taskId)?.body).toEqual({ model: 'google/nano-banana-pro', prompt: 'a lighthouse at dusk', resolution: '1K' });
		expect(conversation.answer).toContain('(1024×1024)');
	});

	it('a value the model does not take: the model reads what was wrong and the allowed values; nothing is submitted', async () => {
		const submits = mock.stats.submits;
		const conversation = await chat('example', 'a fox on a cliff, 7:3');
		expect(conversation.status).toBe(200);
		const received = toolResultOf(conversation);
		expect(JSON.parse(received)).toEqual([
			{
				error: 'Nano Banana Pro (Google) cannot take this input: Aspect Ratio: "7:3" is not one of this model\'s choices (1:1, 2:3, 3:2, 3:4, 4:3, 4:5, 5:4, 9:16, 16:9, 21:9)',
				details: { description: 'Nothing was sent to imini and no credits were used. Change the field named above and run again.' },
			},
		]);
		expect(conversation.answer).toContain('Aspect Ratio: "7:3" is not one of this model\'s choices (1:1,');
		expect(mock.stats.submits).toBe(submits);
		figures.push(`an invalid aspect ratio reaches the model as ${Buffer.byteLength(received)} bytes of readable JSON`);
	});

	it('also with a streamed answer (the chat trigger in streaming mode)', async () => {
		const conversation = await chat('exampleStreaming', 'a paper boat, 9:16');
		expect(conversation.status).toBe(200);
		expect(conversation.requests.map((r) => r.request.stream)).toEqual([true, true]);
		expect(conversation.answer).toMatch(/^Here you are: .*\/0\.png \(576×1024\)$/);
	});
});

describe("which AI Agent hands the model its tools' results in n8n 2.40.7 (n8n's Date & Time tool as the control)", () => {
	it.each([
		['AI Agent 2.2', 'example', 'dateTime2'],
		['AI Agent 3.1', 'agent3', 'dateTime3'],
		['AI Agent 2.2, legacy execution order', 'legacy2', 'legacyDateTime2'],
	])('%s: both results arrive', async (_name, iminiWorkflow, dateTimeWorkflow) => {
		const drawn = await chat(iminiWorkflow, `a cat in a hat (${iminiWorkflow})`);
		expect(JSON.parse(toolResultOf(drawn))[0]).toMatchObject({ status: 'succeeded', url: expect.stringMatching(/\/0\.png$/) });
		expect(drawn.answer).toContain(taskIdIn(drawn.answer));
		const dated = await chat(dateTimeWorkflow, `what time is it? (${dateTimeWorkflow})`);
		expect(JSON.parse(toolResultOf(dated))).toEqual([{ currentDate: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) }]);
	});

	it('AI Agent 3.1: a value the model does not take reaches the model as the same short error', async () => {
		const conversation = await chat('agent3', 'a fox on a cliff, 7:3 (agent3)');
		expect(JSON.parse(toolResultOf(conversation))).toEqual([
			{ error: expect.stringContaining('Aspect Ratio: "7:3" is not one of this model\'s choices (1:1,'), details: { description: expect.stringContaining('no credits were used') } },
		]);
	});

	it('AI Agent 3.1 with the legacy execution order: the tools run, the model gets an empty string from each, the chat no answer', async () => {
		const submits = mock.stats.submits;
		for (const [workflow, message] of [
			['legacy3', 'a cat in a hat (legacy3)'],
			['legacyDateTime3', 'what time is it? (legacyDateTime3)'],
		]) {
			const conversation = await chat(workflow, message);
			expect(toolResultOf(conversation)).toBe('""');
			expect(conversation.status).toBe(500);
			expect(conversation.answer).toContain('No item to return was found');
		}
		expect(mock.stats.submits).toBe(submits + 1);
	});

	it('a tool that throws: AI Agent 2.2 hands the model an empty result, 3.1 the error message (why Imini Generate returns its errors as data)', async () => {
		expect(toolResultOf(await chat('failing2', 'fetch it (failing2)'))).toBe('');
		expect(JSON.parse(toolResultOf(await chat('failing3', 'fetch it (failing3)')))).toEqual([{ error: expect.stringContaining('refused the connection') }]);
	});
});
