// The model catalog: every imini model, its limits and its defaults, in one place. The node
// parameters (options, which fields show for which model, defaults) and the input validation
// (request-schemas.ts) both read it; its limits are checked against the spec itself
// (test/unit/catalog-contract.test.ts).
import type { TaskKind } from './task';

/** imini: "Image tasks typically complete within 10–30 seconds." Where polling starts before it has learned a model's pace. */
const imageTaskSeconds = { low: 10, high: 30 } as const;
/** Inferred: imini only says to allow 10 minutes for a video, and video models take minutes. */
const videoTaskSeconds = { low: 60, high: 300 } as const;

const ten = ['1:1', '2:3', '3:2', '3:4', '4:3', '4:5', '5:4', '9:16', '16:9', '21:9'] as const;

/** Image models, in the order the node lists them. */
export const imageModelCatalog = {
	'google/nano-banana': {
		name: 'Nano Banana (Google)',
		description: 'Fast, low-cost image generation and editing. 1K output only.',
		promptMax: 6000,
		referenceImagesMax: 3,
		aspectRatios: ten,
		aspectRatioRequired: false,
		resolutions: ['1K'],
		resolutionRequired: false,
		defaultResolution: '1K',
		qualities: null,
		numMax: null,
		taskSeconds: imageTaskSeconds,
	},
	'google/nano-banana-pro': {
		name: 'Nano Banana Pro (Google)',
		description: 'Higher fidelity and text rendering, up to 4K, up to 14 reference images',
		promptMax: 6000,
		referenceImagesMax: 14,
		aspectRatios: ten,
		aspectRatioRequired: false,
		resolutions: ['1K', '2K', '4K'],
		resolutionRequired: false,
		defaultResolution: '1K',
		qualities: null,
		numMax: null,
		taskSeconds: imageTaskSeconds,
	},
	'google/nano-banana-2': {
		name: 'Nano Banana 2 (Google)',
		description: 'Adds extreme aspect ratios (1:8 to 8:1) and a 512 px tier',
		promptMax: 6000,
		referenceImagesMax: 14,
		aspectRatios: [...ten, '1:4', '1:8', '4:1', '8:1'],
		aspectRatioRequired: false,
		resolutions: ['512', '1K', '2K', '4K'],
		resolutionRequired: false,
		defaultResolution: '1K',
		qualities: null,
		numMax: null,
		taskSeconds: imageTaskSeconds,
	},
	'openai/gpt-image-2': {
		name: 'GPT Image 2 (OpenAI)',
		description: 'Long prompts (32,000 characters), quality levels, up to 10 images per task',
		promptMax: 32000,
		referenceImagesMax: 3,
		aspectRatios: [...ten, '9:21'],
		aspectRatioRequired: true,
		resolutions: ['1K', '2K', '4K'],
		resolutionRequired: true,
		defaultResolution: '1K',
		qualities: ['low', 'medium', 'high'],
		numMax: 10,
		taskSeconds: imageTaskSeconds,
	},
} as const;

export type ImageModelId = keyof typeof imageModelCatalog;

/** Kling 3 and Kling 3 Omni share these; Omni adds a reference video. */
const klingLimits = {
	promptMax: 2500,
	promptRequired: true,
	resolutions: ['720P', '1080P'],
	defaultResolution: '720P',
	aspectRatios: ['16:9', '9:16', '1:1'],
	defaultAspectRatio: '16:9',
	duration: { min: 3, max: 15, default: 5 },
	audio: { default: false },
	imageReferenceTypes: ['first_frame', 'last_frame', 'asset'],
	// imini documents "N asset images" without a number.
	referenceImagesMax: null,
	referenceAudiosMax: 0,
	extraParams: ['negative_prompt', 'cfg_scale'],
	taskSeconds: videoTaskSeconds,
} as const;

/** Both Seedance models take the same parameters. */
const seedanceLimits = {
	promptMax: 5000,
	promptRequired: true,
	resolutions: ['480P', '720P'],
	defaultResolution: '720P',
	aspectRatios: ['16:9', '4:3', '1:1', '3:4', '9:16', '21:9', 'adaptive'],
	defaultAspectRatio: 'adaptive',
	duration: { min: 4, max: 15, default: 5 },
	audio: { default: true },
	imageReferenceTypes: ['first_frame', 'last_frame', 'asset'],
	referenceImagesMax: 9,
	referenceVideosMax: 3,
	referTypes: null,
	referenceAudiosMax: 3,
	extraParams: [],
	taskSeconds: videoTaskSeconds,
} as const;

/** Video models, in the order the node lists them. */
export const videoModelCatalog = {
	'kling/kling-v3': {
		name: 'Kling 3 (Kuaishou)',
		description: 'From text, from a first frame (and an optional last frame), or from pictures of its subjects',
		...klingLimits,
		referenceVideosMax: 0,
		referTypes: null,
	},
	'kling/kling-v3-omni': {
		name: 'Kling 3 Omni (Kuaishou)',
		description: 'Kling 3 plus a reference video: edit it, or borrow its movement or style',
		...klingLimits,
		referenceVideosMax: 1,
		referTypes: ['base', 'feature'],
	},
	'kling/kling-v3-motion-control': {
		name: 'Kling 3 Motion Control (Kuaishou)',
		description: 'Moves the character of one image the way the person in one video moves',
		promptMax: 2500,
		promptRequired: false,
		resolutions: ['720P', '1080P'],
		defaultResolution: '720P',
		aspectRatios: null,
		defaultAspectRatio: null,
		duration: null,
		audio: { default: false },
		imageReferenceTypes: ['asset', 'first_frame'],
		referenceImagesMax: 1,
		referenceVideosMax: 1,
		referTypes: null,
		referenceAudiosMax: 0,
		extraParams: ['character_orientation'],
		taskSeconds: videoTaskSeconds,
	},
	'doubao/seedance-2.0': {
		name: 'Seedance 2.0 (ByteDance)',
		description: 'Up to 9 images, 3 videos and 3 audio clips as references; audio on by default',
		...seedanceLimits,
	},
	'doubao/seedance-2.0-fast': {
		name: 'Seedance 2.0 Fast (ByteDance)',
		description: 'Seedance 2.0, faster and cheaper',
		...seedanceLimits,
	},
	'dashscope/happyhorse-1.0': {
		name: 'HappyHorse 1.0 (Alibaba DashScope)',
		description: 'From text, a first frame, up to 9 pictures of its subjects, or edit one video with up to 5 pictures',
		promptMax: 5000,
		promptRequired: true,
		resolutions: ['720P', '1080P'],
		defaultResolution: '1080P',
		aspectRatios: ['16:9', '9:16', '1:1', '4:3', '3:4'],
		defaultAspectRatio: '16:9',
		duration: { min: 3, max: 15, default: 5 },
		audio: null,
		imageReferenceTypes: ['first_frame', 'asset'],
		referenceImagesMax: 9,
		referenceVideosMax: 1,
		referTypes: null,
		referenceAudiosMax: 0,
		extraParams: ['audio_setting'],
		taskSeconds: videoTaskSeconds,
	},
} as const;

export type VideoModelId = keyof typeof videoModelCatalog;
export type ModelId = ImageModelId | VideoModelId;

export const imageModelIds = Object.keys(imageModelCatalog) as ImageModelId[];
export const videoModelIds = Object.keys(videoModelCatalog) as VideoModelId[];

/** How long a task of `model` usually takes, in seconds; undefined for a model the catalog does not know. */
export function expectedTaskSeconds(model: string): { low: number; high: number } | undefined {
	if (model in imageModelCatalog) return imageModelCatalog[model as ImageModelId].taskSeconds;
	if (model in videoModelCatalog) return videoModelCatalog[model as VideoModelId].taskSeconds;
	return undefined;
}

/**
 * imini's own published client waits this long for any image and any video ("hard timeouts,
 * flat across all models"; its earlier 120 / 300 / 600 s by resolution and 300-900 s by
 * duration were all shorter). An automatic timeout is never shorter.
 */
export const iminiClientTimeoutSeconds: Record<TaskKind, number> = { image: 600, video: 1800 };

/**
 * The timeout used when the user leaves Timeout at 0 (automatic): imini's client's, plus time
 * for settings that ask for more work (inferred: imini publishes no timings per setting): a
 * minute per GPT Image 2 image beyond the first, two minutes per second of video beyond 10 s.
 */
export function automaticTimeoutSeconds(kind: TaskKind, body?: { num?: unknown; duration?: unknown }): number {
	const base = iminiClientTimeoutSeconds[kind];
	const count = (value: unknown) => (typeof value === 'number' && Number.isFinite(value) ? value : 0);
	if (kind === 'image') return base + 60 * Math.max(0, count(body?.num) - 1);
	return base + 120 * Math.max(0, count(body?.duration) - 10);
}

export function modelKind(model: string): TaskKind | undefined {
	if (model in imageModelCatalog) return 'image';
	if (model in videoModelCatalog) return 'video';
	return undefined;
}

/** Models whose catalog entry satisfies `test`: feeds `displayOptions.show.model`. */
export function imageModelsWhere(test: (entry: (typeof imageModelCatalog)[ImageModelId]) => boolean): ImageModelId[] {
	return imageModelIds.filter((id) => test(imageModelCatalog[id]));
}

export function videoModelsWhere(test: (entry: (typeof videoModelCatalog)[VideoModelId]) => boolean): VideoModelId[] {
	return videoModelIds.filter((id) => test(videoModelCatalog[id]));
}

