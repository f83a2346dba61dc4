// The harness must be imported first: it sets N8N_* env vars before n8n-core loads.
import { createEngine, HARNESS_START_NODE, type EngineOptions } from './engine';

import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import {
	NodeApiError,
	NodeOperationError,
	sleep,
	type ICredentialType,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type JsonObject,
} from 'n8n-workflow';

// ---------------------------------------------------------------------------------------------
// Throwaway credential + node types
// ---------------------------------------------------------------------------------------------

class TestApi implements ICredentialType {
	name = 'testApi';
	displayName = 'Test API';
	properties: ICredentialType['properties'] = [
		{ displayName: 'API Key', name: 'apiKey', type: 'string', typeOptions: { password: true }, default: '' },
		{ displayName: 'Region', name: 'region', type: 'string', default: 'eu' },
	];
	authenticate: ICredentialType['authenticate'] = {
		type: 'generic',
		properties: {
			headers: { Authorization: '={{"Bearer " + $credentials.apiKey}}' },
			qs: { region: '={{$credentials.region}}' },
		},
	};
}

/** Function-style `authenticate`. */
class FnApi implements ICredentialType {
	name = 'fnApi';
	displayName = 'Fn API';
	properties: ICredentialType['properties'] = [
		{ displayName: 'Token', name: 'token', type: 'string', default: '' },
	];
	authenticate: ICredentialType['authenticate'] = async (credentials, requestOptions) => ({
		...requestOptions,
		headers: { ...requestOptions.headers, Authorization: `Token ${credentials.token as string}` },
	});
}

/** POSTs `prompt` to `${baseUrl}/echo` with credential auth, returns what the server saw + a PNG-ish binary. */
class EchoNode implements INodeType {
	description: INodeType['description'] = {
		displayName: 'Echo',
		name: 'echo',
		group: ['transform'],
		version: 1,
		description: 'test node',
		defaults: { name: 'Echo' },
		inputs: ['main'],
		outputs: ['main'],
		credentials: [
			{ name: 'testApi', required: true, displayOptions: { show: { auth: ['testApi'] } } },
			{ name: 'fnApi', required: true, displayOptions: { show: { auth: ['fnApi'] } } },
		],
		properties: [
			{ displayName: 'Auth', name: 'auth', type: 'options', options: [{ name: 'Test API', value: 'testApi' }, { name: 'Fn API', value: 'fnApi' }], default: 'testApi' },
			{ displayName: 'Base URL', name: 'baseUrl', type: 'string', default: '', required: true },
			{ displayName: 'Path', name: 'path', type: 'string', default: '/echo' },
			{ displayName: 'Prompt', name: 'prompt', type: 'string', default: '', required: true },
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const items = this.getInputData();
		const out: INodeExecutionData[] = [];
		for (let i = 0; i < items.length; i++) {
			try {
				const auth = this.getNodeParameter('auth', i) as string;
				const baseUrl = this.getNodeParameter('baseUrl', i) as string;
				const path = this.getNodeParameter('path', i) as string;
				const prompt = this.getNodeParameter('prompt', i) as string;
				let response: JsonObject;
				try {
					response = (await this.helpers.httpRequestWithAuthentication.call(this, auth, {
						method: 'POST',
						url: `${baseUrl}${path}`,
						body: { prompt },
						json: true,
					})) as JsonObject;
				} catch (error) {
					throw new NodeApiError(this.getNode(), error as JsonObject, { itemIndex: i });
				}
				const binary = await this.helpers.prepareBinaryData(
					Buffer.from(`image-for:${prompt}`),
					`out-${i}.png`,
					'image/png',
				);
				out.push({ json: response, binary: { data: binary }, pairedItem: { item: i } });
			} catch (error) {
				if (this.continueOnFail()) {
					// Canonical n8n pattern; `error` lets onError: 'continueErrorOutput' route the item to output 1.
					out.push({
						json: { error: (error as Error).message, httpCode: (error as NodeApiError).httpCode },
						error: error as NodeApiError,
						pairedItem: { item: i },
					});
					continue;
				}
				throw error;
			}
		}
		return [out];
	}
}

/** Waits 60 s unless the execution is cancelled. */
class SlowNode implements INodeType {
	description: INodeType['description'] = {
		displayName: 'Slow',
		name: 'slow',
		group: ['transform'],
		version: 1,
		description: 'test node',
		defaults: { name: 'Slow' },
		inputs: ['main'],
		outputs: ['main'],
		properties: [],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		await sleep(60_000, this.getExecutionCancelSignal());
		return [this.getInputData()];
	}
}

/** Always throws a NodeOperationError (tests engine-level continueOnFail / onError). */
class BoomNode implements INodeType {
	description: INodeType['description'] = {
		displayName: 'Boom',
		name: 'boom',
		group: ['transform'],
		version: [1, 2],
		description: 'test node',
		defaults: { name: 'Boom' },
		inputs: ['main'],
		outputs: ['main'],
		properties: [],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		throw new NodeOperationError(this.getNode(), `boom v${this.getNode().typeVersion}`, {
			description: 'always fails',
		});
	}
}

// ---------------------------------------------------------------------------------------------
// Tiny local API
// ---------------------------------------------------------------------------------------------

let server: http.Server;
let baseUrl: string;

beforeAll(async () => {
	server = http.createServer((req, res) => {
		let raw = '';
		req.on('data', (c: Buffer) => (raw += c.toString()));
		req.on('end', () => {
			const url = new URL(req.url ?? '/', 'http://x');
			res.setHeader('content-type', 'application/json');
			if (url.pathname === '/fail') {
				res.statusCode = 429;
				res.end(JSON.stringify({ message: 'Slow down' }));
				return;
			}
			res.end(
				JSON.stringify({
					authorization: req.headers.authorization ?? null,
					region: url.searchParams.get('region'),
					body: raw ? (JSON.parse(raw) as unknown) : null,
				}),
			);
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
	await new Promise((resolve) => server.close(resolve));
});

const TYPE = 'n8n-nodes-test.echo';

function engineOptions(overrides: Partial<EngineOptions> = {}): EngineOptions {
	return {
		nodeTypes: {
			[TYPE]: new EchoNode(),
			slow: new SlowNode(),
			boom: new BoomNode(),
		},
		credentialTypes: [new TestApi(), new FnApi()],
		credentials: { testApi: { apiKey: 'sekret' }, fnApi: { token: 'tok' } },
		...overrides,
	};
}

const echoNode = (parameters: Record<string, string> = {}) => ({
	name: 'Echo',
	type: TYPE,
	parameters: { baseUrl, prompt: '={{ $json.prompt }}', ...parameters },
	credentials: { testApi: { id: '1', name: 'Test account' } },
});

// ---------------------------------------------------------------------------------------------

describe('n8n-engine harness', () => {
	it('(1)(2)(3) runs items through, sets pairedItem, applies generic auth, resolves expressions per item', async () => {
		const engine = createEngine(engineOptions());
		const result = await engine.run({
			nodes: [echoNode()],
			input: [{ json: { prompt: 'a cat' } }, { json: { prompt: 'a dog' } }],
		});

		expect(result.error).toBeUndefined();
		expect(result.status).toBe('success');
		expect(result.output(HARNESS_START_NODE)).toHaveLength(2);

		const items = result.output('Echo');
		expect(items.map((i) => i.json)).toEqual([
			{ authorization: 'Bearer sekret', region: 'eu', body: { prompt: 'a cat' } },
			{ authorization: 'Bearer sekret', region: 'eu', body: { prompt: 'a dog' } },
		]);
		expect(items.map((i) => i.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
	});

	it('supports function-style authenticate', async () => {
		const engine = createEngine(engineOptions());
		const result = await engine.run({
			nodes: [{ ...echoNode({ auth: 'fnApi' }), credentials: { fnApi: { id: '2', name: 'Fn' } } }],
			input: [{ json: { prompt: 'x' } }],
		});
		expect(result.status).toBe('success');
		expect(result.output('Echo')[0].json).toMatchObject({ authorization: 'Token tok' });
	});

	it.each(['default', 'filesystem'] as const)(
		'(4) binary output and binary input are readable in %s mode',
		async (binaryDataMode) => {
			const engine = createEngine(engineOptions({ binaryDataMode }));
			const result = await engine.run({
				nodes: [echoNode()],
				input: [
					{
						json: { prompt: 'p1' },
						binary: { src: { data: Buffer.from('input-bytes'), mimeType: 'text/plain', fileName: 'in.txt' } },
					},
				],
			});
			expect(result.status).toBe('success');

			const [item] = result.output('Echo');
			expect(item.binary?.data).toMatchObject({ mimeType: 'image/png', fileName: 'out-0.png' });
			if (binaryDataMode === 'filesystem') expect(item.binary?.data.id).toMatch(/^filesystem-v2:/);
			else expect(item.binary?.data.id).toBeUndefined();
			expect((await result.binary(item)).toString()).toBe('image-for:p1');

			const [startItem] = result.output(HARNESS_START_NODE);
			expect((await result.binary(startItem, 'src')).toString()).toBe('input-bytes');
			expect((await result.binary(startItem)).toString()).toBe('input-bytes'); // only property
		},
	);

	it('(5) cancel() stops a node waiting on getExecutionCancelSignal() within a second', async () => {
		const engine = createEngine(engineOptions());
		const handle = engine.run({ nodes: [{ name: 'Slow', type: 'slow' }, echoNode()] });
		await new Promise((r) => setTimeout(r, 200));
		const t0 = Date.now();
		handle.cancel();
		const result = await handle;
		const elapsed = Date.now() - t0;

		expect(elapsed).toBeLessThan(1000);
		expect(result.status).toBe('canceled');
		expect(result.error).toMatchObject({
			name: 'ManualExecutionCancelledError',
			message: 'The execution was cancelled manually',
			reason: 'manual',
		});
		expect(() => result.output('Echo')).toThrow(/did not run/);
		// What the engine itself produced: the aborted sleep() is the Slow node's error and the run
		// status is 'error'. Under jest the abort reason (a DOMException from Node's realm) is not
		// `instanceof Error` inside the sandbox, so sleep() rejects with a wrapper error.
		expect(result.run.status).toBe('error');
		expect(result.nodeError('Slow')?.message).toMatch(
			/This operation was aborted|Error that was not an instance of Error was thrown/,
		);
	});

	it('(5b) cancel() right after run() (before any node ran) resolves canceled too', async () => {
		const engine = createEngine(engineOptions());
		const handle = engine.run({ nodes: [{ name: 'Slow', type: 'slow' }] });
		handle.cancel();
		const result = await handle;
		expect(result.status).toBe('canceled');
		// This is the engine's own shape (cancel observed between nodes).
		expect(result.run.status).toBe('canceled');
		expect(result.error).toMatchObject({
			name: 'ManualExecutionCancelledError',
			message: 'The execution was cancelled manually',
		});
	});

	it('cancel() after the run finished is a no-op', async () => {
		const engine = createEngine(engineOptions());
		const handle = engine.run({ nodes: [echoNode()], input: [{ json: { prompt: 'x' } }] });
		const result = await handle;
		handle.cancel();
		expect(result.status).toBe('success');
	});

	it('(6) a NodeApiError surfaces httpCode/message in error', async () => {
		const engine = createEngine(engineOptions());
		const result = await engine.run({
			nodes: [echoNode({ path: '/fail' })],
			input: [{ json: { prompt: 'x' } }],
		});
		expect(result.status).toBe('error');
		expect(result.error).toMatchObject({
			name: 'NodeApiError',
			httpCode: '429',
			node: expect.objectContaining({ name: 'Echo' }),
		});
		// NodeApiError replaces the message with n8n's canned text for the HTTP code ...
		expect(result.error?.message).toBe('The service is receiving too many requests from you');
		// ... the server's own message is kept in `description` / `messages`.
		expect(JSON.stringify([result.error?.description, result.error?.messages])).toMatch(/Slow down/);
		expect(result.nodeError('Echo')).toMatchObject({ name: 'NodeApiError', httpCode: '429' });
		expect(result.output('Echo')).toEqual([]);
	});

	it('(6b) with continueOnFail the node emits an error item instead', async () => {
		const engine = createEngine(engineOptions());
		const result = await engine.run({
			nodes: [{ ...echoNode({ path: '/fail' }), continueOnFail: true }],
			input: [{ json: { prompt: 'x' } }],
		});
		expect(result.status).toBe('success');
		expect(result.error).toBeUndefined();
		const [item] = result.output('Echo');
		// Engine quirk (normalizeNodeErrors): when an item carries `error`, its json is REPLACED by
		// `{ error: error.message }` (our extra `httpCode` key is dropped); the error object stays on `item.error`.
		expect(item.json).toEqual({ error: 'The service is receiving too many requests from you' });
		expect(item.error).toMatchObject({ name: 'NodeApiError', httpCode: '429' });
		expect(item.pairedItem).toEqual({ item: 0 });
	});

	it('onError: continueErrorOutput routes the node\'s error items to output 1', async () => {
		const engine = createEngine(engineOptions());
		const result = await engine.run({
			nodes: [{ ...echoNode({ path: '/fail' }), onError: 'continueErrorOutput' }],
			input: [{ json: { prompt: 'x' } }],
		});
		expect(result.output('Echo', 0)).toEqual([]);
		expect(result.status).toBe('success');
		const [errorItem] = result.output('Echo', 1);
		expect(errorItem.json).toEqual({ error: expect.stringMatching(/too many/i) });
		expect(errorItem.error).toMatchObject({ httpCode: '429' });
		expect(errorItem.pairedItem).toEqual({ item: 0 });
	});

	it('engine-level continue for a node that THROWS: input passes through on output 0, error on the task', async () => {
		const engine = createEngine(engineOptions());
		const pass = { name: 'After', type: 'slow', disabled: true }; // disabled node = pass-through
		const continued = await engine.run({
			nodes: [{ name: 'Boom', type: 'boom', onError: 'continueRegularOutput' }, pass],
			input: [{ json: { a: 1 } }],
		});
		expect(continued.status).toBe('success');
		expect(continued.nodeError('Boom')).toMatchObject({
			name: 'NodeOperationError',
			message: 'boom v2', // typeVersion defaults to the highest version
			description: 'always fails',
		});
		expect(continued.output('Boom').map((i) => i.json)).toEqual([{ a: 1 }]);
		expect(continued.output('After').map((i) => i.json)).toEqual([{ a: 1 }]);

		// Same, but Boom is the last node: the engine still ends the run with status 'error'.
		const last = await engine.run({
			nodes: [{ name: 'Boom', type: 'boom', typeVersion: 1, continueOnFail: true }],
			input: [{ json: { a: 1 } }],
		});
		expect(last.status).toBe('error');
		expect(last.error).toMatchObject({ message: 'boom v1' });
		expect(last.output('Boom').map((i) => i.json)).toEqual([{ a: 1 }]);
	});

	it('branched connections: start fans out to two nodes', async () => {
		const engine = createEngine(engineOptions());
		const result = await engine.run({
			nodes: [echoNode(), { ...echoNode({ prompt: 'fixed' }), name: 'Echo2' }],
			connections: {
				[HARNESS_START_NODE]: {
					main: [[{ node: 'Echo', type: 'main', index: 0 }, { node: 'Echo2', type: 'main', index: 0 }]],
				},
			},
			input: [{ json: { prompt: 'dyn' } }],
		});
		expect(result.status).toBe('success');
		expect(result.output('Echo')[0].json.body).toEqual({ prompt: 'dyn' });
		expect(result.output('Echo2')[0].json.body).toEqual({ prompt: 'fixed' });
	});

	it('missing credentials data fails the node with the CLI wording', async () => {
		const engine = createEngine(engineOptions({ credentials: {} }));
		const result = await engine.run({ nodes: [echoNode()], input: [{ json: { prompt: 'x' } }] });
		expect(result.status).toBe('error');
		expect(result.error?.message).toBe('Credential with ID "1" does not exist for type "testApi".');
	});

	it('a missing required parameter rejects with WorkflowHasIssuesError', async () => {
		const engine = createEngine(engineOptions());
		await expect(
			engine.run({ nodes: [{ ...echoNode(), parameters: { baseUrl } }] }),
		).rejects.toMatchObject({ name: 'WorkflowHasIssuesError' });
	});

	it('output() of a node that did not run throws a helpful error', async () => {
		const engine = createEngine(engineOptions());
		const result = await engine.run({
			nodes: [{ name: 'Boom', type: 'boom' }, echoNode()],
			input: [{ json: { prompt: 'x' } }],
		});
		expect(result.status).toBe('error');
		expect(() => result.output('Echo')).toThrow(/did not run/);
	});
});
