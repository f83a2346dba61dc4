// The editor fields the three nodes share (parameters.ts reads them for one item).
import type { INodeProperties } from 'n8n-workflow';
import { iminiClientTimeoutSeconds } from '../imini/models';

/** Each node's page in this package's docs (docs/nodes/), opened by the node panel's Docs link. */
export function nodeDocsUrl(page: 'imini-generate' | 'imini-get-task' | 'imini-wait'): string {
	return `https://github.com/n8n-nodes-imini/n8n-nodes-imini/blob/main/docs/nodes/${page}.md`;
}

/**
 * The canvas subtitle of Imini Get Task and Imini Wait, in words: "task from input" when Task ID
 * is an expression (the usual case), else "fixed task ID" (an ID can be any text; it is not shown).
 */
export function taskSubtitle(what: 'status' | 'wait'): string {
	return `={{ "${what} · " + (String($parameter["taskId"]).startsWith("=") ? "task from input" : "fixed task ID") }}`;
}

export const taskIdProperty: INodeProperties = {
	displayName: 'Task ID',
	name: 'taskId',
	type: 'string',
	default: '={{ $json.task_id }}',
	required: true,
	placeholder: 'task_2041350318103396352',
	description: 'Which task to look at: the task_id field that Imini Generate outputs',
	hint: 'Leave the expression as it is to take the task_id of each input item, or paste one task ID',
};

export const taskTypeProperty: INodeProperties = {
	displayName: 'Task Type',
	name: 'taskType',
	type: 'options',
	default: 'auto',
	options: [
		{ name: 'Auto-Detect', value: 'auto', description: 'Read it from the input item (its kind field), or ask imini' },
		{ name: 'Image', value: 'image', description: 'The task makes pictures' },
		{ name: 'Video', value: 'video', description: 'The task makes a video' },
	],
	description: 'Whether the task makes pictures or a video',
	hint: 'Auto-Detect works for tasks from Imini Generate; pick Image or Video for a task ID you pasted',
};

/** Hidden on the tool variant: an agent's model gets file URLs, never files (see tool-mode.ts). */
const hiddenAsTool: INodeProperties['displayOptions'] = { hide: { '@tool': [true] } };

export const downloadProperty: INodeProperties = {
	displayName: 'Download Results',
	name: 'download',
	type: 'boolean',
	default: true,
	description: 'Whether to download the finished pictures or videos as files (one output item per file). Off returns their links only; imini keeps them for a limited time.',
	displayOptions: hiddenAsTool,
};

const { image: imageTimeout, video: videoTimeout } = iminiClientTimeoutSeconds;

export const timeoutProperty: INodeProperties = {
	displayName: 'Timeout (Seconds)',
	name: 'timeout',
	type: 'number',
	typeOptions: { minValue: 0 },
	default: 0,
	hint: `0 = automatic: ${imageTimeout / 60} minutes for pictures, ${videoTimeout / 60} minutes for a video, more for long videos and many pictures`,
	description:
		'How long to wait for the result. Imini Generate counts from when it sends the task to imini; Imini Wait from when it starts waiting, or, when it parks the workflow, from when imini created the task. Waiting longer costs nothing extra.',
};

export const onTimeoutProperty: INodeProperties = {
	displayName: 'On Timeout',
	name: 'onTimeout',
	type: 'options',
	default: 'error',
	options: [
		{ name: 'Fail', value: 'error', description: 'Stop with an error that gives the task ID; the task keeps running on imini' },
		{
			name: 'Output the Task as Still Running',
			value: 'output',
			description: 'Pass the unfinished task on (status queued or processing), e.g. to an Imini Wait that waits longer',
		},
	],
	description: 'What to do when the result is not ready in time',
	hint: 'Nothing is lost either way: the task keeps running on imini',
};

export const fileOptions: INodeProperties[] = [
	{
		displayName: 'Put Output File in Field',
		name: 'binaryPropertyName',
		type: 'string',
		default: 'data',
		description: 'The name of the file field on each output item (as shown in the Binary tab). Later nodes such as Google Drive ask for this name.',
	},
	{
		displayName: 'File Name Prefix',
		name: 'fileNamePrefix',
		type: 'string',
		default: 'imini',
		description: 'Files are named prefix-taskID-number.png (or .mp4); leave empty for taskID-number.png',
	},
	{
		displayName: 'Download Video Cover',
		name: 'downloadCover',
		type: 'boolean',
		default: false,
		description: 'Whether to also download the still picture imini makes for each video, into a file field named "cover"',
	},
];

export const pollingOptions: INodeProperties[] = [
	{
		displayName: 'First Check After (Seconds)',
		name: 'firstCheckAfter',
		type: 'number',
		typeOptions: { minValue: 0, numberPrecision: 1 },
		default: 2,
		description: 'How soon to first ask imini whether the task is done, counted from when the task started. Without this option the node picks a time that suits the model.',
	},
	{
		displayName: 'Longest Check Interval (Seconds)',
		name: 'maxCheckInterval',
		type: 'number',
		typeOptions: { minValue: 0.1, numberPrecision: 1 },
		default: 5,
		description: 'The longest time between two questions to imini about the same task. Without this option the node asks often around when tasks like it usually finish, and rarely before.',
	},
];
