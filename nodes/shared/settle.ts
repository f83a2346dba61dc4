// Waiting for one task and turning the outcome into output items or a readable error. Used by
// Imini Generate (when it waits) and Imini Wait.
import { NodeOperationError } from 'n8n-workflow';
import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import type { TaskKind } from './catalog';
import type { FileOptions } from './descriptions';
import { taskFailedError, TaskTimeoutError, toNodeError } from './errors';
import { taskItems } from './output';
import type { RunContext } from './router';
import type { IminiTask } from './transport';

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
	let task: IminiTask;
	try {
		const { timeoutMs, submittedAt, model, body, seen } = options;
		task = await run.poller.waitFor(kind, taskId, { timeoutMs, submittedAt, model, body, seen });
	} catch (error) {
		if (error instanceof TaskTimeoutError) {
			if (options.onTimeout === 'output') return await taskItems(ctx, run.client, kind, error.lastTask as IminiTask, null, itemIndex);
			throw new NodeOperationError(ctx.getNode(), error.message, {
				itemIndex,
				description: `task_id ${taskId}. The task keeps running on imini; nothing is lost.`,
			});
		}
		throw toNodeError(ctx.getNode(), error, { call: 'poll', kind, taskId }, itemIndex);
	}
	if (task.status === 'failed') throw taskFailedError(ctx.getNode(), task, itemIndex);
	return await taskItems(ctx, run.client, kind, task, options.download, itemIndex);
}
