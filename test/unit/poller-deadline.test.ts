// Issue 23, finding 1, on virtual time (the real TaskPoller, a discrete-event clock): one slow
// status answer never delays another task's checks, and no task outlives its deadline by more
// than LAST_CHECK_GRACE_MS, however long an answer takes.
import { LAST_CHECK_GRACE_MS, TaskPoller } from '../../nodes/engine/poller';
import { TaskTimeoutError } from '../../nodes/engine/errors';
import type { IminiTask } from '../../nodes/imini/task';
import { VirtualClock } from '../harness/virtual-clock';

function imini(clock: VirtualClock, finishAt: Record<string, number>, answerMs: (id: string, check: number) => number) {
	const checks: Array<{ id: string; at: number }> = [];
	const counts = new Map<string, number>();
	const fetchTask = async (_kind: 'image' | 'video', id: string, _deadlineAt: number, signal: AbortSignal): Promise<IminiTask> => {
		const check = (counts.get(id) ?? 0) + 1;
		counts.set(id, check);
		checks.push({ id, at: clock.now() });
		await clock.sleep(answerMs(id, check), signal);
		const base = { task_id: id, model: 'm', created_at: '2026-01-01T00:00:00Z', request_id: 'req_1' };
		return clock.now() >= finishAt[id] ? { ...base, status: 'succeeded', images: [] } : { ...base, status: 'processing' };
	};
	return { checks, fetchTask };
}

describe('one slow status answer', () => {
	it("does not hold up the other tasks' checks", async () => {
		const clock = new VirtualClock();
		// Task a's second check takes 8 s to be answered; task b finishes at 3 s.
		const fake = imini(clock, { a: 20_000, b: 3_000 }, (id, check) => (id === 'a' && check === 2 ? 8_000 : 50));
		const poller = new TaskPoller({ fetchTask: fake.fetchTask, clock, bounds: { firstCheckMs: 1_000, longestIntervalMs: 1_000 } });
		let bDoneAt = -1;
		const a = poller.waitFor('image', 'a', { timeoutMs: 60_000, submittedAt: 0 });
		const b = poller.waitFor('image', 'b', { timeoutMs: 60_000, submittedAt: 0 }).then(() => (bDoneAt = clock.now()));
		await clock.run();
		await Promise.all([a, b]);
		// b is seen settled at its first check at or after 3 s, about a second later at most.
		expect(bDoneAt).toBeGreaterThanOrEqual(3_000);
		expect(bDoneAt).toBeLessThan(4_200);
	});

	it('a check that never returns ends its task at the deadline plus the grace, naming the task', async () => {
		const clock = new VirtualClock();
		const fake = imini(clock, { hung: Number.POSITIVE_INFINITY }, (_id, check) => (check === 2 ? 3_600_000 : 50));
		const poller = new TaskPoller({ fetchTask: fake.fetchTask, clock, bounds: { firstCheckMs: 1_000, longestIntervalMs: 1_000 } });
		const outcome = poller.waitFor('image', 'hung', { timeoutMs: 6_000, submittedAt: 0 }).then(
			() => undefined,
			(error: unknown) => ({ error, at: clock.now() }),
		);
		await clock.run();
		const { error, at } = (await outcome)!;
		expect(error).toBeInstanceOf(TaskTimeoutError);
		expect((error as Error).message).toMatch(/^Task hung is still processing/);
		expect(at).toBe(6_000 + LAST_CHECK_GRACE_MS);
	});
});
