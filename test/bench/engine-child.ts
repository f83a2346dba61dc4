// Runs the REAL Imini Generate node in n8n's REAL engine (test/harness/n8n-engine) against a
// mock that lives in another process, and reports timings and memory to run.ts over IPC.
// Compiled to CommonJS by test/bench/tsconfig.json (the nodes are CommonJS-style TypeScript);
// started by bench-processes.ts (runEngine) with
// child_process.fork(…/.build/test/bench/engine-child.js, [JSON spec]).
//
// The harness reads N8N_USER_FOLDER (set by bench-processes.ts to a temp folder it removes) and must be
// loaded before anything else touches n8n-core: keep this import first.
import { createEngine } from '../harness/n8n-engine/engine';
import { subscribe } from 'node:diagnostics_channel';
import { readFileSync } from 'node:fs';
import type { ClientRequest, IncomingMessage } from 'node:http';
import { IminiApi } from '../../credentials/IminiApi.credentials';
import { IminiGenerate } from '../../nodes/IminiGenerate/IminiGenerate.node';
import { plainDownloadNode } from '../harness/n8n-engine/fetch-file-node';

const GENERATE = 'n8n-nodes-imini.iminiGenerate';
const PLAIN_DOWNLOAD = 'bench.plainDownload';

export type RunSpec = {
	label: string;
	items: number;
	maxInFlight: number;
	download: boolean;
	/** Appended to every prompt, e.g. a `[mock time=…]` directive. */
	promptSuffix?: string;
	/** Extra node parameters (model, resolution, aspectRatio, …). */
	parameters?: Record<string, unknown>;
	/** Extra node options (firstCheckAfter, maxCheckInterval, …). */
	options?: Record<string, unknown>;
	/**
	 * This many executions of `items` rows each, all started at once in this process (a form or
	 * webhook per prompt); 1 by default. Wall time runs until the last one ends.
	 */
	executions?: number;
	/**
	 * Imini Generate with Download Results off, then every file downloaded at once by the reference
	 * node (plainDownloadNode: n8n's own way, no checks). `download` must be false.
	 */
	plainDownload?: boolean;
};

export type ChildSpec = {
	url: string;
	apiKey: string;
	binaryDataMode: 'default' | 'filesystem' | 'database';
	runs: RunSpec[];
	/**
	 * Probe mode (the process must run with --expose-gc): a full GC every this many ms during a
	 * run, and Buffer memory read right after it, i.e. what is really held, not garbage yet to be
	 * collected. Slows the run down; its RSS is not representative.
	 */
	gcProbeMs?: number;
};

type GcFunction = (options?: { type?: 'major' | 'minor'; execution?: 'sync' | 'async' }) => void;

export type RunItem = { task_id: string; created_at: string; completed_at: string | null; bytes: number };

/** One HTTP call the node made, seen from the n8n process (epoch ms). */
export type ClientCall = { path: string; start: number; end: number };

export type RunReport = {
	label: string;
	/** Epoch ms just before engine.run() and just after it resolved. */
	t0: number;
	t1: number;
	wallMs: number;
	status: string;
	error?: string;
	items: RunItem[];
	bytes: number;
	/** Most result-file responses being received at the same moment (headers in, body not finished). */
	downloadsInFlightPeak: number;
	/** Every submit, poll and download of the run, from request start to response end. */
	calls: ClientCall[];
	/** Highest values seen by a 20 ms sampler of process.memoryUsage() during the run (bytes). */
	sampled: { rss: number; heapUsed: number; arrayBuffers: number };
	/** With `gcProbeMs`: the most Buffer memory still alive right after a full GC (bytes), else null. */
	liveArrayBuffers: number | null;
};

export type ChildReport = {
	type: 'report';
	runs: RunReport[];
	/** Peak and current RSS (kB, /proc/self/status) after loading everything, before the first run. */
	loadedHwmKb: number;
	loadedRssKb: number;
	/** Peak RSS (kB) over the whole life of the process, read at the end. */
	peakHwmKb: number;
	maxRssKb: number;
};

/** kB, from /proc/self/status (Linux); elsewhere the peak from getrusage and the current RSS. */
function procStatus(field: 'VmHWM' | 'VmRSS'): number {
	try {
		const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync('/proc/self/status', 'utf8'));
		if (match) return Number(match[1]);
	} catch {
		// not Linux
	}
	return field === 'VmHWM' ? process.resourceUsage().maxRSS : process.memoryUsage().rss / 1024;
}

// The node's HTTP calls, and result-file downloads in flight, seen from this (the n8n) side of
// the socket, through Node's http diagnostics channel (axios uses node:http underneath).
let downloading = 0;
let downloadingPeak = 0;
let calls: ClientCall[] = [];
subscribe('http.client.request.start', (message) => {
	const { request } = message as { request: ClientRequest };
	const call: ClientCall = { path: request.path, start: Date.now(), end: Number.NaN };
	calls.push(call);
	const isFile = request.path.startsWith('/files/');
	request.once('response', (response: IncomingMessage) => {
		if (isFile) {
			downloading++;
			downloadingPeak = Math.max(downloadingPeak, downloading);
		}
		let done = false;
		const finish = () => {
			if (done) return;
			done = true;
			call.end = Date.now();
			if (isFile) downloading--;
		};
		response.once('end', finish);
		response.once('close', finish);
	});
});

async function main(): Promise<void> {
	const spec = JSON.parse(process.argv[2] ?? '{}') as ChildSpec;
	const engine = createEngine({
		nodeTypes: { [GENERATE]: new IminiGenerate(), [PLAIN_DOWNLOAD]: plainDownloadNode(PLAIN_DOWNLOAD) },
		credentialTypes: [new IminiApi()],
		credentials: { iminiApi: { apiKey: spec.apiKey, baseUrl: spec.url } },
		binaryDataMode: spec.binaryDataMode,
	});
	const loadedHwmKb = procStatus('VmHWM');
	const loadedRssKb = procStatus('VmRSS');
	const runs: RunReport[] = [];
	for (const run of spec.runs) {
		const input = Array.from({ length: run.items }, (_, i) => ({ json: { p: `bench ${run.label} item ${i}${run.promptSuffix ?? ''}` } }));
		downloading = 0;
		downloadingPeak = 0;
		calls = [];
		const sampled = { rss: 0, heapUsed: 0, arrayBuffers: 0 };
		const sample = () => {
			const usage = process.memoryUsage();
			sampled.rss = Math.max(sampled.rss, usage.rss);
			sampled.heapUsed = Math.max(sampled.heapUsed, usage.heapUsed);
			sampled.arrayBuffers = Math.max(sampled.arrayBuffers, usage.arrayBuffers);
		};
		const sampler = setInterval(sample, 20);
		const gc = (globalThis as { gc?: GcFunction }).gc;
		let liveArrayBuffers: number | null = null;
		const probe =
			spec.gcProbeMs && gc
				? setInterval(() => {
						gc({ type: 'major' });
						// V8 frees dead Buffers' memory concurrently after a GC; the next GC waits for that.
						gc({ type: 'minor' });
						liveArrayBuffers = Math.max(liveArrayBuffers ?? 0, process.memoryUsage().arrayBuffers);
					}, spec.gcProbeMs)
				: undefined;
		const t0 = Date.now();
		const start = performance.now();
		const executions = Math.max(1, run.executions ?? 1);
		const results = await Promise.all(
			Array.from({ length: executions }, (_, e) =>
				engine.run({
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
						...(run.plainDownload ? [{ name: 'Plain Download', type: PLAIN_DOWNLOAD }] : []),
					],
					connections: run.plainDownload ? { Generate: { main: [[{ node: 'Plain Download', type: 'main' as const, index: 0 }]] } } : undefined,
					input: executions === 1 ? input : input.map((item) => ({ json: { p: `${item.json.p} (execution ${e})` } })),
				}),
			),
		);
		const wallMs = performance.now() - start;
		const t1 = Date.now();
		clearInterval(sampler);
		clearInterval(probe);
		sample();
		const items: RunItem[] = results.flatMap((result) =>
			result.status === 'success'
				? result.output(run.plainDownload ? 'Plain Download' : 'Generate').map((item) => ({
						task_id: String(item.json.task_id),
						created_at: String(item.json.created_at),
						completed_at: item.json.completed_at === null ? null : String(item.json.completed_at),
						bytes: Number(item.binary?.data?.bytes ?? 0),
					}))
				: [],
		);
		const failed = results.filter((result) => result.status !== 'success');
		const firstError = failed.find((result) => result.error)?.error;
		runs.push({
			label: run.label,
			t0,
			t1,
			wallMs,
			status: failed.length === 0 ? 'success' : `${failed.length} of ${executions} ${failed[0].status}`,
			error: firstError ? `${firstError.message} ${firstError.description ?? ''}`.trim() : undefined,
			items,
			bytes: items.reduce((sum, item) => sum + item.bytes, 0),
			downloadsInFlightPeak: downloadingPeak,
			calls,
			sampled,
			liveArrayBuffers,
		});
	}
	const report: ChildReport = {
		type: 'report',
		runs,
		loadedHwmKb,
		loadedRssKb,
		peakHwmKb: procStatus('VmHWM'),
		maxRssKb: process.resourceUsage().maxRSS,
	};
	process.send?.(report, () => process.exit(0));
}

main().catch((error: unknown) => {
	process.send?.({ type: 'error', message: error instanceof Error ? (error.stack ?? error.message) : String(error) }, () => process.exit(1));
});
