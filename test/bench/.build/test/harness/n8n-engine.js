"use strict";
var __createBinding = (this && this.__createBinding) || (Object.create ? (function(o, m, k, k2) {
    if (k2 === undefined) k2 = k;
    var desc = Object.getOwnPropertyDescriptor(m, k);
    if (!desc || ("get" in desc ? !m.__esModule : desc.writable || desc.configurable)) {
      desc = { enumerable: true, get: function() { return m[k]; } };
    }
    Object.defineProperty(o, k2, desc);
}) : (function(o, m, k, k2) {
    if (k2 === undefined) k2 = k;
    o[k2] = m[k];
}));
var __setModuleDefault = (this && this.__setModuleDefault) || (Object.create ? (function(o, v) {
    Object.defineProperty(o, "default", { enumerable: true, value: v });
}) : function(o, v) {
    o["default"] = v;
});
var __importStar = (this && this.__importStar) || (function () {
    var ownKeys = function(o) {
        ownKeys = Object.getOwnPropertyNames || function (o) {
            var ar = [];
            for (var k in o) if (Object.prototype.hasOwnProperty.call(o, k)) ar[ar.length] = k;
            return ar;
        };
        return ownKeys(o);
    };
    return function (mod) {
        if (mod && mod.__esModule) return mod;
        var result = {};
        if (mod != null) for (var k = ownKeys(mod), i = 0; i < k.length; i++) if (k[i] !== "default") __createBinding(result, mod, k[i]);
        __setModuleDefault(result, mod);
        return result;
    };
})();
Object.defineProperty(exports, "__esModule", { value: true });
exports.HARNESS_START_TYPE = exports.HARNESS_START_NODE = void 0;
exports.createEngine = createEngine;
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
const fs = __importStar(require("node:fs"));
const os = __importStar(require("node:os"));
const path = __importStar(require("node:path"));
const n8n_workflow_1 = require("n8n-workflow");
// `Workflow` is a runtime value too; imported separately so the type-only list above stays type-only.
const n8n_workflow_2 = require("n8n-workflow");
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
const core = require('n8n-core');
const { Container } = require('@n8n/di');
/* eslint-enable @typescript-eslint/no-require-imports */
// Remove the temp user folder (n8n config + filesystem binary data) when the test file ends.
const jestAfterAll = globalThis.afterAll;
if (ownsUserFolder && typeof jestAfterAll === 'function') {
    jestAfterAll(() => fs.rmSync(HARNESS_USER_FOLDER, { recursive: true, force: true }));
}
// ---------------------------------------------------------------------------------------------
// Public API
// ---------------------------------------------------------------------------------------------
/** Name of the start node the harness puts in front of every workflow. */
exports.HARNESS_START_NODE = 'Harness Start';
/** Node type name of that start node. */
exports.HARNESS_START_TYPE = 'n8n-engine-harness.start';
function createEngine(options) {
    const credentialsHelper = new InMemoryCredentialsHelper(options.credentialTypes ?? [], options.credentials ?? {});
    const binaryDataMode = options.binaryDataMode ?? 'default';
    const mode = options.executionMode ?? 'manual';
    let runCounter = 0;
    return {
        run(wf) {
            runCounter += 1;
            const executionId = `harness-exec-${process.pid}-${Date.now()}-${runCounter}`;
            let cancelRequested = false;
            let settled = false;
            let execution;
            const promise = (async () => {
                try {
                    await initBinaryData(binaryDataMode);
                    const workflow = buildWorkflow(wf, options.nodeTypes);
                    const additionalData = buildAdditionalData(executionId, workflow, credentialsHelper, mode);
                    const workflowExecute = new core.WorkflowExecute(additionalData, mode);
                    const startNode = workflow.getNode(exports.HARNESS_START_NODE) ?? undefined;
                    // Throws synchronously (-> rejects this promise) for WorkflowHasIssuesError etc.
                    const pcancelable = workflowExecute.run({ workflow, startNode });
                    execution = pcancelable;
                    if (cancelRequested)
                        pcancelable.cancel();
                    const run = await pcancelable;
                    return toResult(run, cancelRequested ? executionId : undefined);
                }
                finally {
                    settled = true;
                }
            })();
            return Object.assign(promise, {
                cancel() {
                    if (settled)
                        return;
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
let initializedBinaryMode;
async function initBinaryData(mode) {
    if (initializedBinaryMode === mode)
        return;
    Container.get(core.BinaryDataConfig).mode = mode;
    await Container.get(core.BinaryDataService).init();
    initializedBinaryMode = mode;
}
async function readBinary(item, property) {
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
function createStartNodeType(input) {
    return {
        description: {
            displayName: 'Harness Start',
            name: exports.HARNESS_START_TYPE,
            group: ['input'],
            version: 1,
            description: 'Emits the items given to engine.run({ input })',
            defaults: { name: exports.HARNESS_START_NODE },
            inputs: [],
            outputs: ['main'],
            properties: [],
        },
        async execute() {
            const items = [];
            for (const [index, entry] of input.entries()) {
                const item = { json: entry.json, pairedItem: { item: index } };
                if (entry.binary) {
                    item.binary = {};
                    for (const [key, value] of Object.entries(entry.binary)) {
                        item.binary[key] = await this.helpers.prepareBinaryData(value.data, value.fileName, value.mimeType);
                    }
                }
                items.push(item);
            }
            return [items];
        },
    };
}
class HarnessNodeTypes {
    types;
    constructor(types) {
        this.types = types;
    }
    getByName(nodeType) {
        const type = this.types[nodeType];
        if (!type) {
            throw new n8n_workflow_1.UnexpectedError(`Harness: unknown node type "${nodeType}". Known: ${Object.keys(this.types).join(', ')}`);
        }
        return type;
    }
    getByNameAndVersion(nodeType, version) {
        return n8n_workflow_1.NodeHelpers.getVersionedNodeType(this.getByName(nodeType), version);
    }
    getKnownTypes() {
        return {};
    }
}
function defaultTypeVersion(type) {
    if ('nodeVersions' in type)
        return type.currentVersion ?? type.description.defaultVersion;
    const { version } = type.description;
    return Array.isArray(version) ? Math.max(...version) : version;
}
function buildWorkflow(wf, nodeTypesMap) {
    if (wf.nodes.length === 0)
        throw new Error('Harness: workflow needs at least one node');
    const nodeTypes = new HarnessNodeTypes({
        ...nodeTypesMap,
        [exports.HARNESS_START_TYPE]: createStartNodeType(wf.input ?? [{ json: {} }]),
    });
    const startNode = {
        id: 'harness-start',
        name: exports.HARNESS_START_NODE,
        type: exports.HARNESS_START_TYPE,
        typeVersion: 1,
        position: [0, 0],
        parameters: {},
    };
    const nodes = [
        startNode,
        ...wf.nodes.map((n, i) => {
            const node = {
                id: `harness-node-${i}`,
                name: n.name,
                type: n.type,
                typeVersion: n.typeVersion ?? defaultTypeVersion(nodeTypes.getByName(n.type)),
                position: n.position ?? [(i + 1) * 250, 0],
                parameters: n.parameters ?? {},
            };
            if (n.credentials)
                node.credentials = n.credentials;
            if (n.continueOnFail !== undefined)
                node.continueOnFail = n.continueOnFail;
            if (n.onError !== undefined)
                node.onError = n.onError;
            if (n.disabled !== undefined)
                node.disabled = n.disabled;
            if (n.retryOnFail !== undefined)
                node.retryOnFail = n.retryOnFail;
            if (n.maxTries !== undefined)
                node.maxTries = n.maxTries;
            if (n.waitBetweenTries !== undefined)
                node.waitBetweenTries = n.waitBetweenTries;
            return node;
        }),
    ];
    const link = (to) => ({ main: [[{ node: to, type: 'main', index: 0 }]] });
    let connections;
    if (wf.connections) {
        connections = { ...wf.connections };
    }
    else {
        connections = {};
        for (let i = 0; i < wf.nodes.length - 1; i++) {
            connections[wf.nodes[i].name] = link(wf.nodes[i + 1].name);
        }
    }
    if (!connections[exports.HARNESS_START_NODE])
        connections[exports.HARNESS_START_NODE] = link(wf.nodes[0].name);
    return new n8n_workflow_2.Workflow({
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
function buildAdditionalData(executionId, workflow, credentialsHelper, mode) {
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
    });
    const notAvailable = (what) => () => {
        throw new n8n_workflow_1.UnexpectedError(`Harness: ${what} is not available in the test engine`);
    };
    const additionalData = {
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
        logAiEvent: () => { },
        executeWorkflow: notAvailable('executeWorkflow (sub-workflows)'),
        getRunExecutionData: async () => undefined,
        getRuntimeCredential: async () => undefined,
        startRunnerTask: notAvailable('startRunnerTask (Code node task runners)'),
    };
    return additionalData;
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
function toResult(run, canceledExecutionId) {
    const runData = run.data.resultData.runData;
    const lastTask = (nodeName) => {
        const tasks = runData[nodeName];
        if (!tasks || tasks.length === 0) {
            throw new Error(`Harness: node "${nodeName}" did not run. Nodes that ran: ${Object.keys(runData).join(', ') || 'none'}` +
                (run.data.resultData.error ? ` (run error: ${run.data.resultData.error.message})` : ''));
        }
        return tasks[tasks.length - 1];
    };
    let status = run.status;
    let error = run.data.resultData.error;
    if (canceledExecutionId !== undefined && status === 'error') {
        const cancelled = new n8n_workflow_1.ManualExecutionCancelledError(canceledExecutionId);
        status = 'canceled';
        // Same plain-copy shape the engine itself produces for a cancel between nodes.
        error = {
            ...cancelled,
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
            return (lastTask(nodeName).data?.main?.[outputIndex] ?? []);
        },
        nodeError(nodeName) {
            return lastTask(nodeName).error;
        },
        binary: readBinary,
    };
}
// ---------------------------------------------------------------------------------------------
// Credentials: in-memory equivalent of n8n CLI's CredentialsHelper (packages/cli/src/credentials-helper.ts)
// ---------------------------------------------------------------------------------------------
class InMemoryCredentialsHelper extends n8n_workflow_1.ICredentialsHelper {
    data;
    types = new Map();
    constructor(credentialTypes, data) {
        super();
        this.data = data;
        for (const type of credentialTypes)
            this.types.set(type.name, type);
    }
    getType(typeName) {
        const type = this.types.get(typeName);
        if (!type) {
            throw new n8n_workflow_1.UnexpectedError(`Harness: unknown credential type "${typeName}" (pass it in EngineOptions.credentialTypes)`);
        }
        return type;
    }
    /** Same as the CLI: a function `authenticate` is called; a generic one has its expressions resolved against `$credentials` and merged into headers/qs/body/auth. */
    async authenticate(credentials, typeName, requestOptions, workflow, node) {
        const { authenticate } = this.getType(typeName);
        if (typeof authenticate === 'function') {
            return await authenticate(credentials, requestOptions);
        }
        if (typeof authenticate === 'object' && authenticate.type === 'generic') {
            if (!workflow || !node) {
                throw new n8n_workflow_1.UnexpectedError('Workflow and node are required for declarative credential authentication');
            }
            const resolve = (value) => {
                if (!(0, n8n_workflow_1.isExpression)(value))
                    return value;
                const resolved = workflow.expression.getSimpleParameterValue(node, value, 'internal', { $credentials: credentials }, undefined, '');
                return resolved ? String(resolved) : '';
            };
            requestOptions.headers ??= {};
            const target = requestOptions;
            for (const [outerKey, outerValue] of Object.entries(authenticate.properties)) {
                for (const [key, value] of Object.entries(outerValue)) {
                    target[outerKey] ??= {};
                    target[outerKey][resolve(key)] = resolve(value);
                }
            }
        }
        return requestOptions;
    }
    /** Same as the CLI, minus persisting to a database (the refreshed data is kept in memory). */
    async preAuthentication(helpers, credentials, typeName, _node, credentialsExpired) {
        const type = this.getType(typeName);
        const expirable = type.properties.find((p) => p.type === 'hidden' && p.typeOptions?.expirable === true);
        if (!expirable || typeof type.preAuthentication !== 'function')
            return undefined;
        if (credentials[expirable.name] !== '' && !credentialsExpired)
            return undefined;
        const output = (await type.preAuthentication.call(helpers, credentials));
        if (output[expirable.name] === undefined)
            return undefined;
        this.data[typeName] = { ...this.data[typeName], ...output };
        return Object.assign(credentials, output);
    }
    async runPreAuthentication(helpers, credentials, typeName) {
        const type = this.getType(typeName);
        if (typeof type.preAuthentication !== 'function')
            return undefined;
        const output = await type.preAuthentication.call(helpers, credentials);
        return output ?? undefined;
    }
    getParentTypes(typeName) {
        const parents = this.types.get(typeName)?.extends ?? [];
        return [...parents, ...parents.flatMap((p) => this.getParentTypes(p))];
    }
    isCredentialUsableByNode() {
        return true;
    }
    /** Unencrypted in-memory stand-in for n8n-core's `Credentials` (which needs an encryption key provider). */
    async getCredentials(nodeCredentials, type) {
        const store = this.data;
        const rawData = () => this.rawData(nodeCredentials, type);
        return {
            id: nodeCredentials.id ?? undefined,
            name: nodeCredentials.name,
            type,
            data: undefined,
            getData: async () => rawData(),
            getDataToSave: () => ({ id: nodeCredentials.id, name: nodeCredentials.name, type, data: '' }),
            setData: async (data) => {
                store[type] = { ...data };
            },
            updateData: async (toUpdate, toDelete = []) => {
                const next = { ...rawData(), ...toUpdate };
                for (const key of toDelete)
                    delete next[key];
                store[type] = next;
            },
        };
    }
    rawData(nodeCredentials, type) {
        const data = this.data[type];
        if (!data) {
            // Same wording as the CLI's CredentialNotFoundError.
            throw new n8n_workflow_1.UnexpectedError(`Credential with ID "${nodeCredentials.id}" does not exist for type "${type}".`);
        }
        return { ...data };
    }
    /** Data from `EngineOptions.credentials[type]`, with credential-type defaults applied and expressions resolved (like the CLI). */
    async getDecrypted(_additionalData, nodeCredentials, type, mode, executeData, raw, expressionResolveValues) {
        const original = this.rawData(nodeCredentials, type);
        if (raw)
            return original;
        let data = n8n_workflow_1.NodeHelpers.getNodeParameters(this.getCredentialsProperties(type), original, true, false, null, null);
        if (original.oauthTokenData !== undefined)
            data.oauthTokenData = original.oauthTokenData;
        if (expressionResolveValues) {
            const v = expressionResolveValues;
            data = v.workflow.expression.getParameterValue(data, v.runExecutionData, v.runIndex, v.itemIndex, v.node.name, v.connectionInputData, mode, {}, executeData, false, data);
        }
        return data;
    }
    async updateCredentials(_nodeCredentials, type, data) {
        this.data[type] = { ...data };
    }
    async updateCredentialsOauthTokenData(_nodeCredentials, type, data) {
        this.data[type] = { ...this.data[type], oauthTokenData: data.oauthTokenData };
    }
    getCredentialsProperties(type) {
        const typeData = this.getType(type);
        if (!typeData.extends)
            return typeData.properties;
        const combined = [];
        for (const parent of typeData.extends) {
            n8n_workflow_1.NodeHelpers.mergeNodeProperties(combined, this.getCredentialsProperties(parent));
        }
        n8n_workflow_1.NodeHelpers.mergeNodeProperties(combined, typeData.properties);
        return combined;
    }
}
