// How fast an account may call imini, learned from its 429s (quota.ts explains the policy):
// the spacing between call starts, the pause after a 429, the single probe that follows it,
// and the cycles the pace is measured from. It decides WHEN the next call may start; quota.ts
// decides WHICH call that is.
import type { Clock } from './clock';

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

/** A call on its way: whether it probes a 429 pause, and when it started. */
export type Ticket = { probe: boolean; startedAt: number };

export class RatePace {
	private readonly clock: Clock;
	private readonly random: () => number;
	/** Spacing between call starts; 0 is full speed. */
	private pace = 0;
	private cycleMs = 0;
	/** A spacing that met a 429 (0: none): the pace stays just slower than this. */
	private ceilingPaceMs = 0;
	private ceilingSetAt = 0;
	private nextStartAt = 0;
	private pausedUntil = 0;
	/** Set from the first 429 until a call is accepted again. */
	private limitedFrom: number | undefined;
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

	constructor(clock: Clock, random: () => number) {
		this.clock = clock;
		this.random = random;
	}

	/** Spacing between call starts; 0 is full speed. */
	get paceMs(): number {
		return this.pace;
	}

	/** Since when every call has been refused (undefined: the last answer passed). */
	get limitedSince(): number | undefined {
		return this.limitedFrom;
	}

	/** The earliest a call may start (infinite while a probe is out). */
	startAt(now: number): number {
		return this.probeInFlight ? Number.POSITIVE_INFINITY : Math.max(now, this.pausedUntil, this.nextStartAt);
	}

	/** Nobody wants to call from `now` on. */
	idle(now: number): void {
		this.idleSince ??= now;
	}

	/** Someone wants to call again. */
	busy(): void {
		if (this.idleSince !== undefined) {
			this.idleInCycle += this.clock.now() - this.idleSince;
			this.idleSince = undefined;
		}
	}

	/** A call starts now; `queueing`: others are waiting behind it. */
	started(now: number, queueing: boolean): Ticket {
		const probe = this.limitedFrom !== undefined;
		if (probe) this.probeInFlight = true;
		this.cycleStart ??= now;
		if (this.pace > 0) {
			this.nextStartAt = now + this.pace * (1 - PACE_JITTER + 2 * PACE_JITTER * this.random());
			// Calls are queueing at this pace: it may be too careful, so speed up a little.
			if (queueing && now - this.lastPaceIncreaseAt >= this.cycleMs / 10) {
				if (this.ceilingPaceMs > 0 && now - this.ceilingSetAt >= CEILING_CYCLES * this.cycleMs) this.ceilingPaceMs = 0;
				const faster = this.pace * (1 - PACE_INCREASE_PER_CYCLE / 10);
				const closest = this.ceilingPaceMs * (1 + CEILING_MARGIN);
				this.pace = Math.max(faster, Math.min(this.pace, closest));
				this.lastPaceIncreaseAt = now;
			}
		}
		return { probe, startedAt: now };
	}

	/** The call was answered: `passed` when the answer got past the rate limiter. */
	answered(ticket: Ticket, passed: boolean): void {
		const now = this.clock.now();
		if (passed) this.acceptedInCycle++;
		if (ticket.probe) {
			this.probeInFlight = false;
			if (passed) this.recover(now);
		}
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
			if (this.pace === 0) {
				// The first cycle: calls went at full speed until the quota was spent, so this is
				// the quota itself.
				this.pace = measured;
				this.cycleMs = cycle;
			} else {
				// A paced cycle also counts the pause after its 429 (up to a fifth of a cycle):
				// it only says something when the quota has shrunk well below the pace (another
				// workflow started using the key), and then it wins.
				this.pace = Math.max(this.pace, measured * 0.8);
			}
		}
		this.limitedFrom = undefined;
		this.cycleStart = now;
		this.idleInCycle = 0;
		if (this.idleSince !== undefined) this.idleSince = now;
		this.acceptedInCycle = 1;
		this.lastPaceIncreaseAt = now;
		this.nextStartAt = now + this.pace;
	}

	/** The call met a 429: pause, and mark the pace it came at as too fast. */
	refused(ticket: Ticket, retryAfterMs: number | undefined): void {
		const now = this.clock.now();
		if (this.limitedFrom === undefined && this.pace > 0 && ticket.startedAt >= this.ceilingSetAt) {
			// A paced call met a 429: that pace is too fast for this quota.
			this.ceilingPaceMs = this.pace;
			this.ceilingSetAt = now;
			this.pace *= 1 + PACE_BACKOFF;
		}
		this.limitedFrom ??= now;
		this.lastRefusalAt = now;
		if (ticket.probe) this.probeInFlight = false;
		const pause = Math.max(RATE_LIMIT_PAUSE_MS, retryAfterMs ?? 0) + Math.floor(this.random() * RATE_LIMIT_JITTER_MS);
		// Calls that were already on their way when the first 429 came do not push the pause further.
		if (ticket.probe || ticket.startedAt >= this.pausedUntil || this.pausedUntil <= now) {
			this.pausedUntil = Math.max(this.pausedUntil, now + pause);
		}
	}
}
