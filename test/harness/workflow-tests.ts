// Workflows of the package's real nodes, run by n8n's real engine against the offline imini
// (simulator behind Prism). Import this file first in a test: the engine harness must load
// before anything else touches n8n-core.
import { createEngine } from './n8n-engine/engine';
import type { EngineNode, EngineOptions, EngineResult } from './n8n-engine/engine';
import { IminiApi } from '../../credentials/IminiApi.credentials';
import { IminiGenerate } from '../../nodes/IminiGenerate/IminiGenerate.node';
import { IminiGetTask } from '../../nodes/IminiGetTask/IminiGetTask.node';
import { IminiWait } from '../../nodes/IminiWait/IminiWait.node';
import { accounts } from '../../nodes/engine/process-state';
import { formatViolations, useMock } from './mock';
import type { MockOptions, MockServer } from './mock';

export const GENERATE = 'n8n-nodes-imini.iminiGenerate';
export const GET_TASK = 'n8n-nodes-imini.iminiGetTask';
export const WAIT = 'n8n-nodes-imini.iminiWait';

/** Polling fast enough for a simulator whose tasks take a fraction of a second. */
export const fastPolling = { firstCheckAfter: 0.05, maxCheckInterval: 0.1 };

const credentials = { iminiApi: { id: '1', name: 'Imini (mock)' } };

export function node(name: string, type: string, parameters: Record<string, unknown>, extra: Partial<EngineNode> = {}): EngineNode {
	return { name, type, parameters: parameters as EngineNode['parameters'], credentials, ...extra };
}

export function generate(parameters: Record<string, unknown>, extra: Partial<EngineNode> = {}): EngineNode {
	return node('Generate', GENERATE, { ...parameters, options: { ...fastPolling, ...(parameters.options as object) } }, extra);
}

export type Harness = {
	mock: MockServer;
	run(workflow: Parameters<ReturnType<typeof createEngine>['run']>[0], credentialData?: Record<string, unknown>): ReturnType<ReturnType<typeof createEngine>['run']>;
	/** Resumes a run that ended `waiting`, at once (what n8n's WaitTracker does when its time comes). */
	resume(workflow: Parameters<ReturnType<typeof createEngine>['run']>[0], parked: EngineResult): ReturnType<ReturnType<typeof createEngine>['run']>;
};

/** A mock for this test file, and a way to run workflows against it. */
export function useWorkflows(options: MockOptions = {}, engineOptions: Partial<EngineOptions> = {}): Harness {
	const holder = useMock(options);
	// One test's 429s (a fault it asked for) would slow the next test's runs on the same key, as
	// they would in one n8n process: each test starts as a fresh process does.
	beforeEach(() => accounts.forgetIdle());
	const engineFor = (credentialData: Record<string, unknown>) =>
		createEngine({
			nodeTypes: { [GENERATE]: new IminiGenerate(), [GET_TASK]: new IminiGetTask(), [WAIT]: new IminiWait() },
			credentialTypes: [new IminiApi()],
			credentials: { iminiApi: { apiKey: holder.current.apiKey, baseUrl: holder.current.url, ...credentialData } },
			...engineOptions,
		});
	const harness = {
		get mock() {
			return holder.current;
		},
		run(workflow: Parameters<ReturnType<typeof createEngine>['run']>[0], credentialData: Record<string, unknown> = {}) {
			return engineFor(credentialData).run(workflow);
		},
		resume(workflow: Parameters<ReturnType<typeof createEngine>['run']>[0], parked: EngineResult) {
			return engineFor({}).resume(workflow, parked);
		},
	};
	return harness as Harness;
}

export function expectNoViolations(mock: MockServer): void {
	expect(formatViolations(mock.violations)).toBe('');
}

export function errorText(result: EngineResult): string {
	return `${result.error?.message ?? ''}\n${result.error?.description ?? ''}`;
}
