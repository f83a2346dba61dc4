// The control API a CI job drives the twin with (on the simulator's port, beside the console):
// reset, the request journal, violations over HTTP, the clock, seeded runs, faults by
// probability and on downloads, production's path prefix and result URLs for containers.
import { request } from 'undici';
import { callApi, download, formatViolations, useMock } from '../harness/mock';
import type { MockServer } from '../harness/mock';
import { parseFaultRates } from '../../mock-server/index.ts';

async function control(mock: MockServer, method: 'GET' | 'POST', path: string, body?: unknown) {
	const answer = await request(`${mock.controlUrl}${path}`, {
		method,
		headers: body === undefined ? {} : { 'content-type': 'application/json' },
		body: body === undefined ? undefined : JSON.stringify(body),
	});
	return { status: answer.statusCode, body: (await answer.body.json()) as any };
}

const fox = { model: 'google/nano-banana', prompt: 'A red fox' };
const boat = { model: 'kling/kling-v3', prompt: 'A paper boat', duration: 5 };

describe('the clock: a 10-minute video deadline in a second', () => {
	const mock = useMock({ simulator: { videoTaskMs: 9 * 60_000, imageTaskMs: 60_000 } });
	afterAll(() => expect(formatViolations(mock.current.violations)).toBe(''));

	it('POST /mock/clock {"advance"} moves every task forward', async () => {
		const submitted = await callApi(mock.current, 'POST', '/v1/videos/generate', { body: boat });
		const poll = () => callApi(mock.current, 'GET', `/v1/videos/tasks/${submitted.body.task_id}`);
		expect((await poll()).body.status).toBe('queued');
		expect((await control(mock.current, 'POST', '/mock/clock', { advance: 120 })).status).toBe(200);
		expect((await poll()).body.status).toBe('processing');
		await control(mock.current, 'POST', '/mock/clock', { advance: 480 });
		const done = await poll();
		expect(done.body.status).toBe('succeeded');
		// The task took 9 minutes on the mock's clock.
		expect(Date.parse(done.body.completed_at) - Date.parse(done.body.created_at)).toBe(9 * 60_000);
	});

	it('{"freeze": true} holds every task where it is until {"freeze": false}', async () => {
		const frozen = await control(mock.current, 'POST', '/mock/clock', { freeze: true });
		expect(frozen.body.frozen).toBe(true);
		const submitted = await callApi(mock.current, 'POST', '/v1/images/generate', { body: fox });
		const first = await callApi(mock.current, 'GET', `/v1/images/tasks/${submitted.body.task_id}`);
		const again = await callApi(mock.current, 'GET', `/v1/images/tasks/${submitted.body.task_id}`);
		expect([first.body.status, again.body.status]).toEqual(['queued', 'queued']);
		expect((await control(mock.current, 'GET', '/mock/clock')).body.now).toBe(frozen.body.now);
		// Frozen, the clock still moves when told to.
		await control(mock.current, 'POST', '/mock/clock', { advance: 60 });
		expect((await callApi(mock.current, 'GET', `/v1/images/tasks/${submitted.body.task_id}`)).body.status).toBe('succeeded');
		expect((await control(mock.current, 'POST', '/mock/clock', { freeze: false })).body.frozen).toBe(false);
	});

	it('refuses a body it cannot read with a 400 that says what to send', async () => {
		const answer = await control(mock.current, 'POST', '/mock/clock', { advance: -5 });
		expect(answer.status).toBe(400);
		expect(answer.body.error.message).toBe('advance must be a number of seconds from 0 to 315360000 (ten years).');
	});
});

describe('the journal (GET /mock/requests)', () => {
	const mock = useMock({ simulator: { rateLimit: { requests: 3, windowMs: 60_000 } } });

	it('lists every call: submits, polls, downloads, faults, 401s and 429s, with status and timing', async () => {
		const submitted = await callApi(mock.current, 'POST', '/v1/images/generate', { body: { ...fox, prompt: 'A fox [mock time=0]' } });
		const done = await callApi(mock.current, 'GET', `/v1/images/tasks/${submitted.body.task_id}`);
		await download(done.body.images[0].url);
		await callApi(mock.current, 'GET', `/v1/images/tasks/${submitted.body.task_id}`, { key: 'wrong' });
		await callApi(mock.current, 'GET', `/v1/images/tasks/${submitted.body.task_id}`, { headers: { 'x-mock-fault': '502' } });
		await callApi(mock.current, 'GET', `/v1/images/tasks/${submitted.body.task_id}`);
		await callApi(mock.current, 'GET', `/v1/images/tasks/${submitted.body.task_id}`);

		const { body } = await control(mock.current, 'GET', '/mock/requests');
		const id = submitted.body.task_id;
		expect(body.requests.map((r: any) => [r.method, r.path, r.status, r.fault])).toEqual([
			['POST', '/v1/images/generate', 200, null],
			['GET', `/v1/images/tasks/${id}`, 200, null],
			['GET', `/files/${id}/0.png`, 200, null],
			['GET', `/v1/images/tasks/${id}`, 401, null],
			['GET', `/v1/images/tasks/${id}`, 502, 'x-mock-fault: 502'],
			['GET', `/v1/images/tasks/${id}`, 200, null],
			['GET', `/v1/images/tasks/${id}`, 429, 'rate-limit'],
		]);
		expect(body.requests.every((r: any) => r.seq > 0 && r.duration_ms >= 0 && !Number.isNaN(Date.parse(r.at)))).toBe(true);
		expect(body.requests.filter((r: any) => r.task_id === id)).toHaveLength(7);
		// ?since=<seq> gives only the newer calls.
		expect((await control(mock.current, 'GET', '/mock/requests?since=5')).body.requests.map((r: any) => r.seq)).toEqual([6, 7]);
	});

	it('POST /mock/reset forgets tasks, journal, counters and rate-limit state', async () => {
		const before = await callApi(mock.current, 'POST', '/v1/images/generate', { body: fox });
		expect(before.status).toBe(429);
		const reset = await control(mock.current, 'POST', '/mock/reset');
		expect(reset.body.reset).toBe(true);
		expect((await control(mock.current, 'GET', '/mock/requests')).body.requests).toEqual([]);
		expect((await control(mock.current, 'GET', '/mock/tasks')).body).toMatchObject({ tasks: [], stats: { submits: 0, polls: 0, files: 0, rateLimited: 0 } });
		expect((await callApi(mock.current, 'POST', '/v1/images/generate', { body: fox })).status).toBe(200);
	});
});

describe('violations over HTTP (GET /mock/violations)', () => {
	const mock = useMock();

	it('lists what Prism found, and reset clears it', async () => {
		expect((await control(mock.current, 'GET', '/mock/violations')).body).toEqual({ count: 0, violations: [] });
		await callApi(mock.current, 'GET', '/v1/images/tasks/task_1', { headers: { 'x-mock-fault': 'offspec' } });
		const { body } = await control(mock.current, 'GET', '/mock/violations');
		expect(body.count).toBeGreaterThan(0);
		expect(body.violations[0]).toMatchObject({ method: 'GET', path: '/v1/images/tasks/task_1', status: 200 });
		expect(body.violations.some((v: any) => v.location.startsWith('response'))).toBe(true);
		await control(mock.current, 'POST', '/mock/reset');
		expect((await control(mock.current, 'GET', '/mock/violations')).body.count).toBe(0);
	});
});

describe('a seed (--seed): the same ids and files on every run and after a reset', () => {
	const first = useMock({ simulator: { seed: '7' } });
	const second = useMock({ simulator: { seed: '7' } });
	const other = useMock({ simulator: { seed: '8' } });

	async function run(mock: MockServer) {
		const submitted = await callApi(mock, 'POST', '/v1/images/generate', { body: { ...fox, prompt: 'A fox [mock time=0]' } });
		const done = await callApi(mock, 'GET', `/v1/images/tasks/${submitted.body.task_id}`);
		const missing = await callApi(mock, 'GET', '/v1/images/tasks/task_404');
		const file = await download(done.body.images[0].url);
		return { taskId: submitted.body.task_id, requestIds: [submitted.body.request_id, done.body.request_id, missing.body.error.request_id], bytes: file.bytes };
	}

	it('two mocks with one seed hand out identical ids and bytes; another seed does not', async () => {
		const [a, b, c] = [await run(first.current), await run(second.current), await run(other.current)];
		expect(b.taskId).toBe(a.taskId);
		expect(b.requestIds).toEqual(a.requestIds);
		expect(a.requestIds[0]).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
		expect(b.bytes.equals(a.bytes)).toBe(true);
		expect(c.taskId).not.toBe(a.taskId);
	});

	it('after POST /mock/reset the sequence starts again', async () => {
		await control(first.current, 'POST', '/mock/reset');
		const again = await run(first.current);
		await control(second.current, 'POST', '/mock/reset');
		expect(again.taskId).toBe((await run(second.current)).taskId);
	});
});

describe('faults by probability (--fault-rate)', () => {
	const always = useMock({ simulator: { faultRates: parseFaultRates('500=1') } });
	const seeded = useMock({ simulator: { seed: 'rates', faultRates: parseFaultRates('429=0.3,502=0.2') } });
	const twin = useMock({ simulator: { seed: 'rates', faultRates: parseFaultRates('429=0.3,502=0.2') } });

	it('a rate of 1 faults every API call, and the journal says why', async () => {
		const answer = await callApi(always.current, 'POST', '/v1/images/generate', { body: fox });
		expect(answer.status).toBe(500);
		expect(answer.body.error.code).toBe('INTERNAL_ERROR');
		expect(always.current.requests().at(-1)?.fault).toBe('fault-rate: 500');
	});

	it('with a seed the same calls meet the same faults, at about the rates asked', async () => {
		const statuses = async (mock: MockServer) => {
			const seen: number[] = [];
			for (let i = 0; i < 200; i++) seen.push((await callApi(mock, 'GET', '/v1/images/tasks/task_404')).status);
			return seen;
		};
		const [a, b] = [await statuses(seeded.current), await statuses(twin.current)];
		expect(b).toEqual(a);
		const share = (status: number) => a.filter((s) => s === status).length / a.length;
		expect(share(429)).toBeGreaterThan(0.2);
		expect(share(429)).toBeLessThan(0.4);
		expect(share(502)).toBeGreaterThan(0.1);
		expect(share(502)).toBeLessThan(0.3);
		expect(share(404)).toBeGreaterThan(0.4);
	});

	it('refuses rates it cannot use', () => {
		expect(() => parseFaultRates('429=2')).toThrow('Invalid fault rate "429=2"');
		expect(() => parseFaultRates('429=0.6,500=0.6')).toThrow('Fault rates add up to 1.2');
		expect(() => parseFaultRates('418=0.1')).toThrow('Unknown mock fault "418"');
	});
});

describe('download faults', () => {
	const mock = useMock();
	const rated = useMock({ simulator: { faultRates: parseFaultRates('download-404=1') } });

	async function resultUrl(server: MockServer, tag: string): Promise<string> {
		const submitted = await callApi(server, 'POST', '/v1/images/generate', { body: { ...fox, prompt: `A fox [mock time=0 ${tag}]`.replace(' ]', ']') } });
		return (await callApi(server, 'GET', `/v1/images/tasks/${submitted.body.task_id}`)).body.images[0].url;
	}

	it.each([
		['download=403', 403, '403 Forbidden: this result URL has expired.\n'],
		['download=404', 404, '404 Not Found: this result URL has expired.\n'],
	])('[mock %s]: the result URL has expired', async (tag, status, text) => {
		const file = await download(await resultUrl(mock.current, tag));
		expect(file.status).toBe(status);
		expect(file.bytes.toString()).toBe(text);
	});

	it('[mock download=truncate]: the body stops halfway though Content-Length promised more', async () => {
		const url = await resultUrl(mock.current, 'download=truncate');
		const answer = await request(url);
		expect(Number(answer.headers['content-length'])).toBeGreaterThan(0);
		await expect(answer.body.arrayBuffer()).rejects.toThrow();
	});

	it('[mock download=slow:300]: the file arrives late', async () => {
		const url = await resultUrl(mock.current, 'download=slow:300');
		const started = performance.now();
		expect((await download(url)).status).toBe(200);
		expect(performance.now() - started).toBeGreaterThanOrEqual(290);
	});

	it('download-404=1 expires every result URL', async () => {
		expect((await download(await resultUrl(rated.current, ''))).status).toBe(404);
		expect(rated.current.requests().at(-1)?.fault).toBe('fault-rate: download: 404');
	});
});

describe('a drop-in for clients and containers', () => {
	const mock = useMock({ host: '0.0.0.0', publicUrl: 'http://host.docker.internal:4011/' });
	const useMockOnLoopback = useMock();
	afterAll(() => expect(formatViolations(mock.current.violations)).toBe(''));

	it("answers under production's path prefix (/imini/router/v1/...) as under /v1/...", async () => {
		const submitted = await callApi(mock.current, 'POST', '/imini/router/v1/images/generate', { body: { ...fox, prompt: 'A fox [mock time=0]' } });
		expect(submitted.status).toBe(200);
		const done = await callApi(mock.current, 'GET', `/imini/router/v1/images/tasks/${submitted.body.task_id}`);
		expect(done.body.status).toBe('succeeded');
		// Result URLs name the host a container reaches this machine by.
		expect(done.body.images[0].url).toBe(`http://host.docker.internal:4011/files/${submitted.body.task_id}/0.png`);
		// And the files are served on the simulator's port.
		expect((await download(done.body.images[0].url.replace('http://host.docker.internal:4011', mock.current.controlUrl))).status).toBe(200);
	});

	it('listens on every address (--host 0.0.0.0) and says how to reach it from here', async () => {
		expect(mock.current.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
		// 127.0.0.2 is this machine too, but a server bound to 127.0.0.1 alone refuses it.
		const elsewhere = mock.current.url.replace('127.0.0.1', '127.0.0.2');
		expect((await callApi({ ...mock.current, url: elsewhere }, 'GET', '/v1/images/tasks/task_404')).status).toBe(404);
		const local = useMockOnLoopback.current;
		await expect(callApi({ ...local, url: local.url.replace('127.0.0.1', '127.0.0.2') }, 'GET', '/v1/images/tasks/task_404')).rejects.toThrow(/ECONNREFUSED/);
	});
});
