import { NodeConnectionTypes } from 'n8n-workflow';
import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { taskItems } from '../n8n/output';
import { downloadProperty, fileOptions, taskIdProperty, taskTypeProperty } from '../n8n/properties';
import { runItems } from '../n8n/run-items';
import { checkTask, readTaskId, resolveTask } from '../n8n/task-lookup';
import { readDownload } from '../n8n/tool-mode';

export class IminiGetTask implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Imini Get Task',
		name: 'iminiGetTask',
		icon: { light: 'file:../icons/imini.svg', dark: 'file:../icons/imini.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{ "Status of " + $parameter["taskId"] }}',
		description:
			'Check an imini image or video task once: returns its status (queued, processing, succeeded, failed) and, when it has succeeded, its files (to an AI agent: their URLs)',
		documentationUrl: 'https://docs.imini.ai',
		defaults: { name: 'Imini Get Task' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'iminiApi', required: true }],
		properties: [
			taskIdProperty,
			taskTypeProperty,
			{ ...downloadProperty, description: 'Whether to download the files of a succeeded task as binary data (one item per file)' },
			{ displayName: 'Options', name: 'options', type: 'collection', placeholder: 'Add Option', default: {}, options: fileOptions },
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await runItems(this, 10, async (itemIndex, run) => {
			const taskId = readTaskId(this, itemIndex);
			const found = await resolveTask(this, run, itemIndex, taskId);
			const task = found.task ?? (await checkTask(this, run, found.kind, taskId, itemIndex));
			run.ledger.record(itemIndex, found.kind, taskId, task.status);
			// A status check reports a failed task as data, not as an error: the check itself worked.
			return await taskItems(this, run.client, found.kind, task, readDownload(this, itemIndex), itemIndex);
		});
	}
}
