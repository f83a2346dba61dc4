"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.IminiWait = void 0;
const n8n_workflow_1 = require("n8n-workflow");
const descriptions_1 = require("../shared/descriptions");
const router_1 = require("../shared/router");
const settle_1 = require("../shared/settle");
const task_lookup_1 = require("../shared/task-lookup");
/** Waiting costs no credits, so every item's task is watched at once (up to this many). */
const MAX_WATCHED = 100;
class IminiWait {
    description = {
        displayName: 'Imini Wait',
        name: 'iminiWait',
        icon: { light: 'file:../shared/icons/imini.svg', dark: 'file:../shared/icons/imini.dark.svg' },
        group: ['transform'],
        version: 1,
        subtitle: '={{ "Wait for " + $parameter["taskId"] }}',
        description: 'Wait until an imini image or video task finishes (checks after 2 s, then every 2, 3, 5 s) and return its files; on timeout fail or output the task as still running',
        documentationUrl: 'https://docs.imini.ai',
        defaults: { name: 'Imini Wait' },
        usableAsTool: true,
        inputs: [n8n_workflow_1.NodeConnectionTypes.Main],
        outputs: [n8n_workflow_1.NodeConnectionTypes.Main],
        credentials: [{ name: 'iminiApi', required: true }],
        properties: [
            descriptions_1.taskIdProperty,
            descriptions_1.taskTypeProperty,
            (0, descriptions_1.timeoutProperty)(null),
            {
                displayName: 'On Timeout',
                name: 'onTimeout',
                type: 'options',
                default: 'error',
                options: [
                    { name: 'Fail', value: 'error', description: 'Stop with an error that names the task ID' },
                    {
                        name: 'Output the Task as Still Running',
                        value: 'output',
                        description: 'Return the task with its status (queued or processing), e.g. to loop back into this node',
                    },
                ],
            },
            descriptions_1.downloadProperty,
            {
                displayName: 'Options',
                name: 'options',
                type: 'collection',
                placeholder: 'Add Option',
                default: {},
                options: [...descriptions_1.fileOptions, ...descriptions_1.pollingOptions],
            },
        ],
    };
    async execute() {
        return await (0, router_1.runItems)(this, MAX_WATCHED, async (itemIndex, run) => {
            const taskId = (0, task_lookup_1.readTaskId)(this, itemIndex);
            const { kind } = await (0, task_lookup_1.resolveTask)(this, run, itemIndex, taskId);
            run.ledger.record(itemIndex, kind, taskId, 'processing');
            return await (0, settle_1.settle)(this, run, kind, taskId, itemIndex, {
                timeoutMs: this.getNodeParameter('timeout', itemIndex, 120) * 1000,
                download: this.getNodeParameter('download', itemIndex, true) ? (0, descriptions_1.readFileOptions)(this, itemIndex) : null,
                onTimeout: this.getNodeParameter('onTimeout', itemIndex, 'error'),
            });
        });
    }
}
exports.IminiWait = IminiWait;
