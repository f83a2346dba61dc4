// A sheet of 40 rows through an account whose rate quota is far below what the batch asks for,
// with the node's defaults (wait, download, Max Tasks In Flight 10, imini's polling schedule,
// Continue On Fail on so that any row that failed would show as an error item). The quota is
// scaled down from a minute to 30 s, still longer than three retries 5-7.5 s apart can outlast
// (the node before the quota scheduler delivered 27 of these 40 rows); imini's "wait at least
// 5 s after a 429" is not scaled. No client can be faster than the quota's bound:
// 40 rows x (1 submit + 1 check) / 40 calls per 30 s = 60 s.
import { GENERATE, errorText, expectNoViolations, node, useWorkflows } from '../harness/workflow-tests';
import type { Harness } from '../harness/workflow-tests';

const ROWS = 40;
const quota = { requests: 40, windowMs: 30_000 };
const QUOTA_BOUND_MS = ((ROWS * 2) / quota.requests) * quota.windowMs;

const rows = Array.from({ length: ROWS }, (_, i) => ({ json: { prompt: `row ${i}: a lighthouse at dusk` } }));

function sheetToImages(h: Harness) {
	return h.run({
		nodes: [node('Generate', GENERATE, { resource: 'image', model: 'google/nano-banana', prompt: '={{ $json.prompt }}' }, { continueOnFail: true })],
		input: rows,
	});
}

async function expectEveryRowDelivered(h: Harness): Promise<void> {
	const before = { submits: h.mock.stats.submits, limited: h.mock.stats.rateLimited };
	const result = await sheetToImages(h);
	expect(errorText(result).trim()).toBe('');
	expect(result.status).toBe('success');
	const items = result.output('Generate');
	expect(items.filter((item) => item.json.error)).toEqual([]);
	expect(items).toHaveLength(ROWS);
	// Every row has its picture, in the sheet's order, paired with its row.
	const promptOf = new Map(h.mock.submissions.map((s) => [s.taskId, s.body.prompt]));
	expect(items.map((item) => promptOf.get(item.json.task_id as string))).toEqual(rows.map((row) => row.json.prompt));
	expect(items.map((item) => (item.pairedItem as { item: number }).item)).toEqual(rows.map((_, i) => i));
	for (const item of items) {
		expect(item.json.status).toBe('succeeded');
		expect(item.binary?.data?.mimeType).toBe('image/png');
	}
	// One task per row, none twice: the quota really was hit, and no refused submit became a task.
	expect(h.mock.stats.submits - before.submits).toBe(ROWS);
	expect(new Set(items.map((item) => item.json.task_id)).size).toBe(ROWS);
	expect(h.mock.stats.rateLimited - before.limited).toBeGreaterThan(0);
	expectNoViolations(h.mock);
}

describe(`${ROWS} rows through a quota of ${quota.requests} calls per ${quota.windowMs / 1000} s`, () => {
	describe('429s without Retry-After, as imini documents them', () => {
		const h = useWorkflows({ simulator: { rateLimit: quota, imageTaskMs: 2_000 } });
		it('delivers every row: one task each, none twice, no row failed on a 429', async () => {
			await expectEveryRowDelivered(h);
		}, 3 * QUOTA_BOUND_MS);
	});

	describe('429s with Retry-After (the mock\'s --retry-after)', () => {
		const h = useWorkflows({ simulator: { rateLimit: quota, imageTaskMs: 2_000, retryAfter: true } });
		it('delivers every row: one task each, none twice, no row failed on a 429', async () => {
			await expectEveryRowDelivered(h);
		}, 3 * QUOTA_BOUND_MS);
	});
});

describe('a quota that leaves no room for a status check before the deadline', () => {
	const h = useWorkflows({ simulator: { rateLimit: { requests: 1, windowMs: 120_000 }, imageTaskMs: 1_000 } });

	it('fails the row at its deadline, as a timeout that names the task (which keeps running on imini)', async () => {
		const result = await h.run({
			nodes: [node('Generate', GENERATE, { resource: 'image', model: 'google/nano-banana', prompt: 'a quiet harbour', timeout: 6 })],
		});
		expect(result.status).toBe('error');
		const [submission] = h.mock.submissions;
		expect(h.mock.stats.submits).toBe(1);
		expect(result.error!.message).toContain(`Task ${submission.taskId} was last seen queued`);
		expect(result.error!.message).toContain("imini's rate limit allowed no further status check within its 6");
		expect(result.error!.message).toContain('Imini Wait');
		expectNoViolations(h.mock);
	});
});
