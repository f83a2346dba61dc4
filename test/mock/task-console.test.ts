// The task console's data, GET /mock/tasks on the simulator's port: every task the mock has seen,
// newest first, with its status over time, the faults its prompt asked for and its results. Tests
// and tools count submissions with it.
import { request } from 'undici';
import { ManualClock, callApi, formatViolations, useMock } from '../harness/mock';

const clock = new ManualClock();
const mock = useMock({ simulator: { now: clock.now, imageTaskMs: 10_000, videoTaskMs: 60_000, queuedShare: 0.2 } });

type TaskRecord = {
	task_id: string;
	kind: string;
	model: string;
	status: string;
	prompt: string;
	faults: string[];
	created_at: string;
	processing_at: string;
	completed_at: string;
	polls: number;
	error: { code: string; message: string } | null;
	results: Array<{ url: string; width: number; height: number; duration?: number; cover_url?: string }>;
};

async function taskList(): Promise<{ tasks: TaskRecord[]; stats: { submits: number } }> {
	const answer = await request(`${mock.current.filesUrl}/mock/tasks`);
	expect(answer.statusCode).toBe(200);
	expect(answer.headers['content-type']).toBe('application/json');
	return (await answer.body.json()) as { tasks: TaskRecord[]; stats: { submits: number } };
}

async function submit(kind: 'images' | 'videos', body: Record<string, unknown>): Promise<string> {
	const answer = await callApi(mock.current, 'POST', `/v1/${kind}/generate`, { body });
	expect(answer.status).toBe(200);
	return answer.body.task_id as string;
}

afterAll(() => {
	expect(formatViolations(mock.current.violations)).toBe('');
});

describe('GET /mock/tasks', () => {
	it('counts what was submitted, newest first, rejected submits excluded', async () => {
		const before = (await taskList()).tasks.length;
		const fox = await submit('images', { model: 'google/nano-banana', prompt: 'a red fox', aspect_ratio: '16:9' });
		const owl = await submit('images', { model: 'google/nano-banana', prompt: 'an owl at night [mock fail=NSFW_CONTENT]' });
		const refused = await callApi(mock.current, 'POST', '/v1/images/generate', {
			body: { model: 'google/nano-banana', prompt: 'something [mock unsafe]' },
		});
		expect(refused.status).toBe(400);
		const whale = await submit('videos', { model: 'kling/kling-v3', prompt: 'a whale breaching', duration: 5 });

		const { tasks, stats } = await taskList();
		expect(tasks.length - before).toBe(3);
		expect(stats.submits).toBe(tasks.length);
		expect(tasks.slice(0, 3).map((t) => t.task_id)).toEqual([whale, owl, fox]);
		expect(tasks[0]).toMatchObject({ kind: 'video', model: 'kling/kling-v3', prompt: 'a whale breaching', status: 'queued', faults: [] });
		expect(tasks[1]).toMatchObject({ prompt: 'an owl at night [mock fail=NSFW_CONTENT]', faults: ['fail=NSFW_CONTENT'] });
	});

	it('follows a task through its states, with its timings, polls, results and failure', async () => {
		const ok = await submit('images', { model: 'google/nano-banana', prompt: 'a lighthouse', aspect_ratio: '1:1', resolution: '1K' });
		const bad = await submit('images', { model: 'google/nano-banana', prompt: 'a storm [mock fail]' });
		const find = async (id: string) => (await taskList()).tasks.find((t) => t.task_id === id)!;

		const queued = await find(ok);
		expect(queued.status).toBe('queued');
		expect(Date.parse(queued.processing_at) - Date.parse(queued.created_at)).toBe(2_000);
		expect(Date.parse(queued.completed_at) - Date.parse(queued.created_at)).toBe(10_000);
		expect(queued.results).toEqual([]);

		clock.advance(3_000);
		await callApi(mock.current, 'GET', `/v1/images/tasks/${ok}`);
		expect(await find(ok)).toMatchObject({ status: 'processing', polls: 1 });

		clock.advance(7_000);
		const done = await find(ok);
		expect(done.status).toBe('succeeded');
		expect(done.results).toEqual([{ url: `${mock.current.filesUrl}/files/${ok}/0.png`, width: 1024, height: 1024 }]);
		const failed = await find(bad);
		expect(failed.status).toBe('failed');
		expect(failed.error).toEqual({ code: 'CONTENT_POLICY_VIOLATION', message: 'The generated content was blocked by content safety.' });
		expect(failed.results).toEqual([]);

		clock.advance(60 * 60 * 1000 + 1);
		expect((await find(ok)).status).toBe('expired');
	});

	it('is served without a key, outside the rate limit and outside the API', async () => {
		const submits = mock.current.stats.submits;
		const polls = mock.current.stats.polls;
		await taskList();
		const page = await request(`${mock.current.filesUrl}/`);
		expect(page.statusCode).toBe(200);
		expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
		const html = await page.body.text();
		expect(html).toContain("fetch('/mock/tasks'");
		// The control API is named on the page, with links to what a browser can GET.
		for (const endpoint of ['/mock/requests', '/mock/violations', '/mock/clock']) expect(html).toContain(`<a href="${endpoint}">`);
		expect(html).toContain('POST /mock/reset');
		expect(mock.current.stats).toMatchObject({ submits, polls });
	});
});
