"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.videoRequestSchemas = exports.imageRequestSchemas = exports.videoModelIds = exports.imageModelIds = exports.videoModelCatalog = exports.imageModelCatalog = void 0;
exports.modelKind = modelKind;
exports.imageModelsWhere = imageModelsWhere;
exports.videoModelsWhere = videoModelsWhere;
// The model catalog: every imini model, its limits and its defaults, in one place. The node
// parameters (options, which fields show for which model, defaults) and the input validation
// both read it. Its request schemas are checked both ways against the types generated from
// openapi/imini.yaml (test/unit/catalog-contract.test.ts), and its limits against the spec itself.
const v4_1 = require("zod/v4");
const ten = ['1:1', '2:3', '3:2', '3:4', '4:3', '4:5', '5:4', '9:16', '16:9', '21:9'];
/** Image models, in the order the node lists them. */
exports.imageModelCatalog = {
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
    },
};
/** Video models, in the order the node lists them. */
exports.videoModelCatalog = {
    'kling/kling-v3': {
        name: 'Kling 3 (Kuaishou)',
        description: 'Text-to-video, or from a first frame (and optional last frame), or from asset images',
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
        referenceVideosMax: 0,
        referTypes: null,
        referenceAudiosMax: 0,
        extraParams: ['negative_prompt', 'cfg_scale'],
    },
    'kling/kling-v3-omni': {
        name: 'Kling 3 Omni (Kuaishou)',
        description: 'Kling 3 plus a reference video: edit it (base) or borrow from it (feature)',
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
        referenceVideosMax: 1,
        referTypes: ['base', 'feature'],
        referenceAudiosMax: 0,
        extraParams: ['negative_prompt', 'cfg_scale'],
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
    },
    'doubao/seedance-2.0': {
        name: 'Seedance 2.0 (ByteDance)',
        description: 'Up to 9 images, 3 videos and 3 audio clips as references; audio on by default',
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
    },
    'doubao/seedance-2.0-fast': {
        name: 'Seedance 2.0 Fast (ByteDance)',
        description: 'Seedance 2.0, faster and cheaper',
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
    },
    'dashscope/happyhorse-1.0': {
        name: 'HappyHorse 1.0 (Alibaba DashScope)',
        description: 'From text, a first frame, up to 9 asset images, or edit one video',
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
    },
};
exports.imageModelIds = Object.keys(exports.imageModelCatalog);
exports.videoModelIds = Object.keys(exports.videoModelCatalog);
function modelKind(model) {
    if (model in exports.imageModelCatalog)
        return 'image';
    if (model in exports.videoModelCatalog)
        return 'video';
    return undefined;
}
/** Models whose catalog entry satisfies `test`: feeds `displayOptions.show.model`. */
function imageModelsWhere(test) {
    return exports.imageModelIds.filter((id) => test(exports.imageModelCatalog[id]));
}
function videoModelsWhere(test) {
    return exports.videoModelIds.filter((id) => test(exports.videoModelCatalog[id]));
}
// ---------- request schemas (zod), one per model ----------
const mediaUrl = v4_1.z
    .string()
    .regex(/^(https?:\/\/|data:[A-Za-z0-9.+-]+\/[A-Za-z0-9.+-]+;base64,)/, 'must be a public http(s) URL or a data: URL');
const publicUrl = v4_1.z.string().regex(/^https?:\/\//, 'must be a public http(s) URL (videos and audio cannot be uploaded from n8n binary data)');
const prompt = (max) => v4_1.z.string().min(1, 'must not be empty').max(max, `must be at most ${max} characters`);
const oneOf = (values) => v4_1.z.enum(values);
const imageReference = v4_1.z.strictObject({ url: mediaUrl, reference_type: v4_1.z.enum(['asset', 'style']).optional() });
const imageReferences = (max) => v4_1.z.array(imageReference).max(max, `accepts at most ${max} reference images`).optional();
const videoImageReference = v4_1.z.strictObject({ url: mediaUrl, reference_type: v4_1.z.enum(['first_frame', 'last_frame', 'asset']) });
const videoReference = v4_1.z.strictObject({ url: publicUrl });
const duration = (range) => v4_1.z.number().int('must be a whole number of seconds').min(range.min, `must be at least ${range.min} s`).max(range.max, `must be at most ${range.max} s`).optional();
const passThrough = v4_1.z.record(v4_1.z.string(), v4_1.z.unknown());
const klingExtraParams = v4_1.z
    .looseObject({
    multi_shot: v4_1.z.boolean().optional(),
    shot_type: v4_1.z.enum(['customize', 'intelligence']).optional(),
    multi_prompt: v4_1.z.array(v4_1.z.strictObject({ index: v4_1.z.number().int().min(1), prompt: v4_1.z.string().min(1), duration: v4_1.z.number().int().min(1) })).optional(),
    negative_prompt: v4_1.z.string().optional(),
    cfg_scale: v4_1.z.number().min(0).max(1).optional(),
    camera_control: passThrough.optional(),
})
    .optional();
function imageSchema(model) {
    const entry = exports.imageModelCatalog[model];
    return {
        model: v4_1.z.literal(model),
        prompt: prompt(entry.promptMax),
        images: imageReferences(entry.referenceImagesMax),
    };
}
const imi = exports.imageModelCatalog;
const vid = exports.videoModelCatalog;
exports.imageRequestSchemas = {
    'google/nano-banana': v4_1.z.strictObject({
        ...imageSchema('google/nano-banana'),
        aspect_ratio: oneOf(imi['google/nano-banana'].aspectRatios).optional(),
        resolution: oneOf(imi['google/nano-banana'].resolutions).optional(),
    }),
    'google/nano-banana-pro': v4_1.z.strictObject({
        ...imageSchema('google/nano-banana-pro'),
        aspect_ratio: oneOf(imi['google/nano-banana-pro'].aspectRatios).optional(),
        resolution: oneOf(imi['google/nano-banana-pro'].resolutions).optional(),
    }),
    'google/nano-banana-2': v4_1.z.strictObject({
        ...imageSchema('google/nano-banana-2'),
        aspect_ratio: oneOf(imi['google/nano-banana-2'].aspectRatios).optional(),
        resolution: oneOf(imi['google/nano-banana-2'].resolutions).optional(),
    }),
    'openai/gpt-image-2': v4_1.z.strictObject({
        ...imageSchema('openai/gpt-image-2'),
        aspect_ratio: oneOf(imi['openai/gpt-image-2'].aspectRatios),
        resolution: oneOf(imi['openai/gpt-image-2'].resolutions),
        quality: oneOf(imi['openai/gpt-image-2'].qualities),
        num: v4_1.z.number().int().min(1).max(imi['openai/gpt-image-2'].numMax, 'must be between 1 and 10').optional(),
    }),
};
const kling = (model) => ({
    model: v4_1.z.literal(model),
    prompt: prompt(vid[model].promptMax),
    resolution: oneOf(vid[model].resolutions).optional(),
    aspect_ratio: oneOf(vid[model].aspectRatios).optional(),
    duration: duration(vid[model].duration),
    generate_audio: v4_1.z.boolean().optional(),
    reference_images: v4_1.z.array(videoImageReference).optional(),
    extra_params: klingExtraParams,
});
const seedance = (model) => v4_1.z.strictObject({
    model: v4_1.z.literal(model),
    prompt: prompt(vid[model].promptMax),
    resolution: oneOf(vid[model].resolutions).optional(),
    aspect_ratio: oneOf(vid[model].aspectRatios).optional(),
    duration: duration(vid[model].duration),
    generate_audio: v4_1.z.boolean().optional(),
    reference_images: v4_1.z.array(videoImageReference).max(vid[model].referenceImagesMax, 'accepts at most 9 reference images').optional(),
    reference_videos: v4_1.z.array(videoReference).max(vid[model].referenceVideosMax, 'accepts at most 3 reference videos').optional(),
    reference_audios: v4_1.z.array(v4_1.z.strictObject({ url: publicUrl })).max(vid[model].referenceAudiosMax, 'accepts at most 3 reference audios').optional(),
    extra_params: passThrough.optional(),
});
exports.videoRequestSchemas = {
    'kling/kling-v3': v4_1.z.strictObject(kling('kling/kling-v3')),
    'kling/kling-v3-omni': v4_1.z.strictObject({
        ...kling('kling/kling-v3-omni'),
        reference_videos: v4_1.z
            .array(v4_1.z.strictObject({ url: publicUrl, refer_type: oneOf(vid['kling/kling-v3-omni'].referTypes).optional() }))
            .max(1, 'accepts one reference video')
            .optional(),
    }),
    'kling/kling-v3-motion-control': v4_1.z.strictObject({
        model: v4_1.z.literal('kling/kling-v3-motion-control'),
        prompt: v4_1.z.string().max(vid['kling/kling-v3-motion-control'].promptMax).optional(),
        resolution: oneOf(vid['kling/kling-v3-motion-control'].resolutions).optional(),
        generate_audio: v4_1.z.boolean().optional(),
        reference_images: v4_1.z.array(videoImageReference).length(1, 'needs exactly one reference image (the character)'),
        reference_videos: v4_1.z.array(videoReference).length(1, 'needs exactly one reference video (the motion)'),
        extra_params: v4_1.z.looseObject({ character_orientation: v4_1.z.enum(['image', 'video']).optional() }).optional(),
    }),
    'doubao/seedance-2.0': seedance('doubao/seedance-2.0'),
    'doubao/seedance-2.0-fast': seedance('doubao/seedance-2.0-fast'),
    'dashscope/happyhorse-1.0': v4_1.z.strictObject({
        model: v4_1.z.literal('dashscope/happyhorse-1.0'),
        prompt: prompt(vid['dashscope/happyhorse-1.0'].promptMax),
        resolution: oneOf(vid['dashscope/happyhorse-1.0'].resolutions).optional(),
        aspect_ratio: oneOf(vid['dashscope/happyhorse-1.0'].aspectRatios).optional(),
        duration: duration(vid['dashscope/happyhorse-1.0'].duration),
        reference_images: v4_1.z.array(videoImageReference).max(9, 'accepts at most 9 reference images').optional(),
        reference_videos: v4_1.z.array(videoReference).max(1, 'accepts one reference video').optional(),
        extra_params: v4_1.z.looseObject({ audio_setting: v4_1.z.string().optional() }).optional(),
    }),
};
