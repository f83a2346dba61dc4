// Imini Generate's video fields, derived from the video models in the catalog: the model and its
// settings, the reference media it takes, and its model-specific options.
import type { INodeProperties } from 'n8n-workflow';
import { videoModelCatalog, videoModelIds } from '../imini/models';
import { choice, groupBy, referenceCollection, video } from './fields';

/** The model and what it makes: resolution, aspect ratio, duration, audio. */
function videoSettings(): INodeProperties[] {
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
	return properties;
}

/** The reference media the model takes: images (as frames or assets), videos, audio. */
function videoReferences(): INodeProperties[] {
	const properties: INodeProperties[] = [];
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
	return properties;
}

/** Options only some models have (their extra_params). */
function videoModelOptions(): INodeProperties {
	const extra = (param: string) => videoModelIds.filter((m) => (videoModelCatalog[m].extraParams as readonly string[]).includes(param));
	return {
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
	};
}

/** Imini Generate's video fields; the first is the model. */
export function videoProperties(): INodeProperties[] {
	return [...videoSettings(), ...videoReferences(), videoModelOptions()];
}
