// The model catalog may not drift from openapi/imini.yaml: its zod schemas must infer exactly the
// generated request types (checked by the compiler, both ways), and its limits and defaults must
// equal the spec's (checked here against the YAML).
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import type { components } from '../../nodes/imini/generated/imini-api';
import { imageModelCatalog, imageModelIds, videoModelCatalog, videoModelIds } from '../../nodes/imini/models';
import { imageRequestSchemas, videoRequestSchemas } from '../../nodes/imini/request-schemas';
import type { ImageModelId, VideoModelId } from '../../nodes/imini/models';
import type { ImageRequestFor, VideoRequestFor } from '../../nodes/imini/request-schemas';
import { loadContract } from '../../mock-server/contract/validator.ts';
import { imageSubmissions, videoSubmissions } from '../harness/request-fixtures';

type Deep<T> = T extends readonly (infer E)[] ? Deep<E>[] : T extends object ? { [K in keyof T]: Deep<T[K]> } : T;
type Equals<A, B> = (<T>() => T extends Deep<A> ? 1 : 2) extends <T>() => T extends Deep<B> ? 1 : 2 ? true : false;
/** The generated type for one model (seedance's schema serves two model names). */
type ForModel<U, M> = U extends { model: infer K } ? (M extends K ? Omit<U, 'model'> & { model: M } : never) : never;

type ImageRequest = components['schemas']['ImageGenerateRequest'];
type VideoRequest = components['schemas']['VideoGenerateRequest'];
/** nano-banana accepts 2K and 4K but renders 1K (`x-rendered`): the node offers only what is rendered. */
type NanoBananaAsRendered = Omit<ForModel<ImageRequest, 'google/nano-banana'>, 'resolution'> & { resolution?: '1K' };

// A `false` here is a compile error: `npm run typecheck` fails when catalog and spec disagree.
const imageTypesMatch: {
	[M in ImageModelId]: Equals<ImageRequestFor<M>, M extends 'google/nano-banana' ? NanoBananaAsRendered : ForModel<ImageRequest, M>>;
} = {
	'google/nano-banana': true,
	'google/nano-banana-pro': true,
	'google/nano-banana-2': true,
	'openai/gpt-image-2': true,
};
const videoTypesMatch: { [M in VideoModelId]: Equals<VideoRequestFor<M>, ForModel<VideoRequest, M>> } = {
	'kling/kling-v3': true,
	'kling/kling-v3-omni': true,
	'kling/kling-v3-motion-control': true,
	'doubao/seedance-2.0': true,
	'doubao/seedance-2.0-fast': true,
	'dashscope/happyhorse-1.0': true,
};
// And no model is missing on either side.
const everyImageModel: Equals<ImageModelId, ImageRequest['model']> = true;
const everyVideoModel: Equals<VideoModelId, VideoRequest['model']> = true;

type Schema = {
	properties: Record<string, Schema & { default?: unknown; enum?: string[]; 'x-rendered'?: string[]; maxLength?: number; maxItems?: number; minimum?: number; maximum?: number; items?: Schema }>;
	required?: string[];
	discriminator?: { mapping: Record<string, string> };
};
const spec = parse(readFileSync(`${__dirname}/../../openapi/imini.yaml`, 'utf8')) as { components: { schemas: Record<string, Schema> } };
const schemas = spec.components.schemas;

function modelSchema(union: string, model: string): Schema {
	const ref = schemas[union].discriminator!.mapping[model];
	return schemas[ref.split('/').pop()!];
}

function enumOf(property: Schema['properties'][string] | undefined): string[] | null {
	if (!property) return null;
	if (property.enum) return property.enum;
	const ref = (property as { $ref?: string; allOf?: Array<{ $ref: string }> }).$ref ?? (property as { allOf?: Array<{ $ref: string }> }).allOf?.[0].$ref;
	return ref ? (schemas[ref.split('/').pop()!] as unknown as { enum: string[] }).enum : null;
}

describe('the catalog matches the contract', () => {
	it('type checks pass (compile time)', () => {
		expect(Object.values({ ...imageTypesMatch, ...videoTypesMatch }).every(Boolean)).toBe(true);
		expect(everyImageModel && everyVideoModel).toBe(true);
		expect(imageModelIds).toEqual(Object.keys(schemas.ImageGenerateRequest.discriminator!.mapping));
		expect(videoModelIds).toEqual(Object.keys(schemas.VideoGenerateRequest.discriminator!.mapping));
	});

	it.each(imageModelIds)('%s: limits and defaults', (model) => {
		const entry = imageModelCatalog[model];
		const schema = modelSchema('ImageGenerateRequest', model);
		const p = schema.properties;
		expect(entry.promptMax).toBe(p.prompt.maxLength);
		expect(entry.referenceImagesMax).toBe(p.images.maxItems);
		expect([...entry.aspectRatios]).toEqual(enumOf(p.aspect_ratio));
		expect([...entry.resolutions]).toEqual(p.resolution['x-rendered'] ?? enumOf(p.resolution));
		expect(entry.aspectRatioRequired).toBe(schema.required!.includes('aspect_ratio'));
		expect(entry.resolutionRequired).toBe(schema.required!.includes('resolution'));
		expect(entry.qualities ? [...entry.qualities] : null).toEqual(enumOf(p.quality));
		expect(entry.numMax).toBe(p.num?.maximum ?? null);
		if (p.resolution.default !== undefined) expect(entry.defaultResolution).toBe(p.resolution.default);
	});

	it.each(videoModelIds)('%s: limits and defaults', (model) => {
		const entry = videoModelCatalog[model];
		const schema = modelSchema('VideoGenerateRequest', model);
		const p = schema.properties;
		expect(entry.promptMax).toBe(p.prompt.maxLength);
		expect(entry.promptRequired).toBe(schema.required!.includes('prompt'));
		expect([...entry.resolutions]).toEqual(enumOf(p.resolution));
		expect(entry.defaultResolution).toBe(p.resolution.default);
		expect(entry.aspectRatios ? [...entry.aspectRatios] : null).toEqual(enumOf(p.aspect_ratio));
		expect(entry.defaultAspectRatio).toBe(p.aspect_ratio?.default ?? null);
		expect(entry.duration).toEqual(p.duration ? { min: p.duration.minimum, max: p.duration.maximum, default: p.duration.default } : null);
		expect(entry.audio).toEqual(p.generate_audio ? { default: p.generate_audio.default } : null);
		expect(entry.referenceImagesMax).toBe(p.reference_images.maxItems ?? null);
		expect(entry.referenceVideosMax).toBe(p.reference_videos?.maxItems ?? 0);
		expect(entry.referenceAudiosMax).toBe(p.reference_audios?.maxItems ?? 0);
		const videoItem = p.reference_videos?.items as (Schema & { $ref?: string }) | undefined;
		const videoItemSchema = videoItem?.$ref ? schemas[videoItem.$ref.split('/').pop()!] : videoItem;
		// Only kling-v3-omni documents refer_type; the shared VideoReference schema is its own.
		expect(entry.referTypes ? [...entry.referTypes] : null).toEqual(model === 'kling/kling-v3-omni' ? enumOf(videoItemSchema?.properties.refer_type) : null);
	});
});

describe('the catalog validates like the contract', () => {
	it('accepts each model at its limits and refuses one step past them', () => {
		for (const model of imageModelIds) {
			const entry = imageModelCatalog[model];
			const base = {
				model,
				prompt: 'x'.repeat(entry.promptMax),
				...(entry.aspectRatioRequired ? { aspect_ratio: entry.aspectRatios[0] } : {}),
				...(entry.resolutionRequired ? { resolution: entry.resolutions[0] } : {}),
				...(entry.qualities ? { quality: entry.qualities[0] } : {}),
			};
			const schema = imageRequestSchemas[model];
			expect(schema.safeParse(base).success).toBe(true);
			expect(schema.safeParse({ ...base, prompt: 'x'.repeat(entry.promptMax + 1) }).success).toBe(false);
			const refs = (n: number) => Array.from({ length: n }, () => ({ url: 'https://example.org/a.png' }));
			expect(schema.safeParse({ ...base, images: refs(entry.referenceImagesMax) }).success).toBe(true);
			expect(schema.safeParse({ ...base, images: refs(entry.referenceImagesMax + 1) }).success).toBe(false);
			expect(schema.safeParse({ ...base, unknown_field: 1 }).success).toBe(false);
		}
		for (const model of videoModelIds) {
			const entry = videoModelCatalog[model];
			if (!entry.duration) continue;
			const schema = videoRequestSchemas[model];
			const base = { model, prompt: 'a horse' };
			expect(schema.safeParse({ ...base, duration: entry.duration.max }).success).toBe(true);
			expect(schema.safeParse({ ...base, duration: entry.duration.max + 1 }).success).toBe(false);
			expect(schema.safeParse({ ...base, duration: entry.duration.min - 1 }).success).toBe(false);
		}
	});
});

describe('the catalog counts characters like the contract', () => {
	// An emoji is one character to JSON Schema's maxLength (a code point) but two UTF-16 units.
	const fox = '\u{1F98A}';
	const mock = loadContract();
	const models = [
		...imageModelIds.map((model) => ({ model, max: imageModelCatalog[model].promptMax, schema: imageRequestSchemas[model], mock: mock.image, body: imageSubmissions[model] })),
		...videoModelIds.map((model) => ({ model, max: videoModelCatalog[model].promptMax, schema: videoRequestSchemas[model], mock: mock.video, body: videoSubmissions[model] })),
	];

	it.each(models)('$model: a prompt of exactly the limit in emoji passes node and mock, one more fails both alike', ({ max, schema, mock, body }) => {
		const atLimit = { ...body, prompt: fox.repeat(max) };
		expect(atLimit.prompt).toHaveLength(2 * max);
		expect(schema.safeParse(atLimit).error?.issues).toBeUndefined();
		expect(mock.validate(atLimit)).toBeNull();

		const over = { ...body, prompt: fox.repeat(max + 1) };
		expect(schema.safeParse(over).error?.issues.map((issue) => [issue.path.join('.'), issue.message])).toEqual([['prompt', `must be at most ${max} characters`]]);
		expect(mock.validate(over)).toBe(`prompt must be at most ${max} characters`);
	});
});
