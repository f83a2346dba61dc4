// Issue 28, on virtual time (a discrete-event clock): a result file's body is cut when it stalls
// (fewer than the floor's bytes in a window), however it trickled before, independently of its
// whole-body deadline; a slow link above the floor is not a stall; and a body that trickles
// every time ends, retries included, within a minute of its task.
import { DEFAULT_DOWNLOAD_LIMITS, DEFAULT_STALL_RULE, watchBody } from '../../nodes/engine/result-files';
import type { BodyCut, StallRule } from '../../nodes/engine/result-files';
import { IminiNetworkError } from '../../nodes/engine/errors';
import { withRetries } from '../../nodes/engine/retry';
import { VirtualClock } from '../harness/virtual-clock';

const rule: StallRule = { floorBytes: 32 * 1024, windowMs: 10_000 };

/**
 * One attempt's body on virtual time: `chunks` lists [delay ms, bytes] pairs, delivered in order
 * while the watch runs. Resolves with the cut (and when) or with undefined when the body ended.
 */
async function body(clock: VirtualClock, chunks: Iterable<[number, number]>, deadlineMs = 600_000, stall = rule): Promise<{ cut?: BodyCut; at: number }> {
	const started = clock.now();
	const stopped = new AbortController();
	let cut: BodyCut | undefined;
	const watch = watchBody(clock, deadlineMs, stall, (why) => {
		cut = why;
		stopped.abort();
	});
	try {
		for (const [delay, bytes] of chunks) {
			await clock.sleep(delay, stopped.signal);
			watch.progress(bytes);
		}
	} catch {
		// cut
	} finally {
		watch.stop();
	}
	return { cut, at: clock.now() - started };
}

function* every(ms: number, bytes: number, count = Number.POSITIVE_INFINITY): Generator<[number, number]> {
	for (let i = 0; i < count; i++) yield [ms, bytes];
}

async function onVirtualTime<T>(clock: VirtualClock, work: Promise<T>): Promise<T> {
	await clock.run();
	return await work;
}

describe('a body that stalls', () => {
	it('is cut one window after it last reached the floor, not at its deadline', async () => {
		const clock = new VirtualClock();
		// 960 KB in the first 3 s, then silence for an hour.
		const result = await onVirtualTime(clock, body(clock, [...every(100, 32 * 1024, 30), [3_600_000, 1]]));
		expect(result.cut).toEqual({ reason: 'stall', bytes: 30 * 32 * 1024 });
		expect(result.at).toBe(3_000 + rule.windowMs);
	});

	it('is cut at the window when it trickles 1 byte every 0.5 s from the start', async () => {
		const clock = new VirtualClock();
		const result = await onVirtualTime(clock, body(clock, every(500, 1)));
		expect(result.cut?.reason).toBe('stall');
		expect(result.at).toBe(rule.windowMs);
	});

	it('a body that sends nothing after its headers is cut at the window', async () => {
		const clock = new VirtualClock();
		const result = await onVirtualTime(clock, body(clock, [[3_600_000, 1]]));
		expect(result).toEqual({ cut: { reason: 'stall', bytes: 0 }, at: rule.windowMs });
	});
});

describe('a slow link above the floor', () => {
	it('is not a stall: it runs until its whole-body deadline', async () => {
		const clock = new VirtualClock();
		// 40 KB every 9 s (4.4 KB/s), for ever.
		const result = await onVirtualTime(clock, body(clock, every(9_000, 40 * 1024), 120_000));
		expect(result.cut?.reason).toBe('deadline');
		expect(result.at).toBe(120_000);
	});

	it('that ends is never cut, and its watch leaves no timer behind', async () => {
		const clock = new VirtualClock();
		const result = await onVirtualTime(clock, body(clock, every(9_000, 40 * 1024, 5)));
		expect(result).toEqual({ cut: undefined, at: 45_000 });
		// Nothing fired after the body ended: the clock stopped where the body did.
		expect(clock.now()).toBe(45_000);
	});
});

describe('a body that trickles on every attempt', () => {
	it('ends, retries included, within 60 s, with the slowest backoff the jitter can draw', async () => {
		const clock = new VirtualClock();
		const limits = { ...DEFAULT_DOWNLOAD_LIMITS.bodyDeadlineMs };
		let attempts = 0;
		const download = withRetries('read', { sleep: async (ms) => await clock.sleep(ms), random: () => 0.999 }, async () => {
			attempts++;
			const { cut } = await body(clock, every(500, 1), limits.video, DEFAULT_STALL_RULE);
			throw new IminiNetworkError(`stalled (${cut?.bytes} bytes)`, 'ESTALLED');
		}).catch((error: unknown) => error);
		const error = await onVirtualTime(clock, download);
		expect(error).toBeInstanceOf(IminiNetworkError);
		expect(attempts).toBe(4);
		expect(clock.now()).toBeLessThanOrEqual(60_000);
	});
});
