// Durable waits in a real n8n (`n8n start`, regular mode, SQLite, binary data on the file
// system): the durable video loop (examples/08) behind a webhook, three executions parked at
// once, n8n killed with SIGKILL while they are parked and started again before their parks end
// (a park whose time comes while n8n is down is resumed as n8n starts, and n8n 2.41's start-up
// crash recovery can then mark it crashed: docs/admin/durable-waits.md, "Limits"). Then: the
// video that was due is delivered, with exactly one task created; the execution whose deadline
// passes while parked ends as its On Timeout says; the one still
// running parks again and is stopped, naming its task; a video submitted 20 s before the kill,
// with the example's own settings (a video parks from its first check), is delivered after the
// restart. And a user's slips (Still Running left unconnected; the next step still on the first
// output) end in an error naming the task, not in success. About two and a half minutes, most of
// it n8n's own park granularity (parks of 65 s or more).
import { readMp4Info } from '../../mock-server/media/mp4.ts';
import type { MockServer } from '../../mock-server/index.ts';
import { downloadBinaryData, getExecution, listExecutions, stopExecution } from '../../dev/n8n/executions.ts';
import type { Execution } from '../../dev/n8n/executions.ts';
import { importWorkflows } from '../../dev/n8n/n8n-commands.ts';
import { activateWorkflow } from '../../dev/n8n/server.ts';
import type { RunningN8n } from '../../dev/n8n/server.ts';
import { formatViolations } from '../harness/mock';
import { useRealN8n } from '../harness/real-n8n.ts';
import { postWebhook } from '../harness/webhook';
import { durableLoopWorkflow } from '../harness/durable-loop.ts';
import type { LoopCall } from '../harness/durable-loop.ts';
import { waitFor } from '../harness/wait-for.ts';

// No check in memory first: every task parks on its first check.
const loops = {
	delivered: durableLoopWorkflow({ id: 'durableDelivered', path: 'durable-delivered', wait: { videoInMemoryFor: 0 } }),
	stopped: durableLoopWorkflow({ id: 'durableStopped', path: 'durable-stopped', wait: { videoInMemoryFor: 0 } }),
	deadline: durableLoopWorkflow({ id: 'durableDeadline', path: 'durable-deadline', wait: { videoInMemoryFor: 0 } }),
	// The example as shipped: its video parks from its first check (Check Videos in Memory First: 0).
	firstMinute: durableLoopWorkflow({ id: 'durableFirstMinute', path: 'durable-first-minute' }),
};
const calls: Record<keyof typeof loops, LoopCall> = {
	// Finished well before its first park ends.
	delivered: { prompt: '[mock time=40000] durable: a lighthouse in a storm', timeout: 600 },
	stopped: { prompt: '[mock time=600000] durable: a slow tide', timeout: 1200 },
	// Its deadline (75 s after the submit) passes while it is parked; its first park (65 s) starts
	// on its first check, a second or so after the submit.
	deadline: { prompt: '[mock time=600000] durable: a glacier calving', timeout: 75, on_timeout: 'error' },
	// Killed 20 s after its submit, inside what used to be its minute in memory.
	firstMinute: { prompt: '[mock time=40000] durable: killed in its first minute', timeout: 600 },
};

/** The example rewired as a user might slip: Still Running left unconnected, or the next step on it. */
function slipped(id: string, path: string, waitOutputs: Array<Array<{ node: string; type: 'main'; index: 0 }>>) {
	const workflow = durableLoopWorkflow({ id, path });
	const connections: Record<string, unknown> = { ...(workflow.connections as Record<string, unknown>), 'Imini Wait': { main: waitOutputs } };
	delete connections['Keep Waiting'];
	return { ...workflow, connections };
}
const videoReady = [{ node: 'Video Ready', type: 'main' as const, index: 0 as const }];
const slips = {
	unconnected: slipped('durableSlipUnconnected', 'durable-slip-unconnected', [[], videoReady]),
	oldWiring: slipped('durableSlipOldWiring', 'durable-slip-old-wiring', [videoReady]),
};

let mock: MockServer;
let n8n: RunningN8n;

const real = useRealN8n({
	env: { N8N_DEFAULT_BINARY_DATA_MODE: 'filesystem' },
	beforeStart: async ({ home }) => importWorkflows(home, [...Object.values(loops), ...Object.values(slips)]),
});

beforeAll(async () => {
	({ mock, n8n } = real);
	for (const loop of [...Object.values(loops), ...Object.values(slips)]) await activateWorkflow(n8n, loop.id!);
});

async function theExecution(workflowId: string): Promise<Execution> {
	const [summary] = await waitFor(`an execution of ${workflowId}`, async () => {
		const found = await listExecutions(n8n, { workflowId });
		return found.length > 0 && found;
	}, 30_000);
	return await getExecution(n8n, summary.id);
}

async function executionWhen(workflowId: string, what: string, done: (e: Execution) => boolean, timeoutMs: number): Promise<Execution> {
	return await waitFor(`${workflowId}: ${what}`, async () => {
		const execution = await theExecution(workflowId);
		return done(execution) && execution;
	}, timeoutMs);
}

const taskOf = (prompt: string) => mock.submissions.filter((s) => s.body.prompt === prompt);
type Item = { json: Record<string, any>; binary?: Record<string, { id: string; mimeType: string }> };
const waitRuns = (execution: Execution) => (execution.data.resultData.runData['Imini Wait'] ?? []) as Array<{ data?: { main: Item[][] } }>;

const webhookOf = (workflow: { nodes: unknown[] }) => `${n8n.url}/webhook/${(workflow.nodes[0] as { parameters: { path: string } }).parameters.path}`;

describe('a parking Imini Wait wired wrong, in a real n8n', () => {
	it.each([
		['Still Running left unconnected', 'unconnected' as const, "Still Running is not connected back into Imini Wait's input"],
		['the next step still on the first output', 'oldWiring' as const, 'Still Running leads to "Video Ready", which does not come back into Imini Wait'],
	])('%s: the execution ends in an error naming the task and the connection to make, never success', async (_, slip, message) => {
		const prompt = `[mock time=40000] durable slip: ${slip}`;
		expect((await postWebhook(webhookOf(slips[slip]), { prompt, timeout: 600 })).status).toBe(200);
		const ended = await executionWhen(slips[slip].id!, 'ended', (e) => !['new', 'running', 'waiting'].includes(e.status), 60_000);
		expect(ended.status).toBe('error');
		const { error } = ended.data.resultData;
		expect(error.message).toBe(message);
		expect(error.description).toContain("Connect Still Running back into Imini Wait's input");
		expect(error.description).toContain(`task ${taskOf(prompt)[0].taskId} keeps running on imini`);
		expect(taskOf(prompt)).toHaveLength(1);
		// Nothing went on to the next step as if it were the result.
		expect(ended.data.resultData.runData['Video Ready']).toBeUndefined();
	}, 90_000);
});

describe('Imini Wait parked between checks, in a real n8n killed with SIGKILL while parked', () => {
	it('resumes after the restart: delivers the video (one task), ends the expired one as On Timeout says, and a stop names the task', async () => {
		const calledAt = Date.now();
		for (const [name, loop] of Object.entries(loops)) {
			const answer = await postWebhook(webhookOf(loop), calls[name as keyof typeof loops]);
			expect(answer.status).toBe(200);
		}
		// All three park on their first check: saved as waiting, holding nothing.
		const parked = await Promise.all(Object.values(loops).map((loop) => executionWhen(loop.id!, 'parked', (e) => e.status === 'waiting', 60_000)));
		const stillRunning = parked.map((execution) => waitRuns(execution).at(-1)!.data!.main[0][0]);
		for (const item of stillRunning) {
			expect(item.json.status).toMatch(/^(queued|processing)$/);
			// The next check is a park away (65 s from the first check at the latest).
			expect(Date.parse(item.json.next_check_at) - Date.parse(item.json.created_at)).toBeGreaterThanOrEqual(65_000);
		}

		// A crash while parked, 20 s after the submits (inside a video's first minute), and n8n down
		// for 10 s: back before the first of the parks ends.
		await waitFor('20 s after the submits', () => Date.now() > calledAt + 20_000, 30_000);
		await n8n.service.kill();
		const killedAt = Date.now();
		const killedAfterMs = killedAt - Date.parse(stillRunning[Object.keys(loops).indexOf('firstMinute')].json.created_at);
		await waitFor('10 s with n8n down', () => Date.now() > killedAt + 10_000, 20_000);
		const restartedAt = Date.now();
		n8n = await real.restart();

		// 1. The due video: resumed by the new process, checked, downloaded, out of Done.
		const delivered = await executionWhen(loops.delivered.id!, 'delivered', (e) => e.status !== 'waiting' && e.status !== 'running' && e.status !== 'new', 120_000);
		expect(delivered.status).toBe('success');
		const [video] = waitRuns(delivered).at(-1)!.data!.main[1];
		expect(video.json).toMatchObject({ status: 'succeeded', kind: 'video' });
		expect(readMp4Info(await downloadBinaryData(n8n, video.binary!.data.id))).toMatchObject({ width: 1280, height: 720 });
		expect(taskOf(calls.delivered.prompt)).toHaveLength(1);
		expect(video.json.task_id).toBe(taskOf(calls.delivered.prompt)[0].taskId);
		const deliveredMs = Date.now() - restartedAt;

		// 1b. The video killed in its first minute with the example's own settings: delivered too.
		const firstMinute = await executionWhen(loops.firstMinute.id!, 'delivered', (e) => e.status !== 'waiting' && e.status !== 'running' && e.status !== 'new', 120_000);
		expect(firstMinute.status).toBe('success');
		const [firstVideo] = waitRuns(firstMinute).at(-1)!.data!.main[1];
		expect(firstVideo.json).toMatchObject({ status: 'succeeded', kind: 'video', task_id: taskOf(calls.firstMinute.prompt)[0].taskId });
		expect(taskOf(calls.firstMinute.prompt)).toHaveLength(1);

		// 2. The deadline passed while parked: On Timeout "Fail", naming the task.
		const expired = await executionWhen(loops.deadline.id!, 'ended', (e) => e.status === 'error', 150_000);
		const expiredTask = taskOf(calls.deadline.prompt)[0].taskId;
		expect(expired.data.resultData.error.message).toContain(`Task ${expiredTask} is still`);
		expect(taskOf(calls.deadline.prompt)).toHaveLength(1);

		// 3. Still running: resumed, checked, parked again, and still parked once n8n's start-up crash
		// recovery (which lists every execution the killed process had started) is over. The Stop
		// button ends it, and its task ID is there to pick up.
		await waitFor('n8n to finish starting, its crash recovery included', () => /Editor is now accessible/.test(n8n.logs()), 60_000);
		const parkedAgain = await executionWhen(loops.stopped.id!, 'parked again', (e) => e.status === 'waiting' && Date.parse((e as Execution & { waitTill?: string }).waitTill ?? '') > restartedAt, 60_000);
		await stopExecution(n8n, parkedAgain.id);
		const stopped = await executionWhen(loops.stopped.id!, 'stopped', (e) => e.status === 'canceled', 30_000);
		const stoppedTask = taskOf(calls.stopped.prompt)[0].taskId;
		const [lastSeen] = waitRuns(stopped).at(-1)!.data!.main[0];
		expect(lastSeen.json.task_id).toBe(stoppedTask);
		expect(n8n.logs()).toContain(`Imini Wait parks execution ${stopped.id}`);
		expect(taskOf(calls.stopped.prompt)).toHaveLength(1);

		expect(formatViolations(mock.violations)).toBe('');
		process.stderr.write(
			`\n[durable] 4 executions parked; n8n SIGKILLed ${(killedAfterMs / 1000).toFixed(0)} s after the first-minute video's submit, and down for ${((restartedAt - killedAt) / 1000).toFixed(0)} s;` +
				` after the restart: video delivered in ${(deliveredMs / 1000).toFixed(1)} s, expired one ended "${expired.status}", the still-running one parked again and stopped ("${stopped.status}");` +
				` the first-minute video delivered ("${firstMinute.status}"); tasks created: ${mock.stats.submits} for 4 executions and 2 slips\n`,
		);
	}, 300_000);
});
