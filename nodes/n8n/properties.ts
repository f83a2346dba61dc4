// The editor fields the three nodes share (parameters.ts reads them for one item).
import type { INodeProperties } from 'n8n-workflow';
import { iminiClientTimeoutSeconds } from '../imini/models';

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
		'How long to wait for the task to finish, counted from its submit (Imini Generate) or from when this node starts waiting (Imini Wait). Waiting longer costs no extra status checks: they stay sparse until tasks like it usually finish.',
};

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
