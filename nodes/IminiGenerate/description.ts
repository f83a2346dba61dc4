// Imini Generate's parameters, derived from the model catalog: each model-specific field is shown
// exactly for the models that take it, with that model's options and defaults. A field whose
// choices differ between models is declared once per distinct set of choices.
import type { INodeProperties, INodePropertyOptions } from 'n8n-workflow';
import { imageModelCatalog, imageModelIds, videoModelCatalog, videoModelIds } from '../shared/catalog';
import { downloadProperty, fileOptions, onTimeoutProperty, pollingOptions, timeoutProperty } from '../shared/descriptions';

const image = { resource: ['image'] };
const video = { resource: ['video'] };

/** Groups models by a key (e.g. their list of aspect ratios) so each distinct field is declared once. */
function groupBy<M extends string, K>(models: M[], key: (model: M) => K | null): Array<{ key: K; models: M[] }> {
	const groups = new Map<string, { key: K; models: M[] }>();
	for (const model of models) {
		const value = key(model);
		if (value === null) continue;
		const id = JSON.stringify(value);
		if (!groups.has(id)) groups.set(id, { key: value, models: [] });
		groups.get(id)!.models.push(model);
	}
	return [...groups.values()];
}

const choice = (value: string): INodePropertyOptions => ({ name: value, value });
const modelDefault: INodePropertyOptions = { name: 'Model Default', value: '', description: 'Let imini decide (from the reference images when there are some)' };

function referenceCollection(name: string, types: Array<[string, string]>, withUnset: boolean, show: INodeProperties['displayOptions']): INodeProperties {
	const defaultType = withUnset ? '' : types[0][1];
	return {
		displayName: 'Reference Images',
		name,
		type: 'fixedCollection',
		placeholder: 'Add Reference Image',
		typeOptions: { multipleValues: true, sortable: true },
		default: {},
		displayOptions: show,
		description: 'Images to edit or take the subject, style or first/last frame from. Public URLs, or binary data of the input item (sent as a data URL).',
		options: [
			{
				displayName: 'Image',
				name: 'image',
				values: [
					{
						displayName: 'Source',
						name: 'source',
						type: 'options',
						default: 'binary',
						options: [
							{ name: 'Binary Data of the Input Item', value: 'binary' },
							{ name: 'Public URL', value: 'url' },
						],
					},
					{
						displayName: 'Input Binary Field',
						name: 'binaryProperty',
						type: 'string',
						default: 'data',
						displayOptions: { show: { source: ['binary'] } },
						description: 'Name of the binary property holding the image',
					},
					{
						displayName: 'URL',
						name: 'url',
						type: 'string',
						default: '',
						placeholder: 'https://example.com/photo.png',
						displayOptions: { show: { source: ['url'] } },
					},
					{
						displayName: 'Use As',
						name: 'referenceType',
						type: 'options',
						default: defaultType,
						options: [...(withUnset ? [{ name: 'Not Set', value: '' }] : []), ...types.map(([name, value]) => ({ name, value }))],
					},
				],
			},
		],
	};
}

function imageProperties(): INodeProperties[] {
	const properties: INodeProperties[] = [
		{
			displayName: 'Model',
			name: 'model',
			type: 'options',
			default: 'google/nano-banana',
			displayOptions: { show: image },
			options: imageModelIds.map((id) => ({ name: imageModelCatalog[id].name, value: id, description: imageModelCatalog[id].description })),
		},
	];
	for (const group of groupBy(imageModelIds, (m) => ({ ratios: imageModelCatalog[m].aspectRatios, required: imageModelCatalog[m].aspectRatioRequired }))) {
		const defaultRatio = group.key.required ? '1:1' : '';
		properties.push({
			displayName: 'Aspect Ratio',
			name: 'aspectRatio',
			type: 'options',
			default: defaultRatio,
			displayOptions: { show: { ...image, model: group.models } },
			options: [...(group.key.required ? [] : [modelDefault]), ...group.key.ratios.map(choice)],
		});
	}
	for (const group of groupBy(imageModelIds, (m) => (imageModelCatalog[m].resolutions.length > 1 ? imageModelCatalog[m].resolutions : null))) {
		const defaultResolution = imageModelCatalog[group.models[0]].defaultResolution;
		properties.push({
			displayName: 'Resolution',
			name: 'resolution',
			type: 'options',
			default: defaultResolution,
			displayOptions: { show: { ...image, model: group.models } },
			options: group.key.map(choice),
			description: 'Size of the longer side: 512 px, 1K (1024), 2K (2048) or 4K (4096)',
		});
	}
	const withQuality = imageModelIds.filter((m) => imageModelCatalog[m].qualities);
	properties.push(
		{
			displayName: 'Quality',
			name: 'quality',
			type: 'options',
			default: 'medium',
			displayOptions: { show: { ...image, model: withQuality } },
			options: [
				{ name: 'Low', value: 'low' },
				{ name: 'Medium', value: 'medium' },
				{ name: 'High', value: 'high' },
			],
		},
		{
			displayName: 'Number of Images',
			name: 'numberOfImages',
			type: 'number',
			default: 1,
			typeOptions: { minValue: 1, maxValue: 10 },
			displayOptions: { show: { ...image, model: imageModelIds.filter((m) => imageModelCatalog[m].numMax) } },
			description: 'How many images this one task returns (each becomes an output item)',
		},
		referenceCollection('referenceImages', [['Asset (Content)', 'asset'], ['Style', 'style']], true, { show: image }),
	);
	return properties;
}

function videoProperties(): INodeProperties[] {
	const properties: INodeProperties[] = [
		{
			displayName: 'Model',
			name: 'model',
			type: 'options',
			default: 'kling/kling-v3',
			displayOptions: { show: video },
			options: videoModelIds.map((id) => ({ name: videoModelCatalog[id].name, value: id, description: videoModelCatalog[id].description })),
		},
	];
	for (const group of groupBy(videoModelIds, (m) => ({ list: videoModelCatalog[m].resolutions, default: videoModelCatalog[m].defaultResolution }))) {
		const defaultResolution = group.key.default;
		properties.push({
			displayName: 'Resolution',
			name: 'resolution',
			type: 'options',
			default: defaultResolution,
			displayOptions: { show: { ...video, model: group.models } },
			options: group.key.list.map(choice),
		});
	}
	for (const group of groupBy(videoModelIds, (m) => {
		const entry = videoModelCatalog[m];
		return entry.aspectRatios ? { list: entry.aspectRatios, default: entry.defaultAspectRatio } : null;
	})) {
		const defaultRatio = group.key.default as string;
		properties.push({
			displayName: 'Aspect Ratio',
			name: 'aspectRatio',
			type: 'options',
			default: defaultRatio,
			displayOptions: { show: { ...video, model: group.models } },
			options: group.key.list.map((value) => (value === 'adaptive' ? { name: 'Adaptive (From References)', value } : choice(value))),
			description: 'Ignored when a video is being edited',
		});
	}
	for (const group of groupBy(videoModelIds, (m) => videoModelCatalog[m].duration)) {
		const defaultDuration = group.key.default;
		properties.push({
			displayName: 'Duration (Seconds)',
			name: 'duration',
			type: 'number',
			default: defaultDuration,
			typeOptions: { minValue: group.key.min, maxValue: group.key.max },
			displayOptions: { show: { ...video, model: group.models } },
		});
	}
	// Declared twice because the default differs (Kling: off, Seedance: on); lint wants literal booleans.
	const audio = (on: boolean) => videoModelIds.filter((m) => videoModelCatalog[m].audio?.default === on);
	properties.push(
		{
			displayName: 'Generate Audio',
			name: 'generateAudio',
			type: 'boolean',
			default: false,
			displayOptions: { show: { ...video, model: audio(false) } },
			description: 'Whether the video gets a generated soundtrack',
		},
		{
			displayName: 'Generate Audio',
			name: 'generateAudio',
			type: 'boolean',
			default: true,
			displayOptions: { show: { ...video, model: audio(true) } },
			description: 'Whether the video gets a generated soundtrack',
		},
	);
	const referenceTypes: Array<[string, string]> = [
		['First Frame', 'first_frame'],
		['Last Frame', 'last_frame'],
		['Asset (Subject or Style)', 'asset'],
	];
	properties.push(referenceCollection('videoReferenceImages', referenceTypes, false, { show: video }));
	const withVideos = videoModelIds.filter((m) => videoModelCatalog[m].referenceVideosMax > 0);
	properties.push({
		displayName: 'Reference Videos',
		name: 'referenceVideos',
		type: 'fixedCollection',
		placeholder: 'Add Reference Video',
		typeOptions: { multipleValues: true },
		default: {},
		displayOptions: { show: { ...video, model: withVideos } },
		description: 'Public video URLs (imini cannot take videos as uploaded data)',
		options: [
			{
				displayName: 'Video',
				name: 'video',
				values: [
					{ displayName: 'URL', name: 'url', type: 'string', default: '', placeholder: 'https://example.com/clip.mp4' },
					{
						displayName: 'Use As',
						name: 'referType',
						type: 'options',
						default: 'base',
						displayOptions: { show: { '/model': videoModelIds.filter((m) => videoModelCatalog[m].referTypes) } },
						options: [
							{ name: 'Base (Edit This Video)', value: 'base' },
							{ name: 'Feature (Borrow From It)', value: 'feature' },
						],
					},
				],
			},
		],
	});
	properties.push({
		displayName: 'Reference Audios',
		name: 'referenceAudios',
		type: 'fixedCollection',
		placeholder: 'Add Reference Audio',
		typeOptions: { multipleValues: true },
		default: {},
		displayOptions: { show: { ...video, model: videoModelIds.filter((m) => videoModelCatalog[m].referenceAudiosMax > 0) } },
		description: 'Public WAV or MP3 URLs, 15 s at most in total; needs a reference image or video too',
		options: [{ displayName: 'Audio', name: 'audio', values: [{ displayName: 'URL', name: 'url', type: 'string', default: '' }] }],
	});
	const extra = (param: string) => videoModelIds.filter((m) => (videoModelCatalog[m].extraParams as readonly string[]).includes(param));
	properties.push({
		displayName: 'Model Options',
		name: 'modelOptions',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: { show: video },
		options: [
			{
				displayName: 'Audio Setting',
				name: 'audioSetting',
				type: 'string',
				default: '',
				displayOptions: { show: { '/model': extra('audio_setting') } },
				description: 'Passed to the model as extra_params.audio_setting',
			},
			{
				displayName: 'CFG Scale',
				name: 'cfgScale',
				type: 'number',
				default: 0.5,
				typeOptions: { minValue: 0, maxValue: 1, numberPrecision: 2 },
				displayOptions: { show: { '/model': extra('cfg_scale') } },
				description: 'How strictly to follow the prompt (0 to 1)',
			},
			{
				displayName: 'Character Orientation',
				name: 'characterOrientation',
				type: 'options',
				default: 'image',
				displayOptions: { show: { '/model': extra('character_orientation') } },
				options: [
					{ name: 'As in the Image', value: 'image' },
					{ name: 'As in the Video', value: 'video' },
				],
			},
			{
				displayName: 'Extra Parameters (JSON)',
				name: 'extraParams',
				type: 'json',
				default: '{}',
				description: 'Any other model parameter, merged into extra_params (e.g. {"multi_shot": true} for Kling)',
			},
			{
				displayName: 'Negative Prompt',
				name: 'negativePrompt',
				type: 'string',
				default: '',
				displayOptions: { show: { '/model': extra('negative_prompt') } },
				description: 'What the video should not show',
			},
		],
	});
	return properties;
}

const [imageModel, ...imageFields] = imageProperties();
const [videoModel, ...videoFields] = videoProperties();

// Resource, model and prompt first (what every run needs), then the chosen model's own fields.
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
