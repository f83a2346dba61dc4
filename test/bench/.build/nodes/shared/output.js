"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.submittedJson = submittedJson;
exports.taskJson = taskJson;
exports.resultFiles = resultFiles;
exports.taskItems = taskItems;
const errors_1 = require("./errors");
function submittedJson(kind, submitted, model) {
    return {
        task_id: submitted.task_id,
        request_id: submitted.request_id,
        // imini has echoed a different model name in an example: report what was asked for.
        model,
        kind,
        status: 'queued',
        created_at: submitted.created_at,
    };
}
function taskJson(kind, task) {
    return {
        task_id: task.task_id,
        request_id: task.request_id,
        model: task.model,
        kind,
        status: task.status,
        created_at: task.created_at,
        completed_at: task.completed_at ?? null,
        ...(task.status === 'failed' ? { error: { code: task.error.code, message: task.error.message } } : {}),
    };
}
function resultFiles(task) {
    if (task.status !== 'succeeded')
        return [];
    return 'images' in task ? task.images : 'videos' in task ? task.videos : [];
}
const extensions = { 'image/png': 'png', 'image/jpeg': 'jpg', 'image/webp': 'webp', 'video/mp4': 'mp4', 'video/quicktime': 'mov' };
function fileName(prefix, taskId, index, url, mimeType, suffix = '') {
    const fromUrl = /\.([a-z0-9]{2,4})(?:\?|#|$)/i.exec(new URL(url).pathname)?.[1];
    const extension = (mimeType && extensions[mimeType]) ?? fromUrl ?? 'bin';
    return `${prefix ? `${prefix}-` : ''}${taskId}-${index}${suffix}.${extension}`;
}
async function downloadFile(ctx, client, taskId, url, name, itemIndex) {
    try {
        const { value: file } = await client.download(url);
        if (file.mimeType && !/^(image|video)\//.test(file.mimeType)) {
            file.stream.resume();
            throw new errors_1.IminiHttpError(200, { message: `expected an image or video, got ${file.mimeType}` }, undefined);
        }
        return await ctx.helpers.prepareBinaryData(file.stream, name(file.mimeType), file.mimeType);
    }
    catch (error) {
        const attempts = error.attempts ?? 1;
        throw (0, errors_1.toNodeError)(ctx.getNode(), error, { call: 'download', taskId, url, attempts }, itemIndex);
    }
}
/** Output items for a task as it is now; downloads its files when it has succeeded and `download` is on. */
async function taskItems(ctx, client, kind, task, download, itemIndex) {
    const base = taskJson(kind, task);
    const files = resultFiles(task);
    if (files.length === 0)
        return [{ json: base }];
    const items = [];
    // One file at a time per task: with many tasks in flight, memory is bounded by tasks, not files.
    for (const [index, file] of files.entries()) {
        const json = { ...base, file_index: index, file_count: files.length, ...file };
        const item = { json };
        if (download) {
            const { fileNamePrefix: prefix, binaryPropertyName } = download;
            item.binary = {
                [binaryPropertyName]: await downloadFile(ctx, client, task.task_id, file.url, (mime) => fileName(prefix, task.task_id, index, file.url, mime), itemIndex),
            };
            if (download.downloadCover && file.cover_url) {
                const coverUrl = file.cover_url;
                item.binary.cover = await downloadFile(ctx, client, task.task_id, coverUrl, (mime) => fileName(prefix, task.task_id, index, coverUrl, mime, '-cover'), itemIndex);
            }
        }
        items.push(item);
    }
    return items;
}
