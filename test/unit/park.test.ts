import { DEFAULT_IN_MEMORY_MS, MIN_PARK_MS, planPark } from '../../nodes/n8n/park';

const s = 1000;
const created = 1_000_000;
const plan = (age: number, timeout: number, extra: { inMemoryMs?: number; longestIntervalMs?: number } = {}) =>
	planPark({ now: created + age * s, createdAt: created, deadlineAt: created + timeout * s, inMemoryMs: extra.inMemoryMs ?? DEFAULT_IN_MEMORY_MS, longestIntervalMs: extra.longestIntervalMs });

describe('when a durable wait parks', () => {
	it('checks a young task in memory until it is a minute old: an image never parks', () => {
		expect(plan(2, 600)).toEqual({ action: 'memory', until: created + 60 * s });
		expect(plan(59, 1800)).toEqual({ action: 'memory', until: created + 60 * s });
	});

	it('parks an older task for 65 s, the shortest park n8n resumes on time', () => {
		expect(MIN_PARK_MS).toBe(65 * s);
		expect(plan(60, 1800)).toEqual({ action: 'park', until: created + 125 * s });
		expect(plan(600, 1800)).toEqual({ action: 'park', until: created + 665 * s });
	});

	it('parks longer when the Longest Check Interval asks for it, never shorter', () => {
		expect(plan(120, 1800, { longestIntervalMs: 300 * s })).toEqual({ action: 'park', until: created + 420 * s });
		expect(plan(120, 1800, { longestIntervalMs: 5 * s })).toEqual({ action: 'park', until: created + 185 * s });
	});

	it('ends a park on the deadline, and waits the last stretch before it in memory', () => {
		expect(plan(100, 200)).toEqual({ action: 'park', until: created + 165 * s });
		expect(plan(130, 200)).toEqual({ action: 'park', until: created + 195 * s });
		expect(plan(135, 200)).toEqual({ action: 'park', until: created + 200 * s });
		expect(plan(136, 200)).toEqual({ action: 'memory', until: created + 200 * s });
		expect(plan(140, 200)).toEqual({ action: 'memory', until: created + 200 * s });
		expect(plan(30, 45)).toEqual({ action: 'memory', until: created + 45 * s });
	});

	it('applies On Timeout once the deadline has passed (after a restart that outlasted it too)', () => {
		expect(plan(200, 200)).toEqual({ action: 'timeout' });
		expect(plan(5000, 200)).toEqual({ action: 'timeout' });
	});

	it('parks at once with Check in Memory First at 0', () => {
		expect(plan(1, 1800, { inMemoryMs: 0 })).toEqual({ action: 'park', until: created + 66 * s });
	});
});
