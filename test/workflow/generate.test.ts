import { expectNoViolations, generate, useWorkflows } from '../harness/workflow-tests';
import { readMp4Info } from '../../mock-server/media/mp4.ts';
import { readPngSize, renderPng } from '../../mock-server/media/png.ts';
import { imageModelCatalog, imageModelIds } from '../../nodes/imini/models';

const h = useWorkflows();
afterEach(() => expectNoViolations(h.mock));

describe('Imini Generate: images', () => {
	it.each(imageModelIds)('text-to-image with %s returns the PNGs as binary data', async (model) => {
		const entry = imageModelCatalog[model];
		const result = await h.run({
			nodes: [
				generate({
					resource: 'image',
					model,
					prompt: '={{ $json.idea }}',
					...(entry.aspectRatioRequired ? { aspectRatio: '16:9' } : {}),
					...(entry.numMax ? { numberOfImages: 2 } : {}),
				}),
			],
			input: [{ json: { idea: `a lighthouse drawn by ${model}` } }],
		});
		expect(result.status).toBe('success');
		const items = result.output('Generate');
		expect(items).toHaveLength(entry.numMax ? 2 : 1);
		for (const [index, item] of items.entries()) {
			expect(item.json).toMatchObject({ task_id: expect.stringMatching(/^task_/), model, kind: 'image', status: 'succeeded', file_index: index });
			expect(item.pairedItem).toEqual({ item: 0 });
			const binary = item.binary!.data;
			expect(binary.mimeType).toBe('image/png');
			expect(binary.fileName).toBe(`imini-${item.json.task_id}-${index}.png`);
			const png = readPngSize(await result.binary(item));
			expect(png).toEqual({ width: item.json.width, height: item.json.height });
		}
		// What imini received: the prompt from the expression, the model's own parameters only.
		const sent = h.mock.submissions.find((s) => s.taskId === items[0].json.task_id)!.body;
		expect(sent.prompt).toBe(`a lighthouse drawn by ${model}`);
		expect(Object.keys(sent).sort()).toEqual(
			['model', 'prompt', ...(entry.aspectRatioRequired ? ['aspect_ratio'] : []), ...(entry.resolutions.length > 1 ? ['resolution'] : []), ...(entry.qualities ? ['quality'] : []), ...(entry.numMax ? ['num'] : [])].sort(),
		);
	});

	it('image-to-image sends a binary input image as a data URL reference', async () => {
		const photo = renderPng({ width: 64, height: 48 }, 'input photo');
		const result = await h.run({
			nodes: [
				generate({
					resource: 'image',
					model: 'google/nano-banana-pro',
					prompt: 'Make it look like a watercolor',
					aspectRatio: '4:3',
					resolution: '2K',
					referenceImages: { image: [{ source: 'binary', binaryProperty: 'photo', referenceType: 'style' }] },
				}),
			],
			input: [{ json: {}, binary: { photo: { data: photo, mimeType: 'image/png', fileName: 'photo.png' } } }],
		});
		expect(result.status).toBe('success');
		const [item] = result.output('Generate');
		const sent = h.mock.submissions.find((s) => s.taskId === item.json.task_id)!.body as { images: Array<{ url: string; reference_type: string }> };
		expect(sent.images).toEqual([{ url: `data:image/png;base64,${photo.toString('base64')}`, reference_type: 'style' }]);
		expect(readPngSize(await result.binary(item))).toEqual({ width: 2048, height: 1536 });
	});

	it('each file carries its prompt and settings; Include Other Input Fields keeps the input item\'s fields', async () => {
		const input = [{ json: { row: 7, prompt: 'a lighthouse at dusk', customer: 'Ada' } }];
		const plain = await h.run({
			nodes: [generate({ resource: 'image', model: 'openai/gpt-image-2', prompt: '={{ $json.prompt }}', aspectRatio: '16:9', numberOfImages: 2, download: false })],
			input,
		});
		const items = plain.output('Generate');
		expect(items).toHaveLength(2);
		for (const item of items) {
			expect(item.json).toMatchObject({ prompt: 'a lighthouse at dusk', model: 'openai/gpt-image-2', aspect_ratio: '16:9', resolution: '1K', quality: 'medium', num: 2 });
			expect(item.json).not.toHaveProperty('customer');
		}
		// In n8n's table the prompt and settings come right after the task's own fields.
		expect(Object.keys(items[0].json).slice(0, 10)).toEqual(['task_id', 'request_id', 'model', 'kind', 'prompt', 'aspect_ratio', 'resolution', 'quality', 'num', 'status']);

		const kept = await h.run({
			nodes: [generate({ resource: 'image', model: 'google/nano-banana', prompt: 'a red kite', download: false, options: { includeInputFields: true } })],
			input,
		});
		// The input's fields come along; the node's own `prompt` (what was sent) wins the clash.
		expect(kept.output('Generate')[0].json).toMatchObject({ row: 7, customer: 'Ada', prompt: 'a red kite', status: 'succeeded' });
	});

	it('returns URLs only when Download Results is off, and the task ID at once when not waiting', async () => {
		const result = await h.run({
			nodes: [generate({ resource: 'image', model: 'google/nano-banana', prompt: 'a cat', download: false })],
		});
		const [item] = result.output('Generate');
		expect(item.binary).toBeUndefined();
		expect(item.json.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/files\/task_\d+\/0\.png$/);

		const queued = await h.run({ nodes: [generate({ resource: 'image', model: 'google/nano-banana', prompt: 'a cat', waitForCompletion: false })] });
		expect(queued.output('Generate')[0].json).toEqual({
			task_id: expect.stringMatching(/^task_/),
			request_id: expect.any(String),
			model: 'google/nano-banana',
			kind: 'image',
			prompt: 'a cat',
			status: 'queued',
			created_at: expect.any(String),
		});
	});
});

describe('Imini Generate: videos', () => {
	const frame = 'https://example.org/frame.png';
	const clip = 'https://example.org/clip.mp4';
	const cases: Array<[string, Record<string, unknown>, { width: number; height: number; duration: number }]> = [
		['kling/kling-v3', { prompt: 'a paper boat', aspectRatio: '9:16', resolution: '1080P', duration: 3 }, { width: 1080, height: 1920, duration: 3 }],
		[
			'kling/kling-v3-omni',
			{ prompt: 'winter version of <<<video_1>>>', referenceVideos: { video: [{ url: clip, referType: 'base' }] } },
			{ width: 1280, height: 720, duration: 5 },
		],
		[
			'kling/kling-v3-motion-control',
			{ videoReferenceImages: { image: [{ source: 'url', url: frame, referenceType: 'asset' }] }, referenceVideos: { video: [{ url: clip }] } },
			{ width: 1280, height: 720, duration: 5 },
		],
		['doubao/seedance-2.0', { prompt: 'the cat blinks', videoReferenceImages: { image: [{ source: 'url', url: frame, referenceType: 'first_frame' }] } }, { width: 1280, height: 720, duration: 5 }],
		['doubao/seedance-2.0-fast', { prompt: 'waves', resolution: '480P', aspectRatio: '1:1', duration: 4 }, { width: 480, height: 480, duration: 4 }],
		['dashscope/happyhorse-1.0', { prompt: 'a horse on a beach', aspectRatio: '4:3' }, { width: 1440, height: 1080, duration: 5 }],
	];

	it.each(cases)('%s returns a real MP4 of the requested size', async (model, parameters, expected) => {
		const result = await h.run({ nodes: [generate({ resource: 'video', model, ...parameters, options: { downloadCover: true } })] });
		expect(result.status).toBe('success');
		const [item] = result.output('Generate');
		expect(item.json).toMatchObject({ kind: 'video', status: 'succeeded', ...expected });
		expect(item.binary!.data.mimeType).toBe('video/mp4');
		expect(readMp4Info(await result.binary(item, 'data'))).toMatchObject({ width: expected.width, height: expected.height, durationSeconds: expected.duration });
		expect(readPngSize(await result.binary(item, 'cover'))).toEqual({ width: expected.width, height: expected.height });
	});
});
