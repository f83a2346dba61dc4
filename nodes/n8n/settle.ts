// Waiting for one task and turning the outcome into output items or a readable error. Used by
// Imini Generate (when it waits) and Imini Wait, in memory (settle) or parked between checks
// (settleOrPark). outputsFor routes the items of a run to the nodes' Done and Still Running outputs.
import { NodeOperationError } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeOutputConfiguration } from 'n8n-workflow';
import { isSettled } from '../imini/task';
import type { IminiTask, TaskKind } from '../imini/task';
import { TaskTimeoutError } from '../engine/errors';
import { taskFailedError, toNodeError } from './node-errors';
import { taskItems, taskJson } from './output';
import type { FileOptions } from './parameters';
import { MIN_PARK_MS, planPark } from './park';
import type { RunContext } from './run-items';
import { checkTask } from './task-lookup';

export type SettleOptions = {
	timeoutMs: number;
	/** When the task was submitted (the schedule and the deadline count from there). */
	submittedAt?: number;
	/** The model and request body when known (Imini Generate): tasks alike in both are paced alike. */
	model?: string;
	body?: Record<string, unknown>;
	/** The task as already looked up (Imini Wait). */
	seen?: IminiTask;
	download: FileOptions | null;
	/** 'error': a timeout fails the item; 'output': the task is output as still running. */
	onTimeout: 'error' | 'output';
	/** Told when the task is output as still running (On Timeout), so the node can route it apart. */
	onStillRunning?: () => void;
	/** What the user can do when the deadline passes, from this node (default: Imini Generate's). */
	nextStep?: string;
};

/** From Imini Generate: the task ID goes on to Imini Wait. Imini Wait gives its own next step. */
const GENERATE_NEXT_STEP = 'Use Imini Wait with this task ID to keep waiting, or raise the timeout.';

/** The deadline passed: the facts (the engine's error), then what the user can do from this node. */
function timeoutError(ctx: IExecuteFunctions, error: TaskTimeoutError, itemIndex: number, nextStep = GENERATE_NEXT_STEP): NodeOperationError {
	const message = `${error.message} ${nextStep}`;
	return new NodeOperationError(ctx.getNode(), message, {
		itemIndex,
		description: `task_id ${error.lastTask.task_id}. The task keeps running on imini; nothing is lost.`,
	});
}

export async function settle(
	ctx: IExecuteFunctions,
	run: RunContext,
	kind: TaskKind,
	taskId: string,
	itemIndex: number,
	options: SettleOptions,
): Promise<INodeExecutionData[]> {
	// An output's `model` is the model the task was created with: the one the user picked when
	// known (imini has echoed a different name in an example), else the one imini reports.
	const created = (task: IminiTask): IminiTask => (options.model === undefined ? task : { ...task, model: options.model });
	let task: IminiTask;
	try {
		const { timeoutMs, submittedAt, model, body, seen } = options;
		task = await run.poller.waitFor(kind, taskId, { timeoutMs, submittedAt, model, body, seen });
	} catch (error) {
		if (error instanceof TaskTimeoutError) {
			if (options.onTimeout === 'output') {
				options.onStillRunning?.();
				return await taskItems(ctx, run.client, kind, created(error.lastTask as IminiTask), null, itemIndex);
			}
			throw timeoutError(ctx, error, itemIndex, options.nextStep);
		}
		throw toNodeError(ctx.getNode(), error, { call: 'poll', kind, taskId }, itemIndex);
	}
	if (task.status === 'failed') throw taskFailedError(ctx.getNode(), task, itemIndex);
	return await taskItems(ctx, run.client, kind, created(task), options.download, itemIndex);
}

export type ParkOptions = {
	/** The Timeout, counted from imini's created_at (the same on every run of a loop). */
	timeoutMs: number;
	/** Checked in memory until the task is this old; parked between checks after that. */
	inMemoryMs: number;
	/** The user's Longest Check Interval, if set. */
	longestIntervalMs?: number;
	seen?: IminiTask;
	download: FileOptions | null;
	onTimeout: 'error' | 'output';
	/** What the user can do when the deadline passes, from this node. */
	nextStep?: string;
};

export type ParkOutcome = {
	items: INodeExecutionData[];
	/** Set when the task is still running and its next check is far enough away to park until then. */
	parkUntil?: number;
};

/** What a still-running task's item carries to the next run of the loop: small, no files. */
function stillRunningJson(kind: TaskKind, task: IminiTask, deadlineAt: number, nextCheckAt: number): IDataObject {
	return { ...taskJson(kind, task), deadline_at: new Date(deadlineAt).toISOString(), next_check_at: new Date(nextCheckAt).toISOString() };
}

/**
 * One run of a durable wait (Imini Wait, parking on). The task is checked at once (each run
 * starts right after a park, when a check is due); a young task is then waited for in memory as
 * settle() does; an older one that is still running is returned with the time of its next
 * check, for the node to park the execution until then. The deadline is imini's created_at plus
 * the Timeout, so it stays put however many times the execution parks and resumes.
 */
export async function settleOrPark(
	ctx: IExecuteFunctions,
	run: RunContext,
	kind: TaskKind,
	taskId: string,
	itemIndex: number,
	options: ParkOptions,
): Promise<ParkOutcome> {
	let task = options.seen ?? (await checkTask(ctx, run, kind, taskId, itemIndex));
	run.ledger.update(taskId, task.status);
	const firstSeen = Date.now();
	// imini's clock taken as this one's (both are NTP time); never in the future.
	const createdAt = Math.min(Date.parse(task.created_at) || firstSeen, firstSeen);
	const deadlineAt = createdAt + options.timeoutMs;
	for (;;) {
		if (task.status === 'failed') throw taskFailedError(ctx.getNode(), task, itemIndex);
		if (isSettled(task)) return { items: await taskItems(ctx, run.client, kind, task, options.download, itemIndex) };
		const now = Date.now();
		const plan = planPark({ now, createdAt, deadlineAt, inMemoryMs: options.inMemoryMs, longestIntervalMs: options.longestIntervalMs });
		if (plan.action === 'timeout') {
			const timedOut = new TaskTimeoutError(kind, task, now - createdAt);
			if (options.onTimeout === 'error') throw timeoutError(ctx, timedOut, itemIndex, options.nextStep);
			// Out of Done with its status: looping it back would only time out again.
			return { items: [{ json: { ...taskJson(kind, task), timed_out: true } }] };
		}
		if (plan.action === 'park') return { items: [{ json: stillRunningJson(kind, task, deadlineAt, plan.until) }], parkUntil: plan.until };
		try {
			task = await run.poller.waitFor(kind, taskId, { timeoutMs: plan.until - createdAt, submittedAt: createdAt, seen: task });
		} catch (error) {
			if (!(error instanceof TaskTimeoutError)) throw toNodeError(ctx.getNode(), error, { call: 'poll', kind, taskId }, itemIndex);
			// The in-memory stretch is over: plan again with the task as last seen (a check the rate
			// limit held back leaves a bare snapshot; the task as last seen in full is kept then).
			const last = error.lastTask as Partial<IminiTask>;
			if (last.created_at) task = last as IminiTask;
			const now = Date.now();
			if (now < plan.until) {
				// The rate limit left no room for a check in this stretch: park rather than ask again now.
				const until = Math.min(deadlineAt, Math.max(plan.until, now + MIN_PARK_MS));
				return { items: [{ json: stillRunningJson(kind, task, deadlineAt, until) }], parkUntil: until };
			}
		}
	}
}

/** The item index an output item came from (runItems sets pairedItem on every item). */
function itemIndexOf(item: INodeExecutionData): number | undefined {
	const paired = item.pairedItem;
	if (paired === undefined || typeof paired === 'number') return paired;
	return Array.isArray(paired) ? paired[0]?.item : paired.item;
}

/**
 * Splits a run's items between Done and Still Running (the items of `stillRunning`'s item
 * indexes), in the order of the node's outputs; a node with one output gets them all there.
 */
export function outputsFor(ctx: IExecuteFunctions, items: INodeExecutionData[], stillRunning: Set<number>, order: 'done-first' | 'running-first'): INodeExecutionData[][] {
	// The outputs as n8n resolved them from the node's parameters (the description's expression).
	// Read defensively: an n8n without getNodeOutputs gets everything on the first output.
	const getNodeOutputs = ctx.getNodeOutputs as (() => INodeOutputConfiguration[]) | undefined;
	const outputs = typeof getNodeOutputs === 'function' ? getNodeOutputs.call(ctx) : [];
	if (outputs.filter((output) => output.type === 'main').length < 2) return [items];
	const done: INodeExecutionData[] = [];
	const running: INodeExecutionData[] = [];
	for (const item of items) {
		const index = itemIndexOf(item);
		(index !== undefined && stillRunning.has(index) ? running : done).push(item);
	}
	return order === 'done-first' ? [done, running] : [running, done];
}
