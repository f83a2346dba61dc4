// One imini account as this n8n process sees it, shared by every execution that uses it: forms,
// webhooks, agents' tool calls and the executions a queue-mode worker runs side by side all
// draw on the same rate quota, so they share one pace and one queue (quota.ts), one memory of
// how long tasks take (task-pace.ts), and one book of the tasks still to be delivered, which
// decides when a new submit may spend a credit.
//
// An account is named by a fingerprint of its base URL and key (a salted hash that never leaves
// this process), never by the key. Nothing of one execution's stays behind in it: a run's
// waiting calls leave the queue with its signal, its open tasks leave the book as they settle,
// and an account nobody has used for a while is forgotten.
import { createHash, randomBytes } from 'crypto';
import type { Clock } from './clock';
import { QuotaScheduler } from './quota';
import { TaskPace } from './task-pace';

/** An account nobody used for this long is forgotten (its learned pace with it). */
export const ACCOUNT_IDLE_MS = 30 * 60_000;
/** At most this many accounts are remembered; the least recently used idle ones go first. */
export const MAX_ACCOUNTS = 64;
/**
 * Admission counts every open task as this many calls at the current pace: a status check may
 * meet a 429 and wait 5 s, and a task often needs a second check.
 */
const DELIVERY_SAFETY = 2;

export type AccountEnvironment = { clock: Clock; random: () => number };

/**
 * Tasks created and still to be delivered, by deadline. A submit is admitted when, with its own
 * call and one call per open task ahead of it at the current pace, every open task could still
 * get a status check before its deadline (earliest deadline first, as the queue serves them).
 */
export class DeliveryBook {
	private readonly deadlines = new Map<number, number>();
	private next = 0;
	private readonly changed: () => void;

	constructor(changed: () => void = () => undefined) {
		this.changed = changed;
	}

	/** A task to deliver by `deadlineAt`; the returned function closes it (settled, timed out, run gone). */
	open(deadlineAt: number): () => void {
		const id = this.next++;
		this.deadlines.set(id, deadlineAt);
		let closed = false;
		return () => {
			if (closed) return;
			closed = true;
			this.deadlines.delete(id);
			this.changed();
		};
	}

	get size(): number {
		return this.deadlines.size;
	}

	admits(now: number, paceMs: number): boolean {
		if (paceMs <= 0 || this.deadlines.size === 0) return true;
		const slot = paceMs * DELIVERY_SAFETY;
		const sorted = [...this.deadlines.values()].filter((at) => Number.isFinite(at)).sort((a, b) => a - b);
		// The submit takes the next slot; open task i then gets slot i + 2 at the earliest.
		return sorted.every((deadlineAt, i) => deadlineAt < now || now + (i + 2) * slot <= deadlineAt);
	}
}

export class IminiAccount {
	/** How long tasks took, for every execution of this account (per model and settings). */
	readonly pace: TaskPace;
	readonly deliveries: DeliveryBook;
	private readonly schedulers = new Map<string, QuotaScheduler>();
	private readonly env: AccountEnvironment;
	private readonly apiOrigin: string;
	private runs = 0;
	lastUsedAt: number;

	constructor(apiOrigin: string, env: AccountEnvironment) {
		this.env = env;
		this.apiOrigin = apiOrigin;
		this.pace = new TaskPace({ now: env.clock.now });
		this.deliveries = new DeliveryBook(() => this.schedulers.get(this.apiOrigin)?.reconsider());
		this.lastUsedAt = env.clock.now();
	}

	/**
	 * The pace for calls to `origin`: imini's API (where admission applies), or a host its result
	 * files come from (its CDN is paced on its own should it ever answer 429).
	 */
	scheduler(origin: string): QuotaScheduler {
		let scheduler = this.schedulers.get(origin);
		if (!scheduler) {
			scheduler = new QuotaScheduler({
				clock: this.env.clock,
				random: this.env.random,
				admitSubmit: origin === this.apiOrigin ? (now, paceMs) => this.deliveries.admits(now, paceMs) : undefined,
			});
			this.schedulers.set(origin, scheduler);
		}
		return scheduler;
	}

	/** A node run starts using the account; call the returned function when it ends. */
	attach(): () => void {
		this.runs++;
		this.lastUsedAt = this.env.clock.now();
		let detached = false;
		return () => {
			if (detached) return;
			detached = true;
			this.runs--;
			this.lastUsedAt = this.env.clock.now();
		};
	}

	/** No run is using it and no call of anyone's is waiting. */
	get idle(): boolean {
		return this.runs === 0 && this.deliveries.size === 0 && [...this.schedulers.values()].every((s) => s.idle);
	}
}

/** A malformed Base URL fails on the first call, with that call's own error. */
function originOf(baseUrl: string): string {
	try {
		return new URL(baseUrl).origin;
	} catch {
		return baseUrl;
	}
}

/** The accounts of this process, by fingerprint; bounded, idle ones forgotten. */
export class AccountRegistry {
	private readonly accounts = new Map<string, IminiAccount>();
	private readonly env: AccountEnvironment;
	private readonly salt = randomBytes(16);

	constructor(env: AccountEnvironment) {
		this.env = env;
	}

	/** The account behind this base URL and key (created on first use). */
	account(baseUrl: string, apiKey: string): IminiAccount {
		const id = this.fingerprint(baseUrl, apiKey);
		this.evict();
		let account = this.accounts.get(id);
		if (account) {
			// Most recently used last: the map's order is the eviction order.
			this.accounts.delete(id);
		} else {
			account = new IminiAccount(originOf(baseUrl), this.env);
		}
		this.accounts.set(id, account);
		account.lastUsedAt = this.env.clock.now();
		return account;
	}

	get size(): number {
		return this.accounts.size;
	}

	/** Forgets every account no run is using (what a fresh process would know). */
	forgetIdle(): void {
		for (const [id, account] of this.accounts) if (account.idle) this.accounts.delete(id);
	}

	/** A salted hash: equal for equal keys within this process, and tells nothing about the key. */
	private fingerprint(baseUrl: string, apiKey: string): string {
		return createHash('sha256').update(this.salt).update(baseUrl).update('\0').update(apiKey).digest('base64url');
	}

	private evict(): void {
		const now = this.env.clock.now();
		let excess = this.accounts.size - MAX_ACCOUNTS + 1;
		for (const [id, account] of this.accounts) {
			if (!account.idle) continue;
			if (now - account.lastUsedAt >= ACCOUNT_IDLE_MS || excess > 0) {
				this.accounts.delete(id);
				excess--;
			}
		}
	}
}
