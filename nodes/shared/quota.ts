// One pace for all the calls made with an imini account in this process (every execution and
// node: account.ts keeps one scheduler per account and host), against the account's rate
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
//   also waits while the account's admission check (account.ts) says the quota could not then
//   deliver the tasks already created before their deadlines: spending never outruns delivery.
// - Each call carries its own execution's signal: a Stop (or a run that ends) removes only
//   that execution's waiting calls.
// - A call gives up only at its own deadline (a status check: the task's deadline), or, for
//   calls without one, when imini has refused every call for `stallLimitMs`.
import { IminiHttpError, QuotaExhaustedError } from './errors';

export type QuotaLane = 'delivery' | 'submit';

export type QuotaClock = {
	now(): number;
	/** Resolves after ms, rejects when the signal aborts. */
	sleep(ms: number, signal: AbortSignal): Promise<void>;
};

export type QuotaOptions = {
	clock: QuotaClock;
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

/** imini: "wait at least 5 s" after a 429. */
export const RATE_LIMIT_PAUSE_MS = 5_000;
/** Up to this much random extra on every pause after a 429. */
export const RATE_LIMIT_JITTER_MS = 2_500;
/** Spacing between calls varies by this share either way. */
export const PACE_JITTER = 0.1;
/** How much faster the pace gets per learned cycle while calls are queueing. */
const PACE_INCREASE_PER_CYCLE = 0.1;
/** How much slower than a pace that met a 429 to go on. */
const PACE_BACKOFF = 0.1;
/** A pace that met a 429 is not approached closer than this. */
const CEILING_MARGIN = 0.05;
/** Cycles without a 429 after which a pace that met one may be tried again. */
const CEILING_CYCLES = 5;
export const DEFAULT_STALL_LIMIT_MS = 5 * 60_000;
/** A submit held back by admission is reconsidered at least this often. */
const ADMISSION_RECHECK_MS = 1_000;

function isRateLimited(error: unknown): error is IminiHttpError {
	return error instanceof IminiHttpError && error.status === 429;
}

type Ticket = { probe: boolean; startedAt: number };

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

/** Where a client finds the scheduler for a host (account.ts: one per account and host). */
export type QuotaSchedulers = { scheduler(origin: string): QuotaScheduler };

export type QuotaStats = { sent: number; accepted: number; rateLimited: number; paceMs: number };

export class QuotaScheduler {
	private readonly options: Required<Omit<QuotaOptions, 'admitSubmit'>> & Pick<QuotaOptions, 'admitSubmit'>;
	private readonly queue: Waiter[] = [];
	private pumping = false;
	private wake: AbortController | undefined;
	private seq = 0;

	/** Spacing between call starts; 0 is full speed. */
	private paceMs = 0;
	private cycleMs = 0;
	/** A spacing that met a 429 (0: none): the pace stays just slower than this. */
	private ceilingPaceMs = 0;
	private ceilingSetAt = 0;
	private nextStartAt = 0;
	private pausedUntil = 0;
	/** Set from the first 429 until a call is accepted again. */
	private limitedSince: number | undefined;
	/** When the last 429 came. */
	private lastRefusalAt: number | undefined;
	private probeInFlight = false;
	private cycleStart: number | undefined;
	private acceptedInCycle = 0;
	/**
	 * Time in this cycle when nobody wanted to call (the queue was empty): it says nothing about
	 * the quota. An account shared by a process's executions can sit idle for hours between
	 * bursts; counted in, it would make the pace absurdly slow.
	 */
	private idleInCycle = 0;
	private idleSince: number | undefined;
	private lastPaceIncreaseAt = 0;
	private readonly counters = { sent: 0, accepted: 0, rateLimited: 0 };

	constructor(options: QuotaOptions) {
		this.options = { ...options, stallLimitMs: options.stallLimitMs ?? DEFAULT_STALL_LIMIT_MS };
	}

	get stats(): QuotaStats {
		return { ...this.counters, paceMs: this.paceMs };
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
			if (this.idleSince !== undefined) {
				this.idleInCycle += this.options.clock.now() - this.idleSince;
				this.idleSince = undefined;
			}
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
			const startAt = this.probeInFlight ? Number.POSITIVE_INFINITY : Math.max(now, this.pausedUntil, this.nextStartAt);
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
				this.idleSince ??= now;
				this.pumping = false;
				return;
			}
			const recheckAt = held ? Math.max(startAt, now + ADMISSION_RECHECK_MS) : startAt;
			await this.sleepUntil(Math.min(recheckAt, this.nextExpiry()), now);
		}
	}

	private admitted(now: number): boolean {
		return this.options.admitSubmit?.(now, this.paceMs) ?? true;
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
		const probe = this.limitedSince !== undefined;
		if (probe) this.probeInFlight = true;
		this.cycleStart ??= now;
		this.counters.sent++;
		if (this.paceMs > 0) {
			this.nextStartAt = now + this.paceMs * (1 - PACE_JITTER + 2 * PACE_JITTER * this.options.random());
			// Calls are queueing at this pace: it may be too careful, so speed up a little.
			if (this.queue.length > 0 && now - this.lastPaceIncreaseAt >= this.cycleMs / 10) {
				if (this.ceilingPaceMs > 0 && now - this.ceilingSetAt >= CEILING_CYCLES * this.cycleMs) this.ceilingPaceMs = 0;
				const faster = this.paceMs * (1 - PACE_INCREASE_PER_CYCLE / 10);
				const closest = this.ceilingPaceMs * (1 + CEILING_MARGIN);
				this.paceMs = Math.max(faster, Math.min(this.paceMs, closest));
				this.lastPaceIncreaseAt = now;
			}
		}
		waiter.start({ probe, startedAt: now });
	}

	private before(a: Waiter, b: Waiter): boolean {
		if (laneRank[a.lane] !== laneRank[b.lane]) return laneRank[a.lane] < laneRank[b.lane];
		if (a.deadlineAt !== b.deadlineAt) return a.deadlineAt < b.deadlineAt;
		return a.seq < b.seq;
	}

	private stallAt(waiter: Waiter): number {
		if (Number.isFinite(waiter.deadlineAt) || this.limitedSince === undefined) return Number.POSITIVE_INFINITY;
		return Math.max(this.limitedSince, waiter.queuedAt) + this.options.stallLimitMs;
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
			const waited = now - (reason === 'stall' ? Math.max(this.limitedSince ?? now, waiter.queuedAt) : waiter.queuedAt);
			waiter.fail(new QuotaExhaustedError(reason, waiter.refusals, waited, waiter.lastError));
		}
	}

	private answered(ticket: Ticket, passed: boolean): void {
		const now = this.options.clock.now();
		if (passed) {
			this.counters.accepted++;
			this.acceptedInCycle++;
		}
		if (ticket.probe) {
			this.probeInFlight = false;
			if (passed) this.recover(now);
		}
		this.poke();
	}

	/** The first call accepted after 429s: learn the pace from the cycle that just ended. */
	private recover(now: number): void {
		const acceptedBefore = this.acceptedInCycle - 1;
		// The quota freed up somewhere between the last 429 and now (probes are 5 s or more
		// apart): count the cycle to the middle of that gap, not to the probe that found it.
		const freedAt = this.lastRefusalAt === undefined ? now : (this.lastRefusalAt + now) / 2;
		const cycle = freedAt - (this.cycleStart ?? now) - this.idleInCycle;
		// Two accepted calls are the least that says anything about the quota; with fewer (the key
		// was already spent by someone else), keep the pace and measure the next cycle.
		if (acceptedBefore >= 2 && cycle > 0) {
			const measured = cycle / acceptedBefore;
			if (this.paceMs === 0) {
				// The first cycle: calls went at full speed until the quota was spent, so this is
				// the quota itself.
				this.paceMs = measured;
				this.cycleMs = cycle;
			} else {
				// A paced cycle also counts the pause after its 429 (up to a fifth of a cycle):
				// it only says something when the quota has shrunk well below the pace (another
				// workflow started using the key), and then it wins.
				this.paceMs = Math.max(this.paceMs, measured * 0.8);
			}
		}
		this.limitedSince = undefined;
		this.cycleStart = now;
		this.idleInCycle = 0;
		if (this.idleSince !== undefined) this.idleSince = now;
		this.acceptedInCycle = 1;
		this.lastPaceIncreaseAt = now;
		this.nextStartAt = now + this.paceMs;
	}

	private refused(ticket: Ticket, retryAfterMs: number | undefined): void {
		const now = this.options.clock.now();
		this.counters.rateLimited++;
		if (this.limitedSince === undefined && this.paceMs > 0 && ticket.startedAt >= this.ceilingSetAt) {
			// A paced call met a 429: that pace is too fast for this quota.
			this.ceilingPaceMs = this.paceMs;
			this.ceilingSetAt = now;
			this.paceMs *= 1 + PACE_BACKOFF;
		}
		this.limitedSince ??= now;
		this.lastRefusalAt = now;
		if (ticket.probe) this.probeInFlight = false;
		const pause = Math.max(RATE_LIMIT_PAUSE_MS, retryAfterMs ?? 0) + Math.floor(this.options.random() * RATE_LIMIT_JITTER_MS);
		// Calls that were already on their way when the first 429 came do not push the pause further.
		if (ticket.probe || ticket.startedAt >= this.pausedUntil || this.pausedUntil <= now) {
			this.pausedUntil = Math.max(this.pausedUntil, now + pause);
		}
		this.poke();
	}
}
