// The quota scheduler on virtual time, against a fake imini whose rate limit is a sliding
// window and whose 429s carry no Retry-After (as imini documents it). No real time passes.
import { IminiHttpError, QuotaExhaustedError } from '../../nodes/engine/errors';
import { QuotaScheduler } from '../../nodes/engine/quota';
import { PACE_JITTER, RATE_LIMIT_JITTER_MS, RATE_LIMIT_PAUSE_MS } from '../../nodes/engine/rate-pace';
import type { QuotaLane } from '../../nodes/engine/quota';
import { VirtualClock } from '../harness/virtual-clock';

/** A seeded generator, so runs are reproducible but the jitter is real. */
function seededRandom(seed = 42): () => number {
	let state = seed;
	return () => {
		state = (state * 1664525 + 1013904223) % 4294967296;
		return state / 4294967296;
	};
}

type Limit = { requests: number; windowMs: number; retryAfterMs?: number } | null;

/** imini's rate limiter: at most `requests` accepted calls in any `windowMs`; a call takes 50 ms. */
function fakeImini(clock: VirtualClock, limit: { current: Limit }, paceMs: () => number) {
	const accepted: number[] = [];
	/** Every call as imini saw it, with the scheduler's pace when it went out. */
	const log: Array<{ at: number; name: string; status: 200 | 429; paceMs: number }> = [];
	const send = (name: string) => async () => {
		const at = clock.now();
		const current = limit.current;
		const recent = current ? accepted.filter((t) => t > at - current.windowMs).length : 0;
		const refused = current !== null && recent >= current.requests;
		log.push({ at, name, status: refused ? 429 : 200, paceMs: paceMs() });
		if (!refused) accepted.push(at);
		await clock.sleep(50);
		if (refused) throw new IminiHttpError(429, { code: 'RATE_LIMITED', message: 'Rate limit exceeded.' }, current?.retryAfterMs);
		return name;
	};
	return { send, log, accepted };
}

function setup(limit: Limit, options: { random?: () => number; stallLimitMs?: number; signal?: AbortSignal } = {}) {
	const clock = new VirtualClock();
	const limitRef = { current: limit };
	const scheduler = new QuotaScheduler({ clock, random: options.random ?? seededRandom(), stallLimitMs: options.stallLimitMs });
	const imini = fakeImini(clock, limitRef, () => scheduler.stats.paceMs);
	const done: Array<{ name: string; at: number }> = [];
	const call = (lane: QuotaLane, name: string, deadlineAt?: number) =>
		scheduler.run(lane, imini.send(name), { deadlineAt, signal: options.signal }).then((value) => {
			done.push({ name: value, at: clock.now() });
			return value;
		});
	return { clock, scheduler, imini, done, call, limit: limitRef };
}

/** `callers` loops that each make their calls one after the other, as a node run's items and poller do. */
async function load(call: (lane: QuotaLane, name: string) => Promise<string>, total: number, callers = 10): Promise<void> {
	let next = 0;
	await Promise.all(
		Array.from({ length: callers }, async () => {
			while (next < total) {
				const i = next++;
				await call(i % 3 ? 'delivery' : 'submit', `c${i}`);
			}
		}),
	);
}

const accepted = <T extends { status: number }>(log: T[]): T[] => log.filter((entry) => entry.status === 200);

describe('the quota scheduler', () => {
	it('goes at full speed while imini accepts everything', async () => {
		const { clock, call, imini } = setup(null);
		const calls = Array.from({ length: 20 }, (_, i) => call(i % 2 ? 'submit' : 'delivery', `c${i}`));
		await clock.run();
		await Promise.all(calls);
		expect(imini.log.map((entry) => entry.at)).toEqual(Array(20).fill(0));
	});

	it('after a 429, waits at least 5 s (plus at most 2.5 s of jitter) before the next call, then probes one at a time', async () => {
		for (const r of [0, 0.5, 0.9999]) {
			const { clock, call, imini } = setup({ requests: 3, windowMs: 4_000 }, { random: () => r });
			const calls = Array.from({ length: 6 }, (_, i) => call('delivery', `c${i}`));
			await clock.run();
			await Promise.all(calls);
			const firstRefusal = imini.log.find((entry) => entry.status === 429)!;
			const after = imini.log.filter((entry) => entry.at > firstRefusal.at);
			const pause = after[0].at - (firstRefusal.at + 50);
			expect(pause).toBeGreaterThanOrEqual(RATE_LIMIT_PAUSE_MS);
			expect(pause).toBeLessThan(RATE_LIMIT_PAUSE_MS + RATE_LIMIT_JITTER_MS);
			expect(pause).toBe(RATE_LIMIT_PAUSE_MS + Math.floor(r * RATE_LIMIT_JITTER_MS));
			// The probe goes alone: the next call starts only once it is answered.
			expect(after[1].at).toBeGreaterThanOrEqual(after[0].at + 50);
		}
	});

	it('honours a Retry-After longer than 5 s', async () => {
		const { clock, call, imini } = setup({ requests: 1, windowMs: 20_000, retryAfterMs: 20_000 }, { random: () => 0 });
		const calls = [call('submit', 'a'), call('submit', 'b')];
		await clock.run();
		await Promise.all(calls);
		expect(imini.log.map((entry) => [entry.at, entry.status])).toEqual([
			[0, 200],
			[0, 429],
			[20_050, 200],
		]);
	});

	it('a refused call is not an error: every call is answered once, none twice, nothing lost', async () => {
		const { clock, call, imini, done } = setup({ requests: 5, windowMs: 10_000 });
		const calls = Array.from({ length: 40 }, (_, i) => call(i % 3 ? 'delivery' : 'submit', `c${i}`));
		await clock.run();
		expect(await Promise.all(calls)).toHaveLength(40);
		expect(new Set(done.map((d) => d.name)).size).toBe(40);
		expect(accepted(imini.log)).toHaveLength(40);
		expect(imini.log.length).toBeGreaterThan(40);
	});

	it('sends status checks and downloads before new submits, earliest deadline first', async () => {
		const { clock, call, imini } = setup({ requests: 2, windowMs: 3_000 });
		const calls = [
			call('submit', 'fill-1'),
			call('submit', 'fill-2'),
			call('submit', 'submit-1'),
			call('submit', 'submit-2'),
			call('delivery', 'poll-late', 600_000),
			call('delivery', 'download'),
			call('delivery', 'poll-soon', 300_000),
		];
		await clock.run();
		await Promise.all(calls);
		const order = accepted(imini.log).map((entry) => entry.name);
		expect(order.slice(0, 2)).toEqual(['fill-1', 'fill-2']);
		expect(order.slice(2)).toEqual(['poll-soon', 'poll-late', 'download', 'submit-1', 'submit-2']);
	});

	it('learns a pace from the first cycle and then stays under the quota: few 429s, close to the quota bound', async () => {
		const requests = 20;
		const windowMs = 60_000;
		const total = 200;
		const { clock, call, imini, scheduler } = setup({ requests, windowMs });
		const run = load(call, total);
		await clock.run();
		await run;
		const bound = (total / requests) * windowMs;
		const wall = clock.now();
		const refused = imini.log.length - total;
		expect(wall).toBeGreaterThanOrEqual(bound - windowMs);
		expect(wall).toBeLessThanOrEqual(bound * 1.2);
		// The first burst meets the limit with every caller at once; after that, a 429 now and
		// then as the pace probes upwards.
		expect(refused).toBeLessThan(total / 4);
		expect(scheduler.stats.paceMs).toBeGreaterThan(0.7 * (windowMs / requests));
		expect(scheduler.stats).toMatchObject({ accepted: total, rateLimited: refused });
	});

	it('a long run at the quota costs a pause now and then, not one per window', async () => {
		const requests = 20;
		const windowMs = 60_000;
		const total = 600;
		const { clock, call, imini } = setup({ requests, windowMs });
		const run = load(call, total);
		await clock.run();
		await run;
		// An episode: 429s until a call is accepted again. The first one ends the first window.
		let episodes = 0;
		for (let i = 1; i < imini.log.length; i++) if (imini.log[i].status === 429 && imini.log[i - 1].status === 200) episodes++;
		const windows = clock.now() / windowMs;
		expect(windows).toBeGreaterThan(29);
		// Once the pace has met a 429 it stays just below it, and tries faster again only after
		// five windows without one: about one pause per five windows, plus the first.
		expect(episodes).toBeLessThanOrEqual(1 + windows / 4);
		expect(clock.now()).toBeLessThanOrEqual((total / requests) * windowMs * 1.1);
	});

	it('spaces calls at the learned pace with ±10 % jitter', async () => {
		const { clock, call, imini } = setup({ requests: 10, windowMs: 10_000 });
		const run = load(call, 150);
		await clock.run();
		await run;
		// Two calls in a row that imini accepted, the first not a probe (no 429 just before it):
		// the gap is the pace when the first went out, ±10 % (the pace may shrink 1 % per step).
		const gaps: Array<{ gap: number; paceMs: number }> = [];
		for (let i = 2; i < imini.log.length; i++) {
			const [before, first, second] = imini.log.slice(i - 2, i + 1);
			if (before.status === 200 && first.status === 200 && second.status === 200 && first.paceMs > 0) {
				gaps.push({ gap: second.at - first.at, paceMs: first.paceMs });
			}
		}
		expect(gaps.length).toBeGreaterThan(50);
		for (const { gap, paceMs } of gaps) {
			expect(gap).toBeGreaterThanOrEqual(paceMs * (1 - PACE_JITTER) * 0.99);
			expect(gap).toBeLessThanOrEqual((paceMs / 0.99) * (1 + PACE_JITTER));
		}
		// Jitter, not a fixed beat: the gaps differ, and spread over most of the ±10 %.
		const ratios = gaps.map(({ gap, paceMs }) => gap / paceMs);
		expect(new Set(ratios.map((r) => r.toFixed(3))).size).toBeGreaterThan(gaps.length / 2);
		expect(Math.max(...ratios) - Math.min(...ratios)).toBeGreaterThan(PACE_JITTER * 1.5);
	});

	it('recovers: once the quota is raised, the pace keeps speeding up, without a 429', async () => {
		const { clock, call, scheduler, limit, imini } = setup({ requests: 10, windowMs: 10_000 });
		const first = load(call, 40);
		await clock.run();
		await first;
		const learned = scheduler.stats.paceMs;
		limit.current = null;
		const startedAt = clock.now();
		const second = load((lane, name) => call(lane, `b${name}`), 200);
		await clock.run();
		await second;
		expect(scheduler.stats.paceMs).toBeLessThan(learned * 0.6);
		expect(clock.now() - startedAt).toBeLessThan(200 * learned * 0.8);
		expect(imini.log.filter((entry) => entry.name.startsWith('b') && entry.status === 429)).toHaveLength(0);
	});

	it('time nobody wanted to call does not count: after an hour idle, a 429 leaves the pace about where it was', async () => {
		const { clock, call, scheduler, imini } = setup({ requests: 10, windowMs: 10_000 });
		const first = load(call, 60);
		await clock.run();
		await first;
		const learned = scheduler.stats.paceMs;
		expect(learned).toBeGreaterThan(0);
		// An hour later another client (a second worker on the key) has just spent the window.
		await Promise.all([clock.sleep(3_600_000), clock.run()]);
		for (let i = 0; i < 10; i++) imini.accepted.push(clock.now());
		const startedAt = clock.now();
		const second = load((lane, name) => call(lane, `b${name}`), 40);
		await clock.run();
		await second;
		// The wait for the other client's window counts (the quota was smaller then); the idle hour does not.
		expect(scheduler.stats.paceMs).toBeLessThan(learned * 3);
		expect(clock.now() - startedAt).toBeLessThan(((40 + 10) / 10) * 10_000 * 1.6);
	});

	it('a call with a deadline gives up at its deadline, not before, and says how often it was refused', async () => {
		const { clock, call, imini } = setup({ requests: 1, windowMs: 600_000 }, { random: () => 0 });
		const calls = [call('delivery', 'first'), call('delivery', 'late', 30_000).catch((error: unknown) => error)];
		await clock.run();
		const [, late] = await Promise.all(calls);
		expect(late).toBeInstanceOf(QuotaExhaustedError);
		expect(late).toMatchObject({ reason: 'deadline', waitedMs: 30_000 });
		expect((late as QuotaExhaustedError).refusals).toBe(imini.log.filter((entry) => entry.status === 429).length);
		expect(clock.now()).toBe(30_000);
	});

	it('a call without a deadline (a submit) waits through a long limit, and gives up only when every call was refused for the stall limit', async () => {
		const patient = setup({ requests: 1, windowMs: 240_000 }, { stallLimitMs: 300_000 });
		const ok = [patient.call('submit', 'first'), patient.call('submit', 'second')];
		await patient.clock.run();
		expect(await Promise.all(ok)).toEqual(['first', 'second']);

		const stalled = setup({ requests: 1, windowMs: 3_600_000 }, { stallLimitMs: 300_000 });
		const calls = [stalled.call('submit', 'first'), stalled.call('submit', 'never').catch((error: unknown) => error)];
		await stalled.clock.run();
		const [, never] = await Promise.all(calls);
		expect(never).toMatchObject({ name: 'QuotaExhaustedError', reason: 'stall', waitedMs: 300_000 });
	});

	it('the Stop button ends every wait at once', async () => {
		const stop = new AbortController();
		const { clock, call } = setup({ requests: 1, windowMs: 60_000 }, { signal: stop.signal });
		const calls = [call('submit', 'a'), call('submit', 'b').catch((error: unknown) => error), call('delivery', 'c').catch((error: unknown) => error)];
		void clock.sleep(1_000).then(() => stop.abort(new Error('canceled')));
		await clock.run();
		const [, b, c] = await Promise.all(calls);
		expect(b).toMatchObject({ message: 'canceled' });
		expect(c).toMatchObject({ message: 'canceled' });
		expect(clock.now()).toBeLessThan(5_000);
	});
});
