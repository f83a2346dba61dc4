// The request schemas (zod), one per model, built from the model data in models.ts. They are
// the node's input validation: a request that passes here is one imini's documentation accepts.
// They are checked both ways against the types generated from openapi/imini.yaml
// (test/unit/catalog-contract.test.ts).
import { z } from 'zod/v4';
import { imageModelCatalog, videoModelCatalog } from './models';
import type { ImageModelId, VideoModelId } from './models';

const mediaUrl = z
	.string()
	.regex(/^(https?:\/\/|data:[A-Za-z0-9.+-]+\/[A-Za-z0-9.+-]+;base64,)/, 'must be a public http(s) URL or a data: URL');
const publicUrl = z.string().regex(/^https?:\/\//, 'must be a public link starting with http:// or https:// (imini takes videos and audio from links only, not from files of the input item)');
// imini's contract counts characters as JSON Schema's maxLength does: Unicode code points. zod's
// .max() counts UTF-16 units, so an emoji would use up two. (length <= max settles most prompts
// without counting, since a string never has more code points than UTF-16 units.)
const text = (max: number) =>
	z.string().refine((value) => value.length <= max || [...value].length <= max, `must be at most ${max} characters`);
const prompt = (max: number) => text(max).min(1, 'must not be empty');
const oneOf = <const T extends readonly [string, ...string[]]>(values: T) => z.enum(values);

const imageReference = z.strictObject({ url: mediaUrl, reference_type: z.enum(['asset', 'style']).optional() });
const imageReferences = (max: number) => z.array(imageReference).max(max, `accepts at most ${max} reference images`).optional();

const videoImageReference = z.strictObject({ url: mediaUrl, reference_type: z.enum(['first_frame', 'last_frame', 'asset']) });
const videoReference = z.strictObject({ url: publicUrl });
const duration = (range: { min: number; max: number }) =>
	z.number().int('must be a whole number of seconds').min(range.min, `must be at least ${range.min} s`).max(range.max, `must be at most ${range.max} s`).optional();
const passThrough = z.record(z.string(), z.unknown());

const klingExtraParams = z
	.looseObject({
		multi_shot: z.boolean().optional(),
		shot_type: z.enum(['customize', 'intelligence']).optional(),
		multi_prompt: z.array(z.strictObject({ index: z.number().int().min(1), prompt: z.string().min(1), duration: z.number().int().min(1) })).optional(),
		negative_prompt: z.string().optional(),
		cfg_scale: z.number().min(0).max(1).optional(),
		camera_control: passThrough.optional(),
	})
	.optional();

function imageSchema<const M extends ImageModelId>(model: M) {
	const entry = imageModelCatalog[model];
	return {
		model: z.literal(model),
		prompt: prompt(entry.promptMax),
		images: imageReferences(entry.referenceImagesMax),
	};
}

const imi = imageModelCatalog;
const vid = videoModelCatalog;

export const imageRequestSchemas = {
	'google/nano-banana': z.strictObject({
		...imageSchema('google/nano-banana'),
		aspect_ratio: oneOf(imi['google/nano-banana'].aspectRatios).optional(),
		resolution: oneOf(imi['google/nano-banana'].resolutions).optional(),
	}),
	'google/nano-banana-pro': z.strictObject({
		...imageSchema('google/nano-banana-pro'),
		aspect_ratio: oneOf(imi['google/nano-banana-pro'].aspectRatios).optional(),
		resolution: oneOf(imi['google/nano-banana-pro'].resolutions).optional(),
	}),
	'google/nano-banana-2': z.strictObject({
		...imageSchema('google/nano-banana-2'),
		aspect_ratio: oneOf(imi['google/nano-banana-2'].aspectRatios).optional(),
		resolution: oneOf(imi['google/nano-banana-2'].resolutions).optional(),
	}),
	'openai/gpt-image-2': z.strictObject({
		...imageSchema('openai/gpt-image-2'),
		aspect_ratio: oneOf(imi['openai/gpt-image-2'].aspectRatios),
		resolution: oneOf(imi['openai/gpt-image-2'].resolutions),
		quality: oneOf(imi['openai/gpt-image-2'].qualities),
		num: z.number().int().min(1).max(imi['openai/gpt-image-2'].numMax, 'must be between 1 and 10').optional(),
	}),
} satisfies Record<ImageModelId, z.ZodType>;

const kling = <const M extends 'kling/kling-v3' | 'kling/kling-v3-omni'>(model: M) => ({
	model: z.literal(model),
	prompt: prompt(vid[model].promptMax),
	resolution: oneOf(vid[model].resolutions).optional(),
	aspect_ratio: oneOf(vid[model].aspectRatios).optional(),
	duration: duration(vid[model].duration),
	generate_audio: z.boolean().optional(),
	reference_images: z.array(videoImageReference).optional(),
	extra_params: klingExtraParams,
});

const seedanceSchema = <const M extends 'doubao/seedance-2.0' | 'doubao/seedance-2.0-fast'>(model: M) =>
	z.strictObject({
		model: z.literal(model),
		prompt: prompt(vid[model].promptMax),
		resolution: oneOf(vid[model].resolutions).optional(),
		aspect_ratio: oneOf(vid[model].aspectRatios).optional(),
		duration: duration(vid[model].duration),
		generate_audio: z.boolean().optional(),
		reference_images: z.array(videoImageReference).max(vid[model].referenceImagesMax, 'accepts at most 9 reference images').optional(),
		reference_videos: z.array(videoReference).max(vid[model].referenceVideosMax, 'accepts at most 3 reference videos').optional(),
		reference_audios: z.array(z.strictObject({ url: publicUrl })).max(vid[model].referenceAudiosMax, 'accepts at most 3 reference audios').optional(),
		extra_params: passThrough.optional(),
	});

export const videoRequestSchemas = {
	'kling/kling-v3': z.strictObject(kling('kling/kling-v3')),
	'kling/kling-v3-omni': z.strictObject({
		...kling('kling/kling-v3-omni'),
		reference_videos: z
			.array(z.strictObject({ url: publicUrl, refer_type: oneOf(vid['kling/kling-v3-omni'].referTypes).optional() }))
			.max(1, 'accepts one reference video')
			.optional(),
	}),
	'kling/kling-v3-motion-control': z.strictObject({
		model: z.literal('kling/kling-v3-motion-control'),
		prompt: text(vid['kling/kling-v3-motion-control'].promptMax).optional(),
		resolution: oneOf(vid['kling/kling-v3-motion-control'].resolutions).optional(),
		generate_audio: z.boolean().optional(),
		reference_images: z.array(videoImageReference).length(1, 'needs exactly one reference image (the character)'),
		reference_videos: z.array(videoReference).length(1, 'needs exactly one reference video (the motion)'),
		extra_params: z.looseObject({ character_orientation: z.enum(['image', 'video']).optional() }).optional(),
	}),
	'doubao/seedance-2.0': seedanceSchema('doubao/seedance-2.0'),
	'doubao/seedance-2.0-fast': seedanceSchema('doubao/seedance-2.0-fast'),
	'dashscope/happyhorse-1.0': z.strictObject({
		model: z.literal('dashscope/happyhorse-1.0'),
		prompt: prompt(vid['dashscope/happyhorse-1.0'].promptMax),
		resolution: oneOf(vid['dashscope/happyhorse-1.0'].resolutions).optional(),
		aspect_ratio: oneOf(vid['dashscope/happyhorse-1.0'].aspectRatios).optional(),
		duration: duration(vid['dashscope/happyhorse-1.0'].duration),
		reference_images: z.array(videoImageReference).max(9, 'accepts at most 9 reference images').optional(),
		reference_videos: z.array(videoReference).max(1, 'accepts one reference video').optional(),
		extra_params: z.looseObject({ audio_setting: z.string().optional() }).optional(),
	}),
} satisfies Record<VideoModelId, z.ZodType>;

export type ImageRequestFor<M extends ImageModelId> = z.infer<(typeof imageRequestSchemas)[M]>;
export type VideoRequestFor<M extends VideoModelId> = z.infer<(typeof videoRequestSchemas)[M]>;
