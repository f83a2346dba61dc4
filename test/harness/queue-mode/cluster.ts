// The queue-mode setup the scale tests run against: PostgreSQL, Redis, n8n main and two workers
// (dev/n8n/queue-mode.ts), the package installed from the packed tarball into every process's
// user folder, and one offline imini per scenario. The first scenario runs the webhook example
// (examples/07-webhook-prompts-to-images.json) exactly as shipped; every other one a copy of it
// on its own path, with its own credential (and so its own mock).
import { startMock } from '../../../mock-server/index.ts';
import type { MockServer, SimulatorOptions } from '../../../mock-server/index.ts';
import { importCredentials, importWorkflows } from '../../../dev/n8n/n8n-commands.ts';
import { startQueueMode } from '../../../dev/n8n/queue-mode.ts';
import { activateWorkflow } from '../../../dev/n8n/server.ts';
import type { WorkflowToImport } from '../../../dev/n8n/n8n-commands.ts';
import type { QueueMode } from '../../../dev/n8n/queue-mode.ts';
import { provisionImini, webhookExample, webhookExampleCopy } from '../../../dev/n8n/provision.ts';
import { postWebhook } from '../webhook';
import type { WebhookAnswer } from '../webhook';
import { recordTraffic } from './traffic';
import type { Traffic } from './traffic';

export type Scenario = {
	/** The webhook path (`/webhook/scale-<name>`) and credential id of a copy. */
	name: string;
	simulator: Partial<SimulatorOptions>;
	/** Imini Generate's parameters (e.g. its timeout) and options (polling) in this scenario's copy of the workflow. */
	generateParameters?: Record<string, unknown>;
	generateOptions?: Record<string, unknown>;
};

export type ScenarioRun = { mock: MockServer; traffic: Traffic; path: string; workflowId: string };

export type { WebhookAnswer };

export type ScaleSetup = {
	queue: QueueMode;
	scenarios: Record<string, ScenarioRun>;
	/** POSTs JSON to a production webhook of n8n main, as an app would. */
	call(path: string, body: unknown): Promise<WebhookAnswer>;
	stop(): Promise<void>;
};

// Short enough that a dead worker's executions are noticed within seconds, long enough that a
// busy 2-core machine never misses a renewal (n8n's defaults: 60 s lock, renewed every 10 s,
// checked every 30 s).
export const LOCK_SETTINGS = { QUEUE_WORKER_LOCK_DURATION: '10000', QUEUE_WORKER_LOCK_RENEW_TIME: '2000', QUEUE_WORKER_STALLED_INTERVAL: '5000' };

function scenarioWorkflow(scenario: Scenario): WorkflowToImport {
	return webhookExampleCopy({
		id: `iminiScale${scenario.name.replace(/[^a-zA-Z0-9]/g, '')}`,
		name: `scale · ${scenario.name}`,
		path: `scale-${scenario.name}`,
		credential: { id: `imini-${scenario.name}`, name: `Imini API (${scenario.name})` },
		parameters: scenario.generateParameters,
		options: scenario.generateOptions,
	});
}

export async function startScaleSetup(scenarios: Scenario[], options: { concurrency?: number } = {}): Promise<ScaleSetup> {
	const runs: Record<string, ScenarioRun> = {};
	const stopMocks = async () => {
		for (const run of Object.values(runs)) {
			run.traffic.stop();
			await run.mock.close();
		}
	};
	let queue: QueueMode | undefined;
	try {
		const example = webhookExample();
		const examplePath = (example.nodes as Array<{ type: string; parameters: { path?: string } }>).find((n) => n.type === 'n8n-nodes-base.webhook')!.parameters.path!;
		for (const [index, scenario] of scenarios.entries()) {
			const mock = await startMock({ simulator: { rateLimit: null, ...scenario.simulator } });
			runs[scenario.name] = { mock, traffic: recordTraffic(mock), path: index === 0 ? examplePath : `scale-${scenario.name}`, workflowId: '' };
		}
		const [shipped, ...copies] = scenarios;
		const workflows = [example, ...copies.map((s) => scenarioWorkflow(s))];
		for (const [index, scenario] of scenarios.entries()) runs[scenario.name].workflowId = workflows[index].id!;
		queue = await startQueueMode({
			concurrency: options.concurrency,
			env: LOCK_SETTINGS,
			prepare: async (main, workers) => {
				const mock = runs[shipped.name].mock;
				await provisionImini(main, { apiKey: mock.apiKey, baseUrl: mock.url, name: 'Imini API (offline mock)' }, { examples: false, workerHomes: workers });
				if (copies.length) {
					await importCredentials(
						main,
						copies.map((s) => ({ id: `imini-${s.name}`, name: `Imini API (${s.name})`, type: 'iminiApi', data: { apiKey: runs[s.name].mock.apiKey, baseUrl: runs[s.name].mock.url } })),
					);
				}
				await importWorkflows(main, workflows);
			},
		});
		for (const workflow of workflows) await activateWorkflow(queue.main, workflow.id!);
	} catch (error) {
		await queue?.stop();
		await stopMocks();
		throw error;
	}
	const { main } = queue;
	return {
		queue,
		scenarios: runs,
		call: async (path, body) => await postWebhook(`${main.url}/webhook/${path}`, body, 300_000),
		async stop() {
			await queue!.stop();
			await stopMocks();
		},
	};
}
