"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.IminiGenerate = void 0;
const n8n_workflow_1 = require("n8n-workflow");
const descriptions_1 = require("../shared/descriptions");
const errors_1 = require("../shared/errors");
const output_1 = require("../shared/output");
const router_1 = require("../shared/router");
const settle_1 = require("../shared/settle");
const description_1 = require("./description");
const request_1 = require("./request");
class IminiGenerate {
    description = {
        displayName: 'Imini Generate',
        name: 'iminiGenerate',
        icon: { light: 'file:../shared/icons/imini.svg', dark: 'file:../shared/icons/imini.dark.svg' },
        group: ['transform'],
        version: 1,
        subtitle: '={{ $parameter["resource"] + ": " + $parameter["model"] }}',
        description: 'Generate images or videos with imini (Nano Banana, GPT Image, Kling, Seedance, HappyHorse) from a prompt and optional reference media; waits and returns the files as binary data',
        documentationUrl: 'https://docs.imini.ai',
        defaults: { name: 'Imini Generate' },
        usableAsTool: true,
        inputs: [n8n_workflow_1.NodeConnectionTypes.Main],
        outputs: [n8n_workflow_1.NodeConnectionTypes.Main],
        credentials: [{ name: 'iminiApi', required: true }],
        properties: description_1.generateProperties,
    };
    async execute() {
        const maxInFlight = this.getNodeParameter('options.maxTasksInFlight', 0, 10) || 10;
        return await (0, router_1.runItems)(this, maxInFlight, async (itemIndex, run) => {
            // Validation happens before anything is sent: a refused input costs no credits.
            const { kind, model, body } = await (0, request_1.buildRequest)(this, itemIndex);
            const submittedAt = Date.now();
            let submitted;
            try {
                submitted = (await run.client.submit(kind, body)).value;
            }
            catch (error) {
                const attempts = error.attempts ?? 1;
                throw (0, errors_1.toNodeError)(this.getNode(), error, { call: 'submit', kind, attempts }, itemIndex);
            }
            run.ledger.record(itemIndex, kind, submitted.task_id, 'queued');
            if (!this.getNodeParameter('waitForCompletion', itemIndex, true)) {
                return [{ json: (0, output_1.submittedJson)(kind, submitted, model), pairedItem: { item: itemIndex } }];
            }
            const items = await (0, settle_1.settle)(this, run, kind, submitted.task_id, itemIndex, {
                timeoutMs: this.getNodeParameter('timeout', itemIndex, kind === 'image' ? 120 : 600) * 1000,
                submittedAt,
                download: this.getNodeParameter('download', itemIndex, true) ? (0, descriptions_1.readFileOptions)(this, itemIndex) : null,
                onTimeout: 'error',
            });
            // The submit's request_id is the one to quote when reconciling with imini.
            for (const item of items)
                item.json.submit_request_id = submitted.request_id;
            return items;
        });
    }
}
exports.IminiGenerate = IminiGenerate;
