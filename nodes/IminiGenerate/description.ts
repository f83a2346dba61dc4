// Imini Generate's parameters: resource, model and prompt first (what every run needs), then the
// chosen model's own fields (image-fields.ts, video-fields.ts, both derived from the model
// catalog), then waiting and the options.
import type { INodeProperties } from 'n8n-workflow';
import { videoModelCatalog, videoModelIds } from '../imini/models';
import { downloadProperty, fileOptions, onTimeoutProperty, pollingOptions, timeoutProperty } from '../n8n/properties';
import { video } from './fields';
import { imageProperties } from './image-fields';
import { videoProperties } from './video-fields';

const [imageModel, ...imageFields] = imageProperties();
const [videoModel, ...videoFields] = videoProperties();

export const generateProperties: INodeProperties[] = [
	{
		displayName: 'Resource',
		name: 'resource',
		type: 'options',
		noDataExpression: true,
		default: 'image',
		options: [
			{ name: 'Image', value: 'image', description: 'Generate or edit images' },
			{ name: 'Video', value: 'video', description: 'Generate videos from text, images or a video' },
		],
	},
	imageModel,
	videoModel,
	{
		displayName: 'Prompt',
		name: 'prompt',
		type: 'string',
		typeOptions: { rows: 4 },
		default: '',
		required: true,
		placeholder: 'e.g. A red fox in fresh snow, golden hour, 35 mm photo',
		displayOptions: { hide: { model: videoModelIds.filter((m) => !videoModelCatalog[m].promptRequired) } },
		description: 'What to generate. Map a field from a form or sheet with an expression.',
	},
	{
		displayName: 'Prompt',
		name: 'prompt',
		type: 'string',
		typeOptions: { rows: 4 },
		default: '',
		displayOptions: { show: { ...video, model: videoModelIds.filter((m) => !videoModelCatalog[m].promptRequired) } },
		description: 'Optional for this model',
	},
	...imageFields,
	...videoFields,
	{
		displayName: 'Wait for Completion',
		name: 'waitForCompletion',
		type: 'boolean',
		default: true,
		description: 'Whether to wait until the task finishes and return its files. Off returns the task ID at once (continue with Imini Wait or Imini Get Task).',
	},
	{ ...timeoutProperty, displayOptions: { show: { waitForCompletion: [true] } } },
	{ ...onTimeoutProperty, displayOptions: { show: { waitForCompletion: [true] } } },
	{ ...downloadProperty, displayOptions: { ...downloadProperty.displayOptions, show: { waitForCompletion: [true] } } },
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'Max Tasks In Flight',
				name: 'maxTasksInFlight',
				type: 'number',
				default: 10,
				typeOptions: { minValue: 1, maxValue: 100 },
				description: 'How many tasks may exist on imini at once for this node (submitted and not yet delivered). Your account\'s rate limit is handled for you: on a tight quota the node slows down and no row fails because of it.',
			},
			...fileOptions,
			...pollingOptions,
		],
	},
];
