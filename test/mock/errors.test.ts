// Every documented error, in imini's unified body, through Prism; and proof that Prism's
// contract check does catch a bad request and a bad response.
import { ManualClock, callApi, formatViolations, useMock } from '../harness/mock';
import type { MockServer } from '../harness/mock';
import { imageSubmissions } from '../harness/request-fixtures';

const unifiedError = (status: number, code: string) => ({
	error: { code, message: expect.any(String), status, request_id: expect.stringMatching(/^req_/) },
});

function expectClean(mock: MockServer) {
	expect(formatViolations(mock.violations)).toBe('');
}

describe('errors in the unified body', () => {
	const mock = useMock({ simulator: { credits: 1 } });
	afterEach(() => expectClean(mock.current));

	it('400 INVALID_PROMPT when content safety flags the prompt', async () => {
		const answer = await callApi(mock.current, 'POST', '/v1/images/generate', {
			body: { model: 'google/nano-banana', prompt: 'something flagged [mock unsafe]' },
		});
		expect(answer.status).toBe(400);
		expect(answer.body).toEqual(unifiedError(400, 'INVALID_PROMPT'));
	});

	it('401 for a wrong key, with no task created', async () => {
		const answer = await callApi(mock.current, 'POST', '/v1/images/generate', { body: imageSubmissions['google/nano-banana'], key: 'sk-wrong' });
		expect(answer.status).toBe(401);
		expect(answer.body).toEqual(unifiedError(401, 'UNAUTHORIZED'));
		expect(mock.current.stats.submits).toBe(0);
	});

	it('402 once the credits are spent', async () => {
		const first = await callApi(mock.current, 'POST', '/v1/images/generate', { body: imageSubmissions['google/nano-banana'] });
		expect(first.status).toBe(200);
		const second = await callApi(mock.current, 'POST', '/v1/images/generate', { body: imageSubmissions['google/nano-banana'] });
		expect(second.status).toBe(402);
		expect(second.body).toEqual(unifiedError(402, 'INSUFFICIENT_CREDITS'));
	});

	it('404 for an unknown task', async () => {
		const answer = await callApi(mock.current, 'GET', '/v1/videos/tasks/task_does_not_exist');
		expect(answer.status).toBe(404);
		expect(answer.body).toEqual(unifiedError(404, 'TASK_NOT_FOUND'));
	});

	it.each([
		[403, 'FORBIDDEN'],
		[500, 'INTERNAL_ERROR'],
		[502, 'UPSTREAM_ERROR'],
	])('%i %s on demand (X-Mock-Fault)', async (status, code) => {
		const answer = await callApi(mock.current, 'GET', '/v1/images/tasks/task_1', { headers: { 'x-mock-fault': String(status) } });
		expect(answer.status).toBe(status);
		expect(answer.body).toEqual(unifiedError(status, code));
	});
});

describe('rate limit', () => {
	async function threeCalls(current: Parameters<typeof callApi>[0]) {
		const answers = [];
		for (let i = 0; i < 3; i++) answers.push(await callApi(current, 'GET', '/v1/images/tasks/task_1'));
		return answers;
	}

	describe('as imini documents it (no Retry-After)', () => {
		const mock = useMock({ simulator: { rateLimit: { requests: 2, windowMs: 60_000 } } });
		afterEach(() => expectClean(mock.current));

		it('answers 429 RATE_LIMITED once the per-key quota is used, without Retry-After, and counts it', async () => {
			const answers = await threeCalls(mock.current);
			expect(answers.map((a) => a.status)).toEqual([404, 404, 429]);
			expect(answers[2].body).toEqual(unifiedError(429, 'RATE_LIMITED'));
			expect(answers[2].headers['retry-after']).toBeUndefined();
			expect(mock.current.stats.rateLimited).toBe(1);
		});
	});

	describe('with --retry-after', () => {
		const mock = useMock({ simulator: { rateLimit: { requests: 2, windowMs: 60_000 }, retryAfter: true } });
		afterEach(() => expectClean(mock.current));

		it('says in Retry-After when the oldest accepted call leaves the window', async () => {
			const answers = await threeCalls(mock.current);
			expect(answers.map((a) => a.status)).toEqual([404, 404, 429]);
			const retryAfter = Number(answers[2].headers['retry-after']);
			expect(retryAfter).toBeGreaterThanOrEqual(59);
			expect(retryAfter).toBeLessThanOrEqual(60);
		});
	});

	describe('sliding window', () => {
		const clock = new ManualClock();
		const mock = useMock({ simulator: { rateLimit: { requests: 2, windowMs: 10_000 }, now: clock.now } });
		afterEach(() => expectClean(mock.current));

		it('frees one call when the oldest accepted call is a window old, not the whole quota at a window edge', async () => {
			expect((await callApi(mock.current, 'GET', '/v1/images/tasks/task_1')).status).toBe(404);
			clock.advance(6_000);
			expect((await callApi(mock.current, 'GET', '/v1/images/tasks/task_1')).status).toBe(404);
			clock.advance(4_000); // the first call is 10 s old: one call free, the second still counts
			const answers = await threeCalls(mock.current);
			expect(answers.map((a) => a.status)).toEqual([404, 429, 429]);
			clock.advance(6_000);
			expect((await callApi(mock.current, 'GET', '/v1/images/tasks/task_1')).status).toBe(404);
		});
	});
});

describe('faults on a task', () => {
	const mock = useMock();
	afterEach(() => expectClean(mock.current));

	it('submit=<status>xN fails the first N submits of that prompt, then accepts it (429 then success)', async () => {
		const body = { model: 'google/nano-banana-pro', prompt: 'retry me [mock submit=429x2]' };
		const answers = [];
		for (let i = 0; i < 3; i++) answers.push(await callApi(mock.current, 'POST', '/v1/images/generate', { body }));
		expect(answers.map((a) => a.status)).toEqual([429, 429, 200]);
		expect(answers[0].headers['retry-after']).toBeUndefined();
		expect(answers[2].body.task_id).toMatch(/^task_/);
	});

	it('pollK=<status> hits only the K-th poll', async () => {
		const submitted = await callApi(mock.current, 'POST', '/v1/images/generate', {
			body: { model: 'google/nano-banana', prompt: 'a fox [mock poll2=500 poll3=429]' },
		});
		const path = `/v1/images/tasks/${submitted.body.task_id}`;
		const statuses = [];
		for (let i = 0; i < 4; i++) statuses.push((await callApi(mock.current, 'GET', path)).status);
		expect(statuses).toEqual([200, 500, 429, 200]);
	});

	it('slow answers arrive late but intact', async () => {
		const started = performance.now();
		const answer = await callApi(mock.current, 'GET', '/v1/images/tasks/task_1', { headers: { 'x-mock-fault': 'slow:300' } });
		expect(performance.now() - started).toBeGreaterThanOrEqual(290);
		expect(answer.status).toBe(404);
	});

	it('drop closes the connection without an answer (on the simulator port)', async () => {
		await expect(
			callApi(mock.current, 'GET', '/v1/images/tasks/task_1', { headers: { 'x-mock-fault': 'drop' }, direct: true }),
		).rejects.toThrow(/socket|closed|terminated/i);
	});

	it('malformed sends a 200 whose JSON is cut off (on the simulator port)', async () => {
		const answer = await callApi(mock.current, 'GET', '/v1/images/tasks/task_1', { headers: { 'x-mock-fault': 'malformed' }, direct: true });
		expect(answer.status).toBe(200);
		expect(typeof answer.body).toBe('string');
		expect(() => JSON.parse(answer.body)).toThrow();
	});

	it('an unknown fault is refused with a message that lists the known ones', async () => {
		const answer = await callApi(mock.current, 'GET', '/v1/images/tasks/task_1', { headers: { 'x-mock-fault': 'explode' } });
		expect(answer.status).toBe(400);
		expect(answer.body.error.message).toContain('drop, malformed');
	});
});

describe('the contract check can fail', () => {
	const mock = useMock();

	beforeEach(() => {
		mock.current.violations.length = 0;
	});

	it('flags a request that breaks the spec, and the simulator still answers imini\'s 400', async () => {
		const { quality: _omitted, ...withoutQuality } = imageSubmissions['openai/gpt-image-2'] as Record<string, unknown>;
		const answer = await callApi(mock.current, 'POST', '/v1/images/generate', { body: withoutQuality });
		expect(answer.status).toBe(400);
		expect(answer.body).toEqual(unifiedError(400, 'INVALID_PARAMETER'));
		expect(answer.body.error.message).toBe('quality is required');
		expect(answer.violations).toBeDefined();
		expect(mock.current.violations.length).toBeGreaterThan(0);
		expect(mock.current.violations.every((v) => v.location.startsWith('request'))).toBe(true);
	});

	it('counts prompt characters as code points, like the simulator: the limit in emoji passes, one more is flagged', async () => {
		const fox = '\u{1F98A}';
		const atLimit = await callApi(mock.current, 'POST', '/v1/images/generate', { body: { model: 'google/nano-banana', prompt: fox.repeat(6000) } });
		expect(atLimit.status).toBe(200);
		expect(formatViolations(mock.current.violations)).toBe('');

		const over = await callApi(mock.current, 'POST', '/v1/images/generate', { body: { model: 'google/nano-banana', prompt: fox.repeat(6001) } });
		expect(over.status).toBe(400);
		expect(over.body.error.message).toBe('prompt must be at most 6000 characters');
		// Prism tries every branch of the oneOf; the nano-banana branch objects to the prompt alone.
		expect(mock.current.violations.map((v) => `${v.location}: ${v.message}`)).toContain(
			'request.body.prompt: Request body property prompt must NOT have more than 6000 characters',
		);
	});

	it('flags a simulator answer that breaks the spec', async () => {
		const answer = await callApi(mock.current, 'GET', '/v1/images/tasks/task_1', { headers: { 'x-mock-fault': 'offspec' } });
		expect(answer.status).toBe(200);
		expect(mock.current.violations.some((v) => v.location.startsWith('response'))).toBe(true);
	});

	it.each(['malformed', 'drop'])('flags Prism answering for an upstream that sent %s', async (fault) => {
		const answer = await callApi(mock.current, 'GET', '/v1/images/tasks/task_1', { headers: { 'x-mock-fault': fault } });
		expect(answer.status).toBe(500);
		expect(answer.headers['content-type']).toContain('application/problem+json');
		expect(mock.current.violations.map((v) => v.location)).toContain('prism');
	});

	it('a request without a key is a contract violation and a 401', async () => {
		const answer = await callApi(mock.current, 'GET', '/v1/images/tasks/task_1', { key: null });
		expect(answer.status).toBe(401);
		expect(answer.body).toEqual(unifiedError(401, 'UNAUTHORIZED'));
		expect(mock.current.violations.some((v) => v.location.startsWith('request'))).toBe(true);
	});
});
