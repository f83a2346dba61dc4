// The poller on a virtual clock: the real TaskPoller code, time moved by its own sleeps.
import { TaskPoller } from '../../nodes/engine/poller';
import { delayBeforeCheck, scheduleWithin, vendorSchedule } from '../../nodes/engine/poll-schedule';
import type { Clock } from '../../nodes/engine/clock';
import { TaskTimeoutError } from '../../nodes/engine/errors';
import type { IminiTask } from '../../nodes/imini/task';
import { VirtualClock as EventClock } from '../harness/virtual-clock';

/**
 * Discrete-event time (test/harness/virtual-clock.ts) that runs itself: timers fire in order,
 * and every pending callback (a check in flight) runs before time moves on, as with real time.
 */
class VirtualClock implements Clock {
	private readonly events = new EventClock();
	private running = false;
	get time(): number {
		return this.events.now();
	}
	now = () => this.events.now();
	sleep = async (ms: number, signal: AbortSignal) => {
		const slept = this.events.sleep(ms, signal);
		if (!this.running) {
			this.running = true;
			void this.events.run().finally(() => (this.running = false));
		}
		await slept;
	};
}

/** Resolves (with no task) once nothing has moved the clock for a while: a task nobody checks. */
async function clockIdle(clock: VirtualClock): Promise<undefined> {
	let seen = -1;
	while (seen !== clock.time) {
		seen = clock.time;
		await new Promise((resolve) => setImmediate(resolve));
	}
	return undefined;
}

/** A fake imini where task `id` finishes at `finishAt[id]` (virtual ms); records every check. */
function fakeImini(clock: VirtualClock, finishAt: Record<string, number>, failed: string[] = []) {
	const checks: Array<{ id: string; at: number }> = [];
	const fetchTask = async (_kind: 'image' | 'video', id: string): Promise<IminiTask> => {
		checks.push({ id, at: clock.now() });
		const done = clock.now() >= finishAt[id];
		const base = { task_id: id, model: 'm', created_at: '2026-01-01T00:00:00Z', request_id: 'req_1' };
		if (!done) return { ...base, status: 'processing' };
		if (failed.includes(id)) return { ...base, status: 'failed', error: { code: 'X', message: 'no' } };
		return { ...base, status: 'succeeded', images: [{ url: 'https://x/y.png', width: 1, height: 1 }] };
	};
	return { checks, fetchTask };
}

describe('the polling schedule', () => {
	it("follows imini's advice: first check after 2 s, then 2 s, 3 s, 5 s, 5 s ...", () => {
		expect([1, 2, 3, 4, 5, 6].map((n) => delayBeforeCheck(vendorSchedule, n))).toEqual([2000, 2000, 3000, 5000, 5000, 5000]);
	});

	it('can be bounded by the user', () => {
		expect([1, 2, 3, 4].map((n) => delayBeforeCheck(scheduleWithin({ firstCheckMs: 500, longestIntervalMs: 2500 }), n))).toEqual([500, 2000, 2500, 2500]);
	});
});

describe('TaskPoller', () => {
	it('checks a task on the schedule and resolves when it settles', async () => {
		const clock = new VirtualClock();
		const imini = fakeImini(clock, { a: 10_000 });
		const poller = new TaskPoller({ fetchTask: imini.fetchTask, clock });
		const task = await poller.waitFor('image', 'a', { timeoutMs: 120_000, submittedAt: 0 });
		expect(task.status).toBe('succeeded');
		expect(imini.checks.map((c) => c.at)).toEqual([2000, 4000, 7000, 12_000]);
	});

	it('keeps each task on its own schedule, counted from its own submit', async () => {
		const clock = new VirtualClock();
		const imini = fakeImini(clock, { a: 3000, b: 9000 });
		const poller = new TaskPoller({ fetchTask: imini.fetchTask, clock });
		const a = poller.waitFor('image', 'a', { timeoutMs: 60_000, submittedAt: 0 });
		const b = poller.waitFor('image', 'b', { timeoutMs: 60_000, submittedAt: 1000 });
		await Promise.all([a, b]);
		expect(imini.checks.filter((c) => c.id === 'a').map((c) => c.at)).toEqual([2000, 4000]);
		expect(imini.checks.filter((c) => c.id === 'b').map((c) => c.at)).toEqual([3000, 5000, 8000, 13_000]);
	});

	it('makes a last check at the deadline (never within 2 s before it), then rejects with the task as last seen', async () => {
		const clock = new VirtualClock();
		const imini = fakeImini(clock, { slow: 1e9 });
		const poller = new TaskPoller({ fetchTask: imini.fetchTask, clock });
		const error = await poller.waitFor('video', 'slow', { timeoutMs: 5000, submittedAt: 0 }).catch((e: unknown) => e);
		expect(error).toBeInstanceOf(TaskTimeoutError);
		expect((error as TaskTimeoutError).lastTask.status).toBe('processing');
		expect((error as Error).message).toBe('Task slow is still processing after 5.0 s.');
		// imini's schedule would check at 4 s, 1 s before the check at the deadline: skipped.
		expect(imini.checks.map((c) => c.at)).toEqual([2000, 5000]);
	});

	it('resolves failed tasks too (the caller decides what a failure means)', async () => {
		const clock = new VirtualClock();
		const imini = fakeImini(clock, { f: 0 }, ['f']);
		const poller = new TaskPoller({ fetchTask: imini.fetchTask, clock });
		expect((await poller.waitFor('image', 'f', { timeoutMs: 10_000, submittedAt: 0 })).status).toBe('failed');
	});

	it('rejects every waiting task at once when the execution is cancelled', async () => {
		const controller = new AbortController();
		let checks = 0;
		const poller = new TaskPoller({
			fetchTask: async (_kind, id) => {
				if (++checks === 3) controller.abort(new Error('stopped'));
				return { task_id: id, status: 'processing', model: 'm', created_at: 'x', request_id: 'r' };
			},
						signal: controller.signal,
			clock: new VirtualClock(),
		});
		const results = await Promise.allSettled([poller.waitFor('image', 'a', { timeoutMs: 60_000, submittedAt: 0 }), poller.waitFor('image', 'b', { timeoutMs: 60_000, submittedAt: 0 })]);
		expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
		expect(checks).toBeLessThanOrEqual(4);
		expect(poller.pending).toBe(0);
	});

	it('passes on a check that failed for good, for that task only', async () => {
		const clock = new VirtualClock();
		const imini = fakeImini(clock, { ok: 4000 });
		const poller = new TaskPoller({
			fetchTask: async (kind, id) => {
				if (id === 'gone') throw new Error('404');
				return await imini.fetchTask(kind, id);
			},
						clock,
		});
		const [gone, ok] = await Promise.allSettled([poller.waitFor('image', 'gone', { timeoutMs: 60_000, submittedAt: 0 }), poller.waitFor('image', 'ok', { timeoutMs: 60_000, submittedAt: 0 })]);
		expect(gone.status).toBe('rejected');
		expect(ok.status).toBe('fulfilled');
	});
});

describe('TaskPoller loop', () => {
	it('watches a task added in the ticks right after the loop saw its last task settle', async () => {
		// However many microtasks after a's resolve the caller adds b (the loop is winding down
		// meanwhile), b must find a loop that will check it.
		for (let hops = 0; hops <= 12; hops++) {
			const clock = new VirtualClock();
			const imini = fakeImini(clock, { a: 0, b: 0 });
			const poller = new TaskPoller({ fetchTask: imini.fetchTask, clock });
			const b = poller.waitFor('image', 'a', { timeoutMs: 60_000, submittedAt: 0 }).then(async () => {
				for (let i = 0; i < hops; i++) await Promise.resolve();
				return await Promise.race([poller.waitFor('image', 'b', { timeoutMs: 60_000 }), clockIdle(clock)]);
			});
			expect(await b).toMatchObject({ task_id: 'b', status: 'succeeded' });
		}
	});
});
