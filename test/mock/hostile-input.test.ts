// The mock against hostile input (a mock on 0.0.0.0 is reachable by others) and on the points
// where it must follow imini's documentation, no stricter: issue 23's findings about the mock.
import { request } from 'undici';
import { callApi, useMock } from '../harness/mock';

const fox = { model: 'google/nano-banana', prompt: 'A red fox' };

describe('hostile input', () => {
	const mock = useMock({ prism: false, simulator: { imageTaskMs: 1, taskTtlMs: 1 } });

	it('a clock moved absurdly far is refused, and every later call still works', async () => {
		const moved = await request(`${mock.current.controlUrl}/mock/clock`, { method: 'POST', body: JSON.stringify({ advance: 1e306 }) });
		expect(moved.statusCode).toBe(400);
		await moved.body.text();
		expect((await callApi(mock.current, 'POST', '/v1/images/generate', { body: fox })).status).toBe(200);
	});

	it('a malformed percent-escape answers 400 with the key, and 401 without it', async () => {
		expect((await callApi(mock.current, 'GET', '/v1/images/tasks/%E0%A4%A')).status).toBe(400);
		expect((await callApi(mock.current, 'GET', '/v1/images/tasks/%E0%A4%A', { key: null })).status).toBe(401);
	});

	it('checks the key before any fault: a slow fault without a key is refused at once', async () => {
		const started = performance.now();
		const answer = await callApi(mock.current, 'GET', '/v1/images/tasks/task_1', { key: null, headers: { 'x-mock-fault': 'slow:5000' } });
		expect(answer.status).toBe(401);
		expect(performance.now() - started).toBeLessThan(1_000);
	});

	it('refuses a delay longer than two minutes', async () => {
		const answer = await callApi(mock.current, 'GET', '/v1/images/tasks/task_1', { headers: { 'x-mock-fault': 'slow:999999999' } });
		expect(answer.status).toBe(400);
	});

	it('forgets expired tasks: the store stays in proportion to the live tasks, not to every task ever made', async () => {
		for (let i = 0; i < 200; i++) await callApi(mock.current, 'POST', '/v1/images/generate', { body: { ...fox, prompt: `fox ${i}` } });
		expect(mock.current.storedTasks()).toBeLessThan(100);
	});
});

describe("following imini's documentation, no stricter", () => {
	const mock = useMock({ simulator: { rateLimit: { requests: 2, windowMs: 60_000 } } });

	it('google/nano-banana takes 512 and downgrades it to 1K, as the docs say of other resolutions', async () => {
		const answer = await callApi(mock.current, 'POST', '/v1/images/generate', { body: { ...fox, resolution: '512' } });
		expect(answer.status).toBe(200);
		expect(answer.violations).toBeUndefined();
	});

	it('a 429 injected by a prompt tag does not count against the rate quota (refused calls do not count)', async () => {
		mock.current.reset();
		expect((await callApi(mock.current, 'POST', '/v1/images/generate', { body: { ...fox, prompt: 'busy [mock submit=429x1]' } })).status).toBe(429);
		expect((await callApi(mock.current, 'POST', '/v1/images/generate', { body: { ...fox, prompt: 'one' } })).status).toBe(200);
		expect((await callApi(mock.current, 'POST', '/v1/images/generate', { body: { ...fox, prompt: 'two' } })).status).toBe(200);
	});
});
