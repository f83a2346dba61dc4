import { IminiHttpError, IminiNetworkError } from '../../nodes/engine/errors';
import { isRetryable, parseRetryAfter, retryDelayMs, withRetries } from '../../nodes/engine/retry';

/** An answer with imini's own error body (`fromImini`). */
const http = (status: number, retryAfterMs?: number) => new IminiHttpError(status, { code: 'X', message: 'm' }, retryAfterMs, true);
/** A gateway's or proxy's page in front of imini: no imini error body. */
const gateway = (status: number) => new IminiHttpError(status, { status }, undefined, false);

describe('which failures are retried', () => {
	it.each([
		[429, false, false],
		[502, true, true],
		[500, true, true],
		[400, false, false],
		[401, false, false],
		[402, false, false],
		[403, false, false],
		[404, false, false],
	])('HTTP %i: submit %s, read %s', (status, submit, read) => {
		expect(isRetryable(http(status), 'submit')).toBe(submit);
		expect(isRetryable(http(status), 'read')).toBe(read);
	});

	it("a gateway's 5xx page is retried as a read, never as a submit: it proves nothing about the task", () => {
		for (const status of [500, 502, 503, 504]) {
			expect(isRetryable(gateway(status), 'submit')).toBe(false);
		}
		expect(isRetryable(gateway(502), 'read')).toBe(true);
	});

	it('a request that never left is not retried: it would fail the same way, and created nothing', () => {
		const blocked = new IminiNetworkError('The request was blocked because it resolves to a restricted IP address', 'SSRF_BLOCKED', false);
		expect(isRetryable(blocked, 'read')).toBe(false);
		expect(isRetryable(blocked, 'submit')).toBe(false);
	});

	it('a 429 is never a retry: the quota scheduler keeps the call in line instead', () => {
		expect(isRetryable(http(429, 1000), 'read')).toBe(false);
	});

	it('network errors: reads are retried, submits are not (the task may exist)', () => {
		const error = new IminiNetworkError('socket hang up', 'ECONNRESET');
		expect(isRetryable(error, 'read')).toBe(true);
		expect(isRetryable(error, 'submit')).toBe(false);
	});
});

describe('how long to wait', () => {
	it("honours the server's Retry-After on a 500 or 502, with a little jitter", () => {
		expect(retryDelayMs(http(500, 1000), 2, () => 0)).toBe(1000);
		expect(retryDelayMs(http(500, 1000), 2, () => 0.99)).toBeLessThan(1250);
		expect(retryDelayMs(http(502, 30_000), 1, () => 0)).toBe(30_000);
	});

	it('retries a 502 quickly and backs off 500s exponentially', () => {
		expect([1, 2, 3].map((n) => retryDelayMs(http(502), n, () => 0))).toEqual([250, 500, 1000]);
		expect([1, 2, 3].map((n) => retryDelayMs(http(500), n, () => 0))).toEqual([1000, 2000, 4000]);
	});

	it('reads Retry-After as seconds or as a date', () => {
		expect(parseRetryAfter('7', 0)).toBe(7000);
		expect(parseRetryAfter('Thu, 01 Jan 1970 00:00:10 GMT', 4000)).toBe(6000);
		expect(parseRetryAfter('soon', 0)).toBeUndefined();
		expect(parseRetryAfter(undefined, 0)).toBeUndefined();
	});
});

describe('withRetries', () => {
	it('gives up after 3 retries (4 attempts) and reports the attempt count', async () => {
		const slept: number[] = [];
		let attempts = 0;
		const error = await withRetries('read', { sleep: async (ms) => void slept.push(ms), random: () => 0 }, async () => {
			attempts++;
			throw http(502);
		}).catch((e: unknown) => e);
		expect(attempts).toBe(4);
		expect((error as { attempts: number }).attempts).toBe(4);
		expect(slept).toEqual([250, 500, 1000]);
	});

	it('retries a submit at most twice (imini: "two or three times")', async () => {
		let attempts = 0;
		await expect(
			withRetries('submit', { sleep: async () => undefined, random: () => 0 }, async () => {
				attempts++;
				throw http(500);
			}),
		).rejects.toMatchObject({ status: 500, attempts: 3 });
		expect(attempts).toBe(3);
	});

	it('never retries a 402', async () => {
		let attempts = 0;
		await expect(
			withRetries('submit', { sleep: async () => undefined, random: () => 0 }, async () => {
				attempts++;
				throw http(402);
			}),
		).rejects.toMatchObject({ status: 402, attempts: 1 });
		expect(attempts).toBe(1);
	});

	it('returns the value and the attempts it took', async () => {
		let attempts = 0;
		const result = await withRetries('submit', { sleep: async () => undefined, random: () => 0 }, async () => {
			if (++attempts < 2) throw http(502);
			return 'ok';
		});
		expect(result).toEqual({ value: 'ok', attempts: 2 });
	});
});
