import { NodeConnectionTypes } from 'n8n-workflow';
import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { taskItems } from '../n8n/output';
import { nodeDocsUrl, downloadProperty, fileOptions, taskIdProperty, taskSubtitle, taskTypeProperty } from '../n8n/properties';
import { runItems } from '../n8n/run-items';
import { checkTask, readTaskId, resolveTask } from '../n8n/task-lookup';
import { readDownload } from '../n8n/tool-mode';

export class IminiGetTask implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Imini Get Task',
		name: 'iminiGetTask',
		icon: { light: 'file:../icons/imini-get-task.svg', dark: 'file:../icons/imini-get-task.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: taskSubtitle('status'),
		description:
			// Also the description an AI agent reads of the tool variant (n8n uses the node's own at run time).
			'Look once at how an imini task is doing, and get its pictures or video when it is done (their links when an AI agent uses it as a tool)',
		documentationUrl: nodeDocsUrl('imini-get-task'),
		defaults: { name: 'Imini Get Task' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'iminiApi', required: true }],
		properties: [
			taskIdProperty,
			taskTypeProperty,
			{ ...downloadProperty, description: 'Whether to download the pictures or video of a finished task as files (one output item per file). Off returns their links only.' },
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
