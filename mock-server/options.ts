// The simulator's settings and their defaults: how long tasks take, how long they are
// remembered, the rate quota, credits, faults by probability, and the clock it follows. Every
// option of `imini-mock` (cli.ts) and of `startMock({ simulator })` ends up here.
import { noFaultRates } from './faults/rates.ts';
import type { FaultRates } from './faults/rates.ts';

export type SimulatorOptions = {
	/** The one key accepted (`Authorization: Bearer <key>`). */
	apiKey: string;
	/** Time from submit to a settled image task. */
	imageTaskMs: number;
	/** Time from submit to a settled video task. */
	videoTaskMs: number;
	/** Share of a task's time spent `queued` before `processing`. */
	queuedShare: number;
	/** A settled task (and its files) is forgotten this long after it settled: polls then answer 404. */
	taskTtlMs: number;
	/**
	 * Per-key limit on API calls (files excluded): at most `requests` accepted calls in any
	 * `windowMs` (a sliding window, stricter than a fixed one: no double burst at a window's
	 * edge; refused calls do not count). null disables it.
	 */
	rateLimit: { requests: number; windowMs: number } | null;
	/**
	 * Whether 429 answers carry `Retry-After`. imini documents no such header, so by default
	 * none is sent and a client must find the pace itself; true is the kinder server.
	 */
	retryAfter: boolean;
	/** `Retry-After` sent with an injected 429 (when `retryAfter` is on). */
	retryAfterSeconds: number;
	/** Credits per key (one per submitted task); null is unlimited. */
	credits: number | null;
	/**
	 * Fields a model does not document: refused with a 400 (false, the default: imini does not
	 * say, so the stricter answer) or dropped and ignored (true).
	 */
	acceptUnknownFields: boolean;
	/** Task ids, request ids and pictures the same on every run (and after POST /mock/reset); null is random. */
	seed: string | null;
	/** Faults by probability (`--fault-rate`). */
	faultRates: FaultRates;
	/** The time the mock's clock follows; POST /mock/clock moves and freezes the mock's clock on top of it. */
	now: () => number;
};

export const defaultSimulatorOptions: SimulatorOptions = {
	apiKey: 'imini-mock-key',
	imageTaskMs: 6_000,
	videoTaskMs: 20_000,
	queuedShare: 0.2,
	taskTtlMs: 60 * 60 * 1000,
	rateLimit: { requests: 300, windowMs: 60_000 },
	retryAfter: false,
	retryAfterSeconds: 1,
	credits: null,
	acceptUnknownFields: false,
	seed: null,
	faultRates: noFaultRates,
	now: () => Date.now(),
};
