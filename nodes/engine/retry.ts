// When to retry an imini call that failed, and how long to wait first (imini's advice: retry
// 500 and 502 two or three times with random jitter; never 400/401/402/403/404).
//
// 429 is not here: a call refused by the rate limiter made nothing happen, so the quota
// scheduler (quota.ts) keeps it in line until the quota lets it through, without counting a
// retry; a row never fails on a 429 while its deadline allows waiting.
//
// Invariant kept here: no submit is sent twice unless imini itself says to retry. Submitting is
// not idempotent (imini has no idempotency key), so a retried submit whose first attempt did
// create a task would be charged twice. A submit is retried only on imini's own 500 or 502,
// answered with imini's error body: its docs advise retrying those two or three times, and its
// published client retries submits on 5xx. A 502 page from a gateway in front of imini, a
// timeout or a dropped connection proves nothing about the task, so it is reported ("may have
// created a task"), never retried. A request that provably never left (`sent` false: refused by
// n8n's SSRF protection, say) created nothing, and would fail the same way again: not retried.
// Polls and downloads are reads: retried on 500, 502 and network errors.
import { IminiHttpError, IminiNetworkError } from './errors';

export type CallKind = 'submit' | 'read';

export const MAX_RETRIES = 3;
/** imini: retry 500 and 502 "two or three times"; a submit takes the lower count. */
export const MAX_SUBMIT_RETRIES = 2;

export function isRetryable(error: unknown, call: CallKind): boolean {
	if (error instanceof IminiHttpError) {
		if (call === 'submit') return error.fromImini && [500, 502].includes(error.status);
		return [500, 502].includes(error.status);
	}
	return error instanceof IminiNetworkError && error.sent && call === 'read';
}

/**
 * Milliseconds to wait before retry number `retry` (1-based). `random` is in [0, 1).
 * A Retry-After wins; 502 starts fast (0.25–0.5 s) and 500 or network errors back off from
 * 1–2 s, doubling.
 */
export function retryDelayMs(error: unknown, retry: number, random: () => number): number {
	if (error instanceof IminiHttpError) {
		if (error.retryAfterMs !== undefined) return error.retryAfterMs + Math.floor(random() * 250);
		if (error.status === 502) return Math.floor(250 * 2 ** (retry - 1) * (1 + random()));
	}
	return Math.floor(1_000 * 2 ** (retry - 1) * (1 + random()));
}

export type RetryEnvironment = {
	sleep: (ms: number) => Promise<void>;
	random: () => number;
};

/** Runs `attempt` until it succeeds, fails for good, or used MAX_RETRIES retries. */
export async function withRetries<T>(
	call: CallKind,
	env: RetryEnvironment,
	attempt: (attemptNumber: number) => Promise<T>,
): Promise<{ value: T; attempts: number }> {
	for (let attemptNumber = 1; ; attemptNumber++) {
		try {
			return { value: await attempt(attemptNumber), attempts: attemptNumber };
		} catch (error) {
			if (attemptNumber > (call === 'submit' ? MAX_SUBMIT_RETRIES : MAX_RETRIES) || !isRetryable(error, call)) {
				throw Object.assign(error as Error, { attempts: attemptNumber });
			}
			await env.sleep(retryDelayMs(error, attemptNumber, env.random));
		}
	}
}

export function parseRetryAfter(header: unknown, now: number): number | undefined {
	if (typeof header !== 'string' || header.trim() === '') return undefined;
	if (/^\d+$/.test(header.trim())) return Number(header.trim()) * 1000;
	const date = Date.parse(header);
	return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
