"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.settle = settle;
const errors_1 = require("./errors");
const n8n_workflow_1 = require("n8n-workflow");
const output_1 = require("./output");
async function settle(ctx, run, kind, taskId, itemIndex, options) {
    let task;
    try {
        task = await run.poller.waitFor(kind, taskId, options.timeoutMs, options.submittedAt);
    }
    catch (error) {
        if (error instanceof errors_1.TaskTimeoutError) {
            if (options.onTimeout === 'output')
                return await (0, output_1.taskItems)(ctx, run.client, kind, error.lastTask, null, itemIndex);
            throw new n8n_workflow_1.NodeOperationError(ctx.getNode(), error.message, {
                itemIndex,
                description: `task_id ${taskId}. The task keeps running on imini; nothing is lost.`,
            });
        }
        const attempts = error.attempts ?? 1;
        throw (0, errors_1.toNodeError)(ctx.getNode(), error, { call: 'poll', kind, taskId, attempts }, itemIndex);
    }
    if (task.status === 'failed')
        throw (0, errors_1.taskFailedError)(ctx.getNode(), task, itemIndex);
    return await (0, output_1.taskItems)(ctx, run.client, kind, task, options.download, itemIndex);
}
