// When a durable wait (Imini Wait's "Park the Workflow Between Checks") saves the execution
// instead of sleeping until the next status check: planPark decides for one task (pure: times in,
// a decision out); parkWhenAllStillRunning parks a run; refuseParkingIntoNothing refuses a run
// whose Still Running output cannot bring its tasks back (loop-wiring.ts reads the wiring);
// refuseFinishedTasksBack stops a finished task that came back round a loop.
//
// n8n resumes a parked execution from its WaitTracker, which runs on the (leader) main process
// only, reads the database every 60 s and looks 70 s ahead. A park of about 65 s or more resumes
// on time; a shorter one can resume up to a minute late, so shorter waits stay in memory (n8n's
// own Wait node draws the line at 65 s too). While parked, an execution holds no concurrency slot
// and no memory, and it survives a restart or a crash of any n8n process.
import { NodeOperationError } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import type { TaskKind } from '../imini/task';
import { loopWiringProblem, testsThisStepAlone } from './loop-wiring';
import { runItems } from './run-items';
import { runsAsTool } from './tool-mode';

/** The shortest park that resumes on time (n8n's WaitTracker: 60 s tick, 70 s look-ahead). */
export const MIN_PARK_MS = 65_000;

/** How long an image is checked in memory before it may park, by default: it is done well within it. */
export const DEFAULT_IN_MEMORY_MS = 60_000;

/**
 * A video parks from its first check by default: a restart while a task is checked in memory
 * ends the execution `crashed`, and a video rarely finishes so soon that a park (65 s) costs much.
 */
export const DEFAULT_VIDEO_IN_MEMORY_MS = 0;

export type ParkInput = {
	now: number;
	/** When imini created the task (its `created_at`, on this clock). */
	createdAt: number;
	/** created_at + Timeout: the On Timeout choice applies from here. */
	deadlineAt: number;
	/** Checked in memory until the task is this old (the user's "Check Pictures / Videos in Memory First"). */
	inMemoryMs: number;
	/** The user's Longest Check Interval, when set: parks last at least 65 s, and this long if longer. */
	longestIntervalMs?: number;
};

export type ParkPlan =
	/** The deadline has passed: On Timeout applies. */
	| { action: 'timeout' }
	/** Check in memory (the poller's schedule) until `until`, then plan again. */
	| { action: 'memory'; until: number }
	/** Save the execution and check again at `until`. */
	| { action: 'park'; until: number };

export function planPark({ now, createdAt, deadlineAt, inMemoryMs, longestIntervalMs }: ParkInput): ParkPlan {
	if (now >= deadlineAt) return { action: 'timeout' };
	// Young tasks (and every image) are watched in memory: most finish before they could park.
	const memoryUntil = createdAt + inMemoryMs;
	if (now < memoryUntil) return { action: 'memory', until: Math.min(memoryUntil, deadlineAt) };
	// Too close to the deadline to park on time: the last stretch is waited in memory.
	if (deadlineAt - now < MIN_PARK_MS) return { action: 'memory', until: deadlineAt };
	const interval = Math.max(MIN_PARK_MS, longestIntervalMs ?? 0);
	return { action: 'park', until: Math.min(now + interval, deadlineAt) };
}

/** The user's "Check Pictures / Videos in Memory First", for the task's kind, in ms. */
export function readInMemoryMs(ctx: IExecuteFunctions, itemIndex: number, kind: TaskKind): number {
	// A test of this step alone waits in memory: n8n stops after it, so a park would never come back.
	if (testsThisStepAlone(ctx)) return Number.POSITIVE_INFINITY;
	const name = kind === 'video' ? 'videoInMemoryFor' : 'inMemoryFor';
	const seconds = Number(ctx.getNodeParameter(name, itemIndex, (kind === 'video' ? DEFAULT_VIDEO_IN_MEMORY_MS : DEFAULT_IN_MEMORY_MS) / 1000));
	return Math.max(0, Number.isFinite(seconds) ? seconds : 0) * 1000;
}

/**
 * Parks the execution when every item of the run is still running (`parkUntil` holds an entry
 * for each), until the earliest of their next checks. The output of a parked run is dropped on
 * resume, so a run with results (or errors) hands them on first, and the tasks still running go
 * round the loop once more, to park on the next run.
 */
export async function parkWhenAllStillRunning(ctx: IExecuteFunctions, items: INodeExecutionData[], parkUntil: Map<number, number>): Promise<boolean> {
	const count = ctx.getInputData().length;
	if (count === 0 || parkUntil.size !== count) return false;
	const until = new Date(Math.min(...parkUntil.values()));
	const taskIds = items.map((item) => String(item.json.task_id)).join(', ');
	ctx.logger.info(`Imini Wait parks execution ${ctx.getExecutionId()} until ${until.toISOString()}; imini tasks ${taskIds}`);
	await ctx.putExecutionToWait(until);
	return true;
}

/**
 * An error item of this node's that came back into it round a loop (Done looped back, with
 * Continue On Fail): it was reported when it went out of Done, and sent out again it would go
 * round for ever. Such items are let go.
 */
export function alreadyReported(ctx: IExecuteFunctions, itemIndex: number): boolean {
	return ctx.getInputData()[itemIndex]?.json?.error !== undefined && cameRoundALoop(ctx);
}

/** Whether this run's items came back round a loop from this node's own output. */
function cameRoundALoop(ctx: IExecuteFunctions): boolean {
	const self = ctx.getNode().name;
	let from: string | undefined;
	try {
		from = ctx.getInputSourceData(0)?.previousNode;
	} catch {
		return false; // no source: the first node of a partial run
	}
	return from !== undefined && (from === self || ctx.getChildNodes(self).some((child) => child.name === from));
}

/**
 * A finished task fed back into Imini Wait would be fetched and output again, round and round (a
 * loop wired for parking, with parking turned off, sends everything out of the one output).
 */
export function refuseFinishedTasksBack(ctx: IExecuteFunctions, parking: boolean): void {
	const looped = ctx.getInputData().filter((item) => item.json.error === undefined && (item.json.status === 'succeeded' || item.json.status === 'failed'));
	if (looped.length === 0 || !cameRoundALoop(ctx)) return;
	const ids = looped.map((item) => String(item.json.task_id));
	const named = ids.length > 1 ? `Finished tasks ${ids.join(', ')} came` : `Finished task ${ids[0]} came`;
	throw new NodeOperationError(ctx.getNode(), `${named} back into Imini Wait through a loop`, {
		description: parking
			? 'Only the Still Running output may lead back into this node: connect Done to the next step instead.'
			: 'Turn on "Park the Workflow Between Checks" (its Still Running output is the one to loop back), or remove the connection that leads back into this node.',
	});
}

/** The task IDs of the run's items, as far as they can be read. */
function taskIdsOfRun(ctx: IExecuteFunctions): string[] {
	return ctx.getInputData().flatMap((_, itemIndex) => {
		try {
			const taskId = String(ctx.getNodeParameter('taskId', itemIndex, '') ?? '').trim();
			return taskId ? [taskId] : [];
		} catch {
			return [];
		}
	});
}

/**
 * A parking run whose Still Running output cannot bring its tasks back is refused before it
 * checks or parks anything: the error says which connection to make and names every task (one
 * error item per task with Continue On Fail or the error output). Undefined when the loop is closed.
 */
export async function refuseParkingIntoNothing(ctx: IExecuteFunctions, maxWatched: number): Promise<INodeExecutionData[] | undefined> {
	const problem = testsThisStepAlone(ctx) ? undefined : loopWiringProblem(ctx);
	if (!problem) return undefined;
	const keepsRunning = (ids: string[]) =>
		ids.length === 0
			? ''
			: ` Nothing was parked or lost: ${ids.length > 1 ? `tasks ${ids.join(', ')} keep` : `task ${ids[0]} keeps`} running on imini. To get ${ids.length > 1 ? 'them' : 'it'} without paying again, use ${ids.length > 1 ? 'these task IDs' : 'this task ID'} in Imini Wait or Imini Get Task once the connection is made, rather than running Imini Generate again.`;
	if (!ctx.continueOnFail() && !runsAsTool(ctx)) {
		throw new NodeOperationError(ctx.getNode(), problem.message, { description: `${problem.fix}${keepsRunning(taskIdsOfRun(ctx))}` });
	}
	const [errorItems] = await runItems(ctx, maxWatched, async (itemIndex, run) => {
		if (alreadyReported(ctx, itemIndex)) return [];
		const taskId = String(ctx.getNodeParameter('taskId', itemIndex, '') ?? '').trim();
		if (taskId) {
			const kind = ctx.getInputData()[itemIndex]?.json?.kind === 'image' ? 'image' : 'video';
			run.ledger.record(itemIndex, kind, taskId, String(ctx.getInputData()[itemIndex]?.json?.status ?? 'processing'));
		}
		throw new NodeOperationError(ctx.getNode(), problem.message, { itemIndex, description: `${problem.fix}${keepsRunning(taskId ? [taskId] : [])}` });
	});
	return errorItems;
}

/**
 * A parking run that failed as a whole (a finished task came back, a setting could not be read),
 * with Continue On Fail or the error output: one error item per input item, for Done. n8n's own
 * answer to a node that throws with Continue On Fail is to send the node's input out of its first
 * output: Still Running, back round the loop, where it would fail again, for ever. Without
 * Continue On Fail (or on Stop) the error stands.
 */
export function failedRunAsErrorItems(ctx: IExecuteFunctions, error: unknown): INodeExecutionData[] {
	if (!ctx.continueOnFail() || ctx.getExecutionCancelSignal()?.aborted) throw error;
	const message = error instanceof Error ? error.message : String(error);
	const description = (error as { description?: unknown }).description;
	return ctx.getInputData().flatMap((item, itemIndex) => {
		if (alreadyReported(ctx, itemIndex)) return [];
		const details: IDataObject = {};
		if (item.json.task_id !== undefined) details.task_id = item.json.task_id;
		if (typeof description === 'string' && description) details.description = description;
		return [{ json: { error: message, details }, pairedItem: { item: itemIndex } }];
	});
}
