// The wiring property of a parking Imini Wait: random wirings around it, run through n8n's real
// engine against the mock (tasks on a virtual clock, each park resumed as n8n's WaitTracker
// would), checked against the invariant of docs/reliability.md:
//
//   no execution ends `success` while a task Imini Wait watched is neither delivered (out of
//   Done) nor named in an error.
//
// Wirings drawn: Still Running looped straight back, through a chain of No Ops and Ifs (whose
// other branch leads back, away, or nowhere), or through a Filter; not looped; the next step on
// the first output (wired before parking was turned on); Done looped back; side copies of an
// output to a dead end. Also drawn: how many tasks, how long they take, Continue On Fail or the
// error output, and the check in memory before parking.
//
// `npm test` runs a fixed seed; `npm run test:fuzz` runs more with a random seed it prints;
// FUZZ_SEED=<seed> FUZZ_PATH=<path> npm run test:fuzz replays one wiring.
import fc from 'fast-check';
import type { IConnections } from 'n8n-workflow';
import { createEngine } from '../harness/n8n-engine/engine';
import type { EngineNode, EngineResult, EngineWorkflow } from '../harness/n8n-engine/engine';
import { startMock } from '../../mock-server/index.ts';
import type { MockServer } from '../../mock-server/index.ts';
import { IminiApi } from '../../credentials/IminiApi.credentials';
import { IminiGenerate } from '../../nodes/IminiGenerate/IminiGenerate.node';
import { IminiWait } from '../../nodes/IminiWait/IminiWait.node';
import { accounts } from '../../nodes/engine/process-state';
import { FILTER, IF, NO_OP, passOn, statusFilter, statusIf } from '../harness/n8n-engine/stand-in-nodes';
import { fuzzSettings } from '../harness/fuzz-settings';

const GENERATE = 'n8n-nodes-imini.iminiGenerate';
const WAIT = 'n8n-nodes-imini.iminiWait';
const fuzz = fuzzSettings({ short: 12, long: 80 }, 20_261_207);
const { long, runs, seed } = fuzz;
/** More resumes than any drawn task needs (they take at most 200 s; each resume advances 70 s). */
const MAX_RESUMES = 8;

type Step = { kind: 'noOp' } | { kind: 'if'; statuses: string; otherBranch: 'back' | 'away' | 'none' } | { kind: 'filter'; statuses: string };
type Plan = {
	tasks: Array<{ timeMs: number }>;
	stillRunning: 'direct' | 'chain' | 'none' | 'nextStep';
	chain: Step[];
	done: 'nextStep' | 'none' | 'loop';
	sideCopy: boolean;
	errors: 'stop' | 'continueOnFail' | 'errorOutput';
	videoInMemoryFor: number;
};

const statusesArb = fc.constantFrom('queued,processing', 'processing', 'queued', 'succeeded');
const stepArb: fc.Arbitrary<Step> = fc.oneof(
	{ arbitrary: fc.constant({ kind: 'noOp' as const }), weight: 3 },
	{ arbitrary: fc.record({ kind: fc.constant('if' as const), statuses: statusesArb, otherBranch: fc.constantFrom('back' as const, 'away' as const, 'none' as const) }), weight: 2 },
	{ arbitrary: fc.record({ kind: fc.constant('filter' as const), statuses: statusesArb }), weight: 1 },
);
const planArb: fc.Arbitrary<Plan> = fc.record({
	tasks: fc.array(fc.record({ timeMs: fc.integer({ min: 2_000, max: 200_000 }) }), { minLength: 1, maxLength: long ? 5 : 3 }),
	stillRunning: fc.constantFrom('direct' as const, 'chain' as const, 'chain' as const, 'none' as const, 'nextStep' as const),
	chain: fc.array(stepArb, { minLength: 1, maxLength: 3 }),
	done: fc.constantFrom('nextStep' as const, 'nextStep' as const, 'none' as const, 'loop' as const),
	sideCopy: fc.boolean(),
	errors: fc.constantFrom('stop' as const, 'continueOnFail' as const, 'errorOutput' as const),
	videoInMemoryFor: fc.constantFrom(0, 0, 1),
});

let mock: MockServer;
let runCounter = 0;
const tally = { runs: 0, tasks: 0, resumes: 0, statuses: {} as Record<string, number>, refused: 0, delivered: 0 };

beforeAll(async () => {
	mock = await startMock({ prism: false, simulator: { imageTaskMs: 400, videoTaskMs: 120_000, rateLimit: null } });
});
afterAll(async () => {
	await mock?.close();
});

const to = (...names: string[]) => names.map((node) => ({ node, type: 'main' as const, index: 0 }));

function workflow(plan: Plan, marker: string): EngineWorkflow {
	const credentials = { iminiApi: { id: '1', name: 'Imini (fuzz)' } };
	const nodes: EngineNode[] = [
		{
			name: 'Submit',
			type: GENERATE,
			credentials,
			parameters: {
				resource: 'video',
				model: 'doubao/seedance-2.0-fast',
				prompt: '={{ $json.p }}',
				resolution: '720P',
				aspectRatio: '16:9',
				duration: 4,
				waitForCompletion: false,
			},
		},
		{
			name: 'Wait',
			type: WAIT,
			credentials,
			parameters: {
				taskId: '={{ $json.task_id }}',
				parkBetweenChecks: true,
				videoInMemoryFor: plan.videoInMemoryFor,
				// The property is about where tasks go, not their files (a video takes the mock seconds to make).
				download: false,
				options: { firstCheckAfter: 0.05, maxCheckInterval: 0.1 },
			},
			...(plan.errors === 'continueOnFail' ? { continueOnFail: true } : plan.errors === 'errorOutput' ? { onError: 'continueErrorOutput' as const } : {}),
		},
		{ name: 'Next Step', type: NO_OP, parameters: {} },
		{ name: 'Side', type: NO_OP, parameters: {} },
		{ name: 'Away', type: NO_OP, parameters: {} },
	];
	const connections: IConnections = { Submit: { main: [to('Wait')] } };
	const wait: string[][] = [[], []];

	// The chain: each step leads to the next, the last one back into Imini Wait.
	const chainNames = plan.chain.map((step, i) => `${step.kind} ${i + 1}`);
	plan.chain.forEach((step, i) => {
		const name = chainNames[i];
		const next = chainNames[i + 1] ?? 'Wait';
		if (step.kind === 'noOp') nodes.push({ name, type: NO_OP, parameters: {} });
		if (step.kind === 'filter') nodes.push({ name, type: FILTER, parameters: { statuses: step.statuses } });
		if (step.kind === 'if') nodes.push({ name, type: IF, parameters: { statuses: step.statuses } });
		const other = step.kind === 'if' ? (step.otherBranch === 'back' ? ['Wait'] : step.otherBranch === 'away' ? ['Away'] : []) : undefined;
		connections[name] = { main: other === undefined ? [to(next)] : [to(next), to(...other)] };
	});
	if (plan.stillRunning === 'direct') wait[0].push('Wait');
	if (plan.stillRunning === 'chain') wait[0].push(chainNames[0]);
	if (plan.stillRunning === 'nextStep') wait[0].push('Next Step');
	if (plan.done === 'nextStep') wait[1].push('Next Step');
	if (plan.done === 'loop') wait[1].push(plan.stillRunning === 'chain' ? chainNames[0] : 'Wait');
	if (plan.sideCopy) wait[0].push('Side');
	connections.Wait = { main: wait.map((names) => to(...names)) };

	const input = plan.tasks.map((task, i) => ({ json: { p: `wiring ${marker} task ${i} [mock time=${task.timeMs}]` } }));
	return { nodes, connections, input };
}

/** Every text of a run a user can read: each node's items in every run, and the run's error. */
function everything(result: EngineResult): string {
	return `${JSON.stringify(result.runData)}\n${result.error?.message ?? ''}\n${result.error?.description ?? ''}`;
}

/** Task IDs delivered: out of Imini Wait's Done, finished, in any of its runs. */
function delivered(result: EngineResult): Set<string> {
	const ids = new Set<string>();
	for (const run of result.runData.Wait ?? []) {
		for (const item of run.data?.main?.[1] ?? []) if (item.json.status === 'succeeded' || item.json.status === 'failed') ids.add(String(item.json.task_id));
	}
	return ids;
}

/** Task IDs named in an error: the run's error, or an error item (Done with Continue On Fail, or the error output). */
function namedInErrors(result: EngineResult): string {
	const texts = [`${result.error?.message ?? ''}\n${result.error?.description ?? ''}`];
	for (const run of result.runData.Wait ?? []) {
		for (const output of run.data?.main ?? []) for (const item of output ?? []) if (item.json.error !== undefined) texts.push(JSON.stringify(item.json));
	}
	return texts.join('\n');
}

async function check(plan: Plan): Promise<void> {
	const marker = `w${++runCounter}x${Math.floor(Math.random() * 1e6)}`;
	accounts.forgetIdle();
	const engine = createEngine({
		nodeTypes: { [GENERATE]: new IminiGenerate(), [WAIT]: new IminiWait(), [NO_OP]: passOn('No Op', NO_OP), [IF]: statusIf(), [FILTER]: statusFilter() },
		credentialTypes: [new IminiApi()],
		credentials: { iminiApi: { apiKey: mock.apiKey, baseUrl: mock.url } },
	});
	const wf = workflow(plan, marker);
	let result = await engine.run(wf);
	let resumes = 0;
	while (result.status === 'waiting' && resumes < MAX_RESUMES) {
		mock.clock.advance(70_000);
		result = await engine.resume(wf, result);
		resumes++;
	}
	const created = mock.submissions.filter((s) => String(s.body.prompt).includes(`wiring ${marker} `)).map((s) => s.taskId);
	tally.runs++;
	tally.tasks += created.length;
	tally.resumes += resumes;
	tally.statuses[result.status] = (tally.statuses[result.status] ?? 0) + 1;
	if (/back into Imini Wait|out of the loop|can drop tasks|Still Running is not connected/.test(namedInErrors(result))) tally.refused++;

	expect({ created: created.length }).toEqual({ created: plan.tasks.length });
	// Parked for good would be a lost wait too: every drawn task is done within the resumes.
	expect(result.status).not.toBe('waiting');
	const out = delivered(result);
	tally.delivered += out.size;
	const errors = namedInErrors(result);
	// The invariant: an execution that ends success has each task delivered or named in an error
	// item (a success with a task nowhere is the slip this property hunts).
	const lost = result.status === 'success' ? created.filter((id) => !out.has(id) && !errors.includes(id)) : [];
	expect({ status: result.status, lost }).toEqual({ status: result.status, lost: [] });
	// And each task is somewhere a user can read it.
	for (const id of created) expect(everything(result)).toContain(id);
	// Never paid twice: the loop never goes back through the submit.
	expect(created).toHaveLength(new Set(created).size);
}

describe(`random wirings of a parking Imini Wait (seed ${seed}, ${runs} runs)`, () => {
	it('never end success with a watched task neither delivered nor named in an error', async () => {
		console.log(fuzz.replayHint('wiring fuzz'));
		try {
			await fc.assert(fc.asyncProperty(planArb, check), fuzz.assertOptions);
		} finally {
			console.log(`wiring fuzz covered: ${JSON.stringify(tally)}`);
		}
	}, 30 * 60_000);
});
