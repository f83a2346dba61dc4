// Many executions on one key, in one process: 30 one-item executions (a form or webhook per
// prompt) at once, in n8n's real engine, through an account whose quota is far below what they
// ask for, with 429s carrying no Retry-After (as imini documents them). The quota is scaled
// down to 15 calls per 10 s; imini's "wait at least 5 s after a 429" is not scaled.
import { GENERATE, errorText, expectNoViolations, node, useWorkflows } from '../harness/workflow-tests';

const EXECUTIONS = 30;
const quota = { requests: 15, windowMs: 10_000 };

describe(`${EXECUTIONS} one-item executions at once on one key, through ${quota.requests} calls per ${quota.windowMs / 1000} s`, () => {
	const h = useWorkflows({ simulator: { rateLimit: quota, imageTaskMs: 1_000 } });

	it('every execution delivers its picture: one task each, none twice, no item failed for the quota', async () => {
		const prompts = Array.from({ length: EXECUTIONS }, (_, i) => `form entry ${i}: a kite over the dunes`);
		// The node's defaults (wait, download, automatic timeout, automatic polling).
		const results = await Promise.all(
			prompts.map((prompt) =>
				h.run({
					nodes: [node('Generate', GENERATE, { resource: 'image', model: 'google/nano-banana', prompt }, { continueOnFail: true })],
				}),
			),
		);
		const promptOf = new Map(h.mock.submissions.map((s) => [s.taskId, s.body.prompt]));
		results.forEach((result, i) => {
			expect(errorText(result).trim()).toBe('');
			expect(result.status).toBe('success');
			const items = result.output('Generate');
			expect(items).toHaveLength(1);
			expect(items[0].json.error).toBeUndefined();
			expect(items[0].json.status).toBe('succeeded');
			expect(items[0].binary?.data?.mimeType).toBe('image/png');
			// Each execution got its own prompt's picture, not another execution's.
			expect(promptOf.get(items[0].json.task_id as string)).toBe(prompts[i]);
		});
		expect(h.mock.stats.submits).toBe(EXECUTIONS);
		expect(new Set(results.map((r) => r.output('Generate')[0].json.task_id)).size).toBe(EXECUTIONS);
		// The quota really was hit, and the executions met it as one client: executions pacing
		// alone drew hundreds of 429s in this shape (see the bench's storm figure).
		expect(h.mock.stats.rateLimited).toBeGreaterThan(0);
		expect(h.mock.stats.rateLimited).toBeLessThan(EXECUTIONS);
		expectNoViolations(h.mock);
	}, 180_000);
});
