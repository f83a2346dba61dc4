// Concurrency, on a simulator of its own so that no other test's tasks are in flight.
import { expectNoViolations, generate, useWorkflows } from '../harness/workflow-tests';

const h = useWorkflows();
afterEach(() => expectNoViolations(h.mock));

const image = (prompt: string, extra: Record<string, unknown> = {}) => ({ resource: 'image', model: 'google/nano-banana', prompt, ...extra });

/**
 * Holds every task where it is (the mock's clock stands still) until `count` tasks were submitted,
 * then lets time run: how many are in flight together then depends on the node alone, not on how
 * fast a loaded machine submits them.
 */
async function holdUntilSubmitted<T>(count: number, run: Promise<T>): Promise<T> {
	h.mock.clock.freeze(true);
	try {
		const deadline = Date.now() + 30_000;
		while (h.mock.submissions.length < count && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
		expect(h.mock.submissions.length).toBe(count);
	} finally {
		h.mock.clock.freeze(false);
	}
	return await run;
}

describe('a batch of items', () => {
	it('20 items run as one batch: all in flight together, output in input order', async () => {
		const prompts = Array.from({ length: 20 }, (_, i) => `picture number ${i} [mock time=1500]`);
		h.mock.stats.inFlightPeak = 0;
		const result = await holdUntilSubmitted(
			h.mock.submissions.length + 20,
			h.run({
				nodes: [generate(image('={{ $json.p }}', { options: { maxTasksInFlight: 20 } }))],
				input: prompts.map((p) => ({ json: { p } })),
			}),
		);
		expect(result.status).toBe('success');
		expect(h.mock.stats.inFlightPeak).toBe(20);
		const items = result.output('Generate');
		const promptOf = new Map(h.mock.submissions.map((s) => [s.taskId, s.body.prompt]));
		expect(items.map((i) => promptOf.get(i.json.task_id as string))).toEqual(prompts);
	});

	it('Max Tasks In Flight bounds the batch', async () => {
		h.mock.stats.inFlightPeak = 0;
		const submitted = h.mock.submissions.length;
		const result = await holdUntilSubmitted(
			submitted + 3,
			h.run({
				nodes: [generate(image('={{ $json.p }}', { options: { maxTasksInFlight: 3 } }))],
				input: Array.from({ length: 7 }, (_, i) => ({ json: { p: `bounded ${i} [mock time=300]` } })),
			}),
		);
		expect(result.status).toBe('success');
		expect(h.mock.submissions.length).toBe(submitted + 7);
		expect(h.mock.stats.inFlightPeak).toBe(3);
	});

});
