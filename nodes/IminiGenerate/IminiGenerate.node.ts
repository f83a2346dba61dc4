import { NodeConnectionTypes } from 'n8n-workflow';
import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { toNodeError } from '../n8n/node-errors';
import { submittedJson } from '../n8n/output';
import { readMaxTasksInFlight, readOnTimeout, readTimeoutMs } from '../n8n/parameters';
import { runItems } from '../n8n/run-items';
import { settle } from '../n8n/settle';
import { readDownload } from '../n8n/tool-mode';
import { generateProperties } from './description';
import { buildRequest } from './request';

export class IminiGenerate implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Imini Generate',
		name: 'iminiGenerate',
		icon: { light: 'file:../icons/imini.svg', dark: 'file:../icons/imini.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{ $parameter["resource"] + ": " + $parameter["model"] }}',
		description:
			'Generate images or videos with imini (Nano Banana, GPT Image, Kling, Seedance, HappyHorse) from a prompt and optional reference media; waits and returns the files as binary data (to an AI agent: their URLs)',
		documentationUrl: 'https://docs.imini.ai',
		defaults: { name: 'Imini Generate' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'iminiApi', required: true }],
		properties: generateProperties,
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		// Read before anything is sent: a bad value costs nothing (n8n/parameters.ts).
		const maxInFlight = readMaxTasksInFlight(this);
		return await runItems(this, maxInFlight, async (itemIndex, run) => {
			// Every parameter of this item is read, and checked, before its submit: an expression
			// that fails (a renamed node in `$("...")`) or a value that is refused then costs no
			// credit and leaves no task behind.
			const { kind, model, body } = await buildRequest(this, itemIndex);
			const waitForCompletion = Boolean(this.getNodeParameter('waitForCompletion', itemIndex, true));
			const waiting = waitForCompletion
				? { timeoutMs: readTimeoutMs(this, itemIndex, kind, body), download: readDownload(this, itemIndex), onTimeout: readOnTimeout(this, itemIndex) }
				: undefined;
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
				return [{ json: submittedJson(kind, submitted, model), pairedItem: { item: itemIndex } }];
			}
			const items = await settle(this, run, kind, submitted.task_id, itemIndex, { ...waiting, submittedAt, model, body });
			// The submit's request_id is the one to quote when reconciling with imini.
			for (const item of items) item.json.submit_request_id = submitted.request_id;
			return items;
		});
	}
}
