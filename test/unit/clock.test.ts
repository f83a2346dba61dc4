// The engine's clock on every n8n: n8n 1.x's `sleep` ignores an abort signal (its abortable
// sleep is `sleepWithAbort`, gone from n8n-workflow 2.34 on, where `sleep` takes the signal).
// The poller sleeps until a task's deadline while a check is out and is woken by an abort when
// the check comes back: with a sleep deaf to the abort, a task still running at its first check
// would not be checked again until its Timeout.
import type { Clock } from '../../nodes/engine/clock';

type Shape = { sleep: (ms: number, signal?: AbortSignal) => Promise<void>; sleepWithAbort?: (ms: number, signal?: AbortSignal) => Promise<void> };

/** The clock module loaded against an n8n-workflow exporting `shape`'s sleeps. */
function clockWith(shape: Shape): Clock {
	let clock: Clock | undefined;
	jest.isolateModules(() => {
		jest.doMock('n8n-workflow', () => ({ ...jest.requireActual('n8n-workflow'), ...shape }));
		clock = (jest.requireActual('../../nodes/engine/clock') as { realClock: Clock }).realClock;
	});
	jest.dontMock('n8n-workflow');
	return clock!;
}

/** A sleep that hears nothing: n8n 1.x's `sleep`. */
const deafSleep = async (ms: number) => await new Promise<void>((resolve) => setTimeout(resolve, ms));
/** n8n 1.x's `sleepWithAbort`: clears its timer on abort. */
const sleepWithAbort = async (ms: number, signal?: AbortSignal) =>
	await new Promise<void>((resolve, reject) => {
		const timer = setTimeout(resolve, ms);
		signal?.addEventListener('abort', () => (clearTimeout(timer), reject(new Error('Aborted'))), { once: true });
	});

beforeEach(() => jest.useFakeTimers());
afterEach(() => jest.useRealTimers());

const shapes: Array<[string, Shape]> = [
	['n8n 1.x (sleep deaf to the signal, sleepWithAbort)', { sleep: deafSleep, sleepWithAbort }],
	['a sleep deaf to the signal and nothing else', { sleep: deafSleep, sleepWithAbort: undefined }],
	['n8n 2.34 and later (sleep takes the signal)', { sleep: sleepWithAbort, sleepWithAbort: undefined }],
];

describe.each(shapes)('on %s', (_name, shape) => {
	it('a sleep of ten minutes ends at once when its signal aborts', async () => {
		const clock = clockWith(shape);
		const wake = new AbortController();
		let settled = false;
		const sleeping = clock.sleep(600_000, wake.signal).catch((error: unknown) => {
			settled = true;
			throw error;
		});
		await jest.advanceTimersByTimeAsync(1_000);
		expect(settled).toBe(false);
		wake.abort();
		await expect(sleeping).rejects.toBeDefined();
		expect(settled).toBe(true);
	});

	it('a sleep whose signal never aborts ends after its time', async () => {
		const clock = clockWith(shape);
		let done = false;
		void clock.sleep(5_000, new AbortController().signal).then(() => (done = true));
		await jest.advanceTimersByTimeAsync(4_999);
		expect(done).toBe(false);
		await jest.advanceTimersByTimeAsync(1);
		expect(done).toBe(true);
	});

	it('an aborted signal is refused before any timer starts', async () => {
		const clock = clockWith(shape);
		const wake = new AbortController();
		wake.abort();
		await expect(clock.sleep(1_000, wake.signal)).rejects.toBeDefined();
		expect(jest.getTimerCount()).toBe(0);
	});
});

it("on n8n 1.x the abortable sleepWithAbort is used, so a woken sleep leaves no timer behind", async () => {
	const clock = clockWith({ sleep: deafSleep, sleepWithAbort });
	const wake = new AbortController();
	const sleeping = clock.sleep(600_000, wake.signal);
	expect(jest.getTimerCount()).toBe(1);
	wake.abort();
	await expect(sleeping).rejects.toBeDefined();
	expect(jest.getTimerCount()).toBe(0);
});
