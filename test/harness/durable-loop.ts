// The durable video loop (examples/08-durable-video-loop.json) behind a webhook, for the tests
// and the bench that park executions in a real n8n: the example's nodes and wiring as shipped,
// started by a Webhook node that answers at once, with the prompt (and Imini Wait's Timeout and
// On Timeout) taken from the call's body.
import { randomUUID } from 'node:crypto';
import { exampleWorkflows } from '../../dev/n8n/provision.ts';
import type { WorkflowToImport } from '../../dev/n8n/n8n-commands.ts';

export const DURABLE_EXAMPLE_ID = 'iminiEx8DurableLoop';

type ExampleNode = { id: string; name: string; type: string; position: [number, number]; parameters: Record<string, unknown>; credentials?: unknown };

export type LoopCopy = {
	id: string;
	/** Its production URL is `/webhook/<path>`. */
	path: string;
	/** Imini Wait's parameters over the example's (e.g. parking off, Check in Memory First). */
	wait?: Record<string, unknown>;
	credential?: { id: string; name: string };
};

/** What a call to the loop's webhook carries. */
export type LoopCall = { prompt: string; timeout?: number; on_timeout?: 'error' | 'output' };

export function durableLoopWorkflow(copy: LoopCopy): WorkflowToImport {
	const example = exampleWorkflows().find((w) => w.id === DURABLE_EXAMPLE_ID)!.json as { nodes: ExampleNode[]; connections: Record<string, unknown> };
	const trigger = example.nodes.find((n) => n.type === 'n8n-nodes-base.manualTrigger')!;
	const webhook = {
		id: randomUUID(),
		name: 'Webhook',
		type: 'n8n-nodes-base.webhook',
		typeVersion: 2.1,
		position: trigger.position,
		webhookId: randomUUID(),
		parameters: { httpMethod: 'POST', path: copy.path, responseMode: 'onReceived', options: {} },
	};
	const body = (field: string, fallback: string) => `={{ $('Webhook').first().json.body.${field} ?? ${fallback} }}`;
	const nodes = example.nodes
		.filter((n) => n !== trigger)
		.map((n) => {
			const withCredential = n.credentials && copy.credential ? { ...n, credentials: { iminiApi: copy.credential } } : n;
			if (n.type.endsWith('.iminiGenerate')) return { ...withCredential, parameters: { ...n.parameters, prompt: body('prompt', "''") } };
			if (n.type.endsWith('.iminiWait')) {
				return { ...withCredential, parameters: { ...n.parameters, timeout: body('timeout', '0'), onTimeout: body('on_timeout', "'error'"), ...copy.wait } };
			}
			return withCredential;
		});
	const connections: Record<string, unknown> = { ...example.connections, Webhook: example.connections[trigger.name] };
	delete connections[trigger.name];
	return { ...(example as unknown as WorkflowToImport), id: copy.id, name: `durable loop · ${copy.path}`, nodes: [webhook, ...nodes], connections };
}
