// Imini Wait parked between checks, in n8n's real engine: a run that parks ends `waiting` with
// the task on Still Running; resuming it (as n8n's WaitTracker does, from the saved data) sends
// the node's input out of Still Running, back into the node, which checks again. The mock's
// clock stands in for the minutes a video takes.
import { WAIT, expectNoViolations, fastPolling, generate, node, useWorkflows } from '../harness/workflow-tests';
import { readMp4Info } from '../../mock-server/media/mp4.ts';
import type { EngineWorkflow } from '../harness/n8n-engine/engine';

const h = useWorkflows({ simulator: { imageTaskMs: 400, videoTaskMs: 120_000 } });
afterEach(() => expectNoViolations(h.mock));

const video = (prompt: string) => ({ resource: 'video', model: 'doubao/seedance-2.0-fast', prompt, resolution: '720P', aspectRatio: '16:9', duration: 4, waitForCompletion: false });
const image = (prompt: string) => ({ resource: 'image', model: 'google/nano-banana', prompt, waitForCompletion: false });

/** Generate (no wait) → Imini Wait, its Still Running output wired straight back into itself. */
function loop(submit: Record<string, unknown>, wait: Record<string, unknown> = {}, input?: EngineWorkflow['input']): EngineWorkflow {
	return {
		nodes: [
			generate(submit, { name: 'Submit' }),
			node('Wait', WAIT, { taskId: '={{ $json.task_id }}', parkBetweenChecks: true, inMemoryFor: 0, options: fastPolling, ...wait }),
		],
		connections: {
			Submit: { main: [[{ node: 'Wait', type: 'main', index: 0 }]] },
			Wait: { main: [[{ node: 'Wait', type: 'main', index: 0 }], []] },
		},
		input,
	};
}

const STILL_RUNNING = 0;
const DONE = 1;

describe('Imini Wait, Park the Workflow Between Checks', () => {
	it('an image that finishes within the in-memory minute never parks', async () => {
		const result = await h.run(loop(image('a fox'), { inMemoryFor: 60 }));
		expect(result.status).toBe('success');
		expect(result.output('Wait', STILL_RUNNING)).toEqual([]);
		const [done] = result.output('Wait', DONE);
		expect(done.json).toMatchObject({ status: 'succeeded', kind: 'image' });
		expect(done.binary!.data.mimeType).toBe('image/png');
	});

	it('a video parks on its first check by default: a restart in its first minute loses nothing', async () => {
		const { inMemoryFor: _, ...defaults } = loop(video('x')).nodes[1].parameters as Record<string, unknown>;
		const workflow = loop(video('a video parked at once'));
		workflow.nodes[1] = { ...workflow.nodes[1], parameters: { ...defaults, taskId: '={{ $json.task_id }}' } as never };
		const started = Date.now();
		const result = await h.run(workflow);
		expect(result.status).toBe('waiting');
		// Parked after one check, without a minute in memory first.
		expect(Date.now() - started).toBeLessThan(20_000);
		const taskId = result.output('Submit')[0].json.task_id as string;
		expect(h.mock.requests().filter((r) => r.method === 'GET' && r.path.endsWith(taskId))).toHaveLength(1);
	});

	it('a long video parks (no slot, no memory), and after each resume is checked again until it is delivered: one task, never resubmitted', async () => {
		const workflow = loop(video('a lighthouse in a storm'));
		const first = await h.run(workflow);
		expect(first.status).toBe('waiting');
		const waitTill = first.run.waitTill!.getTime();
		expect(waitTill - Date.now()).toBeGreaterThan(60_000);
		const [parked] = first.output('Wait', STILL_RUNNING);
		const taskId = first.output('Submit')[0].json.task_id;
		expect(parked.json).toMatchObject({ task_id: taskId, kind: 'video', status: expect.stringMatching(/^(queued|processing)$/) });
		expect(Date.parse(parked.json.deadline_at as string) - Date.parse(parked.json.created_at as string)).toBe(1_800_000);
		expect(parked.binary).toBeUndefined();

		// Resumed before the video is done: checked, parked again.
		h.mock.clock.advance(60_000);
		const second = await h.resume(workflow, first);
		expect(second.status).toBe('waiting');
		expect(second.output('Wait', STILL_RUNNING)[0].json.task_id).toBe(taskId);

		// Resumed after: delivered out of Done, with the file.
		h.mock.clock.advance(60_000);
		const third = await h.resume(workflow, second);
		expect(third.status).toBe('success');
		expect(third.output('Wait', STILL_RUNNING)).toEqual([]);
		const [done] = third.output('Wait', DONE);
		expect(done.json).toMatchObject({ task_id: taskId, status: 'succeeded', kind: 'video' });
		expect(readMp4Info(await third.binary(done))).toMatchObject({ width: 1280, height: 720 });
		expect(h.mock.submissions.filter((s) => s.body.prompt === 'a lighthouse in a storm')).toHaveLength(1);
	});

	it('hands on what finished before parking the rest: a run parks only when every task is still running', async () => {
		const workflow: EngineWorkflow = {
			nodes: [node('Wait', WAIT, { taskId: '={{ $json.task_id }}', parkBetweenChecks: true, inMemoryFor: 0, options: fastPolling })],
			connections: { Wait: { main: [[{ node: 'Wait', type: 'main', index: 0 }], []] } },
		};
		const quick = await h.run({ nodes: [generate(image('quick'), { name: 'Submit' })] });
		const slow = await h.run({ nodes: [generate(video('slow'), { name: 'Submit' })] });
		await new Promise((resolve) => setTimeout(resolve, 600));
		const input = [quick.output('Submit')[0], slow.output('Submit')[0]].map((item) => ({ json: item.json }));
		const result = await h.run({ ...workflow, input });
		// The image went out of Done; the video went round once more, alone, and parked.
		expect(result.status).toBe('waiting');
		const waitRuns = result.runData.Wait;
		expect(waitRuns).toHaveLength(2);
		expect((waitRuns[0].data!.main[DONE] ?? []).map((i) => i.json.status)).toEqual(['succeeded']);
		expect((waitRuns[1].data!.main[STILL_RUNNING] ?? []).map((i) => i.json.task_id)).toEqual([slow.output('Submit')[0].json.task_id]);
	});

	it('a failed task fails the node as in memory, and with Continue On Fail goes out of Done as an error item (not round the loop)', async () => {
		const failing = await h.run(loop(video('[mock fail] a storm')));
		expect(failing.status).toBe('waiting');
		h.mock.clock.advance(130_000);
		const failed = await h.resume(loop(video('[mock fail] a storm')), failing);
		expect(failed.status).toBe('error');
		expect(failed.error!.message).toMatch(/failed|policy/i);

		const workflow = loop(video('[mock fail] another storm'));
		workflow.nodes[1] = { ...workflow.nodes[1], continueOnFail: true };
		const parked = await h.run(workflow);
		h.mock.clock.advance(130_000);
		const resumed = await h.resume(workflow, parked);
		expect(resumed.status).toBe('success');
		const [error] = resumed.output('Wait', DONE);
		expect(error.json.error).toBeDefined();
		expect((error.json.details as { task_id: string }).task_id).toBe(parked.output('Submit')[0].json.task_id);
	});

	it('a finished task looped back with parking off is refused, instead of going round forever', async () => {
		const workflow = loop(image('a fox'), { parkBetweenChecks: false, inMemoryFor: 60 });
		const result = await h.run(workflow);
		expect(result.status).toBe('error');
		expect(result.error!.message).toMatch(/came back into Imini Wait through a loop/);
	});
});

