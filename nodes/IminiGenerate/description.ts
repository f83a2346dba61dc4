// Imini Generate's parameters: resource, model and prompt first (what every run needs), then the
// chosen model's own fields (image-fields.ts, video-fields.ts, both derived from the model
// catalog), then waiting and the options.
import type { INodeProperties } from 'n8n-workflow';
import { imageModelCatalog, imageModelIds, videoModelCatalog, videoModelIds } from '../imini/models';
import { downloadProperty, fileOptions, onTimeoutProperty, pollingOptions, timeoutProperty } from '../n8n/properties';
import { groupBy, image, video } from './fields';
import { imageProperties } from './image-fields';
import { videoProperties } from './video-fields';

const [imageModel, ...imageFields] = imageProperties();
const [videoModel, ...videoFields] = videoProperties();

/** A model's name without its maker ("Nano Banana Pro (Google)" -> "Nano Banana Pro"), for the canvas. */
const shortNames: Record<string, string> = Object.fromEntries(
	[...Object.entries(imageModelCatalog), ...Object.entries(videoModelCatalog)].map(([id, entry]) => [id, entry.name.replace(/ \(.*\)$/, '')]),
);

/** The canvas subtitle: "Nano Banana Pro · image"; "model from input" when Model is an expression. */
export const modelSubtitle = `={{ (${JSON.stringify(shortNames)}[$parameter["model"]] || "model from input") + " · " + $parameter["resource"] }}`;

/** One Prompt field per prompt limit, so its hint states the limit of the model picked. */
function promptProperties(): INodeProperties[] {
	const limits = groupBy([...imageModelIds, ...videoModelIds], (m) => {
		const entry = m in imageModelCatalog ? imageModelCatalog[m as keyof typeof imageModelCatalog] : videoModelCatalog[m as keyof typeof videoModelCatalog];
		return { max: entry.promptMax, required: !('promptRequired' in entry) || entry.promptRequired, kind: m in imageModelCatalog ? 'image' : 'video' };
	});
	return limits.map(({ key, models }) => ({
		displayName: 'Prompt',
		name: 'prompt',
		type: 'string',
		typeOptions: { rows: 4 },
		default: '',
		required: key.required,
		placeholder: key.kind === 'image' ? 'e.g. A red fox in fresh snow, golden hour, 35 mm photo' : 'e.g. A paper boat drifts down a rainy street, slow camera pan',
		displayOptions: { show: { ...(key.kind === 'image' ? image : video), model: models } },
		hint: `Up to ${key.max.toLocaleString('en-US')} characters${key.required ? '' : ' (optional for this model)'}. To use a field of the input, drag it here from the input panel.`,
		description: key.required ? `What to ${key.kind === 'image' ? 'draw' : 'film'}, in your own words` : 'What the video should show, in your own words; the model can also work from the reference media alone',
	}));
}

export const generateProperties: INodeProperties[] = [
	{
		displayName: 'Resource',
		name: 'resource',
		type: 'options',
		noDataExpression: true,
		default: 'image',
		options: [
			{ name: 'Image', value: 'image', description: 'Create a picture from a prompt, or edit one from reference images' },
			{ name: 'Video', value: 'video', description: 'Create a video from a prompt, from pictures, or from another video' },
		],
		hint: 'Image or video: each has its own models',
	},
	imageModel,
	videoModel,
	...promptProperties(),
	...imageFields,
	...videoFields,
	{
		displayName: 'Wait for Completion',
		name: 'waitForCompletion',
		type: 'boolean',
		default: true,
		description: 'Whether to wait for the result and return the files. Turn it off to get the task ID at once and pick the result up later with Imini Wait or Imini Get Task.',
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
				displayName: 'Include Other Input Fields',
				name: 'includeInputFields',
				type: 'boolean',
				default: false,
				description: 'Whether to copy all the fields of the input item to each output item (fields this node adds keep their own values)',
			},
			{
				displayName: 'Max Tasks at Once',
				name: 'maxTasksInFlight',
				type: 'number',
				default: 10,
				typeOptions: { minValue: 1, maxValue: 100 },
				description: 'How many of this node\'s tasks may be running on imini at the same time. If your imini plan allows fewer requests, the node slows down by itself; no item fails because of it.',
			},
			...fileOptions.map((option) =>
				option.name === 'downloadCover' ? { ...option, displayOptions: { show: { '/resource': ['video'] } } } : option,
			),
			...pollingOptions,
		],
	},
];
