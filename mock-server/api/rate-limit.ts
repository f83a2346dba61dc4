// imini's per-account rate quota as the simulator keeps it: at most `requests` accepted API calls
// per key in any `windowMs` (a sliding window, stricter than a fixed one: no double burst at a
// window's edge; refused calls do not count). imini documents the quota but no Retry-After
// header, so one is sent only when asked for (`retryAfter`).
import type { ServerResponse } from 'node:http';
import { HttpError, errorMessages } from '../core/http.ts';
import type { Journal } from '../core/journal.ts';

export type RateLimitOptions = {
	rateLimit: { requests: number; windowMs: number } | null;
	retryAfter: boolean;
};

export function createRateLimiter(options: RateLimitOptions, now: () => number, journal: Journal, onLimited: () => void) {
	/** Per key: when its accepted calls of the current window came in, oldest first. */
	const accepted = new Map<string, number[]>();
	return {
		/** Throws the 429 when `key` is over its quota; otherwise counts the call. */
		check(key: string, res: ServerResponse): void {
			if (!options.rateLimit) return;
			const time = now();
			const { requests, windowMs } = options.rateLimit;
			const times = accepted.get(key) ?? [];
			accepted.set(key, times);
			while (times.length > 0 && times[0] <= time - windowMs) times.shift();
			if (times.length >= requests) {
				onLimited();
				journal.fault(res, 'rate-limit');
				const headers: Record<string, string> = options.retryAfter
					? { 'retry-after': String(Math.max(1, Math.ceil((times[0] + windowMs - time) / 1000))) }
					: {};
				throw new HttpError(429, errorMessages[429], 'RATE_LIMITED', headers);
			}
			times.push(time);
		},
		/**
		 * The call counted by `check` was then refused with a 429 after all (a prompt's injected
		 * fault): as the README says, refused calls do not count.
		 */
		refund(key: string): void {
			accepted.get(key)?.pop();
		},
		reset: () => accepted.clear(),
	};
}
