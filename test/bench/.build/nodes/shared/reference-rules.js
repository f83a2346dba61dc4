"use strict";
// Rules imini enforces that JSON Schema cannot state: which reference combinations each video
// model accepts (imini-api.md, video models table; the spec repeats them in each model's
// description). The node checks them before submitting (no credit spent on a sure 400) and the
// simulator answers a breach with the 400 the API gives. No imports: Node runs this file as is
// for the simulator, and tsc compiles it for the node.
Object.defineProperty(exports, "__esModule", { value: true });
exports.checkVideoReferences = checkVideoReferences;
const SEEDANCE_MAX_IMAGE_BYTES = 30 * 1024 * 1024;
function types(refs) {
    return (refs ?? []).map((ref) => ref.reference_type ?? '');
}
function klingFrames(images) {
    if (images.length === 0)
        return null;
    if (images.every((t) => t === 'asset'))
        return null;
    if (images.length === 1 && images[0] === 'first_frame')
        return null;
    if (images.length === 2 && images.includes('first_frame') && images.includes('last_frame'))
        return null;
    if (images.includes('last_frame') && !images.includes('first_frame'))
        return 'a last_frame reference needs a first_frame reference';
    return 'reference_images must be one first_frame, a first_frame and a last_frame, or only asset images';
}
function dataUrlBytes(url) {
    const comma = url?.startsWith('data:') ? url.indexOf(',') : -1;
    return comma < 0 ? 0 : Math.floor((url.length - comma - 1) * 0.75);
}
function checkVideoReferences(body) {
    const images = types(body.reference_images);
    const videos = body.reference_videos ?? [];
    switch (body.model) {
        case 'kling/kling-v3':
            return klingFrames(images);
        case 'kling/kling-v3-omni':
            if (videos.some((v) => v.refer_type === 'base') && images.some((t) => t !== 'asset')) {
                return 'when editing a video (refer_type base) only asset images are allowed';
            }
            return klingFrames(images);
        case 'doubao/seedance-2.0':
        case 'doubao/seedance-2.0-fast':
            if ((body.reference_audios ?? []).length > 0 && images.length === 0 && videos.length === 0) {
                return 'reference_audios cannot be used alone: add a reference image or video';
            }
            if ((body.reference_images ?? []).some((ref) => dataUrlBytes(ref.url) > SEEDANCE_MAX_IMAGE_BYTES)) {
                return 'each reference image must be at most 30 MB';
            }
            return null;
        case 'dashscope/happyhorse-1.0':
            if (videos.length > 0) {
                return images.every((t) => t === 'asset') ? null : 'when editing a video only asset images are allowed';
            }
            if (images.length === 0 || images.every((t) => t === 'asset'))
                return null;
            if (images.length === 1 && images[0] === 'first_frame')
                return null;
            return 'reference_images must be one first_frame or only asset images';
        default:
            return null;
    }
}
