// The learning poller on virtual time: the real TaskPoller and TaskPace, a fake imini whose tasks
// report `created_at` / `completed_at` as imini's do, and every check recorded.
import { TaskPoller } from '../../nodes/engine/poller';
import type { PollerOptions, WaitOptions } from '../../nodes/engine/poller';
import { TaskTimeoutError } from '../../nodes/engine/errors';
import { MIN_CHECK_INTERVAL_MS, paceKey, TaskPace } from '../../nodes/engine/task-pace';
import type { IminiTask } from '../../nodes/imini/task';
import { VirtualClock } from '../harness/virtual-clock';

const IMAGE = 'google/nano-banana';
const iso = (ms: number) => new Date(ms).toISOString();

type FakeTask = { createdAt: number; durationMs: number; model: string; failed?: boolean };

/** imini on a virtual clock: each check answers the task as it is at that moment, and is recorded. */
function fakeImini(clock: VirtualClock, answerTakesMs = 0) {
	const tasks = new Map<string, FakeTask>();
	const checks: Array<{ id: string; at: number }> = [];
	const fetchTask = async (_kind: 'image' | 'video', id: string): Promise<IminiTask> => {
		if (answerTakesMs) await clock.sleep(answerTakesMs);
		checks.push({ id, at: clock.now() });
		const task = tasks.get(id)!;
		const done = clock.now() >= task.createdAt + task.durationMs;
		const base = { task_id: id, model: task.model, created_at: iso(task.createdAt), request_id: 'req_1' };
		if (!done) return { ...base, status: 'processing', completed_at: null };
		const completed_at = iso(task.createdAt + task.durationMs);
		if (task.failed) return { ...base, status: 'failed', completed_at, error: { code: 'X', message: 'no' } };
		return { ...base, status: 'succeeded', completed_at, images: [{ url: 'https://x/y.png', width: 1, height: 1 }] };
	};
	const checksOf = (id: string) => checks.filter((c) => c.id === id).map((c) => c.at);
	/** When each task was first seen finished, minus when it finished. */
	const delays = () => [...tasks].map(([id, task]) => checksOf(id).find((at) => at >= task.createdAt + task.durationMs)! - (task.createdAt + task.durationMs));
	return { tasks, checks, checksOf, delays, fetchTask };
}

function setup(options: Partial<PollerOptions> = {}, answerTakesMs = 0) {
	const clock = new VirtualClock();
	const imini = fakeImini(clock, answerTakesMs);
	const poller = new TaskPoller({ fetchTask: imini.fetchTask, clock, pace: new TaskPace(), ...options });
	/** Submits task `id` now (Imini Generate: model and body known) and waits for it. */
	const submit = (id: string, durationMs: number, wait: Partial<WaitOptions> = {}, model = IMAGE) => {
		imini.tasks.set(id, { createdAt: clock.now(), durationMs, model });
		return poller.waitFor('image', id, { timeoutMs: 120_000, submittedAt: clock.now(), model, ...wait });
	};
	return { clock, imini, poller, submit };
}

const gaps = (times: number[]) => times.slice(1).map((at, i) => at - times[i]);

describe('TaskPace', () => {
	it("learns from successes only, by imini's own timestamps", () => {
		const pace = new TaskPace();
		const task = (status: 'succeeded' | 'failed', seconds: number) =>
			({ task_id: 't', model: IMAGE, status, created_at: iso(0), completed_at: iso(seconds * 1000), request_id: 'r' }) as IminiTask;
		expect(pace.learn(IMAGE, task('failed', 1))).toBe(false);
		expect(pace.window(IMAGE, IMAGE)).toEqual({ lowMs: 10_000, highMs: 30_000, learned: false });
		expect(pace.learn(IMAGE, task('succeeded', 40))).toBe(true);
		expect(pace.window(IMAGE, IMAGE)).toMatchObject({ learned: true, lowMs: 32_000 });
		expect(pace.window('some/new-model', 'some/new-model')).toBeUndefined();
	});

	it('keeps tasks apart whose settings change how long they take', () => {
		expect(paceKey('openai/gpt-image-2', { prompt: 'a', resolution: '4K', quality: 'high' })).toBe('openai/gpt-image-2 resolution=4K quality=high');
		expect(paceKey('openai/gpt-image-2', { prompt: 'b', resolution: '4K', quality: 'high', aspect_ratio: '1:1' })).toBe(
			paceKey('openai/gpt-image-2', { prompt: 'a', resolution: '4K', quality: 'high' }),
		);
		expect(paceKey('openai/gpt-image-2', { resolution: '1K' })).not.toBe(paceKey('openai/gpt-image-2', { resolution: '4K' }));
	});
});

describe('the learning poller', () => {
	it('checks the siblings of a finished task every 2 s around its duration, and notices those still running within 2 s', async () => {
		const { clock, imini, submit } = setup();
		const durations = [40, 42, 44, 46, 48, 50, 52, 54].map((s) => s * 1000);
		const waits = durations.map((ms, i) => submit(`t${i}`, ms));
		await clock.run();
		await Promise.all(waits);
		// Once t0 was seen finished, nobody waits more than 2 s between checks until seen.
		const learnedAt = imini.checksOf('t0').at(-1)!;
		const stillRunning = durations.map((ms, i) => (ms > learnedAt ? i : -1)).filter((i) => i > 0);
		expect(stillRunning.length).toBeGreaterThanOrEqual(3);
		for (const i of stillRunning) expect(imini.delays()[i]).toBeLessThanOrEqual(MIN_CHECK_INTERVAL_MS);
		for (let i = 1; i < durations.length; i++) {
			for (const gap of gaps(imini.checksOf(`t${i}`).filter((at) => at > learnedAt))) expect(gap).toBe(MIN_CHECK_INTERVAL_MS);
		}
		// Fewer checks than imini's fixed schedule (2, 4, 7, 12, then every 5 s) would have made.
		const fixed = durations.map((ms) => 4 + Math.ceil((ms - 12_000) / 5000));
		expect(imini.checks.length).toBeLessThan(fixed.reduce((a, b) => a + b));
	});

	it('starts a later task of the same kind right at the learned duration, with few checks before', async () => {
		const { clock, imini, submit } = setup();
		const first = submit('first', 40_000);
		await clock.run();
		await first;
		const start = clock.now();
		const later = submit('later', 41_000);
		await clock.run();
		await later;
		const ages = imini.checksOf('later').map((at) => at - start);
		// Half-way to the window's start (80 % of 40 s), then its start, then every 2 s.
		expect(ages).toEqual([16_000, 32_000, 34_000, 36_000, 38_000, 40_000, 42_000]);
	});

	it("does not pace a task by tasks of other settings: a 4K task keeps the catalog's estimate", async () => {
		const { clock, imini, submit } = setup();
		const oneK = submit('1k', 8000, { body: { resolution: '1K' } }, 'google/nano-banana-pro');
		const fourK = submit('4k', 60_000, { body: { resolution: '4K' } }, 'google/nano-banana-pro');
		await clock.run();
		await Promise.all([oneK, fourK]);
		const after1k = imini.checksOf('4k').filter((at) => at > imini.checksOf('1k').at(-1)!);
		expect(Math.min(...gaps(after1k))).toBeGreaterThan(MIN_CHECK_INTERVAL_MS);
	});

	it("starts from the catalog's estimate: a lone image task is first checked at 5 s, half of the 10 s imini gives as the usual shortest", async () => {
		const { clock, imini, submit } = setup();
		const wait = submit('a', 25_000);
		await clock.run();
		await wait;
		const times = imini.checksOf('a');
		expect(times.slice(0, 2)).toEqual([5000, 10_000]);
		// A lone task is never checked less often than imini advises (every 5 s), give or take the turn.
		expect(Math.max(...gaps(times))).toBeLessThanOrEqual(5000 * 1.35);
	});

	it("falls back to imini's schedule (2 s, then 2, 3, 5 s) for a model the catalog does not know, until one finishes", async () => {
		const { clock, imini, submit } = setup();
		const wait = submit('a', 13_000, {}, 'someone/new-model');
		await clock.run();
		await wait;
		expect(imini.checksOf('a')).toEqual([2000, 4000, 7000, 12_000, 17_000]);
	});

	it("without a pace, every task follows imini's schedule", async () => {
		const { clock, imini, submit } = setup({ pace: undefined });
		const waits = [submit('a', 10_000), submit('b', 10_000)];
		await clock.run();
		await Promise.all(waits);
		expect(imini.checksOf('b')).toEqual([2000, 4000, 7000, 12_000]);
	});
});

describe('limits the learning never crosses', () => {
	it('never checks one task twice within 2 s, in a mixed batch with deadlines', async () => {
		const { clock, imini, submit } = setup();
		const waits: Array<Promise<unknown>> = [];
		for (let i = 0; i < 60; i++) {
			// Submitted over 3 s; durations from 3 s to 70 s, some past their 45 s deadline.
			const submitted = clock.sleep((i * 7919) % 3000);
			waits.push(submitted.then(async () => await submit(`t${i}`, 3000 + ((i * 104_729) % 67_000), { timeoutMs: 45_000 }).catch(() => undefined)));
		}
		await clock.run();
		await Promise.all(waits);
		// (less a rounding error: virtual times here are fractions of a millisecond)
		for (let i = 0; i < 60; i++) expect(Math.min(...gaps(imini.checksOf(`t${i}`)))).toBeGreaterThanOrEqual(MIN_CHECK_INTERVAL_MS - 1e-6);
	});

	it('makes the last check on the deadline, none after, and reports the task as still running', async () => {
		const { clock, imini, submit } = setup();
		const waits = [0, 1, 2].map((i) => submit(`slow${i}`, 1e9, { timeoutMs: 61_000 }).catch((e: unknown) => e));
		await clock.run();
		const errors = await Promise.all(waits);
		for (const [i, error] of errors.entries()) {
			expect(error).toBeInstanceOf(TaskTimeoutError);
			expect(imini.checksOf(`slow${i}`).at(-1)).toBe(61_000);
		}
	});

	it("keeps the user's bounds: First Check After exactly, never a longer gap than Longest Check Interval", async () => {
		const { clock, imini, submit } = setup({ bounds: { firstCheckMs: 7000, longestIntervalMs: 3000 } });
		const waits = [submit('a', 40_000), submit('b', 90_000)];
		await clock.run();
		await Promise.all(waits);
		for (const id of ['a', 'b']) {
			expect(imini.checksOf(id)[0]).toBe(7000);
			expect(Math.max(...gaps(imini.checksOf(id)))).toBeLessThanOrEqual(3000);
		}
	});

	it('counts a check that waited for the rate quota from when its answer came, so the quota sets the pace', async () => {
		// Every answer takes 6 s (the quota held the call back): checks stay 2 s apart after it.
		const { clock, imini, submit } = setup({}, 6000);
		const wait = submit('a', 40_000);
		await clock.run();
		await wait;
		const times = imini.checksOf('a');
		expect(Math.min(...gaps(times))).toBeGreaterThanOrEqual(6000 + MIN_CHECK_INTERVAL_MS);
	});
});

describe('Imini Wait: a task known only by its id', () => {
	it('needs no check for a task it already saw finished', async () => {
		const { imini, poller } = setup();
		const seen = { task_id: 'a', model: IMAGE, status: 'succeeded', created_at: iso(0), completed_at: iso(1), request_id: 'r' } as IminiTask;
		expect(await poller.waitFor('image', 'a', { timeoutMs: 60_000, seen })).toBe(seen);
		expect(imini.checks).toHaveLength(0);
	});

	it("learns the model and age from the tasks' own answers", async () => {
		const { clock, imini, poller } = setup();
		// Submitted a minute ago by another node; each takes 70 to 77 s.
		const waits = [0, 1, 2, 3, 4, 5, 6, 7].map((i) => {
			imini.tasks.set(`w${i}`, { createdAt: -60_000, durationMs: 70_000 + i * 1000, model: IMAGE });
			return poller.waitFor('image', `w${i}`, { timeoutMs: 120_000 });
		});
		await clock.run();
		await Promise.all(waits);
		expect(Math.max(...imini.delays().slice(1))).toBeLessThanOrEqual(MIN_CHECK_INTERVAL_MS);
	});
});
