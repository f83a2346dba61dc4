// Imini Generate's image fields, derived from the image models in the catalog: each field shows
// exactly for the models that take it, with that model's options and defaults.
import type { INodeProperties } from 'n8n-workflow';
import { imageModelCatalog, imageModelIds } from '../imini/models';
import { choice, groupBy, image, modelDefault, referenceCollection } from './fields';

export function imageProperties(): INodeProperties[] {
	const properties: INodeProperties[] = [
		{
			displayName: 'Model',
			name: 'model',
			type: 'options',
			default: 'google/nano-banana',
			displayOptions: { show: image },
			options: imageModelIds.map((id) => ({ name: imageModelCatalog[id].name, value: id, description: imageModelCatalog[id].description })),
		},
	];
	for (const group of groupBy(imageModelIds, (m) => ({ ratios: imageModelCatalog[m].aspectRatios, required: imageModelCatalog[m].aspectRatioRequired }))) {
		const defaultRatio = group.key.required ? '1:1' : '';
		properties.push({
			displayName: 'Aspect Ratio',
			name: 'aspectRatio',
			type: 'options',
			default: defaultRatio,
			displayOptions: { show: { ...image, model: group.models } },
			options: [...(group.key.required ? [] : [modelDefault]), ...group.key.ratios.map(choice)],
		});
	}
	for (const group of groupBy(imageModelIds, (m) => (imageModelCatalog[m].resolutions.length > 1 ? imageModelCatalog[m].resolutions : null))) {
		const defaultResolution = imageModelCatalog[group.models[0]].defaultResolution;
		properties.push({
			displayName: 'Resolution',
			name: 'resolution',
			type: 'options',
			default: defaultResolution,
			displayOptions: { show: { ...image, model: group.models } },
			options: group.key.map(choice),
			description: 'Size of the longer side: 512 px, 1K (1024), 2K (2048) or 4K (4096)',
		});
	}
	const withQuality = imageModelIds.filter((m) => imageModelCatalog[m].qualities);
	properties.push(
		{
			displayName: 'Quality',
			name: 'quality',
			type: 'options',
			default: 'medium',
			displayOptions: { show: { ...image, model: withQuality } },
			options: [
				{ name: 'Low', value: 'low' },
				{ name: 'Medium', value: 'medium' },
				{ name: 'High', value: 'high' },
			],
		},
		{
			displayName: 'Number of Images',
			name: 'numberOfImages',
			type: 'number',
			default: 1,
			typeOptions: { minValue: 1, maxValue: 10 },
			displayOptions: { show: { ...image, model: imageModelIds.filter((m) => imageModelCatalog[m].numMax) } },
			description: 'How many images this one task returns (each becomes an output item)',
		},
		referenceCollection('referenceImages', [['Asset (Content)', 'asset'], ['Style', 'style']], true, { show: image }),
	);
	return properties;
}
