// An OpenAI-compatible chat model that follows a script instead of thinking: n8n's "OpenAI Chat
// Model" node talks to it through an `openAiApi` credential whose Base URL is this server's `url`.
// `npm start` runs it so the agent example works offline; the end-to-end tests run it with their
// own scripts and read what the agent sent it (every tool result the model would have seen).
//
// It answers `POST /v1/chat/completions`, plain or streamed (server-sent events), as OpenAI does.
// The default script, `drawOnRequest`, asks the first tool for a picture of the user's words and
// then answers with what the tool returned (so it also drives any other tool, as a control).
//
// Plain TypeScript without enums or parameter properties, so it runs under ts-jest (CommonJS)
// and under Node 24's own type stripping.
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';

export type ChatMessage = {
	role: 'system' | 'user' | 'assistant' | 'tool' | string;
	content: string | Array<{ type: string; text?: string }> | null;
	tool_calls?: Array<{ id: string; type: 'function'; function: { name: string; arguments: string } }>;
	tool_call_id?: string;
};

export type ChatTool = { type: 'function'; function: { name: string; description?: string; parameters?: { properties?: Record<string, unknown>; required?: string[] } } };

export type ChatRequest = { model?: string; messages: ChatMessage[]; tools?: ChatTool[]; stream?: boolean; [key: string]: unknown };

/** What the scripted model says next: text (a final answer) or calls to tools. */
export type ChatReply = { content: string } | { toolCalls: Array<{ name: string; arguments: Record<string, unknown> }> };

export type ChatScript = (request: ChatRequest) => ChatReply;

export type RecordedChat = {
	request: ChatRequest;
	reply: ChatReply;
	/** ms since the epoch, when the request arrived and when its answer was sent. */
	receivedAt: number;
	answeredAt: number;
};

export type ScriptedChatModel = {
	/** The Base URL for the `openAiApi` credential, e.g. `http://127.0.0.1:4012/v1`. */
	url: string;
	/** Every completion request, oldest first. */
	requests: RecordedChat[];
	close(): Promise<void>;
};

export function textOf(message: ChatMessage | undefined): string {
	if (!message?.content) return '';
	if (typeof message.content === 'string') return message.content;
	return message.content.map((part) => part.text ?? '').join('');
}

/** The messages the tools answered in this request (what the model sees of its tool calls). */
export function toolResults(request: ChatRequest): string[] {
	return request.messages.filter((m) => m.role === 'tool').map(textOf);
}

function lastUserText(request: ChatRequest): string {
	return textOf([...request.messages].reverse().find((m) => m.role === 'user'));
}

/** A tool result turned into a sentence: the URLs of the files, or the error, as the tool said it. */
function describeToolResult(result: string): string {
	let items: unknown;
	try {
		items = JSON.parse(result);
	} catch {
		return `The tool answered: ${result}`;
	}
	const list = (Array.isArray(items) ? items : [items]) as Array<Record<string, unknown>>;
	const errors = list.map((item) => item?.error).filter((error): error is string => typeof error === 'string');
	if (errors.length) return `The image tool refused: ${errors.join('; ')}`;
	const files = list.filter((item) => typeof item?.url === 'string');
	if (files.length === 0) return `The tool returned no file (it answered ${JSON.stringify(result)}).`;
	const lines = files.map((file) => `${file.url} (${file.width}×${file.height}${file.duration ? `, ${file.duration} s` : ''})`);
	return `Here you are: ${lines.join(', ')}`;
}

/**
 * The offline stand-in for a real model: asks the first tool to draw the user's message (taking an
 * aspect ratio such as "16:9" and a size such as "2K" from it when the tool has those arguments),
 * then answers with the file URLs or the error the tool returned.
 */
export const drawOnRequest: ChatScript = (request) => {
	const last = request.messages[request.messages.length - 1];
	if (last?.role === 'tool') return { content: describeToolResult(textOf(last)) };
	const tool = request.tools?.[0]?.function;
	const text = lastUserText(request);
	if (!tool) return { content: `No tool is connected, so I cannot draw "${text}".` };
	const parameters = tool.parameters?.properties ?? {};
	const args: Record<string, unknown> = 'prompt' in parameters ? { prompt: text } : {};
	const ratio = /\b(\d{1,2}:\d{1,2})\b/.exec(text)?.[1];
	if (ratio && 'aspect_ratio' in parameters) args.aspect_ratio = ratio;
	const size = /\b(1K|2K|4K)\b/i.exec(text)?.[1];
	if (size && 'resolution' in parameters) args.resolution = size.toUpperCase();
	return { toolCalls: [{ name: tool.name, arguments: args }] };
};

async function readJson(req: IncomingMessage): Promise<unknown> {
	const chunks: Buffer[] = [];
	for await (const chunk of req) chunks.push(chunk as Buffer);
	return JSON.parse(Buffer.concat(chunks).toString('utf8'));
}

let counter = 0;

function completion(request: ChatRequest, reply: ChatReply) {
	const id = `chatcmpl-scripted-${++counter}`;
	const created = Math.floor(Date.now() / 1000);
	const model = request.model ?? 'scripted';
	const toolCalls =
		'toolCalls' in reply
			? reply.toolCalls.map((call, index) => ({ id: `call_${counter}_${index}`, type: 'function' as const, function: { name: call.name, arguments: JSON.stringify(call.arguments) } }))
			: undefined;
	const message = toolCalls ? { role: 'assistant', content: null, tool_calls: toolCalls } : { role: 'assistant', content: (reply as { content: string }).content };
	const finishReason = toolCalls ? 'tool_calls' : 'stop';
	const usage = { prompt_tokens: 10, completion_tokens: 10, total_tokens: 20 };
	return { id, created, model, message, toolCalls, finishReason, usage };
}

function send(res: ServerResponse, request: ChatRequest, reply: ChatReply): void {
	const { id, created, model, message, toolCalls, finishReason, usage } = completion(request, reply);
	if (!request.stream) {
		res.writeHead(200, { 'content-type': 'application/json' });
		res.end(JSON.stringify({ id, object: 'chat.completion', created, model, choices: [{ index: 0, message, finish_reason: finishReason }], usage }));
		return;
	}
	res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
	const chunk = (choices: unknown[], extra: Record<string, unknown> = {}) =>
		res.write(`data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created, model, choices, ...extra })}\n\n`);
	chunk([{ index: 0, delta: { role: 'assistant', content: '' }, finish_reason: null }]);
	if (toolCalls) chunk([{ index: 0, delta: { tool_calls: toolCalls.map((call, index) => ({ index, ...call })) }, finish_reason: null }]);
	else chunk([{ index: 0, delta: { content: message.content }, finish_reason: null }]);
	chunk([{ index: 0, delta: {}, finish_reason: finishReason }]);
	if ((request.stream_options as { include_usage?: boolean } | undefined)?.include_usage) chunk([], { usage });
	res.end('data: [DONE]\n\n');
}

function fail(res: ServerResponse, status: number, message: string): void {
	res.writeHead(status, { 'content-type': 'application/json' });
	res.end(JSON.stringify({ error: { message, type: 'invalid_request_error' } }));
}

export async function startScriptedChatModel(options: { port?: number; host?: string; script?: ChatScript } = {}): Promise<ScriptedChatModel> {
	const script = options.script ?? drawOnRequest;
	const requests: RecordedChat[] = [];
	const server = createServer((req, res) => {
		const receivedAt = Date.now();
		if (req.method !== 'POST' || !/\/chat\/completions\/?$/.test(req.url ?? '')) {
			req.resume();
			fail(res, 404, `The scripted chat model only answers POST /v1/chat/completions, not ${req.method} ${req.url}`);
			return;
		}
		readJson(req).then(
			(body) => {
				const request = body as ChatRequest;
				if (!Array.isArray(request?.messages)) return fail(res, 400, 'messages is required');
				let reply: ChatReply;
				try {
					reply = script(request);
				} catch (error) {
					return fail(res, 500, `The chat script failed: ${(error as Error).message}`);
				}
				send(res, request, reply);
				requests.push({ request, reply, receivedAt, answeredAt: Date.now() });
			},
			() => fail(res, 400, 'The body is not JSON'),
		);
	});
	const host = options.host ?? '127.0.0.1';
	await new Promise<void>((resolve, reject) => {
		server.once('error', reject);
		server.listen(options.port ?? 0, host, () => resolve());
	});
	const address = server.address();
	const port = typeof address === 'object' && address ? address.port : 0;
	return {
		url: `http://${host}:${port}/v1`,
		requests,
		close: () =>
			new Promise<void>((resolve) => {
				server.closeAllConnections();
				server.close(() => resolve());
			}),
	};
}
