// The automatic timeout: never shorter than imini's own published client waits (600 s for any
// image, 1800 s for any video), longer for settings that ask for more work; the user's value wins.
import type { IExecuteFunctions } from 'n8n-workflow';
import { automaticTimeoutSeconds } from '../../nodes/imini/models';
import { readTimeoutMs } from '../../nodes/n8n/parameters';
import { timeoutProperty } from '../../nodes/n8n/properties';
import { TaskPoller } from '../../nodes/engine/poller';
import type { IminiTask } from '../../nodes/imini/task';
import { VirtualClock } from '../harness/virtual-clock';

const withTimeout = (timeout: unknown) => ({ getNodeParameter: () => timeout }) as unknown as IExecuteFunctions;

describe('the automatic timeout', () => {
	it('is the default of the Timeout field (0), and says what it means', () => {
		expect(timeoutProperty.default).toBe(0);
		expect(timeoutProperty.hint).toContain('0 = automatic: 10 minutes for pictures, 30 minutes for a video');
	});

	it("is imini's client's 600 s for an image and 1800 s for a video, more for heavier settings", () => {
		expect(readTimeoutMs(withTimeout(0), 0, 'image', { model: 'google/nano-banana', prompt: 'x' })).toBe(600_000);
		expect(readTimeoutMs(withTimeout(0), 0, 'image', { model: 'openai/gpt-image-2', num: 4 })).toBe(780_000);
		expect(readTimeoutMs(withTimeout(0), 0, 'video', { model: 'kling/kling-v3', duration: 5 })).toBe(1_800_000);
		expect(readTimeoutMs(withTimeout(0), 0, 'video', { model: 'kling/kling-v3', duration: 15 })).toBe(2_400_000);
		// An expression that resolves to nothing means automatic too.
		expect(readTimeoutMs(withTimeout(''), 0, 'image')).toBe(600_000);
		for (const kind of ['image', 'video'] as const) for (const duration of [3, 10, 15]) expect(automaticTimeoutSeconds(kind, { duration, num: 1 })).toBeGreaterThanOrEqual(kind === 'image' ? 600 : 1800);
	});

	it("the user's value wins", () => {
		expect(readTimeoutMs(withTimeout(45), 0, 'video', { duration: 15 })).toBe(45_000);
	});

	it('a 4-minute image task is waited for with the automatic timeout; the old 120 s default gave up on it', async () => {
		const iso = (ms: number) => new Date(ms).toISOString();
		const wait = async (timeoutMs: number) => {
			const clock = new VirtualClock();
			const fetchTask = async (): Promise<IminiTask> => {
				const base = { task_id: 'task_1', model: 'openai/gpt-image-2', created_at: iso(0), request_id: 'r' };
				return clock.now() < 240_000
					? { ...base, status: 'processing', completed_at: null }
					: { ...base, status: 'succeeded', completed_at: iso(240_000), images: [{ url: 'https://cdn/x.png', width: 1, height: 1 }] };
			};
			const poller = new TaskPoller({ fetchTask, clock });
			const [outcome] = await Promise.all([poller.waitFor('image', 'task_1', { timeoutMs, submittedAt: 0 }).then((t) => t.status, (e: Error) => e.name), clock.run()]);
			return outcome;
		};
		expect(await wait(readTimeoutMs(withTimeout(0), 0, 'image', { num: 1 }))).toBe('succeeded');
		expect(await wait(120_000)).toBe('TaskTimeoutError');
	});
});
