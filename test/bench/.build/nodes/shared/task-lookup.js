"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.readTaskId = readTaskId;
exports.resolveTask = resolveTask;
// Finding a task from the Get Task and Wait nodes' parameters: its id, and whether it is an image
// or a video task (they live at different addresses; "auto" asks the input item, then imini).
const n8n_workflow_1 = require("n8n-workflow");
const errors_1 = require("./errors");
function readTaskId(ctx, itemIndex) {
    const taskId = String(ctx.getNodeParameter('taskId', itemIndex, '') ?? '').trim();
    if (!taskId) {
        throw new n8n_workflow_1.NodeOperationError(ctx.getNode(), 'No task ID given', {
            itemIndex,
            description: 'Map the task_id field of Imini Generate\'s output (with Wait for Completion off) into "Task ID".',
        });
    }
    return taskId;
}
/** The kind of the task, and the task itself when finding the kind needed a lookup. */
async function resolveTask(ctx, run, itemIndex, taskId) {
    const chosen = ctx.getNodeParameter('taskType', itemIndex, 'auto');
    if (chosen !== 'auto')
        return { kind: chosen };
    const fromInput = ctx.getInputData()[itemIndex]?.json?.kind;
    if (fromInput === 'image' || fromInput === 'video')
        return { kind: fromInput };
    for (const kind of ['image', 'video']) {
        try {
            const { value } = await run.client.getTask(kind, taskId);
            return { kind, task: value };
        }
        catch (error) {
            if (error instanceof errors_1.IminiHttpError && error.status === 404 && kind === 'image')
                continue;
            const attempts = error.attempts ?? 1;
            throw (0, errors_1.toNodeError)(ctx.getNode(), error, { call: 'poll', kind, taskId, attempts }, itemIndex);
        }
    }
    throw new Error('unreachable');
}
