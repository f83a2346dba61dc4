// One imini account shared by many executions in one process, on virtual time: the real
// AccountRegistry, QuotaScheduler, DeliveryBook, TaskPace and TaskPoller against a fake imini
// whose rate limit is a sliding window without Retry-After. No real time passes.
import { ACCOUNT_IDLE_MS, AccountRegistry, DeliveryBook, MAX_ACCOUNTS } from '../../nodes/engine/accounts';
import type { IminiAccount } from '../../nodes/engine/accounts';
import { IminiHttpError } from '../../nodes/engine/errors';
import { TaskPoller } from '../../nodes/engine/poller';
import { PACE_KEYS, PACE_MEMORY_MS, paceKey } from '../../nodes/engine/task-pace';
import type { IminiTask } from '../../nodes/imini/task';
import { VirtualClock } from '../harness/virtual-clock';

const BASE_URL = 'https://openapi.imini.ai/imini/router';
const API = new URL(BASE_URL).origin;
const IMAGE = 'google/nano-banana';
const iso = (ms: number) => new Date(ms).toISOString();

function seededRandom(seed = 7): () => number {
	let state = seed;
	return () => {
		state = (state * 1664525 + 1013904223) % 4294967296;
		return state / 4294967296;
	};
}

/** imini with a rate limit (accepted calls in any window), tasks of a fixed duration, every call logged. */
function fakeImini(clock: VirtualClock, limit: { requests: number; windowMs: number } | null, taskMs = 3_000) {
	const accepted: number[] = [];
	const log: Array<{ at: number; name: string; status: 200 | 429 }> = [];
	const created = new Map<string, number>();
	let next = 0;
	const gate = async (name: string) => {
		const at = clock.now();
		const refused = limit !== null && accepted.filter((t) => t > at - limit.windowMs).length >= limit.requests;
		log.push({ at, name, status: refused ? 429 : 200 });
		if (!refused) accepted.push(at);
		await clock.sleep(50);
		if (refused) throw new IminiHttpError(429, { code: 'RATE_LIMITED', message: 'Rate limit exceeded.' }, undefined);
	};
	const submit = async (): Promise<string> => {
		await gate('submit');
		const id = `task_${next++}`;
		created.set(id, clock.now());
		return id;
	};
	const check = async (id: string): Promise<IminiTask> => {
		await gate(`check ${id}`);
		const createdAt = created.get(id)!;
		const base = { task_id: id, model: IMAGE, created_at: iso(createdAt), request_id: 'req_1' };
		if (clock.now() < createdAt + taskMs) return { ...base, status: 'processing', completed_at: null };
		return { ...base, status: 'succeeded', completed_at: iso(createdAt + taskMs), images: [{ url: 'https://cdn/x.png', width: 1, height: 1 }] };
	};
	return { log, created, gate, submit, check };
}

/** One execution of a one-item form: submit, then wait through the account's poller and quota. */
function execution(account: IminiAccount, imini: ReturnType<typeof fakeImini>, clock: VirtualClock, signal: AbortSignal, timeoutMs = 600_000) {
	const api = account.scheduler(API);
	const poller = new TaskPoller({
		fetchTask: async (_kind, id, deadlineAt) => await api.run('delivery', async () => await imini.check(id), { deadlineAt, signal }),
		pace: account.pace,
		deliveries: account.deliveries,
		signal,
		clock,
	});
	const detach = account.attach();
	return (async () => {
		try {
			const id = await api.run('submit', imini.submit, { signal });
			const submittedAt = clock.now();
			const task = await poller.waitFor('image', id, { timeoutMs, submittedAt, model: IMAGE, body: { model: IMAGE, prompt: 'p' } });
			return { id, task, submittedAt, deliveredAt: clock.now() };
		} finally {
			detach();
		}
	})();
}

function setup(limit: { requests: number; windowMs: number } | null, taskMs?: number) {
	const clock = new VirtualClock();
	const registry = new AccountRegistry({ clock, random: seededRandom() });
	const imini = fakeImini(clock, limit, taskMs);
	return { clock, registry, imini, account: registry.account(BASE_URL, 'sk-one') };
}

describe('one account, many executions', () => {
	it('the same base URL and key is one account; another key (or base URL) is another; the key is nowhere in it', () => {
		const { registry } = setup(null);
		const a = registry.account(BASE_URL, 'sk-live-SECRET-1');
		expect(registry.account(BASE_URL, 'sk-live-SECRET-1')).toBe(a);
		expect(registry.account(BASE_URL, 'sk-live-SECRET-2')).not.toBe(a);
		expect(registry.account('http://127.0.0.1:4010', 'sk-live-SECRET-1')).not.toBe(a);
		const seen = new WeakSet();
		const dump = JSON.stringify([registry, a], (_key, value: unknown) => {
			if (value instanceof Map) return [...value.entries()];
			if (value && typeof value === 'object') {
				if (seen.has(value)) return undefined;
				seen.add(value);
			}
			return value;
		});
		expect(dump).not.toContain('SECRET');
		expect(dump).not.toContain('sk-live');
	});

	it('status checks of any execution go before new submits of any execution, earliest deadline first', async () => {
		const { clock, account, imini } = setup({ requests: 2, windowMs: 3_000 });
		const api = account.scheduler(API);
		const send = (name: string) => async () => {
			await imini.gate(name);
			return name;
		};
		const runA = new AbortController();
		const runB = new AbortController();
		const calls = [
			api.run('submit', send('A fill 1'), { signal: runA.signal }),
			api.run('submit', send('A fill 2'), { signal: runA.signal }),
			api.run('submit', send('A submit'), { signal: runA.signal }),
			api.run('submit', send('B submit'), { signal: runB.signal }),
			api.run('delivery', send('A check late'), { deadlineAt: 600_000, signal: runA.signal }),
			api.run('delivery', send('B check soon'), { deadlineAt: 300_000, signal: runB.signal }),
		];
		await clock.run();
		await Promise.all(calls);
		const order = imini.log.filter((entry) => entry.status === 200).map((entry) => entry.name);
		expect(order).toEqual(['A fill 1', 'A fill 2', 'B check soon', 'A check late', 'A submit', 'B submit']);
	});

	it("Stop removes only that execution's waiting calls; the others go on", async () => {
		const { clock, account, imini } = setup({ requests: 1, windowMs: 20_000 });
		const runA = new AbortController();
		const runB = new AbortController();
		const a = [execution(account, imini, clock, runA.signal), execution(account, imini, clock, runA.signal)].map((p) => p.catch((e: unknown) => e));
		const b = [execution(account, imini, clock, runB.signal), execution(account, imini, clock, runB.signal)];
		void clock.sleep(1_000).then(() => runA.abort(new Error('Execution canceled')));
		await clock.run();
		const [a1, a2] = await Promise.all(a);
		const [b1, b2] = await Promise.all(b);
		expect([a1, a2]).toEqual([expect.objectContaining({ message: 'Execution canceled' }), expect.objectContaining({ message: 'Execution canceled' })]);
		// A's first submit got in before the Stop (task_0); nothing of A's was sent after it.
		expect([...imini.created.keys()].sort()).toEqual(['task_0', 'task_1', 'task_2']);
		expect(imini.log.filter((entry) => entry.name === 'check task_0')).toEqual([]);
		expect([b1.id, b2.id].sort()).toEqual(['task_1', 'task_2']);
		expect([b1.task.status, b2.task.status]).toEqual(['succeeded', 'succeeded']);
		expect(account.scheduler(API).idle).toBe(true);
		expect(account.deliveries.size).toBe(0);
	});

	it('30 one-item executions at once through a tight quota: every task delivered, one submit each, a fraction of the 429s of executions pacing alone', async () => {
		const quota = { requests: 20, windowMs: 60_000 };
		const storm = async (shared: boolean) => {
			const { clock, registry, imini } = setup(quota);
			// Before: each execution learned its own pace (as if each had its own account).
			const accountOf = (i: number) => (shared ? registry.account(BASE_URL, 'sk-one') : new AccountRegistry({ clock, random: seededRandom(i) }).account(BASE_URL, 'sk-one'));
			// The automatic timeout (600 s for an image).
			const runs = Array.from({ length: 30 }, (_, i) => execution(accountOf(i), imini, clock, new AbortController().signal));
			await clock.run();
			const results = await Promise.all(runs);
			const refused = imini.log.filter((entry) => entry.status === 429).length;
			return { results, refused, created: imini.created.size, wall: clock.now(), calls: imini.log.length - refused };
		};
		const alone = await storm(false);
		const shared = await storm(true);
		expect(shared.results.map((r) => r.task.status)).toEqual(Array(30).fill('succeeded'));
		expect(shared.created).toBe(30);
		expect(new Set(shared.results.map((r) => r.id)).size).toBe(30);
		// One shared pace probes as one client does.
		expect(shared.refused).toBeLessThan(alone.refused / 3);
		expect(shared.wall).toBeLessThanOrEqual((shared.calls / quota.requests) * quota.windowMs * 1.3);
		// Once the pace was known, new submits waited for deliveries: no task waited long for its check.
		const slowest = Math.max(...shared.results.map((r) => r.deliveredAt - r.submittedAt));
		expect(slowest).toBeLessThan(Math.max(...alone.results.map((r) => r.deliveredAt - r.submittedAt)));
	});

	it('admission: a submit waits (uncharged) while the pace could not deliver the open tasks before their deadlines', () => {
		const book = new DeliveryBook();
		expect(book.admits(0, 3_000)).toBe(true);
		const closers = Array.from({ length: 5 }, (_, i) => book.open(30_000 + i));
		// Pace 3 s (twice that kept in hand): the submit and five checks need 36 s, the last deadline is 30 s away.
		expect(book.admits(0, 3_000)).toBe(false);
		// At full speed (no 429 seen yet) nothing is held back.
		expect(book.admits(0, 0)).toBe(true);
		closers[0]();
		closers[1]();
		expect(book.admits(0, 3_000)).toBe(true);
		// A deadline already passed is no reason to wait.
		expect(book.admits(40_000, 3_000)).toBe(true);
		closers[0]();
		expect(book.size).toBe(3);
	});

	it('admission in the scheduler: with the pace learned, submits beyond what can be delivered wait for deliveries', async () => {
		const quota = { requests: 10, windowMs: 30_000 };
		const { clock, account, imini } = setup(quota, 5_000);
		// Learn the pace with a first wave, then a storm of one-item runs with a short deadline each.
		const wave = Array.from({ length: 12 }, () => execution(account, imini, clock, new AbortController().signal, 300_000));
		await clock.run();
		await Promise.all(wave);
		expect(account.scheduler(API).stats.paceMs).toBeGreaterThan(0);
		const before = imini.log.length;
		const storm = Array.from({ length: 20 }, () => execution(account, imini, clock, new AbortController().signal, 60_000));
		let maxOpen = 0;
		const watch = (async () => {
			while (account.deliveries.size > 0 || maxOpen === 0) {
				maxOpen = Math.max(maxOpen, account.deliveries.size);
				await clock.sleep(500);
				if (clock.now() > 3_600_000) break;
			}
		})();
		await clock.run();
		const results = await Promise.all(storm);
		await watch;
		// Fewer tasks existed at once than the storm asked for, and none missed its 60 s deadline.
		expect(maxOpen).toBeLessThan(20);
		for (const r of results) expect(r.deliveredAt - r.submittedAt).toBeLessThanOrEqual(60_000);
		expect(imini.log.slice(before).filter((entry) => entry.name === 'submit' && entry.status === 200)).toHaveLength(20);
	});

	it('what one execution learned about task durations serves the next: a lone task is then seen within 2 s of finishing', async () => {
		// 40 s: slower than the catalog's estimate for an image (10-30 s), so the first run is late to see it.
		const { clock, account, imini } = setup(null, 40_000);
		const lateBy = async () => {
			const [run] = await Promise.all([execution(account, imini, clock, new AbortController().signal), clock.run()]);
			const checks = imini.log.filter((entry) => entry.name === `check ${run.id}`).length;
			return { late: run.deliveredAt - run.submittedAt - 40_000, checks };
		};
		const first = await lateBy();
		const second = await lateBy();
		const third = await lateBy();
		expect(first.late).toBeGreaterThan(2_050);
		for (const next of [second, third]) {
			expect(next.late).toBeLessThanOrEqual(2_050);
			expect(next.checks).toBeLessThanOrEqual(first.checks + 1);
		}
		const key = paceKey(IMAGE, { model: IMAGE, prompt: 'p' });
		expect(account.pace.window(key, IMAGE)).toMatchObject({ learned: true });
		// Old observations fade: half an hour later the model's catalog estimate applies again.
		await Promise.all([clock.sleep(PACE_MEMORY_MS + 1), clock.run()]);
		expect(account.pace.window(key, IMAGE)).toMatchObject({ learned: false });
	});

	it('a longer deadline costs no more status checks', async () => {
		const checksWith = async (timeoutMs: number) => {
			const { clock, account, imini } = setup(null, 25_000);
			await Promise.all([execution(account, imini, clock, new AbortController().signal, timeoutMs), clock.run()]);
			return imini.log.filter((entry) => entry.name.startsWith('check')).map((entry) => entry.at);
		};
		expect(await checksWith(1_800_000)).toEqual(await checksWith(120_000));
	});

	it('idle accounts are forgotten; one in use is kept', async () => {
		const { clock, registry } = setup(null);
		const busy = registry.account(BASE_URL, 'sk-busy');
		const detach = busy.attach();
		const idle = registry.account(BASE_URL, 'sk-idle');
		await Promise.all([clock.sleep(ACCOUNT_IDLE_MS + 1), clock.run()]);
		expect(registry.account(BASE_URL, 'sk-idle')).not.toBe(idle);
		expect(registry.account(BASE_URL, 'sk-busy')).toBe(busy);
		detach();
	});

	it('memory stays bounded: thousands of keys, thousands of executions, hundreds of model settings', async () => {
		const { clock, registry } = setup(null);
		for (let i = 0; i < 5_000; i++) registry.account(BASE_URL, `sk-${i}`);
		expect(registry.size).toBeLessThanOrEqual(MAX_ACCOUNTS);

		const account = registry.account(BASE_URL, 'sk-many');
		const imini = fakeImini(clock, null, 1_000);
		for (let wave = 0; wave < 20; wave++) {
			const runs = Array.from({ length: 100 }, () => execution(account, imini, clock, new AbortController().signal));
			await Promise.all([Promise.all(runs), clock.run()]);
		}
		expect(imini.created.size).toBe(2_000);
		expect(account.scheduler(API).idle).toBe(true);
		expect(account.deliveries.size).toBe(0);
		expect(account.idle).toBe(true);

		const settled = { task_id: 't', model: IMAGE, status: 'succeeded', created_at: iso(0), completed_at: iso(1_000), request_id: 'r' } as IminiTask;
		for (let i = 0; i < 500; i++) account.pace.learn(paceKey(IMAGE, { resolution: `${i}K` }), settled);
		expect(account.pace.size).toBeLessThanOrEqual(PACE_KEYS);
	});
});
