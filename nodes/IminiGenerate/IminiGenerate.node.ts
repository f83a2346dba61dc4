import { NodeConnectionTypes } from 'n8n-workflow';
import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { toNodeError } from '../n8n/node-errors';
import { readIncludeInputFields, submittedJson, withRequest } from '../n8n/output';
import { readMaxTasksInFlight, readOnTimeout, readTimeoutMs } from '../n8n/parameters';
import { runItems } from '../n8n/run-items';
import { outputsFor, settle } from '../n8n/settle';
import { readDownload } from '../n8n/tool-mode';
import { generateProperties, modelSubtitle } from './description';
import { nodeDocsUrl } from '../n8n/properties';
import { buildRequest } from './request';

export class IminiGenerate implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Imini Generate',
		name: 'iminiGenerate',
		icon: { light: 'file:../icons/imini.svg', dark: 'file:../icons/imini.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: modelSubtitle,
		description:
			// Also the description an AI agent reads of the tool variant (n8n uses the node's own at run time).
			'Create pictures or videos from a prompt with imini: Nano Banana, GPT Image, Kling, Seedance or HappyHorse. Returns the files, or their links when an AI agent uses it as a tool',
		documentationUrl: nodeDocsUrl('imini-generate'),
		defaults: { name: 'Imini Generate' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		// A task still running at the timeout (On Timeout: Output the Task as Still Running) gets an
		// output of its own, so that it never passes for a finished one.
		outputs:
			'={{ $parameter.waitForCompletion !== false && $parameter.onTimeout === "output" ? [{ "type": "main", "displayName": "Done" }, { "type": "main", "displayName": "Still Running" }] : ["main"] }}',
		credentials: [{ name: 'iminiApi', required: true }],
		properties: generateProperties,
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		// Read before anything is sent: a bad value costs nothing (n8n/parameters.ts).
		const maxInFlight = readMaxTasksInFlight(this);
		const stillRunning = new Set<number>();
		const [items] = await runItems(this, maxInFlight, async (itemIndex, run) => {
			// Every parameter of this item is read, and checked, before its submit: an expression
			// that fails (a renamed node in `$("...")`) or a value that is refused then costs no
			// credit and leaves no task behind.
			const { kind, model, body } = await buildRequest(this, itemIndex);
			const waitForCompletion = Boolean(this.getNodeParameter('waitForCompletion', itemIndex, true));
			const waiting = waitForCompletion
				? { timeoutMs: readTimeoutMs(this, itemIndex, kind, body), download: readDownload(this, itemIndex), onTimeout: readOnTimeout(this, itemIndex) }
				: undefined;
			const includeInputFields = readIncludeInputFields(this, itemIndex);
			let submitted;
			try {
				submitted = (await run.client.submit(kind, body, { onSend: () => run.ledger.submitSent(itemIndex) })).value;
			} catch (error) {
				// A submit cut off by Stop stays "on its way" in the ledger: it may have created a task.
				if (!this.getExecutionCancelSignal()?.aborted) run.ledger.submitAnswered(itemIndex);
				throw toNodeError(this.getNode(), error, { call: 'submit', kind }, itemIndex);
			}
			// The deadline counts from here: time spent waiting for the rate quota before the
			// submit is not the task's (it did not exist yet).
			const submittedAt = Date.now();
			run.ledger.created(itemIndex, kind, model, submitted.task_id);
			if (!waiting) {
				return withRequest(this, itemIndex, [{ json: submittedJson(kind, submitted, model), pairedItem: { item: itemIndex } }], body, includeInputFields);
			}
			const items = await settle(this, run, kind, submitted.task_id, itemIndex, {
				...waiting,
				submittedAt,
				model,
				body,
				onStillRunning: () => stillRunning.add(itemIndex),
			});
			// The submit's request_id is the one to quote when reconciling with imini.
			for (const item of items) item.json.submit_request_id = submitted.request_id;
			return withRequest(this, itemIndex, items, body, includeInputFields);
		});
		return outputsFor(this, items, stillRunning, 'done-first');
	}
}
