// Waiting for one task and turning the outcome into output items or a readable error. Used by
// Imini Generate (when it waits) and Imini Wait.
import { NodeOperationError } from 'n8n-workflow';
import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import type { IminiTask, TaskKind } from '../imini/task';
import { TaskTimeoutError } from '../engine/errors';
import { taskFailedError, toNodeError } from './node-errors';
import { taskItems } from './output';
import type { FileOptions } from './parameters';
import type { RunContext } from './run-items';

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
};

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
			if (options.onTimeout === 'output') return await taskItems(ctx, run.client, kind, created(error.lastTask as IminiTask), null, itemIndex);
			throw new NodeOperationError(ctx.getNode(), error.message, {
				itemIndex,
				description: `task_id ${taskId}. The task keeps running on imini; nothing is lost.`,
			});
		}
		throw toNodeError(ctx.getNode(), error, { call: 'poll', kind, taskId }, itemIndex);
	}
	if (task.status === 'failed') throw taskFailedError(ctx.getNode(), task, itemIndex);
	return await taskItems(ctx, run.client, kind, created(task), options.download, itemIndex);
}
