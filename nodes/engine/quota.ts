// One pace for all the calls made with an imini account in this process (every execution and
// node: accounts.ts keeps one scheduler per account and host), against the account's rate
// quota, which imini enforces but does not describe: no limit is published and its 429 answers
// carry no Retry-After. So the pace is learned:
//
// - Full speed while imini accepts everything.
// - After a 429, nobody starts for at least 5 s (imini's advice; longer when a Retry-After
//   says so) plus up to 2.5 s of jitter, then one request at a time probes until one is
//   accepted. That is a cycle: from its start to the recovery, imini let `accepted` calls
//   through, so `cycle / accepted` is a spacing the quota sustains. Calls are then spaced that
//   far apart (±10 % jitter, so that runs sharing a key do not fall into step), and the spacing
//   shrinks by about 10 % per cycle while calls are queueing. A later 429 marks the pace it
//   came at as too fast: the spacing backs off by 10 % and then creeps back up to just below
//   that mark, where it stays (a tight quota costs one pause, not one per cycle) until five
//   cycles pass without a 429, when it may probe upwards again.
// - A call refused with 429 made nothing happen on imini (a refused submit created no task):
//   it keeps its place in line and goes again. It is not a failure and no retry is counted.
// - Deliveries (status checks and downloads of tasks already paid for) go before new submits,
//   whichever execution they belong to; within a lane the earliest deadline goes first. A submit
//   also waits while the account's admission check (accounts.ts) says the quota could not then
//   deliver the tasks already created before their deadlines: spending never outruns delivery.
// - Each call carries its own execution's signal: a Stop (or a run that ends) removes only
//   that execution's waiting calls.
// - A call gives up only at its own deadline (a status check: the task's deadline), or, for
//   calls without one, when imini has refused every call for `stallLimitMs`.
//
// This file is the queue: which call goes next. When the next call may start, the learned pace,
// is rate-pace.ts's.
import type { Clock } from './clock';
import { IminiHttpError, QuotaExhaustedError } from './errors';
import { RatePace } from './rate-pace';
import type { Ticket } from './rate-pace';

export type QuotaLane = 'delivery' | 'submit';

export type QuotaOptions = {
	clock: Clock;
	/** In [0, 1). */
	random: () => number;
	/** Calls without a deadline give up when every call was refused for this long. */
	stallLimitMs?: number;
	/**
	 * Whether a submit may start now, given the pace (ms between calls; 0 is full speed). Asked
	 * again whenever anything changes (`reconsider`) and at least every `ADMISSION_RECHECK_MS`.
	 */
	admitSubmit?: (now: number, paceMs: number) => boolean;
};

export type QuotaCall = {
	/** A status check's task deadline; the wait for the quota ends there. */
	deadlineAt?: number;
	/** The execution's signal: aborting it drops this call from the queue (and rejects it). */
	signal?: AbortSignal;
};

export const DEFAULT_STALL_LIMIT_MS = 5 * 60_000;
/** A submit held back by admission is reconsidered at least this often. */
const ADMISSION_RECHECK_MS = 1_000;

function isRateLimited(error: unknown): error is IminiHttpError {
	return error instanceof IminiHttpError && error.status === 429;
}

type Waiter = {
	lane: QuotaLane;
	deadlineAt: number;
	signal: AbortSignal | undefined;
	/** Order of arrival; kept across 429s, so a refused call does not lose its place. */
	seq: number;
	queuedAt: number;
	refusals: number;
	lastError: IminiHttpError | undefined;
	start: (ticket: Ticket) => void;
	fail: (error: unknown) => void;
};

const laneRank: Record<QuotaLane, number> = { delivery: 0, submit: 1 };

/** Where a client finds the scheduler for a host (accounts.ts: one per account and host). */
export type QuotaSchedulers = { scheduler(origin: string): QuotaScheduler };

export type QuotaStats = { sent: number; accepted: number; rateLimited: number; paceMs: number };

export class QuotaScheduler {
	private readonly options: Required<Omit<QuotaOptions, 'admitSubmit'>> & Pick<QuotaOptions, 'admitSubmit'>;
	private readonly queue: Waiter[] = [];
	private pumping = false;
	private wake: AbortController | undefined;
	private seq = 0;

	private readonly pace: RatePace;
	private readonly counters = { sent: 0, accepted: 0, rateLimited: 0 };

	constructor(options: QuotaOptions) {
		this.options = { ...options, stallLimitMs: options.stallLimitMs ?? DEFAULT_STALL_LIMIT_MS };
		this.pace = new RatePace(options.clock, options.random);
	}

	get stats(): QuotaStats {
		return { ...this.counters, paceMs: this.pace.paceMs };
	}

	/** No call is waiting: the scheduler holds nothing of any execution's. */
	get idle(): boolean {
		return this.queue.length === 0;
	}

	/** Something that admission depends on changed (a task was created or settled). */
	reconsider(): void {
		if (this.queue.length > 0) this.poke();
	}

	/**
	 * Runs `send` when the quota allows, again after every 429, until it is answered otherwise.
	 * Other errors (and answers) are the caller's.
	 */
	async run<T>(lane: QuotaLane, send: () => Promise<T>, call: QuotaCall = {}): Promise<T> {
		const waiter = {
			lane,
			deadlineAt: call.deadlineAt ?? Number.POSITIVE_INFINITY,
			signal: call.signal,
			seq: this.seq++,
			queuedAt: this.options.clock.now(),
			refusals: 0,
			lastError: undefined,
		} as Omit<Waiter, 'start' | 'fail'>;
		for (;;) {
			const ticket = await this.turn(waiter);
			let outcome: { answered: true; value: T } | { answered: false; error: unknown };
			try {
				outcome = { answered: true, value: await send() };
			} catch (error) {
				outcome = { answered: false, error };
			}
			if (outcome.answered) {
				this.answered(ticket, true);
				return outcome.value;
			}
			if (isRateLimited(outcome.error)) {
				waiter.refusals++;
				waiter.lastError = outcome.error;
				this.refused(ticket, outcome.error.retryAfterMs);
				continue;
			}
			// Any other answer passed the rate limiter; no answer at all tells nothing. Either way
			// the error is the caller's (retry.ts decides about retrying it).
			this.answered(ticket, outcome.error instanceof IminiHttpError);
			throw outcome.error;
		}
	}

	private async turn(waiter: Omit<Waiter, 'start' | 'fail'>): Promise<Ticket> {
		const { signal } = waiter;
		if (signal?.aborted) throw signal.reason;
		return await new Promise<Ticket>((start, fail) => {
			const queued: Waiter = {
				...waiter,
				start: (ticket) => {
					signal?.removeEventListener('abort', onAbort);
					start(ticket);
				},
				fail: (error) => {
					signal?.removeEventListener('abort', onAbort);
					fail(error);
				},
			};
			// Only this execution's call leaves the queue; the others keep their places.
			const onAbort = () => {
				const index = this.queue.indexOf(queued);
				if (index < 0) return;
				this.queue.splice(index, 1);
				queued.fail(signal?.reason);
				this.poke();
			};
			signal?.addEventListener('abort', onAbort, { once: true });
			this.pace.busy();
			this.queue.push(queued);
			this.poke();
		});
	}

	private poke(): void {
		this.wake?.abort();
		if (this.pumping) return;
		this.pumping = true;
		this.pump().catch(() => {
			this.pumping = false;
		});
	}

	/**
	 * Starts queued calls as the quota allows. `pumping` is cleared in the same tick as the queue
	 * is seen empty, so a call queued right after never finds a pump that has decided to stop.
	 */
	private async pump(): Promise<void> {
		const { clock } = this.options;
		for (;;) {
			const now = clock.now();
			const startAt = this.pace.startAt(now);
			const best = this.best();
			// Deliveries rank first, so when the best call is a submit, only submits are waiting.
			const held = best !== undefined && best.lane === 'submit' && !this.admitted(now);
			if (best && startAt <= now && !held) {
				// Nothing holds calls back: the best one goes, even one at its deadline (a poller's
				// last check lands on the deadline itself). Deadlines bite only while calls wait.
				this.start(best, now);
				continue;
			}
			this.expire(now);
			if (this.queue.length === 0) {
				this.pace.idle(now);
				this.pumping = false;
				return;
			}
			const recheckAt = held ? Math.max(startAt, now + ADMISSION_RECHECK_MS) : startAt;
			await this.sleepUntil(Math.min(recheckAt, this.nextExpiry()), now);
		}
	}

	private admitted(now: number): boolean {
		return this.options.admitSubmit?.(now, this.pace.paceMs) ?? true;
	}

	/** Sleeps until `at` (forever when infinite), or until poked: a new call, an answer, a cancel. */
	private async sleepUntil(at: number, now: number): Promise<void> {
		const wake = new AbortController();
		this.wake = wake;
		try {
			if (Number.isFinite(at)) await this.options.clock.sleep(at - now, wake.signal);
			else await new Promise<void>((resolve) => wake.signal.addEventListener('abort', () => resolve(), { once: true }));
		} catch {
			// poked early
		} finally {
			if (this.wake === wake) this.wake = undefined;
		}
	}

	private best(): Waiter | undefined {
		let best: Waiter | undefined;
		for (const waiter of this.queue) if (!best || this.before(waiter, best)) best = waiter;
		return best;
	}

	private start(waiter: Waiter, now: number): void {
		this.queue.splice(this.queue.indexOf(waiter), 1);
		this.counters.sent++;
		waiter.start(this.pace.started(now, this.queue.length > 0));
	}

	private before(a: Waiter, b: Waiter): boolean {
		if (laneRank[a.lane] !== laneRank[b.lane]) return laneRank[a.lane] < laneRank[b.lane];
		if (a.deadlineAt !== b.deadlineAt) return a.deadlineAt < b.deadlineAt;
		return a.seq < b.seq;
	}

	private stallAt(waiter: Waiter): number {
		if (Number.isFinite(waiter.deadlineAt) || this.pace.limitedSince === undefined) return Number.POSITIVE_INFINITY;
		return Math.max(this.pace.limitedSince, waiter.queuedAt) + this.options.stallLimitMs;
	}

	private nextExpiry(): number {
		let at = Number.POSITIVE_INFINITY;
		for (const waiter of this.queue) at = Math.min(at, waiter.deadlineAt, this.stallAt(waiter));
		return at;
	}

	private expire(now: number): void {
		for (let i = this.queue.length - 1; i >= 0; i--) {
			const waiter = this.queue[i];
			const reason = now >= waiter.deadlineAt ? 'deadline' : now >= this.stallAt(waiter) ? 'stall' : undefined;
			if (!reason) continue;
			this.queue.splice(i, 1);
			const waited = now - (reason === 'stall' ? Math.max(this.pace.limitedSince ?? now, waiter.queuedAt) : waiter.queuedAt);
			waiter.fail(new QuotaExhaustedError(reason, waiter.refusals, waited, waiter.lastError));
		}
	}

	private answered(ticket: Ticket, passed: boolean): void {
		if (passed) this.counters.accepted++;
		this.pace.answered(ticket, passed);
		this.poke();
	}

	private refused(ticket: Ticket, retryAfterMs: number | undefined): void {
		this.counters.rateLimited++;
		this.pace.refused(ticket, retryAfterMs);
		this.poke();
	}
}
