/**
 * Test harness that runs workflows through n8n's REAL execution engine
 * (`WorkflowExecute` from n8n-core), not through fakes of IExecuteFunctions.
 *
 * What is real: node execution contexts (`this.getNodeParameter`, expressions,
 * `this.helpers.httpRequest*`, `prepareBinaryData`, `getExecutionCancelSignal`,
 * continueOnFail / onError handling, pairedItem bookkeeping, error serialisation).
 * What is stubbed (as in n8n's CLI, but in memory): the credentials store
 * (`credentials` option, keyed by credential TYPE name) and the lifecycle hooks.
 *
 * Usage:
 *   import { createEngine } from '../harness/n8n-engine';   // import BEFORE anything that loads n8n-core
 *   const engine = createEngine({ nodeTypes: { 'n8n-nodes-imini.iminiGenerate': new IminiGenerate() },
 *                                 credentialTypes: [new IminiApi()], credentials: { iminiApi: { apiKey: 'k' } } });
 *   const result = await engine.run({ nodes: [{ name: 'Gen', type: 'n8n-nodes-imini.iminiGenerate', parameters: {...},
 *                                               credentials: { iminiApi: { id: '1', name: 'imini' } } }],
 *                                     input: [{ json: { prompt: 'a cat' } }] });
 *   expect(result.status).toBe('success');
 *   result.output('Gen');                     // items of the node's last run, output 0
 *   await result.binary(result.output('Gen')[0]);   // Buffer of binary property 'data'
 *
 * Process-global state (per jest test file, since jest gives each file its own module registry):
 * the environment variables below and the binary-data mode (`BinaryDataConfig.mode` in the DI container).
 * Runs of engines with different `binaryDataMode`s must therefore not overlap in time.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import type * as N8nCore from 'n8n-core';
import type * as N8nDi from '@n8n/di';
import {
	ICredentialsHelper,
	ManualExecutionCancelledError,
	NodeHelpers,
	UnexpectedError,
	isExpression,
	type ICredentialDataDecryptedObject,
	type ICredentialType,
	type ICredentials,
	type ICredentialsExpressionResolveValues,
	type IBinaryKeyData,
	type IConnections,
	type IDataObject,
	type IExecuteData,
	type IExecuteFunctions,
	type IHttpRequestHelper,
	type IHttpRequestOptions,
	type INode,
	type INodeCredentialsDetails,
	type INodeExecutionData,
	type INodeParameters,
	type INodeProperties,
	type INodeType,
	type INodeTypes,
	type IRequestOptionsSimplified,
	type IRun,
	type IRunData,
	type IVersionedNodeType,
	type IWorkflowExecuteAdditionalData,
	type Workflow as WorkflowType,
	type WorkflowExecuteMode,
} from 'n8n-workflow';
// `Workflow` is a runtime value too; imported separately so the type-only list above stays type-only.
import { Workflow } from 'n8n-workflow';

// ---------------------------------------------------------------------------------------------
// Environment: must be in place before n8n-core (and @n8n/config, read lazily by it) is loaded.
// Hence n8n-core and @n8n/di are `require`d below, after this block, instead of `import`ed.
// ---------------------------------------------------------------------------------------------
const HARNESS_USER_FOLDER = process.env.N8N_USER_FOLDER ?? fs.mkdtempSync(path.join(os.tmpdir(), 'n8n-engine-'));
const ownsUserFolder = process.env.N8N_USER_FOLDER === undefined;
process.env.N8N_USER_FOLDER = HARNESS_USER_FOLDER;
process.env.N8N_ENCRYPTION_KEY ??= 'n8n-engine-test-harness-encryption-key';
process.env.N8N_LOG_LEVEL ??= 'silent';
process.env.N8N_DIAGNOSTICS_ENABLED ??= 'false';

/* eslint-disable @typescript-eslint/no-require-imports */
const core = require('n8n-core') as typeof N8nCore;
const { Container } = require('@n8n/di') as typeof N8nDi;
/* eslint-enable @typescript-eslint/no-require-imports */

// Remove the temp user folder (n8n config + filesystem binary data) when the test file ends.
const jestAfterAll = (globalThis as { afterAll?: (fn: () => void) => void }).afterAll;
if (ownsUserFolder && typeof jestAfterAll === 'function') {
	jestAfterAll(() => fs.rmSync(HARNESS_USER_FOLDER, { recursive: true, force: true }));
}

// ---------------------------------------------------------------------------------------------
// Public API
// ---------------------------------------------------------------------------------------------

/** Name of the start node the harness puts in front of every workflow. */
export const HARNESS_START_NODE = 'Harness Start';
/** Node type name of that start node. */
export const HARNESS_START_TYPE = 'n8n-engine-harness.start';

export type EngineNode = {
	name: string;
	/** Must be a key of `EngineOptions.nodeTypes`. */
	type: string;
	parameters?: INodeParameters;
	/** Keyed by credential type name, e.g. `{ iminiApi: { id: '1', name: 'imini account' } }`. */
	credentials?: Record<string, { id: string; name: string }>;
	/** Defaults to the node type's `defaultVersion` (versioned) or highest `description.version`. */
	typeVersion?: number;
	continueOnFail?: boolean;
	onError?: 'continueErrorOutput' | 'continueRegularOutput' | 'stopWorkflow';
	position?: [number, number];
	disabled?: boolean;
	retryOnFail?: boolean;
	maxTries?: number;
	waitBetweenTries?: number;
};

export interface EngineOptions {
	/** Node type name (exactly as used in `EngineNode.type`) -> node class instance. */
	nodeTypes: Record<string, INodeType | IVersionedNodeType>;
	/** Credential types known to the credentials helper, e.g. `[new IminiApi()]`. */
	credentialTypes?: ICredentialType[];
	/** Credential type name -> decrypted data returned for ANY credential of that type. */
	credentials?: Record<string, ICredentialDataDecryptedObject>;
	/** Where `prepareBinaryData` stores bytes. 'default' = inline base64 (memory), 'filesystem' = files under N8N_USER_FOLDER. Default: 'default'. */
	binaryDataMode?: 'default' | 'filesystem';
	/** Execution mode handed to the engine. Default: 'manual' (as when clicking "Execute workflow"). */
	executionMode?: WorkflowExecuteMode;
}

export type EngineInputItem = {
	json: IDataObject;
	binary?: Record<string, { data: Buffer; mimeType: string; fileName?: string }>;
};

export interface EngineWorkflow {
	nodes: EngineNode[];
	/**
	 * Connections between `nodes` (n8n format, keyed by source node name). Default: chain `nodes` in order.
	 * The harness always adds `HARNESS_START_NODE -> nodes[0]` unless you connect `HARNESS_START_NODE` yourself.
	 */
	connections?: IConnections;
	/** Items emitted by the start node. Default: `[{ json: {} }]`. Binary buffers are stored via `prepareBinaryData`. */
	input?: EngineInputItem[];
}

export type EngineItem = {
	json: IDataObject;
	binary?: IBinaryKeyData;
	pairedItem?: unknown;
	error?: unknown;
};

export interface EngineError {
	name?: string;
	message: string;
	description?: string | null;
	httpCode?: string | null;
	/** Node that failed, when the engine recorded one. */
	node?: { name?: string; type?: string } & IDataObject;
	[k: string]: unknown;
}

export interface EngineResult {
	/**
	 * `IRun.status` ('success' | 'error' | 'canceled' | 'waiting' | ...), except that a run stopped by
	 * `cancel()` is always 'canceled' (see `toResult`). Note: a node that fails with
	 * continueOnFail/onError still leaves status 'error' if it is the LAST node that runs (engine behaviour).
	 */
	status: 'success' | 'error' | 'canceled' | string;
	/** `resultData.error` (a plain copy of the thrown error, not an Error instance), if any. */
	error?: EngineError;
	/** Items of the node's LAST run on output `outputIndex` (default 0). Throws if the node never ran. `[]` if it errored. */
	output(nodeName: string, outputIndex?: number): EngineItem[];
	/** Error recorded on the node's last run (task data), if any. */
	nodeError(nodeName: string): EngineError | undefined;
	/** Bytes of binary property `property` (default 'data', else the only property) of an output item. Works in both binary modes. */
	binary(item: EngineItem, property?: string): Promise<Buffer>;
	/** Raw run data, keyed by node name. */
	runData: IRunData;
	/** The full `IRun` returned by the engine. */
	run: IRun;
}

/**
 * Resolves when the engine finishes. After `cancel()` it resolves (never rejects) with
 * status 'canceled' and `error` = `{ name: 'ManualExecutionCancelledError', message: 'The execution
 * was cancelled manually', reason: 'manual', ... }` once the running node has returned/thrown
 * (a node that ignores `getExecutionCancelSignal()` delays this until it finishes).
 * Rejects only if the engine refuses to start, e.g. `WorkflowHasIssuesError`
 * for a missing required parameter, or an unknown node type.
 */
export interface RunHandle extends Promise<EngineResult> {
	/** n8n's "Stop" button: aborts the signal nodes get from `this.getExecutionCancelSignal()`. */
	cancel(): void;
}

export interface Engine {
	run(workflow: EngineWorkflow): RunHandle;
}

export function createEngine(options: EngineOptions): Engine {
	const credentialsHelper = new InMemoryCredentialsHelper(
		options.credentialTypes ?? [],
		options.credentials ?? {},
	);
	const binaryDataMode = options.binaryDataMode ?? 'default';
	const mode = options.executionMode ?? 'manual';
	let runCounter = 0;

	return {
		run(wf) {
			runCounter += 1;
			const executionId = `harness-exec-${process.pid}-${Date.now()}-${runCounter}`;
			let cancelRequested = false;
			let settled = false;
			let execution: { cancel(): void } | undefined;

			const promise = (async (): Promise<EngineResult> => {
				try {
					await initBinaryData(binaryDataMode);
					const workflow = buildWorkflow(wf, options.nodeTypes);
					const additionalData = buildAdditionalData(executionId, workflow, credentialsHelper, mode);
					const workflowExecute = new core.WorkflowExecute(additionalData, mode);
					const startNode = workflow.getNode(HARNESS_START_NODE) ?? undefined;
					// Throws synchronously (-> rejects this promise) for WorkflowHasIssuesError etc.
					const pcancelable = workflowExecute.run({ workflow, startNode });
					execution = pcancelable;
					if (cancelRequested) pcancelable.cancel();
					const run = await pcancelable;
					return toResult(run, cancelRequested ? executionId : undefined);
				} finally {
					settled = true;
				}
			})();

			return Object.assign(promise, {
				cancel() {
					if (settled) return;
					cancelRequested = true;
					execution?.cancel();
				},
			});
		},
	};
}

// ---------------------------------------------------------------------------------------------
// Binary data
// ---------------------------------------------------------------------------------------------

let initializedBinaryMode: string | undefined;

async function initBinaryData(mode: 'default' | 'filesystem'): Promise<void> {
	if (initializedBinaryMode === mode) return;
	Container.get(core.BinaryDataConfig).mode = mode;
	await Container.get(core.BinaryDataService).init();
	initializedBinaryMode = mode;
}

async function readBinary(item: EngineItem, property?: string): Promise<Buffer> {
	const keys = Object.keys(item.binary ?? {});
	const key = property ?? (keys.includes('data') || keys.length !== 1 ? 'data' : keys[0]);
	const binaryData = item.binary?.[key];
	if (!binaryData) {
		throw new Error(`Item has no binary property "${key}" (has: ${keys.join(', ') || 'none'})`);
	}
	// Inline (default mode): base64 in `data`; filesystem mode: `id` = 'filesystem-v2:<path>'.
	return await Container.get(core.BinaryDataService).getAsBuffer(binaryData);
}

// ---------------------------------------------------------------------------------------------
// Workflow construction
// ---------------------------------------------------------------------------------------------

function createStartNodeType(input: EngineInputItem[]): INodeType {
	return {
		description: {
			displayName: 'Harness Start',
			name: HARNESS_START_TYPE,
			group: ['input'],
			version: 1,
			description: 'Emits the items given to engine.run({ input })',
			defaults: { name: HARNESS_START_NODE },
			inputs: [],
			outputs: ['main'],
			properties: [],
		},
		async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
			const items: INodeExecutionData[] = [];
			for (const [index, entry] of input.entries()) {
				const item: INodeExecutionData = { json: entry.json, pairedItem: { item: index } };
				if (entry.binary) {
					item.binary = {};
					for (const [key, value] of Object.entries(entry.binary)) {
						item.binary[key] = await this.helpers.prepareBinaryData(
							value.data,
							value.fileName,
							value.mimeType,
						);
					}
				}
				items.push(item);
			}
			return [items];
		},
	};
}

class HarnessNodeTypes implements INodeTypes {
	constructor(private readonly types: Record<string, INodeType | IVersionedNodeType>) {}

	getByName(nodeType: string): INodeType | IVersionedNodeType {
		const type = this.types[nodeType];
		if (!type) {
			throw new UnexpectedError(
				`Harness: unknown node type "${nodeType}". Known: ${Object.keys(this.types).join(', ')}`,
			);
		}
		return type;
	}

	getByNameAndVersion(nodeType: string, version?: number): INodeType {
		return NodeHelpers.getVersionedNodeType(this.getByName(nodeType), version);
	}

	getKnownTypes(): IDataObject {
		return {};
	}
}

function defaultTypeVersion(type: INodeType | IVersionedNodeType): number {
	if ('nodeVersions' in type) return type.currentVersion ?? type.description.defaultVersion;
	const { version } = type.description;
	return Array.isArray(version) ? Math.max(...version) : version;
}

function buildWorkflow(
	wf: EngineWorkflow,
	nodeTypesMap: Record<string, INodeType | IVersionedNodeType>,
): WorkflowType {
	if (wf.nodes.length === 0) throw new Error('Harness: workflow needs at least one node');
	const nodeTypes = new HarnessNodeTypes({
		...nodeTypesMap,
		[HARNESS_START_TYPE]: createStartNodeType(wf.input ?? [{ json: {} }]),
	});

	const startNode: INode = {
		id: 'harness-start',
		name: HARNESS_START_NODE,
		type: HARNESS_START_TYPE,
		typeVersion: 1,
		position: [0, 0],
		parameters: {},
	};
	const nodes: INode[] = [
		startNode,
		...wf.nodes.map((n, i): INode => {
			const node: INode = {
				id: `harness-node-${i}`,
				name: n.name,
				type: n.type,
				typeVersion: n.typeVersion ?? defaultTypeVersion(nodeTypes.getByName(n.type)),
				position: n.position ?? [(i + 1) * 250, 0],
				parameters: n.parameters ?? {},
			};
			if (n.credentials) node.credentials = n.credentials;
			if (n.continueOnFail !== undefined) node.continueOnFail = n.continueOnFail;
			if (n.onError !== undefined) node.onError = n.onError;
			if (n.disabled !== undefined) node.disabled = n.disabled;
			if (n.retryOnFail !== undefined) node.retryOnFail = n.retryOnFail;
			if (n.maxTries !== undefined) node.maxTries = n.maxTries;
			if (n.waitBetweenTries !== undefined) node.waitBetweenTries = n.waitBetweenTries;
			return node;
		}),
	];

	const link = (to: string) => ({ main: [[{ node: to, type: 'main' as const, index: 0 }]] });
	let connections: IConnections;
	if (wf.connections) {
		connections = { ...wf.connections };
	} else {
		connections = {};
		for (let i = 0; i < wf.nodes.length - 1; i++) {
			connections[wf.nodes[i].name] = link(wf.nodes[i + 1].name);
		}
	}
	if (!connections[HARNESS_START_NODE]) connections[HARNESS_START_NODE] = link(wf.nodes[0].name);

	return new Workflow({
		id: 'harness-workflow',
		name: 'Harness workflow',
		nodes,
		connections,
		active: false,
		nodeTypes,
		staticData: {},
		settings: { executionOrder: 'v1' },
	});
}

function buildAdditionalData(
	executionId: string,
	workflow: WorkflowType,
	credentialsHelper: ICredentialsHelper,
	mode: WorkflowExecuteMode,
): IWorkflowExecuteAdditionalData {
	const base = 'http://localhost:5678';
	const hooks = new core.ExecutionLifecycleHooks(mode, executionId, {
		id: workflow.id,
		name: workflow.name ?? '',
		active: false,
		isArchived: false,
		nodes: Object.values(workflow.nodes),
		connections: workflow.connectionsBySourceNode,
		settings: workflow.settings,
		createdAt: new Date(),
		updatedAt: new Date(),
		activeVersionId: null,
	} as unknown as ConstructorParameters<typeof core.ExecutionLifecycleHooks>[2]);
	const notAvailable = (what: string) => () => {
		throw new UnexpectedError(`Harness: ${what} is not available in the test engine`);
	};

	const additionalData: Partial<IWorkflowExecuteAdditionalData> = {
		hooks,
		credentialsHelper,
		executionId,
		workflowId: workflow.id,
		currentNodeExecutionIndex: 0,
		restApiUrl: `${base}/rest`,
		instanceBaseUrl: base,
		formBaseUrl: `${base}/form`,
		formWaitingBaseUrl: `${base}/form-waiting`,
		formTestBaseUrl: `${base}/form-test`,
		webhookBaseUrl: `${base}/webhook`,
		webhookWaitingBaseUrl: `${base}/webhook-waiting`,
		webhookTestBaseUrl: `${base}/webhook-test`,
		mcpBaseUrl: `${base}/mcp`,
		mcpTestBaseUrl: `${base}/mcp-test`,
		variables: {},
		logAiEvent: () => {},
		executeWorkflow: notAvailable('executeWorkflow (sub-workflows)'),
		getRunExecutionData: async () => undefined,
		getRuntimeCredential: async () => undefined,
		startRunnerTask: notAvailable('startRunnerTask (Code node task runners)'),
	};
	return additionalData as IWorkflowExecuteAdditionalData;
}

// ---------------------------------------------------------------------------------------------
// Results
// ---------------------------------------------------------------------------------------------

/**
 * `canceledExecutionId` is set when `cancel()` was called while the run was pending.
 *
 * Engine quirk: n8n-core aborts the cancel signal WITHOUT a reason, so a node awaiting
 * `sleep(ms, signal)` rejects with an AbortError (under jest: a plain Error "Error that was not an
 * instance of Error was thrown", because the DOMException comes from another realm), the engine
 * records that as the node's error and the IRun ends with status 'error'. Only a cancel that lands
 * between nodes gives status 'canceled' + ManualExecutionCancelledError. The n8n CLI reports both as
 * cancelled (ActiveExecutions.stopExecution rejects with ExecutionCancelledError), so the harness
 * normalises the former to the latter. The untouched engine output stays in `result.run`.
 */
function toResult(run: IRun, canceledExecutionId?: string): EngineResult {
	const runData = run.data.resultData.runData;
	const lastTask = (nodeName: string) => {
		const tasks = runData[nodeName];
		if (!tasks || tasks.length === 0) {
			throw new Error(
				`Harness: node "${nodeName}" did not run. Nodes that ran: ${Object.keys(runData).join(', ') || 'none'}` +
					(run.data.resultData.error ? ` (run error: ${run.data.resultData.error.message})` : ''),
			);
		}
		return tasks[tasks.length - 1];
	};
	let status: string = run.status;
	let error = run.data.resultData.error as unknown as EngineError | undefined;
	if (canceledExecutionId !== undefined && status === 'error') {
		const cancelled = new ManualExecutionCancelledError(canceledExecutionId);
		status = 'canceled';
		// Same plain-copy shape the engine itself produces for a cancel between nodes.
		error = {
			...(cancelled as unknown as Record<string, unknown>),
			name: cancelled.name,
			message: cancelled.message,
			stack: cancelled.stack,
			cause: error,
		};
	}

	return {
		status,
		error,
		runData,
		run,
		output(nodeName, outputIndex = 0) {
			return (lastTask(nodeName).data?.main?.[outputIndex] ?? []) as EngineItem[];
		},
		nodeError(nodeName) {
			return lastTask(nodeName).error as unknown as EngineError | undefined;
		},
		binary: readBinary,
	};
}

// ---------------------------------------------------------------------------------------------
// Credentials: in-memory equivalent of n8n CLI's CredentialsHelper (packages/cli/src/credentials-helper.ts)
// ---------------------------------------------------------------------------------------------

class InMemoryCredentialsHelper extends ICredentialsHelper {
	private readonly types = new Map<string, ICredentialType>();

	constructor(
		credentialTypes: ICredentialType[],
		private readonly data: Record<string, ICredentialDataDecryptedObject>,
	) {
		super();
		for (const type of credentialTypes) this.types.set(type.name, type);
	}

	private getType(typeName: string): ICredentialType {
		const type = this.types.get(typeName);
		if (!type) {
			throw new UnexpectedError(
				`Harness: unknown credential type "${typeName}" (pass it in EngineOptions.credentialTypes)`,
			);
		}
		return type;
	}

	/** Same as the CLI: a function `authenticate` is called; a generic one has its expressions resolved against `$credentials` and merged into headers/qs/body/auth. */
	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
		requestOptions: IHttpRequestOptions | IRequestOptionsSimplified,
		workflow?: WorkflowType,
		node?: INode,
	): Promise<IHttpRequestOptions> {
		const { authenticate } = this.getType(typeName);
		if (typeof authenticate === 'function') {
			return await authenticate(credentials, requestOptions as IHttpRequestOptions);
		}
		if (typeof authenticate === 'object' && authenticate.type === 'generic') {
			if (!workflow || !node) {
				throw new UnexpectedError('Workflow and node are required for declarative credential authentication');
			}
			const resolve = (value: string): string => {
				if (!isExpression(value)) return value;
				const resolved = workflow.expression.getSimpleParameterValue(
					node,
					value,
					'internal',
					{ $credentials: credentials },
					undefined,
					'',
				);
				return resolved ? String(resolved as string) : '';
			};
			requestOptions.headers ??= {};
			const target = requestOptions as unknown as Record<string, Record<string, unknown>>;
			for (const [outerKey, outerValue] of Object.entries(authenticate.properties)) {
				for (const [key, value] of Object.entries(outerValue as Record<string, string>)) {
					target[outerKey] ??= {};
					target[outerKey][resolve(key)] = resolve(value);
				}
			}
		}
		return requestOptions as IHttpRequestOptions;
	}

	/** Same as the CLI, minus persisting to a database (the refreshed data is kept in memory). */
	async preAuthentication(
		helpers: IHttpRequestHelper,
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
		_node: INode,
		credentialsExpired: boolean,
	): Promise<ICredentialDataDecryptedObject | undefined> {
		const type = this.getType(typeName);
		const expirable = type.properties.find(
			(p) => p.type === 'hidden' && p.typeOptions?.expirable === true,
		);
		if (!expirable || typeof type.preAuthentication !== 'function') return undefined;
		if (credentials[expirable.name] !== '' && !credentialsExpired) return undefined;
		const output = (await type.preAuthentication.call(
			helpers,
			credentials,
		)) as ICredentialDataDecryptedObject;
		if (output[expirable.name] === undefined) return undefined;
		this.data[typeName] = { ...this.data[typeName], ...output };
		return Object.assign(credentials, output);
	}

	async runPreAuthentication(
		helpers: IHttpRequestHelper,
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
	): Promise<ICredentialDataDecryptedObject | undefined> {
		const type = this.getType(typeName);
		if (typeof type.preAuthentication !== 'function') return undefined;
		const output = await type.preAuthentication.call(helpers, credentials);
		return (output as ICredentialDataDecryptedObject | undefined) ?? undefined;
	}

	getParentTypes(typeName: string): string[] {
		const parents = this.types.get(typeName)?.extends ?? [];
		return [...parents, ...parents.flatMap((p) => this.getParentTypes(p))];
	}

	isCredentialUsableByNode(): boolean {
		return true;
	}

	/** Unencrypted in-memory stand-in for n8n-core's `Credentials` (which needs an encryption key provider). */
	async getCredentials(nodeCredentials: INodeCredentialsDetails, type: string): Promise<ICredentials> {
		const store = this.data;
		const rawData = () => this.rawData(nodeCredentials, type);
		return {
			id: nodeCredentials.id ?? undefined,
			name: nodeCredentials.name,
			type,
			data: undefined,
			getData: async () => rawData(),
			getDataToSave: () => ({ id: nodeCredentials.id, name: nodeCredentials.name, type, data: '' }),
			setData: async (data: ICredentialDataDecryptedObject) => {
				store[type] = { ...data };
			},
			updateData: async (toUpdate: ICredentialDataDecryptedObject, toDelete: string[] = []) => {
				const next = { ...rawData(), ...toUpdate };
				for (const key of toDelete) delete next[key];
				store[type] = next;
			},
		} as ICredentials;
	}

	private rawData(nodeCredentials: INodeCredentialsDetails, type: string): ICredentialDataDecryptedObject {
		const data = this.data[type];
		if (!data) {
			// Same wording as the CLI's CredentialNotFoundError.
			throw new UnexpectedError(
				`Credential with ID "${nodeCredentials.id}" does not exist for type "${type}".`,
			);
		}
		return { ...data };
	}

	/** Data from `EngineOptions.credentials[type]`, with credential-type defaults applied and expressions resolved (like the CLI). */
	async getDecrypted(
		_additionalData: IWorkflowExecuteAdditionalData,
		nodeCredentials: INodeCredentialsDetails,
		type: string,
		mode: WorkflowExecuteMode,
		executeData?: IExecuteData,
		raw?: boolean,
		expressionResolveValues?: ICredentialsExpressionResolveValues,
	): Promise<ICredentialDataDecryptedObject> {
		const original = this.rawData(nodeCredentials, type);
		if (raw) return original;
		let data = NodeHelpers.getNodeParameters(
			this.getCredentialsProperties(type),
			original as INodeParameters,
			true,
			false,
			null,
			null,
		) as ICredentialDataDecryptedObject;
		if (original.oauthTokenData !== undefined) data.oauthTokenData = original.oauthTokenData;
		if (expressionResolveValues) {
			const v = expressionResolveValues;
			data = v.workflow.expression.getParameterValue(
				data as INodeParameters,
				v.runExecutionData,
				v.runIndex,
				v.itemIndex,
				v.node.name,
				v.connectionInputData,
				mode,
				{},
				executeData,
				false,
				data,
			) as ICredentialDataDecryptedObject;
		}
		return data;
	}

	async updateCredentials(
		_nodeCredentials: INodeCredentialsDetails,
		type: string,
		data: ICredentialDataDecryptedObject,
	): Promise<void> {
		this.data[type] = { ...data };
	}

	async updateCredentialsOauthTokenData(
		_nodeCredentials: INodeCredentialsDetails,
		type: string,
		data: ICredentialDataDecryptedObject,
	): Promise<void> {
		this.data[type] = { ...this.data[type], oauthTokenData: data.oauthTokenData };
	}

	getCredentialsProperties(type: string): INodeProperties[] {
		const typeData = this.getType(type);
		if (!typeData.extends) return typeData.properties;
		const combined: INodeProperties[] = [];
		for (const parent of typeData.extends) {
			NodeHelpers.mergeNodeProperties(combined, this.getCredentialsProperties(parent));
		}
		NodeHelpers.mergeNodeProperties(combined, typeData.properties);
		return combined;
	}
}
