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
			hint: 'Each model has its own settings below; they change when you pick another model',
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
			description: 'Height of the video in pixels (720P = 1280 × 720 for 16:9)',
			hint: `${group.key.list.join(' or ')}. Higher takes longer and may cost more credits.`,
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
			description: 'Width to height of the video, e.g. 16:9 for a landscape, 9:16 for a phone screen',
			hint: 'When you edit a video, it keeps its own ratio',
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
			description: 'How long the video is',
			hint: `${group.key.min} to ${group.key.max} seconds, whole seconds`,
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
	const referenceTypes: Array<[string, string, string]> = [
		['First Frame', 'first_frame', 'The video starts with this picture'],
		['Last Frame', 'last_frame', 'The video ends with this picture'],
		['Subject or Style', 'asset', 'A person, object or look to bring into the video'],
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
		description: 'Videos to edit or to borrow movement or style from',
		hint: 'Public links only: imini cannot take a video file from the input item',
		options: [
			{
				displayName: 'Video',
				name: 'video',
				values: [
					{ displayName: 'URL', name: 'url', type: 'string', default: '', placeholder: 'https://example.com/clip.mp4', description: 'A link starting with https:// that opens the video itself' },
					{
						displayName: 'Use As',
						name: 'referType',
						type: 'options',
						default: 'base',
						displayOptions: { show: { '/model': videoModelIds.filter((m) => videoModelCatalog[m].referTypes) } },
						options: [
							{ name: 'Edit This Video', value: 'base', description: 'The result is this video, changed as the prompt says' },
							{ name: 'Borrow From It', value: 'feature', description: 'A new video that takes the movement or style of this one' },
						],
						description: 'What the model should do with this video',
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
		description: 'Sound for the video to follow: public links to WAV or MP3 files',
		hint: '15 seconds at most in total, and only together with a reference image or video',
		options: [
			{
				displayName: 'Audio',
				name: 'audio',
				values: [{ displayName: 'URL', name: 'url', type: 'string', default: '', placeholder: 'https://example.com/voice.mp3', description: 'A link starting with https:// that opens the sound file itself' }],
			},
		],
	});
	return properties;
}

const extra = (param: string) => videoModelIds.filter((m) => (videoModelCatalog[m].extraParams as readonly string[]).includes(param));

/**
 * Settings only some models have. Kept in their own list ("Add Model Setting", not a second "Add
 * Option") and shown only for the models that take one; Negative Prompt is a field of its own,
 * since people look for it next to the prompt.
 */
function videoModelOptions(): INodeProperties[] {
	const negativePrompt: INodeProperties = {
		displayName: 'Negative Prompt',
		name: 'negativePrompt',
		type: 'string',
		typeOptions: { rows: 2 },
		default: '',
		placeholder: 'e.g. blur, text, watermark',
		displayOptions: { show: { ...video, model: extra('negative_prompt') } },
		description: 'What the video should not show',
	};
	const settings: INodeProperties = {
		displayName: 'Model Settings',
		name: 'modelOptions',
		type: 'collection',
		placeholder: 'Add Model Setting',
		default: {},
		displayOptions: { show: video },
		options: [
			{
				displayName: 'Audio Setting',
				name: 'audioSetting',
				type: 'string',
				default: '',
				displayOptions: { show: { '/model': extra('audio_setting') } },
				placeholder: 'e.g. auto',
				description: "How HappyHorse makes the video's sound, in the words imini's HappyHorse documentation uses",
			},
			{
				displayName: 'CFG Scale',
				name: 'cfgScale',
				type: 'number',
				default: 0.5,
				typeOptions: { minValue: 0, maxValue: 1, numberPrecision: 2 },
				displayOptions: { show: { '/model': extra('cfg_scale') } },
				description: 'How closely the video follows the prompt',
				hint: '0 to 1: higher follows the prompt more strictly, lower leaves the model more freedom',
			},
			{
				displayName: 'Character Orientation',
				name: 'characterOrientation',
				type: 'options',
				default: 'image',
				displayOptions: { show: { '/model': extra('character_orientation') } },
				options: [
					{ name: 'As in the Image', value: 'image', description: 'The character faces the way it does in the picture' },
					{ name: 'As in the Video', value: 'video', description: 'The character faces the way the person in the video does' },
				],
				description: 'Which way the character faces',
			},
			{
				displayName: 'Other Model Settings (JSON)',
				name: 'extraParams',
				type: 'json',
				default: '{}',
				description: 'Settings this node has no field for, as imini documents them for the model, e.g. {"multi_shot": true} for Kling',
			},
		],
	};
	return [negativePrompt, settings];
}

/** Imini Generate's video fields; the first is the model. */
export function videoProperties(): INodeProperties[] {
	return [...videoSettings(), ...videoReferences(), ...videoModelOptions()];
}
