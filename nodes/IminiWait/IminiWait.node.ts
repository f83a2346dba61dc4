import { NodeConnectionTypes } from 'n8n-workflow';
import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { readOnTimeout, readTimeoutMs } from '../n8n/parameters';
import {
	downloadProperty,
	fileOptions,
	onTimeoutProperty,
	pollingOptions,
	taskIdProperty,
	taskSubtitle,
	USAGE_DOCS_URL,
	taskTypeProperty,
	timeoutProperty,
} from '../n8n/properties';
import { runItems } from '../n8n/run-items';
import { settle } from '../n8n/settle';
import { readTaskId, resolveTask } from '../n8n/task-lookup';
import { readDownload } from '../n8n/tool-mode';

/** Waiting costs no credits, so every item's task is watched at once (up to this many). */
const MAX_WATCHED = 100;

export class IminiWait implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Imini Wait',
		name: 'iminiWait',
		icon: { light: 'file:../icons/imini-wait.svg', dark: 'file:../icons/imini-wait.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: taskSubtitle('wait'),
		description: 'Wait until an imini task is done and get its pictures or video',
		documentationUrl: USAGE_DOCS_URL,
		defaults: { name: 'Imini Wait' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'iminiApi', required: true }],
		properties: [
			taskIdProperty,
			taskTypeProperty,
			timeoutProperty,
			onTimeoutProperty,
			downloadProperty,
			{
				displayName: 'Options',
				name: 'options',
				type: 'collection',
				placeholder: 'Add Option',
				default: {},
				options: [...fileOptions, ...pollingOptions],
			},
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await runItems(this, MAX_WATCHED, async (itemIndex, run) => {
			const taskId = readTaskId(this, itemIndex);
			const { kind, task } = await resolveTask(this, run, itemIndex, taskId);
			run.ledger.record(itemIndex, kind, taskId, 'processing');
			return await settle(this, run, kind, taskId, itemIndex, {
				timeoutMs: readTimeoutMs(this, itemIndex, kind),
				download: readDownload(this, itemIndex),
				onTimeout: readOnTimeout(this, itemIndex),
				seen: task,
			});
		});
	}
}
