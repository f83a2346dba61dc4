// What the nodes output for a task: one item per result file (ready for Drive or Slack), with
// the file as binary data when asked; a single status item while the task is not finished.
// All three nodes shape their output here, so the fields are the same everywhere.
import type { IBinaryData, IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import type { IminiTask, TaskKind, TaskSubmitted } from '../imini/task';
import { IminiHttpError } from '../engine/errors';
import { toNodeError } from './node-errors';
import type { FileOptions } from './parameters';
import type { IminiClient } from './transport';

type ResultFile = { url: string; width: number; height: number; duration?: number; cover_url?: string };

/** The request fields a user reads next to a file: what was asked for, in imini's own names. */
const settingFields = ['prompt', 'aspect_ratio', 'resolution', 'quality', 'num', 'duration', 'generate_audio'] as const;

/**
 * The prompt and settings that made a task (Imini Generate), so a file's item carries them to
 * Sheets or Drive without an expression. Reference media are counted, not copied: a reference
 * image from binary data is a data URL of megabytes.
 */
export function requestJson(body: IDataObject): IDataObject {
	const json: IDataObject = {};
	for (const field of settingFields) if (body[field] !== undefined) json[field] = body[field];
	const extra = (body.extra_params ?? {}) as IDataObject;
	if (typeof extra.negative_prompt === 'string') json.negative_prompt = extra.negative_prompt;
	for (const list of ['images', 'reference_images', 'reference_videos', 'reference_audios'] as const) {
		const entries = body[list];
		if (Array.isArray(entries) && entries.length) json[list === 'images' ? 'reference_images' : list] = entries.length;
	}
	return json;
}

/**
 * Imini Generate's output items as a user reads them: each with the prompt and settings after
 * `kind` (n8n's table shows fields in this order), and, with the option "Include Other Input
 * Fields" (n8n's Edit Fields convention), the input item's fields first; the node's own fields win
 * a name clash.
 */
export function withRequest(ctx: IExecuteFunctions, itemIndex: number, items: INodeExecutionData[], body: IDataObject, includeInput: boolean): INodeExecutionData[] {
	const settings = requestJson(body);
	const input = includeInput ? (ctx.getInputData()[itemIndex]?.json ?? {}) : {};
	for (const item of items) {
		const json: IDataObject = { ...input };
		for (const [key, value] of Object.entries(item.json)) {
			json[key] = value;
			if (key === 'kind') Object.assign(json, settings);
		}
		item.json = json;
	}
	return items;
}

/** Include Other Input Fields, read before the submit like every other parameter of the item. */
export function readIncludeInputFields(ctx: IExecuteFunctions, itemIndex: number): boolean {
	return ctx.getNodeParameter('options.includeInputFields', itemIndex, false) === true;
}

export function submittedJson(kind: TaskKind, submitted: TaskSubmitted, model: string): IDataObject {
	return {
		task_id: submitted.task_id,
		request_id: submitted.request_id,
		// `model` is the model the task was created with, on every path (settle.ts): here, the one asked for.
		model,
		kind,
		status: 'queued',
		created_at: submitted.created_at,
	};
}

export function taskJson(kind: TaskKind, task: IminiTask): IDataObject {
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

export function resultFiles(task: IminiTask): ResultFile[] {
	if (task.status !== 'succeeded') return [];
	return 'images' in task ? task.images : 'videos' in task ? task.videos : [];
}

const extensions: Record<string, string> = { 'image/png': 'png', 'image/jpeg': 'jpg', 'image/webp': 'webp', 'video/mp4': 'mp4', 'video/quicktime': 'mov' };

function fileName(prefix: string, taskId: string, index: number, url: string, mimeType: string | undefined, suffix = ''): string {
	const fromUrl = /\.([a-z0-9]{2,4})(?:\?|#|$)/i.exec(new URL(url).pathname)?.[1];
	const extension = (mimeType && extensions[mimeType]) ?? fromUrl ?? 'bin';
	return `${prefix ? `${prefix}-` : ''}${taskId}-${index}${suffix}.${extension}`;
}

/** An expired result URL: a CDN's 403 or 404 (imini documents neither the lifetime nor the answer: **inferred**). */
function isExpired(error: unknown): boolean {
	return error instanceof IminiHttpError && (error.status === 403 || error.status === 404);
}

/**
 * Downloads one result file. An expired URL is not the end: one fresh status check may hand out
 * a new URL for the same file (`fresh` picks it from the task), and that one is tried before the
 * item fails.
 */
async function downloadFile(
	ctx: IExecuteFunctions,
	client: IminiClient,
	kind: TaskKind,
	taskId: string,
	url: string,
	fresh: (task: IminiTask) => string | undefined,
	name: (mimeType: string) => string,
	itemIndex: number,
): Promise<IBinaryData> {
	let from = url;
	// The file streams into n8n's binary data as it downloads (n8n/transport.ts): what the item
	// carries is n8n's reference to it, never the bytes held here.
	const attempt = async (at: string) =>
		await client.download(at, kind, name).then(
			(downloaded) => ({ file: downloaded.value, error: undefined }),
			(error: unknown) => ({ file: undefined, error }),
		);
	let result = await attempt(from);
	if (result.file === undefined && isExpired(result.error)) {
		// A status check that fails leaves the first error to report.
		const task = await client.getTask(kind, taskId).then((checked) => checked.value, () => undefined);
		const renewed = task && fresh(task);
		if (renewed !== undefined) {
			from = renewed;
			result = await attempt(from);
		}
	}
	if (result.file === undefined) throw toNodeError(ctx.getNode(), result.error, { call: 'download', taskId, url: from }, itemIndex);
	return result.file;
}

/** Output items for a task as it is now; downloads its files when it has succeeded and `download` is on. */
export async function taskItems(
	ctx: IExecuteFunctions,
	client: IminiClient,
	kind: TaskKind,
	task: IminiTask,
	download: FileOptions | null,
	itemIndex: number,
): Promise<INodeExecutionData[]> {
	const base = taskJson(kind, task);
	const files = resultFiles(task);
	if (files.length === 0) return [{ json: base }];
	const items: INodeExecutionData[] = [];
	// One file at a time per task: connections and stream buffers are bounded by tasks in flight, not files.
	for (const [index, file] of files.entries()) {
		const json: IDataObject = { ...base, file_index: index, file_count: files.length, ...file };
		const item: INodeExecutionData = { json };
		if (download) {
			const { fileNamePrefix: prefix, binaryPropertyName } = download;
			const again = (fresh: IminiTask) => resultFiles(fresh)[index] as ResultFile | undefined;
			item.binary = {
				[binaryPropertyName]: await downloadFile(ctx, client, kind, task.task_id, file.url, (fresh) => again(fresh)?.url, (mime) => fileName(prefix, task.task_id, index, file.url, mime), itemIndex),
			};
			if (download.downloadCover && file.cover_url) {
				const coverUrl = file.cover_url;
				item.binary.cover = await downloadFile(ctx, client, kind, task.task_id, coverUrl, (fresh) => again(fresh)?.cover_url, (mime) => fileName(prefix, task.task_id, index, coverUrl, mime, '-cover'), itemIndex);
			}
		}
		items.push(item);
	}
	return items;
}
