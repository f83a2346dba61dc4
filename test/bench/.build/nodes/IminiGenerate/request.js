"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.buildRequest = buildRequest;
// Turns one item's parameters into the request body for its model, and refuses it (before any
// credit is spent) when the model would: limits from the catalog, reference combinations from
// the shared rules, imini's 64 MB body cap.
const n8n_workflow_1 = require("n8n-workflow");
const catalog_1 = require("../shared/catalog");
const reference_rules_1 = require("../shared/reference-rules");
/** imini caps a request body at 64 MB (reference images travel inside it as data URLs). */
const MAX_BODY_BYTES = 64 * 1024 * 1024;
const fieldLabels = {
    prompt: 'Prompt',
    aspect_ratio: 'Aspect Ratio',
    resolution: 'Resolution',
    quality: 'Quality',
    num: 'Number of Images',
    images: 'Reference Images',
    reference_images: 'Reference Images',
    reference_videos: 'Reference Videos',
    reference_audios: 'Reference Audios',
    duration: 'Duration',
    generate_audio: 'Generate Audio',
    extra_params: 'Model Options',
};
function describeIssue(issue) {
    const [field, ...rest] = issue.path.map(String);
    const label = field === undefined ? 'Request' : (fieldLabels[field] ?? field);
    const where = rest.map((part) => (/^\d+$/.test(part) ? `#${Number(part) + 1}` : part)).join(' ');
    return `${label}${where ? ` ${where}` : ''}: ${issue.message}`;
}
async function referenceUrl(ctx, itemIndex, entry, position) {
    if (entry.source === 'url') {
        const url = (entry.url ?? '').trim();
        if (!url)
            throw new n8n_workflow_1.NodeOperationError(ctx.getNode(), `Reference image #${position} has no URL`, { itemIndex });
        return url;
    }
    const property = (entry.binaryProperty ?? 'data').trim();
    const binary = ctx.helpers.assertBinaryData(itemIndex, property);
    if (!binary.mimeType?.startsWith('image/')) {
        throw new n8n_workflow_1.NodeOperationError(ctx.getNode(), `Reference image #${position}: the binary property "${property}" holds ${binary.mimeType || 'an unknown type'}, not an image`, { itemIndex });
    }
    const buffer = await ctx.helpers.getBinaryDataBuffer(itemIndex, property);
    return `data:${binary.mimeType};base64,${buffer.toString('base64')}`;
}
async function readReferences(ctx, itemIndex, parameter) {
    const collection = ctx.getNodeParameter(parameter, itemIndex, {});
    const references = [];
    for (const [index, entry] of (collection.image ?? []).entries()) {
        const url = await referenceUrl(ctx, itemIndex, entry, index + 1);
        references.push(entry.referenceType ? { url, reference_type: entry.referenceType } : { url });
    }
    return references;
}
function urls(ctx, itemIndex, parameter, key) {
    const collection = ctx.getNodeParameter(parameter, itemIndex, {});
    return (collection[key] ?? []).map((entry) => ({ ...entry, url: (entry.url ?? '').trim() }));
}
async function imageBody(ctx, itemIndex, model, prompt) {
    const entry = catalog_1.imageModelCatalog[model];
    const body = { model, prompt };
    const aspectRatio = ctx.getNodeParameter('aspectRatio', itemIndex, entry.aspectRatioRequired ? '1:1' : '');
    if (aspectRatio)
        body.aspect_ratio = aspectRatio;
    if (entry.resolutions.length > 1)
        body.resolution = ctx.getNodeParameter('resolution', itemIndex, entry.defaultResolution);
    if (entry.qualities)
        body.quality = ctx.getNodeParameter('quality', itemIndex, 'medium');
    if (entry.numMax)
        body.num = ctx.getNodeParameter('numberOfImages', itemIndex, 1);
    const images = await readReferences(ctx, itemIndex, 'referenceImages');
    if (images.length)
        body.images = images;
    return body;
}
async function videoBody(ctx, itemIndex, model, prompt) {
    const entry = catalog_1.videoModelCatalog[model];
    const body = { model };
    if (prompt || entry.promptRequired)
        body.prompt = prompt;
    body.resolution = ctx.getNodeParameter('resolution', itemIndex, entry.defaultResolution);
    if (entry.aspectRatios)
        body.aspect_ratio = ctx.getNodeParameter('aspectRatio', itemIndex, entry.defaultAspectRatio);
    if (entry.duration)
        body.duration = ctx.getNodeParameter('duration', itemIndex, entry.duration.default);
    if (entry.audio)
        body.generate_audio = ctx.getNodeParameter('generateAudio', itemIndex, entry.audio.default);
    const images = await readReferences(ctx, itemIndex, 'videoReferenceImages');
    if (images.length)
        body.reference_images = images;
    if (entry.referenceVideosMax > 0) {
        const videos = urls(ctx, itemIndex, 'referenceVideos', 'video').map(({ url, referType }) => entry.referTypes && referType ? { url, refer_type: referType } : { url });
        if (videos.length)
            body.reference_videos = videos;
    }
    if (entry.referenceAudiosMax > 0) {
        const audios = urls(ctx, itemIndex, 'referenceAudios', 'audio').map(({ url }) => ({ url }));
        if (audios.length)
            body.reference_audios = audios;
    }
    const options = ctx.getNodeParameter('modelOptions', itemIndex, {});
    const extra = {};
    const supports = (param) => entry.extraParams.includes(param);
    if (options.negativePrompt && supports('negative_prompt'))
        extra.negative_prompt = options.negativePrompt;
    if (options.cfgScale !== undefined && supports('cfg_scale'))
        extra.cfg_scale = options.cfgScale;
    if (options.characterOrientation && supports('character_orientation'))
        extra.character_orientation = options.characterOrientation;
    if (options.audioSetting && supports('audio_setting'))
        extra.audio_setting = options.audioSetting;
    if (options.extraParams !== undefined && options.extraParams !== '') {
        const parsed = typeof options.extraParams === 'string'
            ? (0, n8n_workflow_1.jsonParse)(options.extraParams, {
                errorMessage: 'Model Options > Extra Parameters (JSON) is not valid JSON',
            })
            : options.extraParams;
        if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
            throw new n8n_workflow_1.NodeOperationError(ctx.getNode(), 'Model Options > Extra Parameters (JSON) must be a JSON object', { itemIndex });
        }
        Object.assign(extra, parsed);
    }
    if (Object.keys(extra).length)
        body.extra_params = extra;
    return body;
}
async function buildRequest(ctx, itemIndex) {
    const kind = ctx.getNodeParameter('resource', itemIndex);
    const model = ctx.getNodeParameter('model', itemIndex);
    if ((0, catalog_1.modelKind)(model) !== kind) {
        throw new n8n_workflow_1.NodeOperationError(ctx.getNode(), `"${model}" is not an imini ${kind} model`, {
            itemIndex,
            description: `Known ${kind} models: ${Object.keys(kind === 'image' ? catalog_1.imageModelCatalog : catalog_1.videoModelCatalog).join(', ')}`,
        });
    }
    const prompt = String(ctx.getNodeParameter('prompt', itemIndex, '') ?? '').trim();
    const body = kind === 'image'
        ? await imageBody(ctx, itemIndex, model, prompt)
        : await videoBody(ctx, itemIndex, model, prompt);
    const name = kind === 'image' ? catalog_1.imageModelCatalog[model].name : catalog_1.videoModelCatalog[model].name;
    const schema = kind === 'image' ? catalog_1.imageRequestSchemas[model] : catalog_1.videoRequestSchemas[model];
    const parsed = schema.safeParse(body);
    const problem = parsed.success
        ? kind === 'video'
            ? (0, reference_rules_1.checkVideoReferences)(body)
            : null
        : parsed.error.issues.map(describeIssue).join('; ');
    if (problem) {
        throw new n8n_workflow_1.NodeOperationError(ctx.getNode(), `${name} cannot take this input: ${problem}`, {
            itemIndex,
            description: 'Nothing was sent to imini and no credits were used. Fix the parameter and run again.',
        });
    }
    if (JSON.stringify(body).length > MAX_BODY_BYTES) {
        throw new n8n_workflow_1.NodeOperationError(ctx.getNode(), 'The request is larger than imini\'s 64 MB limit', {
            itemIndex,
            description: 'Reference images from binary data are sent inline. Use smaller images, fewer of them, or public URLs.',
        });
    }
    return { kind, model, body };
}
