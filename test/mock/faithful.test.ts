// Where imini's documentation speaks, the mock does what it says, no kinder and no stricter;
// where it is silent, the stricter answer, with a flag for the kinder one. Each case here was a
// place where the mock and the docs parted ways (issue 17).
import { crc32 } from 'node:zlib';
import { checkVideoReferences, dataUrlImageSize } from '../../openapi/rules/reference-rules';
import { readPngSize } from '../../mock-server/media/png.ts';
import { ManualClock, callApi, download, formatViolations, useMock } from '../harness/mock';
import type { MockServer } from '../harness/mock';

/** A PNG's signature and IHDR chunk: all that a size is read from (a whole 6000 px PNG would only slow the test). */
function pngUrl(width: number, height: number): string {
	const ihdr = Buffer.alloc(17);
	ihdr.write('IHDR', 0);
	ihdr.writeUInt32BE(width, 4);
	ihdr.writeUInt32BE(height, 8);
	ihdr.set([8, 6, 0, 0, 0], 12);
	const chunk = Buffer.concat([Buffer.from([0, 0, 0, 13]), ihdr, Buffer.alloc(4)]);
	chunk.writeUInt32BE(crc32(ihdr), 21);
	return `data:image/png;base64,${Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk]).toString('base64')}`;
}

/** A JPEG's first bytes: SOI, an APP0 segment, then a baseline SOF0 frame header with the size. */
function jpegUrl(width: number, height: number): string {
	const app0 = [0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01, 0x01, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00];
	const sof0 = [0xff, 0xc0, 0x00, 0x11, 0x08, height >> 8, height & 255, width >> 8, width & 255, 0x03, 1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1];
	return `data:image/jpeg;base64,${Buffer.from([0xff, 0xd8, ...app0, ...sof0, 0xff, 0xd9]).toString('base64')}`;
}

const clock = new ManualClock();
const mock = useMock({ simulator: { now: clock.now, imageTaskMs: 1_000, videoTaskMs: 1_000 } });

async function settledResults(server: MockServer, kind: 'images' | 'videos', body: unknown) {
	const submitted = await callApi(server, 'POST', `/v1/${kind}/generate`, { body });
	expect(submitted.status).toBe(200);
	clock.advance(1_000);
	const done = await callApi(server, 'GET', `/v1/${kind}/tasks/${submitted.body.task_id}`);
	expect(done.body.status).toBe('succeeded');
	return done.body[kind] as Array<{ url: string; width: number; height: number }>;
}

describe('nano-banana: other resolutions are downgraded to 1K, as documented', () => {
	afterEach(() => expect(formatViolations(mock.current.violations)).toBe(''));

	it.each(['2K', '4K'])('accepts %s and renders a 1K image', async (resolution) => {
		const [image] = await settledResults(mock.current, 'images', { model: 'google/nano-banana', prompt: 'A fox', resolution, aspect_ratio: '16:9' });
		expect([image.width, image.height]).toEqual([1024, 576]);
		expect(readPngSize((await download(image.url)).bytes)).toEqual({ width: 1024, height: 576 });
	});
});

describe('the aspect ratio is inferred from reference images when omitted', () => {
	afterEach(() => expect(formatViolations(mock.current.violations)).toBe(''));

	it('a 640×360 data-URL reference gives a 16:9 result (nano-banana-pro)', async () => {
		const [image] = await settledResults(mock.current, 'images', { model: 'google/nano-banana-pro', prompt: 'Same scene, at night', images: [{ url: pngUrl(640, 360) }] });
		expect([image.width, image.height]).toEqual([1024, 576]);
	});

	it('a tall JPEG reference gives the nearest ratio the model has (nano-banana-2: 1:4)', async () => {
		const [image] = await settledResults(mock.current, 'images', { model: 'google/nano-banana-2', prompt: 'A tower', images: [{ url: jpegUrl(300, 1250) }] });
		expect([image.width, image.height]).toEqual([256, 1024]);
	});

	it('an aspect ratio that is asked for wins over the references', async () => {
		const [image] = await settledResults(mock.current, 'images', { model: 'google/nano-banana-pro', prompt: 'x', aspect_ratio: '1:1', images: [{ url: pngUrl(640, 360) }] });
		expect([image.width, image.height]).toEqual([1024, 1024]);
	});

	it('a public-URL reference (size unknown offline) leaves the default 1:1', async () => {
		const [image] = await settledResults(mock.current, 'images', { model: 'google/nano-banana-pro', prompt: 'x', images: [{ url: 'https://example.org/wide.png' }] });
		expect([image.width, image.height]).toEqual([1024, 1024]);
	});

	it("seedance's adaptive ratio follows a data-URL first frame", async () => {
		const [video] = await settledResults(mock.current, 'videos', {
			model: 'doubao/seedance-2.0',
			prompt: 'The cat blinks',
			reference_images: [{ url: pngUrl(480, 640), reference_type: 'first_frame' }],
		});
		expect([video.width, video.height]).toEqual([720, 960]);
	});
});

describe('limits on reference images that the docs state', () => {
	it.each([
		[100, 100, 'reference_images.0 is 100×100 px: each side must be 300–6000 px'],
		[6001, 400, 'reference_images.0 is 6001×400 px: each side must be 300–6000 px'],
	])('seedance refuses a %i×%i px first frame with a 400', async (width, height, message) => {
		mock.current.violations.length = 0;
		const answer = await callApi(mock.current, 'POST', '/v1/videos/generate', {
			body: { model: 'doubao/seedance-2.0', prompt: 'x', reference_images: [{ url: pngUrl(width, height), reference_type: 'first_frame' }] },
		});
		expect(answer.status).toBe(400);
		expect(answer.body.error).toMatchObject({ code: 'INVALID_PARAMETER', message });
		// A rule JSON Schema cannot state: the request is inside the schema, the 400 is the API's.
		expect(formatViolations(mock.current.violations)).toBe('');
	});

	it('seedance takes 300 px and 6000 px sides', async () => {
		const answer = await callApi(mock.current, 'POST', '/v1/videos/generate', {
			body: { model: 'doubao/seedance-2.0', prompt: 'x', reference_images: [{ url: pngUrl(300, 6000), reference_type: 'first_frame' }] },
		});
		expect(answer.status).toBe(200);
	});

	const asset = { url: 'https://example.org/a.png', reference_type: 'asset' as const };
	const edit = (images: number) => ({
		model: 'dashscope/happyhorse-1.0',
		prompt: 'Make it winter',
		reference_videos: [{ url: 'https://example.org/clip.mp4' }],
		reference_images: Array.from({ length: images }, () => asset),
	});

	it('happyhorse edits a video with up to 5 asset images, not 6', async () => {
		expect((await callApi(mock.current, 'POST', '/v1/videos/generate', { body: edit(5) })).status).toBe(200);
		const six = await callApi(mock.current, 'POST', '/v1/videos/generate', { body: edit(6) });
		expect(six.status).toBe(400);
		expect(six.body.error.message).toBe('when editing a video at most 5 asset images are allowed');
	});

	it('happyhorse still takes 9 asset images without a video (reference-to-video)', async () => {
		const answer = await callApi(mock.current, 'POST', '/v1/videos/generate', {
			body: { model: 'dashscope/happyhorse-1.0', prompt: 'character1 runs', reference_images: Array.from({ length: 9 }, () => asset) },
		});
		expect(answer.status).toBe(200);
	});

	it('the node reads the same rules (openapi/rules/reference-rules.ts)', () => {
		expect(checkVideoReferences(edit(6))).toBe('when editing a video at most 5 asset images are allowed');
		expect(checkVideoReferences({ model: 'doubao/seedance-2.0', reference_images: [{ url: jpegUrl(200, 800), reference_type: 'first_frame' }] })).toMatch(/200×800 px/);
	});
});

describe('reading the size of a data-URL image', () => {
	const gif = `data:image/gif;base64,${Buffer.from([...Buffer.from('GIF89a'), 0x40, 0x01, 0xf0, 0x00, ...Array(24).fill(0)]).toString('base64')}`;
	const vp8x = Buffer.alloc(40);
	vp8x.write('RIFF', 0);
	vp8x.write('WEBP', 8);
	vp8x.write('VP8X', 12);
	vp8x.writeUIntLE(799, 24, 3);
	vp8x.writeUIntLE(449, 27, 3);

	it.each([
		['PNG', pngUrl(640, 360), { width: 640, height: 360 }],
		['JPEG', jpegUrl(1920, 1080), { width: 1920, height: 1080 }],
		['GIF', gif, { width: 320, height: 240 }],
		['WebP', `data:image/webp;base64,${vp8x.toString('base64')}`, { width: 800, height: 450 }],
		['a public URL', 'https://example.org/a.png', null],
		['garbage', 'data:image/png;base64,AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA', null],
	])('%s', (_, url, size) => {
		expect(dataUrlImageSize(url)).toEqual(size);
	});
});

describe('fields a model does not document (imini does not say: refused by default)', () => {
	const body = { model: 'google/nano-banana', prompt: 'A fox', seed: 42 };

	it('are refused with a 400 naming the field', async () => {
		const answer = await callApi(mock.current, 'POST', '/v1/images/generate', { body });
		expect(answer.status).toBe(400);
		expect(answer.body.error.message).toBe('seed is not a known parameter for this model');
		mock.current.violations.length = 0;
	});

	describe('with acceptUnknownFields (--accept-unknown-fields)', () => {
		const kind = useMock({ simulator: { acceptUnknownFields: true } });

		it('are ignored: the task runs, and nothing is reported as a violation', async () => {
			const answer = await callApi(kind.current, 'POST', '/v1/images/generate', { body });
			expect(answer.status).toBe(200);
			expect(kind.current.submissions.at(-1)?.body).toEqual({ model: 'google/nano-banana', prompt: 'A fox' });
			expect(formatViolations(kind.current.violations)).toBe('');
		});

		it('a body that breaks a documented rule is still refused', async () => {
			const answer = await callApi(kind.current, 'POST', '/v1/images/generate', { body: { ...body, aspect_ratio: '7:3' } });
			expect(answer.status).toBe(400);
			expect(kind.current.violations.length).toBeGreaterThan(0);
		});
	});
});
