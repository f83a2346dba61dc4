// Parameters the three nodes share, and how to read them for one item.
import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { automaticTimeoutSeconds, iminiClientTimeoutSeconds } from './catalog';
import type { TaskKind } from './catalog';
import type { PollBounds } from './task-pace';

export const taskIdProperty: INodeProperties = {
	displayName: 'Task ID',
	name: 'taskId',
	type: 'string',
	default: '={{ $json.task_id }}',
	required: true,
	placeholder: 'task_2041350318103396352',
	description: 'The task_id returned by Imini Generate (with Wait for Completion off)',
};

export const taskTypeProperty: INodeProperties = {
	displayName: 'Task Type',
	name: 'taskType',
	type: 'options',
	default: 'auto',
	options: [
		{ name: 'Auto-Detect', value: 'auto', description: 'Use the kind field of the input item, otherwise ask imini' },
		{ name: 'Image', value: 'image' },
		{ name: 'Video', value: 'video' },
	],
	description: 'Image and video tasks are looked up at different addresses',
};

/** Hidden on the tool variant: an agent's model gets file URLs, never files (see tool-mode.ts). */
const hiddenAsTool: INodeProperties['displayOptions'] = { hide: { '@tool': [true] } };

export const downloadProperty: INodeProperties = {
	displayName: 'Download Results',
	name: 'download',
	type: 'boolean',
	default: true,
	description: 'Whether to download finished images and videos as binary data (one item per file). Off returns their URLs only; imini keeps them for a limited time.',
	displayOptions: hiddenAsTool,
};

const { image: imageTimeout, video: videoTimeout } = iminiClientTimeoutSeconds;

export const timeoutProperty: INodeProperties = {
	displayName: 'Timeout (Seconds)',
	name: 'timeout',
	type: 'number',
	typeOptions: { minValue: 0 },
	default: 0,
	hint: `0 = automatic: as long as imini's own client waits (${imageTimeout} s for an image, ${videoTimeout} s for a video), longer for heavy settings`,
	description:
		'How long to wait for the task to finish, counted from when imini created it. Waiting longer costs no extra status checks: they stay sparse until tasks like it usually finish.',
};

/** The task's deadline: the user's Timeout, or the automatic one for its kind and settings. */
export function readTimeoutMs(ctx: IExecuteFunctions, itemIndex: number, kind: TaskKind, body?: Record<string, unknown>): number {
	const seconds = Number(ctx.getNodeParameter('timeout', itemIndex, 0)) || 0;
	return (seconds > 0 ? seconds : automaticTimeoutSeconds(kind, body)) * 1000;
}

export const onTimeoutProperty: INodeProperties = {
	displayName: 'On Timeout',
	name: 'onTimeout',
	type: 'options',
	default: 'error',
	options: [
		{ name: 'Fail', value: 'error', description: 'Stop with an error that names the task ID' },
		{
			name: 'Output the Task as Still Running',
			value: 'output',
			description: 'Return the task with its status (queued or processing), e.g. to continue with Imini Wait',
		},
	],
};

export function readOnTimeout(ctx: IExecuteFunctions, itemIndex: number): 'error' | 'output' {
	return ctx.getNodeParameter('onTimeout', itemIndex, 'error') === 'output' ? 'output' : 'error';
}

export const fileOptions: INodeProperties[] = [
	{
		displayName: 'Put Output File in Field',
		name: 'binaryPropertyName',
		type: 'string',
		default: 'data',
		description: 'Name of the binary property that receives each downloaded file',
	},
	{
		displayName: 'File Name Prefix',
		name: 'fileNamePrefix',
		type: 'string',
		default: 'imini',
		description: 'Files are named prefix-taskID-index.png (or .mp4); leave empty for taskID-index.png',
	},
	{
		displayName: 'Download Video Cover',
		name: 'downloadCover',
		type: 'boolean',
		default: false,
		description: 'Whether to also download the cover image of each video, into the binary property "cover"',
	},
];

export const pollingOptions: INodeProperties[] = [
	{
		displayName: 'First Check After (Seconds)',
		name: 'firstCheckAfter',
		type: 'number',
		typeOptions: { minValue: 0, numberPrecision: 1 },
		default: 2,
		description:
			'The first status check happens this long after submitting. Without this option the node picks it: 2 s for a model it does not know, later for one whose tasks it expects to take longer.',
	},
	{
		displayName: 'Longest Check Interval (Seconds)',
		name: 'maxCheckInterval',
		type: 'number',
		typeOptions: { minValue: 0.1, numberPrecision: 1 },
		default: 5,
		description:
			"No two checks of a task are further apart than this. Without this option the node learns how long this run's tasks take and checks every 2 s (imini's advice) around then, less often before and after.",
	},
];

export type FileOptions = { binaryPropertyName: string; fileNamePrefix: string; downloadCover: boolean };

export function readFileOptions(ctx: IExecuteFunctions, itemIndex: number): FileOptions {
	const options = ctx.getNodeParameter('options', itemIndex, {}) as Partial<FileOptions>;
	return {
		binaryPropertyName: options.binaryPropertyName?.trim() || 'data',
		fileNamePrefix: options.fileNamePrefix?.trim() ?? 'imini',
		downloadCover: options.downloadCover ?? false,
	};
}

/** The polling options are read once per run: one poller serves every item. Unset = automatic. */
export function readPollBounds(ctx: IExecuteFunctions): PollBounds {
	const options = ctx.getNodeParameter('options', 0, {}) as { firstCheckAfter?: number; maxCheckInterval?: number };
	return {
		firstCheckMs: options.firstCheckAfter === undefined ? undefined : options.firstCheckAfter * 1000,
		longestIntervalMs: options.maxCheckInterval === undefined ? undefined : options.maxCheckInterval * 1000,
	};
}
