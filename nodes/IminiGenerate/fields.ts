// Builders Imini Generate's image and video fields share: a field per distinct set of choices
// among the models (groupBy), and the reference-image list.
import type { INodeProperties, INodePropertyOptions } from 'n8n-workflow';

export const image = { resource: ['image'] };
export const video = { resource: ['video'] };

/** Groups models by a key (e.g. their list of aspect ratios) so each distinct field is declared once. */
export function groupBy<M extends string, K>(models: M[], key: (model: M) => K | null): Array<{ key: K; models: M[] }> {
	const groups = new Map<string, { key: K; models: M[] }>();
	for (const model of models) {
		const value = key(model);
		if (value === null) continue;
		const id = JSON.stringify(value);
		if (!groups.has(id)) groups.set(id, { key: value, models: [] });
		groups.get(id)!.models.push(model);
	}
	return [...groups.values()];
}

export const choice = (value: string): INodePropertyOptions => ({ name: value, value });
export const modelDefault: INodePropertyOptions = { name: 'Model Default', value: '', description: 'Let imini choose (from the reference images when there are some)' };

export function referenceCollection(name: string, types: Array<[string, string, string]>, withUnset: boolean, show: INodeProperties['displayOptions']): INodeProperties {
	const defaultType = withUnset ? '' : types[0][1];
	return {
		displayName: 'Reference Images',
		name,
		type: 'fixedCollection',
		placeholder: 'Add Reference Image',
		typeOptions: { multipleValues: true, sortable: true },
		default: {},
		displayOptions: show,
		description: 'Pictures the model works from: to edit, or to take the subject, the style or a first or last frame from',
		hint: 'Each one comes from a file of the input item or from a public link',
		options: [
			{
				displayName: 'Image',
				name: 'image',
				values: [
					{
						displayName: 'Source',
						name: 'source',
						type: 'options',
						default: 'binary',
						options: [
							{ name: 'File From the Input Item', value: 'binary', description: 'A picture an earlier node produced or downloaded (the Binary tab of the input)' },
							{ name: 'Public Link', value: 'url', description: 'A picture anyone can open on the web' },
						],
						description: 'Where the picture comes from',
					},
					{
						displayName: 'Input File Field',
						name: 'binaryProperty',
						type: 'string',
						default: 'data',
						displayOptions: { show: { source: ['binary'] } },
						description: 'The name of the file field of the input item, as shown in the Binary tab of the input (usually "data")',
					},
					{
						displayName: 'URL',
						name: 'url',
						type: 'string',
						default: '',
						placeholder: 'https://example.com/photo.png',
						displayOptions: { show: { source: ['url'] } },
						description: 'A link starting with https:// that opens the picture itself',
					},
					{
						displayName: 'Use As',
						name: 'referenceType',
						type: 'options',
						default: defaultType,
						options: [...(withUnset ? [{ name: 'Let the Model Decide', value: '' }] : []), ...types.map(([name, value, description]) => ({ name, value, description }))],
						description: 'What the model should take from this picture',
					},
				],
			},
		],
	};
}
