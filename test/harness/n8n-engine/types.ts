// The harness's public shapes: the workflow a test hands to `engine.run` (nodes, connections,
// input items), the engine's options (node types, credentials, binary data mode), and the result
// a test reads back (status, error, each node's output items and binary data).
import type {
	ICredentialDataDecryptedObject,
	ICredentialType,
	IBinaryKeyData,
	IConnections,
	IDataObject,
	INodeParameters,
	INodeType,
	IRun,
	IRunData,
	IVersionedNodeType,
	WorkflowExecuteMode,
} from 'n8n-workflow';

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
	/**
	 * Where `prepareBinaryData` stores bytes. 'default' = inline base64 (memory), 'filesystem' =
	 * files under N8N_USER_FOLDER, 'database' = n8n's database mode as a stand-in that keeps rows,
	 * not bytes (binary-store.ts). Default: 'default'.
	 */
	binaryDataMode?: 'default' | 'filesystem' | 'database';
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
	/**
	 * Resumes a run that ended `waiting` (a node called putExecutionToWait) as n8n's WaitTracker
	 * does when the wait is over, but at once, whatever the time it was to wait until.
	 */
	resume(workflow: EngineWorkflow, parked: EngineResult): RunHandle;
}
