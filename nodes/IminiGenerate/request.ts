// Turns one item's parameters into the request body for its model, and refuses it (before any
// credit is spent) when the model would: limits from the catalog, reference combinations from
// the shared rules, imini's 64 MB body cap.
import { NodeOperationError, jsonParse } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import type { z } from 'zod/v4';
import { imageModelCatalog, modelKind, videoModelCatalog } from '../imini/models';
import type { ImageModelId, VideoModelId } from '../imini/models';
import { imageRequestSchemas, videoRequestSchemas } from '../imini/request-schemas';
import type { TaskKind } from '../imini/task';
import { checkVideoReferences } from '../../openapi/rules/reference-rules';

export type GenerateRequest = { kind: TaskKind; model: string; body: IDataObject };

/** imini caps a request body at 64 MB of UTF-8 (reference images travel inside it as data URLs). */
const MAX_BODY_BYTES = 64 * 1024 * 1024;

const fieldLabels: Record<string, string> = {
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
	extra_params: 'Model Settings',
};

/** The value at an issue's path in the request, to quote back to the user. */
function valueAt(body: IDataObject, path: PropertyKey[]): unknown {
	let value: unknown = body;
	for (const part of path) value = value && typeof value === 'object' ? (value as Record<PropertyKey, unknown>)[part as string] : undefined;
	return value;
}

function quoted(value: unknown): string {
	const text = typeof value === 'string' ? `"${value}"` : JSON.stringify(value);
	return text.length > 80 ? `${text.slice(0, 77)}..."` : text;
}

/**
 * One refused field in a user's words: the field's label as the editor shows it, the value given,
 * and what this model takes instead (its choices, its range, the prompt's length against its limit).
 */
function describeIssue(issue: z.core.$ZodIssue, body: IDataObject): string {
	const [field, ...rest] = issue.path.map(String);
	const label = field === undefined ? 'Request' : (fieldLabels[field] ?? field);
	const where = rest.map((part) => (/^\d+$/.test(part) ? `#${Number(part) + 1}` : part)).join(' ');
	const given = valueAt(body, issue.path);
	const name = `${label}${where ? ` ${where}` : ''}`;
	if (issue.code === 'invalid_value') {
		return `${name}: ${quoted(given)} is not one of this model's choices (${issue.values.map(String).join(', ')})`;
	}
	if (field === 'prompt' && typeof given === 'string') {
		const length = [...given].length;
		const limit = /at most (\d+)/.exec(issue.message)?.[1];
		if (limit) return promptTooLong(length, Number(limit));
		if (length === 0) return 'Prompt: empty. This model needs a prompt: type one, or map a field of the input to it.';
	}
	return `${name}: ${quoted(given)} ${issue.message}`;
}

/** A prompt over its model's limit, with its own length (in characters, as imini counts them). */
function promptTooLong(length: number, limit: number): string {
	return `Prompt: ${length.toLocaleString('en-US')} characters, more than this model's ${limit.toLocaleString('en-US')}. Shorten it, or pick a model that takes longer prompts (GPT Image 2 takes 32,000).`;
}

/** Characters (code points) of `text`, counted without copying it. */
function characters(text: string): number {
	let pairs = 0;
	for (let i = 0; i < text.length - 1; i++) {
		const high = text.charCodeAt(i);
		const low = text.charCodeAt(i + 1);
		if (high >= 0xd800 && high <= 0xdbff && low >= 0xdc00 && low <= 0xdfff) {
			pairs++;
			i++;
		}
	}
	return text.length - pairs;
}

type ReferenceEntry = { source?: 'binary' | 'url'; binaryProperty?: string; url?: string; referenceType?: string };

/** What the request body will weigh, counted before anything large is read (binary images are inlined as base64). */
type BodyBudget = { bytes: number };

function tooLarge(ctx: IExecuteFunctions, itemIndex: number): NodeOperationError {
	return new NodeOperationError(ctx.getNode(), 'The request is larger than imini\'s 64 MB limit', {
		itemIndex,
		description: 'Reference images from files of the input item are sent inside the request. Use smaller images, fewer of them, or public links.',
	});
}

/**
 * Counts a binary reference image against the 64 MB cap from its stored size, before it is read:
 * a file over the cap is refused without ever being loaded, encoded and stringified.
 */
async function chargeBinary(ctx: IExecuteFunctions, itemIndex: number, binary: { id?: string; data?: string }, budget: BodyBudget): Promise<void> {
	const bytes = binary.id ? (await ctx.helpers.getBinaryMetadata(binary.id)).fileSize : Math.floor(((binary.data ?? '').length * 3) / 4);
	budget.bytes += Math.ceil(bytes / 3) * 4 + 64;
	if (budget.bytes > MAX_BODY_BYTES) throw tooLarge(ctx, itemIndex);
}

async function referenceUrl(ctx: IExecuteFunctions, itemIndex: number, entry: ReferenceEntry, position: number, budget: BodyBudget): Promise<string> {
	if (entry.source === 'url') {
		const url = (entry.url ?? '').trim();
		if (!url) {
			throw new NodeOperationError(ctx.getNode(), `Reference Images #${position}: the URL is empty`, {
				itemIndex,
				description: 'Paste a public link to the picture, or set Source to "File From the Input Item".',
			});
		}
		return url;
	}
	const property = (entry.binaryProperty ?? 'data').trim();
	const files = ctx.getInputData()[itemIndex]?.binary ?? {};
	if (!files[property]) {
		const present = Object.keys(files);
		throw new NodeOperationError(ctx.getNode(), `Reference Images #${position}: the input item has no file in the field "${property}"`, {
			itemIndex,
			description: present.length
				? `Its files are in: ${present.map((name) => `"${name}"`).join(', ')}. Put one of these names in Reference Images > Input File Field.`
				: 'The input item has no files at all. Add a node before this one that downloads or reads the picture, or set Source to "Public Link".',
		});
	}
	const binary = ctx.helpers.assertBinaryData(itemIndex, property);
	if (!binary.mimeType?.startsWith('image/')) {
		throw new NodeOperationError(
			ctx.getNode(),
			`Reference Images #${position}: the file in the field "${property}" is ${binary.mimeType || 'of an unknown type'}, not a picture`,
			{ itemIndex },
		);
	}
	await chargeBinary(ctx, itemIndex, binary, budget);
	const buffer = await ctx.helpers.getBinaryDataBuffer(itemIndex, property);
	return `data:${binary.mimeType};base64,${buffer.toString('base64')}`;
}

async function readReferences(ctx: IExecuteFunctions, itemIndex: number, parameter: string, budget: BodyBudget): Promise<Array<{ url: string; reference_type?: string }>> {
	const collection = ctx.getNodeParameter(parameter, itemIndex, {}) as { image?: ReferenceEntry[] };
	const references = [];
	for (const [index, entry] of (collection.image ?? []).entries()) {
		const url = await referenceUrl(ctx, itemIndex, entry, index + 1, budget);
		references.push(entry.referenceType ? { url, reference_type: entry.referenceType } : { url });
	}
	return references;
}

function urls<T extends string>(ctx: IExecuteFunctions, itemIndex: number, parameter: string, key: T): Array<Record<string, string>> {
	const collection = ctx.getNodeParameter(parameter, itemIndex, {}) as Record<T, Array<Record<string, string>>>;
	return (collection[key] ?? []).map((entry) => ({ ...entry, url: (entry.url ?? '').trim() }));
}

/**
 * A model parameter's value, or `fallback` (the model's default) when it was left out. An
 * expression can resolve to nothing: `$fromAI('aspect_ratio')` when an agent's model omits that
 * argument, `{{ $json.ratio }}` on an empty cell. That means "not given", as a field left at its
 * default does, never an invalid value.
 */
function givenOr<T extends string | number | boolean>(ctx: IExecuteFunctions, itemIndex: number, name: string, fallback: T): T {
	const value = ctx.getNodeParameter(name, itemIndex, fallback) as T | '' | null | undefined;
	return value === undefined || value === null || value === '' ? fallback : value;
}

async function imageBody(ctx: IExecuteFunctions, itemIndex: number, model: ImageModelId, prompt: string, budget: BodyBudget): Promise<IDataObject> {
	const entry = imageModelCatalog[model];
	const body: IDataObject = { model, prompt };
	const aspectRatio = givenOr(ctx, itemIndex, 'aspectRatio', entry.aspectRatioRequired ? '1:1' : '');
	if (aspectRatio) body.aspect_ratio = aspectRatio;
	if (entry.resolutions.length > 1) body.resolution = givenOr(ctx, itemIndex, 'resolution', entry.defaultResolution);
	if (entry.qualities) body.quality = givenOr(ctx, itemIndex, 'quality', 'medium');
	if (entry.numMax) body.num = givenOr(ctx, itemIndex, 'numberOfImages', 1);
	const images = await readReferences(ctx, itemIndex, 'referenceImages', budget);
	if (images.length) body.images = images;
	return body;
}

async function videoBody(ctx: IExecuteFunctions, itemIndex: number, model: VideoModelId, prompt: string, budget: BodyBudget): Promise<IDataObject> {
	const entry = videoModelCatalog[model];
	const body: IDataObject = { model };
	if (prompt || entry.promptRequired) body.prompt = prompt;
	body.resolution = givenOr(ctx, itemIndex, 'resolution', entry.defaultResolution);
	if (entry.aspectRatios) body.aspect_ratio = givenOr(ctx, itemIndex, 'aspectRatio', entry.defaultAspectRatio);
	if (entry.duration) body.duration = givenOr(ctx, itemIndex, 'duration', entry.duration.default);
	if (entry.audio) body.generate_audio = givenOr(ctx, itemIndex, 'generateAudio', entry.audio.default);

	const images = await readReferences(ctx, itemIndex, 'videoReferenceImages', budget);
	if (images.length) body.reference_images = images;
	if (entry.referenceVideosMax > 0) {
		const videos = urls(ctx, itemIndex, 'referenceVideos', 'video').map(({ url, referType }) =>
			entry.referTypes && referType ? { url, refer_type: referType } : { url },
		);
		if (videos.length) body.reference_videos = videos;
	}
	if (entry.referenceAudiosMax > 0) {
		const audios = urls(ctx, itemIndex, 'referenceAudios', 'audio').map(({ url }) => ({ url }));
		if (audios.length) body.reference_audios = audios;
	}

	const options = ctx.getNodeParameter('modelOptions', itemIndex, {}) as {
		negativePrompt?: string;
		cfgScale?: number;
		characterOrientation?: string;
		audioSetting?: string;
		extraParams?: string | IDataObject;
	};
	const extra: IDataObject = {};
	const supports = (param: string) => (entry.extraParams as readonly string[]).includes(param);
	// Negative Prompt is a field of its own now; workflows saved before kept it in Model Settings.
	const negativePrompt = (ctx.getNodeParameter('negativePrompt', itemIndex, '') as string) || options.negativePrompt;
	if (negativePrompt && supports('negative_prompt')) extra.negative_prompt = negativePrompt;
	if (options.cfgScale !== undefined && supports('cfg_scale')) extra.cfg_scale = options.cfgScale;
	if (options.characterOrientation && supports('character_orientation')) extra.character_orientation = options.characterOrientation;
	if (options.audioSetting && supports('audio_setting')) extra.audio_setting = options.audioSetting;
	if (options.extraParams !== undefined && options.extraParams !== '') {
		const parsed =
			typeof options.extraParams === 'string'
				? jsonParse<IDataObject>(options.extraParams, {
						errorMessage: 'Model Settings > Other Model Settings (JSON) is not valid JSON: check the quotes, commas and braces',
					})
				: options.extraParams;
		if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
			throw new NodeOperationError(ctx.getNode(), 'Model Settings > Other Model Settings (JSON) must be one JSON object, like {"multi_shot": true}', { itemIndex });
		}
		Object.assign(extra, parsed);
	}
	if (Object.keys(extra).length) body.extra_params = extra;
	return body;
}

/**
 * The prompt as text. An expression can yield an object or a list, which would be sent as
 * "[object Object]" or "a fox,a cat" and charged: refused instead, before anything is sent. A
 * prompt far over the model's limit is refused before it is copied into a body (its length in
 * UTF-16 units is at most twice its length in characters, which imini counts).
 */
function readPrompt(ctx: IExecuteFunctions, itemIndex: number, modelName: string, promptMax: number | undefined): string {
	const value = ctx.getNodeParameter('prompt', itemIndex, '') as unknown;
	if (value === undefined || value === null) return '';
	if (typeof value !== 'string' && typeof value !== 'number') {
		const what = Array.isArray(value) ? 'a list' : typeof value === 'object' ? 'an object' : `a ${typeof value}`;
		throw new NodeOperationError(ctx.getNode(), `Prompt must be text, not ${what}`, {
			itemIndex,
			description: 'Nothing was sent to imini and no credits were used. Map a text field (e.g. {{ $json.prompt }}); join a list first (e.g. {{ $json.prompts.join(", ") }}).',
		});
	}
	const prompt = String(value).trim();
	if (promptMax !== undefined && prompt.length > 2 * promptMax) {
		throw new NodeOperationError(ctx.getNode(), `${modelName} cannot take this input: ${promptTooLong(characters(prompt), promptMax)}`, {
			itemIndex,
			description: 'Nothing was sent to imini and no credits were used. Fix the parameter and run again.',
		});
	}
	return prompt;
}

export async function buildRequest(ctx: IExecuteFunctions, itemIndex: number): Promise<GenerateRequest> {
	const kind = ctx.getNodeParameter('resource', itemIndex) as TaskKind;
	const model = ctx.getNodeParameter('model', itemIndex) as string;
	if (modelKind(model) !== kind) {
		const catalog = kind === 'image' ? imageModelCatalog : videoModelCatalog;
		throw new NodeOperationError(ctx.getNode(), `Model: "${model}" is not one of imini's ${kind} models`, {
			itemIndex,
			description: `Pick one in Model (with Resource set to ${kind === 'image' ? 'Image' : 'Video'}), or give one of these IDs: ${Object.keys(catalog).join(', ')}.`,
		});
	}
	const name = kind === 'image' ? imageModelCatalog[model as ImageModelId].name : videoModelCatalog[model as VideoModelId].name;
	const promptMax = ((kind === 'image' ? imageModelCatalog[model as ImageModelId] : videoModelCatalog[model as VideoModelId]) as { promptMax?: number }).promptMax;
	const prompt = readPrompt(ctx, itemIndex, name, promptMax);
	const budget: BodyBudget = { bytes: Buffer.byteLength(prompt) };
	const body =
		kind === 'image'
			? await imageBody(ctx, itemIndex, model as ImageModelId, prompt, budget)
			: await videoBody(ctx, itemIndex, model as VideoModelId, prompt, budget);

	const schema = kind === 'image' ? imageRequestSchemas[model as ImageModelId] : videoRequestSchemas[model as VideoModelId];
	const parsed = schema.safeParse(body);
	const problem = parsed.success
		? kind === 'video'
			? checkVideoReferences(body as Parameters<typeof checkVideoReferences>[0])
			: null
		: parsed.error.issues.map((issue) => describeIssue(issue, body)).join('; ');
	if (problem) {
		throw new NodeOperationError(ctx.getNode(), `${name} cannot take this input: ${problem}`, {
			itemIndex,
			description: 'Nothing was sent to imini and no credits were used. Change the field named above and run again.',
		});
	}
	if (Buffer.byteLength(JSON.stringify(body)) > MAX_BODY_BYTES) throw tooLarge(ctx, itemIndex);
	return { kind, model, body };
}
