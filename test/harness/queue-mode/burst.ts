// A burst of webhook calls against one scenario of the queue-mode setup, and the checks every
// burst must pass: each call answered with its own images (its prompts, in order, each paired
// with the task made from it, at the asked size, a real PNG), one execution per call, no task
// created twice, no contract violation.
import { readPngSize } from '../../../mock-server/media/png.ts';
import { imageSize } from '../../../mock-server/media/sizes.ts';
import { getExecution, listExecutions } from '../../../dev/n8n/executions.ts';
import { formatViolations } from '../mock';
import type { ScaleSetup, WebhookAnswer } from './cluster';

export const CALLS = 20;
export const PROMPTS_PER_CALL = 5;
const RATIOS = ['1:1', '16:9', '9:16', '4:3', '3:4'];

export type AnsweredImage = { prompt: string; task_id: string; width: number; height: number; mime_type: string; execution_id: string; image_base64: string };

export type BurstResult = {
	wallMs: number;
	answers: WebhookAnswer[];
	/** One per call, in call order. */
	executionIds: string[];
	byTask: Map<string, AnsweredImage>;
	/** Executions per worker. */
	split: Record<string, number>;
};

export function prompts(label: string, call: number, count = PROMPTS_PER_CALL): string[] {
	return Array.from({ length: count }, (_, p) => `${label} ${call}.${p}: a lighthouse at dawn, watercolour`);
}

/** How many webhook calls at once, of how many prompts each. */
export type BurstShape = { calls: number; promptsPerCall: number };

export function countBy(values: string[]): Record<string, number> {
	const counts: Record<string, number> = {};
	for (const value of values) counts[value] = (counts[value] ?? 0) + 1;
	return counts;
}

async function failedExecutionErrors(setup: ScaleSetup, scenario: string): Promise<string[]> {
	const failed = (await listExecutions(setup.queue.main, { status: ['error'] })).filter((e) => e.workflowId === setup.scenarios[scenario].workflowId);
	return await Promise.all(
		failed.map(async (summary) => {
			const error = (await getExecution(setup.queue.main, summary.id)).data?.resultData?.error;
			return `execution ${summary.id}: ${error?.message ?? '?'}${error?.description ? ` — ${error.description}` : ''}`;
		}),
	);
}

export async function runBurst(setup: ScaleSetup, scenario: string, shape: BurstShape = { calls: CALLS, promptsPerCall: PROMPTS_PER_CALL }): Promise<BurstResult> {
	const { mock, path } = setup.scenarios[scenario];
	const { calls, promptsPerCall } = shape;
	const bodies = Array.from({ length: calls }, (_, c) => ({ prompts: prompts(scenario, c, promptsPerCall), aspect_ratio: RATIOS[c % RATIOS.length] }));
	const started = Date.now();
	const answers = await Promise.all(bodies.map((body) => setup.call(path, body)));
	const wallMs = Date.now() - started;

	const failed = answers.filter((a) => a.status !== 200).length;
	if (failed) {
		// The answer only says "Workflow execution failed": say why, from the executions n8n stored.
		const errors = await failedExecutionErrors(setup, scenario);
		throw new Error(`${failed} of ${calls} calls failed:\n${errors.join('\n')}`);
	}
	const submitted = new Map(mock.submissions.map((s) => [s.taskId, s.body]));
	const byTask = new Map<string, AnsweredImage>();
	const executionIds: string[] = [];
	for (const [c, answer] of answers.entries()) {
		expect({ call: c, status: answer.status, body: answer.status === 200 ? 'images' : answer.body }).toEqual({ call: c, status: 200, body: 'images' });
		const images = answer.body as AnsweredImage[];
		expect(images.map((image) => image.prompt)).toEqual(bodies[c].prompts);
		const size = imageSize(bodies[c].aspect_ratio, '1K');
		for (const image of images) {
			expect(submitted.get(image.task_id)).toMatchObject({ prompt: image.prompt, aspect_ratio: bodies[c].aspect_ratio });
			expect({ width: image.width, height: image.height, mime_type: image.mime_type }).toEqual({ ...size, mime_type: 'image/png' });
			expect(readPngSize(Buffer.from(image.image_base64, 'base64'))).toEqual(size);
			byTask.set(image.task_id, image);
		}
		const ids = [...new Set(images.map((image) => image.execution_id))];
		expect(ids).toHaveLength(1);
		executionIds.push(ids[0]);
	}
	expect(new Set(executionIds).size).toBe(calls);
	expect(byTask.size).toBe(calls * promptsPerCall);

	// No task created twice: one submission per prompt, and nothing else.
	expect(mock.stats.submits).toBe(calls * promptsPerCall);
	const sentPrompts = mock.submissions.map((s) => s.body.prompt);
	expect(new Set(sentPrompts).size).toBe(sentPrompts.length);
	expect(formatViolations(mock.violations)).toBe('');

	const byExecution = setup.queue.workerByExecution();
	const split = countBy(executionIds.map((id) => byExecution.get(id) ?? 'no worker'));
	return { wallMs, answers, executionIds, byTask, split };
}
