// Finding a task from the Get Task and Wait nodes' parameters: its id, and whether it is an image
// or a video task (they live at different addresses; "auto" asks the input item, then imini).
import { NodeOperationError } from 'n8n-workflow';
import type { IExecuteFunctions } from 'n8n-workflow';
import type { IminiTask, TaskKind } from '../imini/task';
import { IminiHttpError } from '../engine/errors';
import { toNodeError } from './node-errors';
import type { RunContext } from './run-items';

export function readTaskId(ctx: IExecuteFunctions, itemIndex: number): string {
	const taskId = String(ctx.getNodeParameter('taskId', itemIndex, '') ?? '').trim();
	if (!taskId) {
		throw new NodeOperationError(ctx.getNode(), 'No task ID given', {
			itemIndex,
			description: 'Map the task_id field of Imini Generate\'s output (with Wait for Completion off) into "Task ID".',
		});
	}
	return taskId;
}

/** One status check, with a failure turned into the error the user sees. */
export async function checkTask(ctx: IExecuteFunctions, run: RunContext, kind: TaskKind, taskId: string, itemIndex: number): Promise<IminiTask> {
	try {
		return (await run.client.getTask(kind, taskId)).value;
	} catch (error) {
		throw toNodeError(ctx.getNode(), error, { call: 'poll', kind, taskId }, itemIndex);
	}
}

/** The kind of the task, and the task itself when finding the kind needed a lookup. */
export async function resolveTask(
	ctx: IExecuteFunctions,
	run: RunContext,
	itemIndex: number,
	taskId: string,
): Promise<{ kind: TaskKind; task?: IminiTask }> {
	const chosen = ctx.getNodeParameter('taskType', itemIndex, 'auto') as TaskKind | 'auto';
	if (chosen !== 'auto') return { kind: chosen };
	const fromInput = ctx.getInputData()[itemIndex]?.json?.kind;
	if (fromInput === 'image' || fromInput === 'video') return { kind: fromInput };
	// Image first; a 404 there means "not an image task", so ask for a video task.
	try {
		return { kind: 'image', task: (await run.client.getTask('image', taskId)).value };
	} catch (error) {
		if (!(error instanceof IminiHttpError && error.status === 404)) {
			throw toNodeError(ctx.getNode(), error, { call: 'poll', kind: 'image', taskId }, itemIndex);
		}
	}
	return { kind: 'video', task: await checkTask(ctx, run, 'video', taskId, itemIndex) };
}
