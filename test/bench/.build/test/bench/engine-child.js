"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
// Runs the REAL Imini Generate node in n8n's REAL engine (test/harness/n8n-engine.ts) against a
// mock that lives in another process, and reports timings and memory to run.ts over IPC.
// Compiled to CommonJS by test/bench/tsconfig.json (the nodes are CommonJS-style TypeScript);
// started by run.ts with child_process.fork(…/.build/test/bench/engine-child.js, [JSON spec]).
//
// The harness reads N8N_USER_FOLDER (set by run.ts to a temp folder it removes) and must be
// loaded before anything else touches n8n-core: keep this import first.
const n8n_engine_1 = require("../harness/n8n-engine");
const node_diagnostics_channel_1 = require("node:diagnostics_channel");
const node_fs_1 = require("node:fs");
const IminiApi_credentials_1 = require("../../credentials/IminiApi.credentials");
const IminiGenerate_node_1 = require("../../nodes/IminiGenerate/IminiGenerate.node");
const GENERATE = 'n8n-nodes-imini.iminiGenerate';
function procStatus(field) {
    const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec((0, node_fs_1.readFileSync)('/proc/self/status', 'utf8'));
    return match ? Number(match[1]) : Number.NaN;
}
// Result-file downloads in flight, seen from this (the n8n) side of the socket.
let downloading = 0;
let downloadingPeak = 0;
(0, node_diagnostics_channel_1.subscribe)('http.client.request.start', (message) => {
    const { request } = message;
    if (!request.path.startsWith('/files/'))
        return;
    request.once('response', (response) => {
        downloading++;
        downloadingPeak = Math.max(downloadingPeak, downloading);
        let done = false;
        const finish = () => {
            if (done)
                return;
            done = true;
            downloading--;
        };
        response.once('end', finish);
        response.once('close', finish);
    });
});
async function main() {
    const spec = JSON.parse(process.argv[2] ?? '{}');
    const engine = (0, n8n_engine_1.createEngine)({
        nodeTypes: { [GENERATE]: new IminiGenerate_node_1.IminiGenerate() },
        credentialTypes: [new IminiApi_credentials_1.IminiApi()],
        credentials: { iminiApi: { apiKey: spec.apiKey, baseUrl: spec.url } },
        binaryDataMode: spec.binaryDataMode,
    });
    const loadedHwmKb = procStatus('VmHWM');
    const loadedRssKb = procStatus('VmRSS');
    const runs = [];
    for (const run of spec.runs) {
        const input = Array.from({ length: run.items }, (_, i) => ({ json: { p: `bench ${run.label} item ${i}${run.promptSuffix ?? ''}` } }));
        downloading = 0;
        downloadingPeak = 0;
        const t0 = Date.now();
        const start = performance.now();
        const result = await engine.run({
            nodes: [
                {
                    name: 'Generate',
                    type: GENERATE,
                    credentials: { iminiApi: { id: '1', name: 'Imini (mock)' } },
                    parameters: {
                        resource: 'image',
                        model: 'google/nano-banana',
                        prompt: '={{ $json.p }}',
                        download: run.download,
                        ...run.parameters,
                        options: { maxTasksInFlight: run.maxInFlight, ...run.options },
                    },
                },
            ],
            input,
        });
        const wallMs = performance.now() - start;
        const t1 = Date.now();
        const items = result.status === 'success'
            ? result.output('Generate').map((item) => ({
                task_id: String(item.json.task_id),
                created_at: String(item.json.created_at),
                completed_at: item.json.completed_at === null ? null : String(item.json.completed_at),
                bytes: Number(item.binary?.data?.bytes ?? 0),
            }))
            : [];
        runs.push({
            label: run.label,
            t0,
            t1,
            wallMs,
            status: result.status,
            error: result.error ? `${result.error.message} ${result.error.description ?? ''}`.trim() : undefined,
            items,
            bytes: items.reduce((sum, item) => sum + item.bytes, 0),
            downloadsInFlightPeak: downloadingPeak,
        });
    }
    const report = {
        type: 'report',
        runs,
        loadedHwmKb,
        loadedRssKb,
        peakHwmKb: procStatus('VmHWM'),
        maxRssKb: process.resourceUsage().maxRSS,
    };
    process.send?.(report, () => process.exit(0));
}
main().catch((error) => {
    process.send?.({ type: 'error', message: error instanceof Error ? (error.stack ?? error.message) : String(error) }, () => process.exit(1));
});
