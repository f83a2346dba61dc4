"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.IminiGetTask = void 0;
const n8n_workflow_1 = require("n8n-workflow");
const descriptions_1 = require("../shared/descriptions");
const errors_1 = require("../shared/errors");
const output_1 = require("../shared/output");
const router_1 = require("../shared/router");
const task_lookup_1 = require("../shared/task-lookup");
class IminiGetTask {
    description = {
        displayName: 'Imini Get Task',
        name: 'iminiGetTask',
        icon: { light: 'file:../shared/icons/imini.svg', dark: 'file:../shared/icons/imini.dark.svg' },
        group: ['transform'],
        version: 1,
        subtitle: '={{ "Status of " + $parameter["taskId"] }}',
        description: 'Check an imini image or video task once: returns its status (queued, processing, succeeded, failed) and, when it has succeeded, its files',
        documentationUrl: 'https://docs.imini.ai',
        defaults: { name: 'Imini Get Task' },
        usableAsTool: true,
        inputs: [n8n_workflow_1.NodeConnectionTypes.Main],
        outputs: [n8n_workflow_1.NodeConnectionTypes.Main],
        credentials: [{ name: 'iminiApi', required: true }],
        properties: [
            descriptions_1.taskIdProperty,
            descriptions_1.taskTypeProperty,
            { ...descriptions_1.downloadProperty, description: 'Whether to download the files of a succeeded task as binary data (one item per file)' },
            { displayName: 'Options', name: 'options', type: 'collection', placeholder: 'Add Option', default: {}, options: descriptions_1.fileOptions },
        ],
    };
    async execute() {
        return await (0, router_1.runItems)(this, 10, async (itemIndex, run) => {
            const taskId = (0, task_lookup_1.readTaskId)(this, itemIndex);
            const found = await (0, task_lookup_1.resolveTask)(this, run, itemIndex, taskId);
            let task = found.task;
            if (!task) {
                try {
                    task = (await run.client.getTask(found.kind, taskId)).value;
                }
                catch (error) {
                    const attempts = error.attempts ?? 1;
                    throw (0, errors_1.toNodeError)(this.getNode(), error, { call: 'poll', kind: found.kind, taskId, attempts }, itemIndex);
                }
            }
            run.ledger.record(itemIndex, found.kind, taskId, task.status);
            // A status check reports a failed task as data, not as an error: the check itself worked.
            const download = this.getNodeParameter('download', itemIndex, true) ? (0, descriptions_1.readFileOptions)(this, itemIndex) : null;
            return await (0, output_1.taskItems)(this, run.client, found.kind, task, download, itemIndex);
        });
    }
}
exports.IminiGetTask = IminiGetTask;
