// The simulator validates submissions against the same OpenAPI document Prism enforces, so its
// 400 answers can never disagree with the contract. Each model's schema is picked through the
// spec's own discriminator mapping, which keeps ajv's messages about that one model.
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import type { ErrorObject, ValidateFunction } from 'ajv';
import { findSpecPath } from '../core/package-files.ts';

export type TaskKind = 'image' | 'video';

type SchemaObject = Record<string, unknown>;
type Spec = {
	components: { schemas: Record<string, SchemaObject> };
};

// ajv-formats is CommonJS with a `default` export; Node's ESM loader, tsc and ts-jest see it differently.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (ajv: Ajv2020) => Ajv2020;

function loadSpec(): Spec {
	return parse(readFileSync(findSpecPath(), 'utf8')) as Spec;
}

export type RequestValidator = {
	/** Models the contract knows for this kind, in spec order. */
	models: string[];
	/** null when valid, otherwise an imini-style message naming the field. */
	validate(body: unknown): string | null;
	/** The `default` of every parameter of a model that declares one, read from the spec. */
	defaults(model: string): Record<string, unknown>;
	/** The values a model's field takes (its `enum`), or null. */
	allowed(model: string, field: string): string[] | null;
	/** The values of a field imini actually renders (`x-rendered`; others are downgraded to the first), or null. */
	rendered(model: string, field: string): string[] | null;
};

type PropertySchema = { default?: unknown; enum?: string[]; 'x-rendered'?: string[]; $ref?: string; allOf?: Array<{ $ref?: string }> };

function describeError(error: ErrorObject): string {
	const field = error.instancePath.replace(/^\//, '').replace(/\//g, '.') || 'body';
	const params = error.params as Record<string, unknown>;
	switch (error.keyword) {
		case 'enum':
			return `${field} must be one of: ${(params.allowedValues as unknown[]).join(', ')}`;
		case 'const':
			return `${field} must be ${String(params.allowedValue)}`;
		case 'required':
			return `${field === 'body' ? '' : field + '.'}${String(params.missingProperty)} is required`;
		case 'additionalProperties':
			return `${field === 'body' ? '' : field + '.'}${String(params.additionalProperty)} is not a known parameter for this model`;
		case 'maxLength':
			return `${field} must be at most ${String(params.limit)} characters`;
		case 'maxItems':
			return `${field} accepts at most ${String(params.limit)} items`;
		case 'minItems':
			return `${field} needs at least ${String(params.limit)} items`;
		case 'pattern':
			return `${field} must be a public http(s) URL${field.includes('reference_videos') || field.includes('reference_audios') ? '' : ' or a data: URL'}`;
		default:
			return `${field} ${error.message ?? 'is invalid'}`;
	}
}

function buildValidator(spec: Spec, ajv: Ajv2020, requestSchema: string): RequestValidator {
	const union = spec.components.schemas[requestSchema] as {
		discriminator: { mapping: Record<string, string> };
	};
	const byModel = new Map<string, ValidateFunction>();
	for (const [model, ref] of Object.entries(union.discriminator.mapping)) {
		const name = ref.split('/').pop() as string;
		byModel.set(model, ajv.getSchema(`imini#/$defs/${name}`) as ValidateFunction);
	}
	const models = [...byModel.keys()];
	const defaultsByModel = new Map<string, Record<string, unknown>>();
	const property = (model: string, field: string): PropertySchema | undefined => {
		const check = byModel.get(model);
		return (check?.schema as { properties?: Record<string, PropertySchema> } | undefined)?.properties?.[field];
	};
	for (const [model, check] of byModel) {
		const properties = (check.schema as { properties?: Record<string, { default?: unknown }> }).properties ?? {};
		defaultsByModel.set(
			model,
			Object.fromEntries(
				Object.entries(properties)
					.filter(([, property]) => property.default !== undefined)
					.map(([name, property]) => [name, property.default]),
			),
		);
	}
	return {
		models,
		defaults: (model) => defaultsByModel.get(model) ?? {},
		allowed(model, field) {
			const schema = property(model, field);
			const ref = schema?.$ref ?? schema?.allOf?.[0]?.$ref;
			if (schema?.enum) return schema.enum;
			return ref ? ((spec.components.schemas[ref.split('/').pop() as string] as { enum?: string[] }).enum ?? null) : null;
		},
		rendered: (model, field) => property(model, field)?.['x-rendered'] ?? null,
		validate(body) {
			if (typeof body !== 'object' || body === null || Array.isArray(body)) return 'The request body must be a JSON object';
			const model = (body as { model?: unknown }).model;
			if (typeof model !== 'string') return 'model is required';
			const check = byModel.get(model);
			if (!check) return `model must be one of: ${models.join(', ')}`;
			if (check(body)) return null;
			// Report the most specific problem first: a field's own limit beats "not a known parameter".
			const errors = [...(check.errors ?? [])].sort(
				(a, b) => Number(a.keyword === 'additionalProperties') - Number(b.keyword === 'additionalProperties'),
			);
			return describeError(errors[0]);
		},
	};
}

export type Contract = { image: RequestValidator; video: RequestValidator };

const cached = new Map<boolean, Contract>();

/**
 * The contract's request validators. `acceptUnknownFields`: fields a model does not document are
 * dropped instead of refused (imini does not say which it does; refusing is the default).
 */
export function loadContract(options: { acceptUnknownFields?: boolean } = {}): Contract {
	const lenient = options.acceptUnknownFields === true;
	const known = cached.get(lenient);
	if (known) return known;
	const spec = loadSpec();
	// OpenAPI 3.1 schemas are JSON Schema 2020-12; re-home them under $defs so local refs resolve.
	const defs = JSON.parse(
		JSON.stringify(spec.components.schemas).replaceAll('#/components/schemas/', 'imini#/$defs/'),
	) as Record<string, SchemaObject>;
	// removeAdditional drops what `additionalProperties: false` would refuse (the body is a copy).
	const ajv = new Ajv2020({ strict: false, allErrors: false, ...(lenient ? { removeAdditional: true } : {}) });
	addFormats(ajv);
	ajv.addSchema({ $id: 'imini', $defs: defs });
	const contract = {
		image: buildValidator(spec, ajv, 'ImageGenerateRequest'),
		video: buildValidator(spec, ajv, 'VideoGenerateRequest'),
	};
	cached.set(lenient, contract);
	return contract;
}
