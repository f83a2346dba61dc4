// Imini Generate's image fields, derived from the image models in the catalog: each field shows
// exactly for the models that take it, with that model's options and defaults.
import type { INodeProperties } from 'n8n-workflow';
import { imageModelCatalog, imageModelIds } from '../imini/models';
import { choice, groupBy, image, modelDefault, referenceCollection } from './fields';

/** The resolutions as pixels on the longer side. */
const resolutionWords: Record<string, string> = { '512': '512 = 512 px', '1K': '1K = 1024 px', '2K': '2K = 2048 px', '4K': '4K = 4096 px' };

export function imageProperties(): INodeProperties[] {
	const properties: INodeProperties[] = [
		{
			displayName: 'Model',
			name: 'model',
			type: 'options',
			default: 'google/nano-banana',
			displayOptions: { show: image },
			options: imageModelIds.map((id) => ({ name: imageModelCatalog[id].name, value: id, description: imageModelCatalog[id].description })),
			hint: 'Each model has its own settings below; they change when you pick another model',
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
			description: 'Width to height of the picture, e.g. 16:9 for a landscape, 9:16 for a phone screen',
			hint: group.key.required ? 'This model needs a ratio' : 'Model Default lets imini choose (from the reference images when there are some)',
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
			description: 'Size of the longer side of the picture',
			hint: group.key.map((r) => resolutionWords[r] ?? r).join(', ') + '. Larger pictures take longer and may cost more credits.',
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
			description: 'Higher quality takes longer and costs more credits',
		},
		{
			displayName: 'Number of Images',
			name: 'numberOfImages',
			type: 'number',
			default: 1,
			typeOptions: { minValue: 1, maxValue: 10 },
			displayOptions: { show: { ...image, model: imageModelIds.filter((m) => imageModelCatalog[m].numMax) } },
			description: 'How many pictures to make from this prompt',
			hint: '1 to 10; each picture becomes its own output item',
		},
		referenceCollection(
			'referenceImages',
			[
				['Content', 'asset', 'Keep what is in the picture (a person, a product) or edit it'],
				['Style', 'style', 'Borrow its look: colours, light, technique'],
			],
			true,
			{ show: image },
		),
	);
	return properties;
}
