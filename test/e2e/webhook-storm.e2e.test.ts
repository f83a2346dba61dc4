// Many executions on one key in a real n8n (`n8n start`, regular mode, the package installed
// from its tarball): the webhook example (07) called once per prompt, all at once, as a form or
// an app does, through an account whose quota is far below what the burst asks for and whose
// 429s carry no Retry-After (as imini documents them). Every call must come back with its image.
import { readPngSize } from '../../mock-server/media/png.ts';
import { imageSize } from '../../mock-server/media/sizes.ts';
import type { MockServer } from '../../mock-server/index.ts';
import { activateWorkflow } from '../../dev/n8n/server.ts';
import type { RunningN8n } from '../../dev/n8n/server.ts';
import { WEBHOOK_EXAMPLE_ID, webhookExample } from '../../dev/n8n/provision.ts';
import { formatViolations } from '../harness/mock';
import { postWebhook } from '../harness/webhook';
import { useRealN8n } from '../harness/real-n8n.ts';

const CALLS = 20;
// A quota scaled down from imini's minute to 20 s; imini's "wait at least 5 s after a 429" is not scaled.
const QUOTA = { requests: 20, windowMs: 20_000 };

let mock: MockServer;
let n8n: RunningN8n;
let path: string;

const real = useRealN8n({ simulator: { imageTaskMs: 1500, rateLimit: QUOTA }, examples: [WEBHOOK_EXAMPLE_ID] });

beforeAll(async () => {
	({ mock, n8n } = real);
	await activateWorkflow(n8n, WEBHOOK_EXAMPLE_ID);
	path = (webhookExample().nodes as Array<{ type: string; parameters: { path?: string } }>).find((n) => n.type === 'n8n-nodes-base.webhook')!.parameters.path!;
});

describe(`${CALLS} webhook calls of one prompt each, at once, on one key (${QUOTA.requests} calls per ${QUOTA.windowMs / 1000} s, no Retry-After)`, () => {
	it('every call is answered with its own image; one task per call, none twice', async () => {
		const prompts = Array.from({ length: CALLS }, (_, i) => `storm ${i}: a paper boat on a puddle`);
		const started = Date.now();
		const answers = await Promise.all(prompts.map((prompt) => postWebhook(`${n8n.url}/webhook/${path}`, { prompts: [prompt], aspect_ratio: '16:9' })));
		const wallMs = Date.now() - started;
		const failed = answers.filter((a) => a.status !== 200).length;
		process.stderr.write(
			`\n[webhook storm] ${CALLS} calls x 1 prompt answered in ${(wallMs / 1000).toFixed(1)} s (${failed} failed); ${mock.stats.submits} tasks, ${mock.stats.polls} polls, ${mock.stats.rateLimited} 429s served\n`,
		);
		const size = imageSize('16:9', '1K');
		const submitted = new Map(mock.submissions.map((s) => [s.taskId, s.body.prompt]));
		answers.forEach((answer, i) => {
			expect({ call: i, status: answer.status }).toEqual({ call: i, status: 200 });
			expect(answer.body).toHaveLength(1);
			const [image] = answer.body as Array<{ prompt: string; task_id: string; width: number; height: number; image_base64: string }>;
			expect(image.prompt).toBe(prompts[i]);
			expect(submitted.get(image.task_id)).toBe(prompts[i]);
			expect({ width: image.width, height: image.height }).toEqual(size);
			expect(readPngSize(Buffer.from(image.image_base64, 'base64'))).toEqual(size);
		});
		expect(mock.stats.submits).toBe(CALLS);
		expect(new Set(answers.map((a) => a.body[0].task_id)).size).toBe(CALLS);
		// The quota was hit, and the executions met it as one client: executions pacing alone drew
		// several 429s per call in this shape.
		expect(mock.stats.rateLimited).toBeGreaterThan(0);
		expect(mock.stats.rateLimited).toBeLessThan(CALLS);
		expect(formatViolations(mock.violations)).toBe('');
	}, 600_000);

	it('one call whose prompts partly fail: every prompt is answered, in order, a failed one with its reason and task ID', async () => {
		const prompts = ['a fox', 'refused [mock unsafe]', 'a hare', 'blocked [mock fail]'];
		const answer = await postWebhook(`${n8n.url}/webhook/${path}`, { prompts });
		expect(answer.status).toBe(200);
		const rows = answer.body as Array<{ prompt: string; row: number; error?: string; task_id: string; image_base64?: string }>;
		expect(rows.map((r) => r.prompt)).toEqual(prompts);
		expect(rows.map((r) => r.row)).toEqual([0, 1, 2, 3]);
		expect(rows[0].image_base64).toBeDefined();
		expect(rows[2].image_base64).toBeDefined();
		expect(rows[1].error).toContain('content safety');
		expect(rows[1].task_id).toBe('');
		expect(rows[3].error).toMatch(/^imini task task_\d+ failed: CONTENT_POLICY_VIOLATION/);
		expect(rows[3].task_id).toMatch(/^task_\d+$/);
	}, 600_000);
});
