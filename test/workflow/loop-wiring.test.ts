// A parking Imini Wait never parks into nothing, in n8n's real engine: a user's slips (Still
// Running left unconnected, the next step still on the first output, the outputs swapped, a
// branch of the loop that leads away) end in an error naming every task and the connection to
// make, on the first run, before anything is checked or parked; a loop through other nodes
// counts. With Continue On Fail or the error output: one error item per task.
import { GENERATE, GET_TASK, WAIT, errorText, expectNoViolations, fastPolling, generate, node, useWorkflows } from '../harness/workflow-tests';
import type { EngineWorkflow } from '../harness/n8n-engine/engine';
import type { IConnections } from 'n8n-workflow';
import { IminiGenerate } from '../../nodes/IminiGenerate/IminiGenerate.node';
import { IminiGetTask } from '../../nodes/IminiGetTask/IminiGetTask.node';
import { IminiWait } from '../../nodes/IminiWait/IminiWait.node';
import { IF, NO_OP, passOn, statusIf } from '../harness/n8n-engine/stand-in-nodes';


const h = useWorkflows(
	{ simulator: { imageTaskMs: 400, videoTaskMs: 120_000 } },
	{ nodeTypes: { [GENERATE]: new IminiGenerate(), [GET_TASK]: new IminiGetTask(), [WAIT]: new IminiWait(), [NO_OP]: passOn('No Op', NO_OP), [IF]: statusIf('queued,processing') } },
);
afterEach(() => expectNoViolations(h.mock));

const video = (prompt: string) => ({ resource: 'video', model: 'doubao/seedance-2.0-fast', prompt, resolution: '720P', aspectRatio: '16:9', duration: 4, waitForCompletion: false });
const to = (...nodes: string[]) => nodes.map((name) => ({ node: name, type: 'main' as const, index: 0 }));

/** Generate → a parking Imini Wait (checks in memory for no time: a video parks on its first check), wired as given. */
function wired(prompt: string, connections: IConnections, extra: { nodes?: EngineWorkflow['nodes']; wait?: Record<string, unknown> } = {}): EngineWorkflow {
	return {
		nodes: [
			generate(video(prompt), { name: 'Submit' }),
			node('Wait', WAIT, { taskId: '={{ $json.task_id }}', parkBetweenChecks: true, inMemoryFor: 0, options: fastPolling, ...extra.wait }),
			node('Next Step', NO_OP, {}),
			...(extra.nodes ?? []),
		],
		connections: { Submit: { main: [to('Wait')] }, ...connections },
	};
}

const taskIdsOf = (prompt: string) => h.mock.submissions.filter((s) => String(s.body.prompt).startsWith(prompt)).map((s) => s.taskId);
const checksOf = (taskId: string) => h.mock.requests().filter((r) => r.method === 'GET' && r.path.endsWith(taskId)).length;

describe('a parking Imini Wait whose Still Running cannot come back', () => {
	it('Still Running left unconnected (Done to the next step): an error on the first run naming the task and the connection to make', async () => {
		const result = await h.run(wired('slip unconnected', { Wait: { main: [[], to('Next Step')] } }));
		expect(result.status).toBe('error');
		const [taskId] = taskIdsOf('slip unconnected');
		expect(result.error!.message).toBe("Still Running is not connected back into Imini Wait's input");
		expect(errorText(result)).toContain("Connect Still Running back into Imini Wait's input");
		expect(errorText(result)).toContain(`task ${taskId} keeps running on imini`);
		// Refused before anything: no check, no park, nothing on the next step.
		expect(checksOf(taskId)).toBe(0);
		expect(result.run.waitTill).toBeUndefined();
		expect(() => result.output('Next Step')).toThrow();
	});

	it('the next step still on the first output (wired before parking was turned on): says to move it onto Done', async () => {
		const result = await h.run(wired('slip old wiring', { Wait: { main: [to('Next Step')] } }));
		expect(result.status).toBe('error');
		expect(result.error!.message).toBe('Still Running leads to "Next Step", which does not come back into Imini Wait');
		expect(errorText(result)).toContain('Move the connection to "Next Step" onto Done');
		expect(errorText(result)).toContain("Connect Still Running back into Imini Wait's input");
		expect(errorText(result)).toContain(taskIdsOf('slip old wiring')[0]);
	});

	it('the outputs swapped (Done looped back, Still Running unconnected): says so', async () => {
		const result = await h.run(
			wired('slip swapped', { Wait: { main: [[], to('Back')] }, Back: { main: [to('Wait')] } }, { nodes: [node('Back', NO_OP, {})] }),
		);
		expect(result.status).toBe('error');
		expect(result.error!.message).toBe('Done leads back into Imini Wait, and Still Running is not connected');
		expect(errorText(result)).toContain(taskIdsOf('slip swapped')[0]);
	});

	it('an If on the way back whose other branch leads elsewhere: names the branch', async () => {
		const result = await h.run(
			wired('slip branch', { Wait: { main: [to('If'), to('Next Step')] }, If: { main: [to('Wait'), to('Next Step')] } }, { nodes: [node('If', IF, {})] }),
		);
		expect(result.status).toBe('error');
		expect(result.error!.message).toBe('"If" can send tasks out of the loop: its "false" output goes to "Next Step", which does not come back into Imini Wait');
		expect(errorText(result)).toContain(taskIdsOf('slip branch')[0]);
		// ... and one whose other branch is not connected at all.
		const open = await h.run(wired('slip open branch', { Wait: { main: [to('If'), to('Next Step')] }, If: { main: [to('Wait')] } }, { nodes: [node('If', IF, {})] }));
		expect(open.error!.message).toBe('"If" can send tasks out of the loop: its "false" output is not connected');
	});

	it('Continue On Fail, and the error output: one error item per task, each naming its task', async () => {
		const input = [];
		for (const prompt of ['slip items a', 'slip items b']) {
			const submitted = await h.run({ nodes: [generate(video(prompt), { name: 'Submit' })] });
			input.push({ json: submitted.output('Submit')[0].json });
		}
		const ids = input.map((i) => i.json.task_id);
		for (const settings of [{ continueOnFail: true }, { onError: 'continueErrorOutput' as const }]) {
			const workflow: EngineWorkflow = {
				nodes: [node('Wait', WAIT, { taskId: '={{ $json.task_id }}', parkBetweenChecks: true, inMemoryFor: 0, options: fastPolling }, settings)],
				connections: { Wait: { main: [[], []] } },
				input,
			};
			const result = await h.run(workflow);
			expect(result.status).toBe('success');
			const errorOutput = settings.continueOnFail ? 1 : 2;
			const items = result.output('Wait', errorOutput);
			expect(items.map((i) => (i.json.details as { task_id: string }).task_id)).toEqual(ids);
			for (const item of items) expect(item.json.error).toBe("Still Running is not connected back into Imini Wait's input");
		}
	});

	it('without the error, the message names every task of the run', async () => {
		const input = [];
		for (const prompt of ['slip all a', 'slip all b']) {
			const submitted = await h.run({ nodes: [generate(video(prompt), { name: 'Submit' })] });
			input.push({ json: submitted.output('Submit')[0].json });
		}
		const result = await h.run({
			nodes: [node('Wait', WAIT, { taskId: '={{ $json.task_id }}', parkBetweenChecks: true, inMemoryFor: 0, options: fastPolling })],
			connections: { Wait: { main: [[], []] } },
			input,
		});
		expect(result.status).toBe('error');
		expect(errorText(result)).toContain(`tasks ${input.map((i) => i.json.task_id).join(', ')} keep running on imini`);
	});
});

describe('a loop that does come back', () => {
	it('through a No Op and an If whose other branch also leads back: parks, and delivers after resume', async () => {
		const workflow = wired(
			'loop through nodes',
			{ Wait: { main: [to('Keep Waiting'), to('Next Step')] }, 'Keep Waiting': { main: [to('If')] }, If: { main: [to('Wait'), to('Back')] }, Back: { main: [to('Wait')] } },
			{ nodes: [node('Keep Waiting', NO_OP, {}), node('If', IF, {}), node('Back', NO_OP, {})] },
		);
		const parked = await h.run(workflow);
		expect(parked.status).toBe('waiting');
		h.mock.clock.advance(130_000);
		const resumed = await h.resume(workflow, parked);
		expect(resumed.status).toBe('success');
		const [done] = resumed.output('Next Step');
		expect(done.json).toMatchObject({ task_id: taskIdsOf('loop through nodes')[0], status: 'succeeded' });
	});

	it('a copy of Still Running to a side step (a notification) next to the way back is fine', async () => {
		const workflow = wired(
			'loop with a side step',
			{ Wait: { main: [to('Wait', 'Notify'), to('Next Step')] } },
			{ nodes: [node('Notify', NO_OP, {})] },
		);
		const parked = await h.run(workflow);
		expect(parked.status).toBe('waiting');
	});
});

describe('Done looped back as well as Still Running', () => {
	it('is refused on the first run, naming the task', async () => {
		const result = await h.run(wired('both looped, stopping', { Wait: { main: [to('Wait'), to('Wait')] } }));
		expect(result.status).toBe('error');
		expect(result.error!.message).toBe('Done leads back into Imini Wait');
		expect(errorText(result)).toContain(taskIdsOf('both looped, stopping')[0]);
	});

	it('with Continue On Fail, the error item goes out of Done once and is let go when it comes back (not round for ever)', async () => {
		const workflow = wired('both looped, continuing', { Wait: { main: [to('Wait'), to('Wait')] } });
		workflow.nodes[1] = { ...workflow.nodes[1], continueOnFail: true };
		const result = await h.run(workflow);
		expect(result.status).toBe('success');
		const errors = result.runData.Wait.flatMap((run) => run.data?.main[1] ?? []);
		expect(errors.map((item) => item.json.error)).toEqual(['Done leads back into Imini Wait']);
		expect((errors[0].json.details as { task_id: string }).task_id).toBe(taskIdsOf('both looped, continuing')[0]);
	});
});
