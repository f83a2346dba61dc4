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
 *   import { createEngine } from '../harness/n8n-engine/engine';   // import BEFORE anything that loads n8n-core
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
 * the environment variables (environment.ts) and the binary-data mode (`BinaryDataConfig.mode` in
 * the DI container, binary-store.ts). Runs of engines with different `binaryDataMode`s must
 * therefore not overlap in time.
 *
 * This file starts runs and lets a test cancel them; the other parts have one job each:
 *   environment.ts         the N8N_* variables, then n8n-core loaded
 *   types.ts               the shapes a test hands in and reads back
 *   workflow.ts            a test's nodes as an n8n Workflow, behind a start node for its input
 *   additional-data.ts     what the engine needs around a run (hooks, URLs)
 *   credentials-helper.ts  credentials in memory, authenticated as n8n's CLI does
 *   binary-store.ts        where binary data is stored, and reading it back
 *   result.ts              the engine's IRun as a test reads it
 */
import { core } from './environment';
import { buildAdditionalData } from './additional-data';
import { initBinaryData } from './binary-store';
import { InMemoryCredentialsHelper } from './credentials-helper';
import { toResult } from './result';
import type { Engine, EngineOptions, EngineResult, EngineWorkflow, RunHandle } from './types';
import { HARNESS_START_NODE, buildWorkflow } from './workflow';

export { HARNESS_START_NODE, HARNESS_START_TYPE } from './workflow';
export type {
	Engine,
	EngineError,
	EngineInputItem,
	EngineItem,
	EngineNode,
	EngineOptions,
	EngineResult,
	EngineWorkflow,
	RunHandle,
} from './types';

export function createEngine(options: EngineOptions): Engine {
	const credentialsHelper = new InMemoryCredentialsHelper(
		options.credentialTypes ?? [],
		options.credentials ?? {},
	);
	const binaryDataMode = options.binaryDataMode ?? 'default';
	const mode = options.executionMode ?? 'manual';
	let runCounter = 0;

	const start = (wf: EngineWorkflow, parked?: EngineResult): RunHandle => {
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
				let pcancelable;
				if (parked) {
					// What n8n's WaitTracker does when a wait is over: the saved run data (plain data, as
					// the database keeps it) handed to a new WorkflowExecute.
					const saved = JSON.parse(JSON.stringify(parked.run.data)) as EngineResult['run']['data'];
					pcancelable = new core.WorkflowExecute(additionalData, mode, saved).processRunExecutionData(workflow);
				} else {
					const startNode = workflow.getNode(HARNESS_START_NODE) ?? undefined;
					// Throws synchronously (-> rejects this promise) for WorkflowHasIssuesError etc.
					pcancelable = new core.WorkflowExecute(additionalData, mode).run({ workflow, startNode });
				}
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
	};

	return {
		run: (wf) => start(wf),
		resume: (wf, parked) => start(wf, parked),
	};
}
