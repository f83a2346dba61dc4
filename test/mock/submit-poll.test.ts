// Submit and poll flows through Prism to the simulator: what a client of the real API sees.
import { readMp4Info } from '../../mock-server/media/mp4.ts';
import { readPngSize } from '../../mock-server/media/png.ts';
import { ManualClock, callApi, download, formatViolations, useMock } from '../harness/mock';
import { imageSubmissions, videoSubmissions } from '../harness/request-fixtures';

const clock = new ManualClock();
const mock = useMock({ simulator: { now: clock.now, imageTaskMs: 10_000, videoTaskMs: 60_000 } });

afterEach(() => {
	// Every exchange in this file is meant to be inside the contract.
	expect(formatViolations(mock.current.violations)).toBe('');
});

describe('submit', () => {
	it.each(Object.values(imageSubmissions))('accepts an image task for $model', async (body) => {
		const answer = await callApi(mock.current, 'POST', '/v1/images/generate', { body });
		expect(answer.status).toBe(200);
		expect(answer.body.task_id).toMatch(/^task_\d{19}$/);
		expect(answer.body.model).toBe(body.model);
		expect(typeof answer.body.request_id).toBe('string');
		expect(Number.isNaN(Date.parse(answer.body.created_at))).toBe(false);
	});

	it.each(Object.values(videoSubmissions))('accepts a video task for $model', async (body) => {
		const answer = await callApi(mock.current, 'POST', '/v1/videos/generate', { body });
		expect(answer.status).toBe(200);
		expect(answer.body.task_id).toMatch(/^task_\d{19}$/);
	});
});

describe('an image task over time', () => {
	it('goes queued -> processing -> succeeded and serves PNGs of the requested size', async () => {
		const submitted = await callApi(mock.current, 'POST', '/v1/images/generate', {
			body: imageSubmissions['google/nano-banana-pro'],
		});
		const path = `/v1/images/tasks/${submitted.body.task_id}`;
		const seen: string[] = [];
		for (const step of [0, 3_000, 4_000, 3_000]) {
			clock.advance(step);
			const poll = await callApi(mock.current, 'GET', path);
			expect(poll.status).toBe(200);
			seen.push(poll.body.status);
		}
		expect(seen).toEqual(['queued', 'processing', 'processing', 'succeeded']);

		const done = await callApi(mock.current, 'GET', path);
		expect(done.body.completed_at).not.toBeNull();
		expect(done.body.error).toBeNull();
		expect(done.body.images).toHaveLength(1);
		const [image] = done.body.images;
		expect([image.width, image.height]).toEqual([2048, 1152]);
		const file = await download(image.url);
		expect(file.type).toBe('image/png');
		expect(readPngSize(file.bytes)).toEqual({ width: 2048, height: 1152 });
	});

	it('returns `num` images for openai/gpt-image-2', async () => {
		const submitted = await callApi(mock.current, 'POST', '/v1/images/generate', { body: imageSubmissions['openai/gpt-image-2'] });
		clock.advance(10_000);
		const done = await callApi(mock.current, 'GET', `/v1/images/tasks/${submitted.body.task_id}`);
		expect(done.body.status).toBe('succeeded');
		expect(done.body.images.map((i: { width: number; height: number }) => `${i.width}x${i.height}`)).toEqual(['440x1024', '440x1024']);
		for (const image of done.body.images) {
			expect(readPngSize((await download(image.url)).bytes)).toEqual({ width: 440, height: 1024 });
		}
	});

	it('ends failed with the error code when generation is blocked', async () => {
		const submitted = await callApi(mock.current, 'POST', '/v1/images/generate', {
			body: { model: 'google/nano-banana', prompt: 'something the model refuses [mock fail]' },
		});
		clock.advance(10_000);
		const done = await callApi(mock.current, 'GET', `/v1/images/tasks/${submitted.body.task_id}`);
		expect(done.body.status).toBe('failed');
		expect(done.body.images).toBeNull();
		expect(done.body.error).toMatchObject({ code: 'CONTENT_POLICY_VIOLATION', message: expect.stringContaining('content safety') });
		expect((await download(`${mock.current.filesUrl}/files/${submitted.body.task_id}/0.png`)).status).toBe(404);
	});
});

describe('a video task', () => {
	it('serves an MP4 of the requested size and duration, and its cover', async () => {
		const submitted = await callApi(mock.current, 'POST', '/v1/videos/generate', { body: videoSubmissions['kling/kling-v3'] });
		const path = `/v1/videos/tasks/${submitted.body.task_id}`;
		expect((await callApi(mock.current, 'GET', path)).body.status).toBe('queued');
		clock.advance(30_000);
		expect((await callApi(mock.current, 'GET', path)).body.status).toBe('processing');
		clock.advance(30_000);
		const done = await callApi(mock.current, 'GET', path);
		expect(done.body.status).toBe('succeeded');
		const [video] = done.body.videos;
		expect(video).toMatchObject({ width: 1080, height: 1920, duration: 3 });
		const mp4 = await download(video.url);
		expect(mp4.type).toBe('video/mp4');
		expect(readMp4Info(mp4.bytes)).toMatchObject({ width: 1080, height: 1920, durationSeconds: 3, codec: 'avc1' });
		const cover = await download(video.cover_url);
		expect(readPngSize(cover.bytes)).toEqual({ width: 1080, height: 1920 });
	});

	it('uses the model defaults the spec declares when parameters are omitted', async () => {
		const submitted = await callApi(mock.current, 'POST', '/v1/videos/generate', { body: videoSubmissions['dashscope/happyhorse-1.0'] });
		clock.advance(60_000);
		const done = await callApi(mock.current, 'GET', `/v1/videos/tasks/${submitted.body.task_id}`);
		// happyhorse: 1080P and 5 s by default; 4:3 asked.
		expect(done.body.videos[0]).toMatchObject({ width: 1440, height: 1080, duration: 5 });
	});
});

describe('task lifetime', () => {
	it('answers 404 for an unknown task and for a task polled on the wrong kind', async () => {
		const unknown = await callApi(mock.current, 'GET', '/v1/images/tasks/task_0000000000000000001');
		expect(unknown.status).toBe(404);
		expect(unknown.body.error).toMatchObject({ code: 'TASK_NOT_FOUND', status: 404 });
		const submitted = await callApi(mock.current, 'POST', '/v1/images/generate', { body: imageSubmissions['google/nano-banana'] });
		expect((await callApi(mock.current, 'GET', `/v1/videos/tasks/${submitted.body.task_id}`)).status).toBe(404);
	});

	it('forgets a finished task after the TTL: polls and files then answer 404', async () => {
		const submitted = await callApi(mock.current, 'POST', '/v1/images/generate', { body: imageSubmissions['google/nano-banana'] });
		const path = `/v1/images/tasks/${submitted.body.task_id}`;
		clock.advance(10_000);
		const done = await callApi(mock.current, 'GET', path);
		expect(done.body.status).toBe('succeeded');
		clock.advance(60 * 60 * 1000 + 1);
		const expired = await callApi(mock.current, 'GET', path);
		expect(expired.status).toBe(404);
		expect(expired.body.error.code).toBe('TASK_NOT_FOUND');
		expect((await download(done.body.images[0].url)).status).toBe(404);
	});
});
