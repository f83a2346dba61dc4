"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.TaskLedger = void 0;
exports.runItems = runItems;
// The per-item loop the three nodes share. Items run concurrently (at most `maxInFlight` at a
// time) against one client and one poller, so a batch takes about as long as its slowest task.
// The router owns pairedItem, Continue On Fail, cancellation and the task ledger: whatever goes
// wrong, every task id created in this run reaches the output or the error message.
const n8n_workflow_1 = require("n8n-workflow");
const errors_1 = require("./errors");
const descriptions_1 = require("./descriptions");
const poller_1 = require("./poller");
const transport_1 = require("./transport");
/** Every task this run created or watched, with its last known status. */
class TaskLedger {
    entries = new Map();
    record(itemIndex, kind, taskId, status) {
        this.entries.set(taskId, { taskId, kind, itemIndex, status });
    }
    update(taskId, status) {
        const entry = this.entries.get(taskId);
        if (entry)
            entry.status = status;
    }
    forItem(itemIndex) {
        return [...this.entries.values()].filter((e) => e.itemIndex === itemIndex);
    }
    unsettled() {
        return [...this.entries.values()].filter((e) => e.status === 'queued' || e.status === 'processing').map((e) => e.taskId);
    }
    describeOthers(itemIndex) {
        const others = [...this.entries.values()].filter((e) => e.itemIndex !== itemIndex);
        if (others.length === 0)
            return '';
        return `\nOther tasks of this run (their output is not returned because the node failed; fetch them with Imini Get Task): ${others
            .map((e) => `${e.taskId} (${e.kind}, item ${e.itemIndex}, ${e.status})`)
            .join(', ')}.`;
    }
}
exports.TaskLedger = TaskLedger;
function asNodeError(ctx, error, itemIndex) {
    if (error instanceof n8n_workflow_1.NodeApiError || error instanceof n8n_workflow_1.NodeOperationError)
        return error;
    return new n8n_workflow_1.NodeOperationError(ctx.getNode(), error, { itemIndex });
}
async function runItems(ctx, maxInFlight, perItem) {
    const count = ctx.getInputData().length;
    const credentials = await ctx.getCredentials(transport_1.CREDENTIAL_TYPE);
    const client = (0, transport_1.createIminiClient)(ctx, credentials.baseUrl || transport_1.PRODUCTION_BASE_URL);
    const ledger = new TaskLedger();
    // One signal for this run: the Stop button, or the first failure when Continue On Fail is off
    // (no further tasks are submitted, so no further credits are spent).
    const cancel = ctx.getExecutionCancelSignal();
    const run = new AbortController();
    const onCancel = () => run.abort();
    cancel?.addEventListener('abort', onCancel, { once: true });
    const poller = new poller_1.TaskPoller({
        fetchTask: async (kind, taskId) => (await client.getTask(kind, taskId)).value,
        schedule: (0, descriptions_1.readSchedule)(ctx),
        signal: run.signal,
        onCheck: (task) => ledger.update(task.task_id, task.status),
    });
    const context = { client, poller, ledger };
    const results = Array.from({ length: count }, () => []);
    let failure;
    let next = 0;
    const worker = async () => {
        while (!run.signal.aborted && next < count) {
            const itemIndex = next++;
            try {
                const items = await perItem(itemIndex, context);
                results[itemIndex] = items.map((item) => ({ ...item, pairedItem: { item: itemIndex } }));
            }
            catch (error) {
                if (cancel?.aborted || (run.signal.aborted && failure))
                    return;
                const nodeError = asNodeError(ctx, error, itemIndex);
                if (ctx.continueOnFail()) {
                    const tasks = ledger.forItem(itemIndex);
                    const json = { error: nodeError.message };
                    if (nodeError.description)
                        json.description = nodeError.description;
                    if (tasks.length)
                        json.task_id = tasks.length === 1 ? tasks[0].taskId : tasks.map((t) => t.taskId);
                    results[itemIndex] = [{ json, pairedItem: { item: itemIndex } }];
                }
                else {
                    failure = { itemIndex, error: nodeError };
                    run.abort();
                }
            }
        }
    };
    try {
        await Promise.all(Array.from({ length: Math.max(1, Math.min(maxInFlight, count)) }, worker));
    }
    finally {
        cancel?.removeEventListener('abort', onCancel);
    }
    // A cancel is never an error item, even with Continue On Fail: the run must stop as "canceled".
    if (cancel?.aborted)
        throw (0, errors_1.cancelledError)(ctx.getNode(), ledger.unsettled());
    if (failure) {
        const others = ledger.describeOthers(failure.itemIndex);
        if (others)
            failure.error.description = `${failure.error.description ?? ''}${others}`;
        throw failure.error;
    }
    return [results.flat()];
}
