// `npm run bench` (about 3 minutes) and `npm run bench -- --quick` (about a minute).
//
// Prints one line per figure, each with `target: met|MISSED`; never fails on a missed target
// (it exits non-zero only when something could not be measured at all). Every ratio is
// measured side by side in the same run, because the machine is noisy.
//
//   batch     50 items through the real Imini Generate node in n8n's real engine, against the
//             mock through Prism: all in flight vs. one at a time (sampled, extrapolated).
//   polling   detection delay and polls per task of the node's schedule vs. fixed 5 s / 10 s,
//             on virtual time through the real TaskPoller.
//   memory    peak RSS of separate n8n processes downloading 4K images (filesystem binary mode).
//   capacity  req/s and latency of submit+poll traffic, through Prism and straight to the simulator.
//
// The mock always runs in a process of its own (test/bench/mock-process.ts). The node code is
// CommonJS-style TypeScript, so it is compiled once (tsc -p test/bench/tsconfig.json, into
// test/bench/.build, rebuilt when a source is newer) and driven by forked child processes.
// Progress goes to stderr, figures to stdout. BENCH_DUMP=<file> saves the batch's raw traces
// (every HTTP call seen by n8n and by the simulator) as JSON.
import { fork, spawnSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { Pool } from 'undici';
import type { MockOptions } from '../../mock-server/index.ts';
import type { LogEntry, MockMessage } from './mock-process.ts';
import type { ChildReport, ChildSpec, RunReport } from './engine-child.ts';
import type { PollResult, PollSpec } from './poll-sim.ts';

const benchDir = import.meta.dirname;
const root = path.resolve(benchDir, '../..');
const buildDir = path.join(benchDir, '.build');

// ---------------------------------------------------------------------------------------------
// Settings
// ---------------------------------------------------------------------------------------------

const { values: flags } = parseArgs({
	options: {
		quick: { type: 'boolean', default: false },
		items: { type: 'string' },
		'task-time': { type: 'string' },
		'seq-sample': { type: 'string' },
		'memory-tasks': { type: 'string' },
		'poll-tasks': { type: 'string' },
		requests: { type: 'string' },
		connections: { type: 'string' },
		only: { type: 'string' },
		help: { type: 'boolean', short: 'h', default: false },
	},
});

if (flags.help) {
	console.log(`Usage: npm run bench -- [--quick] [options]

  --quick              about a minute: smaller batch, shorter tasks, fewer samples
  --items <n>          batch size (default 50, quick 10)
  --task-time <s>      simulator task time T for the batch (default 10, quick 3)
  --seq-sample <n>     items run one at a time to extrapolate the sequential time (default 5, quick 2)
  --memory-tasks <n>   4K images per memory run (default 20, quick 6)
  --poll-tasks <n>     simulated tasks per polling case (default 400, quick 100)
  --requests <n>       requests per capacity run (default 3000, quick 1000)
  --connections <n>    load-generator connections (default 8 = the poller's check concurrency)
  --only <list>        comma-separated subset of: batch,polling,memory,capacity

BENCH_DUMP=<file> saves the batch's raw request traces as JSON.`);
	process.exit(0);
}

function intFlag(value: string | undefined, full: number, quick: number): number {
	if (value === undefined) return flags.quick ? quick : full;
	const n = Number(value);
	if (!Number.isFinite(n) || n <= 0) {
		console.error(`Invalid number "${value}"`);
		process.exit(2);
	}
	return n;
}

const settings = {
	items: intFlag(flags.items, 50, 10),
	taskSeconds: intFlag(flags['task-time'], 10, 3),
	seqSample: intFlag(flags['seq-sample'], 5, 2),
	memoryTasks: intFlag(flags['memory-tasks'], 20, 6),
	pollTasks: intFlag(flags['poll-tasks'], 400, 100),
	requests: intFlag(flags.requests, 3000, 1000),
	connections: intFlag(flags.connections, 8, 8),
};
const only = new Set((flags.only ?? 'batch,polling,memory,capacity').split(',').map((s) => s.trim()));

// ---------------------------------------------------------------------------------------------
// Output helpers
// ---------------------------------------------------------------------------------------------

const out = (line: string) => process.stdout.write(`${line}\n`);
const progress = (line: string) => process.stderr.write(`  .. ${line}\n`);
const sec = (ms: number) => `${(ms / 1000).toFixed(2)}s`;
const msf = (ms: number) => `${ms.toFixed(1)}ms`;
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)}MB`;
const verdict = (ok: boolean) => (ok ? 'met' : 'MISSED');

function percentile(sorted: number[], q: number): number {
	if (sorted.length === 0) return Number.NaN;
	return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
}

// ---------------------------------------------------------------------------------------------
// Build: the node code, the engine harness and the bench children, to CommonJS
// ---------------------------------------------------------------------------------------------

function newestMtime(entry: string): number {
	if (!existsSync(entry)) return 0;
	const stat = statSync(entry);
	if (!stat.isDirectory()) return stat.mtimeMs;
	let newest = stat.mtimeMs;
	for (const name of readdirSync(entry)) {
		if (name === '.build' || name === 'node_modules') continue;
		newest = Math.max(newest, newestMtime(path.join(entry, name)));
	}
	return newest;
}

function build(): void {
	const stamp = path.join(buildDir, '.stamp');
	const sources = ['nodes', 'credentials', 'test/harness/n8n-engine.ts', 'test/bench', 'tsconfig.json'].map((p) => path.join(root, p));
	const newest = Math.max(...sources.map(newestMtime));
	if (existsSync(stamp) && statSync(stamp).mtimeMs >= newest) return;
	progress('compiling the nodes and the engine harness (tsc -p test/bench/tsconfig.json)');
	const tsc = spawnSync(process.execPath, [path.join(root, 'node_modules/typescript/bin/tsc'), '-p', path.join(benchDir, 'tsconfig.json')], {
		cwd: root,
		stdio: 'inherit',
	});
	// 2 = type errors, but the JavaScript was written: measure it anyway (and rebuild next time).
	if (tsc.status !== 0 && tsc.status !== 2) {
		console.error('bench: tsc failed, nothing measured');
		process.exit(1);
	}
	// The package has no "type": compiled files are CommonJS; say so explicitly.
	writeFileSync(path.join(buildDir, 'package.json'), '{ "type": "commonjs" }\n');
	if (tsc.status === 0) writeFileSync(stamp, new Date().toISOString());
	else progress('tsc reported type errors (above); measuring the code it emitted anyway');
}

// ---------------------------------------------------------------------------------------------
// Child processes
// ---------------------------------------------------------------------------------------------

const children = new Set<ChildProcess>();
process.on('exit', () => {
	for (const child of children) child.kill();
});
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
	process.on(signal, () => {
		for (const child of children) child.kill();
		process.exit(130);
	});
}

type MockHandle = {
	url: string;
	filesUrl: string;
	apiKey: string;
	record(on: boolean): void;
	take(): Promise<Extract<MockMessage, { type: 'taken' }>>;
	close(): Promise<void>;
};

async function startMockProcess(options: MockOptions): Promise<MockHandle> {
	const child = fork(path.join(benchDir, 'mock-process.ts'), [JSON.stringify(options)], {
		cwd: root,
		// The simulator imports nodes/shared/reference-rules.ts, ESM in a package without "type".
		execArgv: ['--disable-warning=MODULE_TYPELESS_PACKAGE_JSON'],
		stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
	});
	children.add(child);
	const next = <T extends MockMessage['type']>(type: T) =>
		new Promise<Extract<MockMessage, { type: T }>>((resolve, reject) => {
			const onMessage = (message: MockMessage) => {
				if (message.type !== type) return;
				child.off('message', onMessage);
				child.off('exit', onExit);
				resolve(message as Extract<MockMessage, { type: T }>);
			};
			const onExit = (code: number | null) => reject(new Error(`mock process exited (${code}) before "${type}"`));
			child.on('message', onMessage);
			child.once('exit', onExit);
		});
	const ready = await next('ready');
	return {
		url: ready.url,
		filesUrl: ready.filesUrl,
		apiKey: ready.apiKey,
		record: (on) => child.send({ type: 'log', on }),
		take: async () => {
			const answer = next('taken');
			child.send({ type: 'take' });
			return await answer;
		},
		close: async () => {
			const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
			child.send({ type: 'close' });
			await exited;
			children.delete(child);
		},
	};
}

/** Forks a compiled child, hands it a JSON spec, resolves with its one report. */
async function runChild<T>(script: string, spec: unknown, env: NodeJS.ProcessEnv = {}, execArgv: string[] = []): Promise<T> {
	const child = fork(path.join(buildDir, script), [JSON.stringify(spec)], {
		cwd: root,
		execArgv,
		env: { ...process.env, ...env },
		stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
	});
	children.add(child);
	let output = '';
	child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
	child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
	try {
		return await new Promise<T>((resolve, reject) => {
			let report: { type: string; message?: string } | undefined;
			child.on('message', (message: { type: string; message?: string }) => (report = message));
			child.once('exit', (code) => {
				if (report?.type === 'report') resolve(report as T);
				else reject(new Error(`${script} failed (exit ${code}): ${report?.message ?? ''}\n${output.slice(-4000)}`));
			});
		});
	} finally {
		children.delete(child);
	}
}

/** An engine child with its own n8n user folder (config + filesystem binary data), removed after. */
async function runEngine(spec: ChildSpec): Promise<ChildReport> {
	const userFolder = mkdtempSync(path.join(os.tmpdir(), 'imini-bench-n8n-'));
	try {
		return await runChild<ChildReport>('test/bench/engine-child.js', spec, { N8N_USER_FOLDER: userFolder }, spec.gcProbeMs ? ['--expose-gc'] : []);
	} finally {
		rmSync(userFolder, { recursive: true, force: true });
	}
}

function checkRun(run: RunReport, expectedItems: number): void {
	if (run.status !== 'success' || run.items.length !== expectedItems) {
		throw new Error(`engine run "${run.label}" ended ${run.status} with ${run.items.length}/${expectedItems} items: ${run.error ?? ''}`);
	}
}

// ---------------------------------------------------------------------------------------------
// 1. Batch
// ---------------------------------------------------------------------------------------------

/** Times (ms after submit) at which the node's default schedule checks a task. */
function checkTimes(untilMs: number): number[] {
	const require = createRequire(import.meta.url);
	const { vendorSchedule, delayBeforeCheck } = require(path.join(buildDir, 'nodes/shared/poller.js')) as typeof import('../../nodes/shared/poller.ts');
	const times: number[] = [];
	for (let check = 1, at = 0; at < untilMs; check++) {
		at += delayBeforeCheck(vendorSchedule, check);
		times.push(at);
	}
	return times;
}

type TaskTrace = {
	/** n8n sent the submit (epoch ms); the simulator created the task; the task was done. */
	submitted: number;
	created: number;
	completed: number;
	/** When the check that saw it settled was due on a zero-latency schedule, and when its answer reached n8n. */
	ideal: number;
	noticed: number;
	/** The last byte of its result file reached n8n. */
	downloaded: number;
	polls: number;
};

/**
 * Joins what n8n saw (its HTTP calls) with what the simulator saw (its request log) per task.
 * Submits are matched to tasks in order; the check that noticed a task is the first one that
 * reached the simulator after the task was done.
 */
function traceTasks(run: RunReport, log: LogEntry[], checks: number[]): TaskTrace[] {
	const submits = run.calls.filter((c) => c.path.endsWith('/generate')).sort((a, b) => a.start - b.start);
	const byCreated = [...run.items].sort((a, b) => Date.parse(a.created_at) - Date.parse(b.created_at));
	return byCreated.map((item, index) => {
		const submitted = submits[index]?.start ?? Number.NaN;
		const created = Date.parse(item.created_at);
		const completed = Date.parse(item.completed_at ?? '');
		const clientPolls = run.calls.filter((c) => c.path.endsWith(`/tasks/${item.task_id}`)).sort((a, b) => a.start - b.start);
		const serverPolls = log.filter((e) => e.method === 'GET' && e.url.endsWith(`/tasks/${item.task_id}`)).sort((a, b) => a.t - b.t);
		const k = serverPolls.findIndex((e) => e.t >= completed);
		const due = checks.find((at) => submitted + at >= completed) ?? Number.NaN;
		const file = run.calls.find((c) => c.path.startsWith(`/files/${item.task_id}/`));
		return {
			submitted,
			created,
			completed,
			ideal: submitted + due,
			noticed: k >= 0 ? (clientPolls[k]?.end ?? Number.NaN) : Number.NaN,
			downloaded: file?.end ?? Number.NaN,
			polls: clientPolls.length,
		};
	});
}

const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;

async function batchFigure(): Promise<void> {
	const { items, taskSeconds, seqSample } = settings;
	const T = taskSeconds * 1000;
	progress(`batch: ${items} items, T=${taskSeconds}s, all in flight; then ${seqSample} items one at a time (about ${Math.round(((T + 2500) * (seqSample + 1)) / 1000 + 5)} s)`);
	const mock = await startMockProcess({ simulator: { imageTaskMs: T, rateLimit: null } });
	try {
		mock.record(true);
		const report = await runEngine({
			url: mock.url,
			apiKey: mock.apiKey,
			binaryDataMode: 'default',
			runs: [
				// Loads and warms every code path (submit, poll, download) before anything is timed.
				{ label: 'warmup', items: 2, maxInFlight: 2, download: true, promptSuffix: ' [mock time=100]', options: { firstCheckAfter: 0.2, maxCheckInterval: 0.2 } },
				{ label: 'parallel', items, maxInFlight: items, download: true },
				{ label: 'sequential', items: seqSample, maxInFlight: 1, download: true },
			],
		});
		const { log, violations } = await mock.take();
		if (process.env.BENCH_DUMP) writeFileSync(process.env.BENCH_DUMP, JSON.stringify({ report, log }));
		const [, parallel, sequential] = report.runs;
		checkRun(parallel, items);
		checkRun(sequential, seqSample);

		const perItemSeq = sequential.wallMs / seqSample;
		const seqTotal = perItemSeq * items;
		const speedup = seqTotal / parallel.wallMs;
		const limit = 1.2 * T + 2000;
		// 30x is the target at N=50; a smaller batch (--quick) can gain at most N-fold: scaled.
		const speedTarget = items >= 50 ? 30 : (30 * items) / 50;
		out(
			`batch: wall=${sec(parallel.wallMs)} T=${taskSeconds}s ratio_to_T=${(parallel.wallMs / T).toFixed(2)} speedup_vs_sequential=${speedup.toFixed(1)}` +
				` (N=${items}, Max Tasks In Flight=${items}; sequential NOT run in full: Max Tasks In Flight=1 measured on ${seqSample} items = ${sec(sequential.wallMs)},` +
				` ${sec(perItemSeq)}/item, extrapolated linearly to ${items} items = ${sec(seqTotal)})` +
				` target: wall<=1.2T+2s=${sec(limit)} ${verdict(parallel.wallMs <= limit)}, speedup>=${speedTarget}${items >= 50 ? '' : ' (30 at N=50, scaled to N)'} ${verdict(speedup >= speedTarget)}`,
		);

		// Where the time beyond T goes, on the critical path (the task noticed last).
		const checks = checkTimes(T + 60_000);
		const traces = traceTasks(parallel, log, checks);
		if (traces.some((t) => !Number.isFinite(t.noticed + t.ideal + t.downloaded))) {
			out('batch breakdown: unavailable (could not match every task to its calls)');
			return;
		}
		const last = traces.reduce((a, b) => (b.noticed > a.noticed ? b : a));
		const t0 = parallel.t0;
		const pollCalls = parallel.calls.filter((c) => c.path.includes('/tasks/'));
		const rtts = pollCalls.map((c) => c.end - c.start).sort((a, b) => a - b);
		const handled = log.filter((e) => e.url.includes('/tasks/') && e.end !== undefined).map((e) => e.end! - e.t).sort((a, b) => a - b);
		const fileCalls = parallel.calls.filter((c) => c.path.startsWith('/files/'));
		const fileWaits = fileCalls.map((c) => c.end - c.start).sort((a, b) => a - b);
		const seenAt = checks.filter((at) => at < T + 60_000).find((at) => at >= T)! / 1000;
		out(
			`batch breakdown: wall ${sec(parallel.wallMs)} = start+submit ${sec(last.created - t0)} + T ${sec(last.completed - last.created)}` +
				` + schedule wait ${sec(last.ideal - last.completed)} + check latency/queueing ${sec(last.noticed - last.ideal)} + download/output ${sec(parallel.t1 - last.noticed)}` +
				` (critical path: the task noticed last; the schedule checks at ${checks.filter((at) => at <= seenAt * 1000).map((at) => at / 1000).join(', ')} s, so a task done at ${taskSeconds} s is due to be seen at ${seenAt} s).` +
				` All ${items} tasks: detection delay mean ${sec(mean(traces.map((t) => t.noticed - t.completed)))} max ${sec(Math.max(...traces.map((t) => t.noticed - t.completed)))}` +
				` = schedule ${sec(mean(traces.map((t) => t.ideal - t.completed)))} + latency/queueing ${sec(mean(traces.map((t) => t.noticed - t.ideal)))} (means);` +
				` poll round trip seen by n8n p50 ${msf(percentile(rtts, 0.5))} max ${msf(rtts[rtts.length - 1])}, simulator's own handling max ${msf(handled[handled.length - 1])};` +
				` ${fileCalls.length} downloads between +${sec(Math.min(...fileCalls.map((c) => c.start)) - t0)} and +${sec(Math.max(...fileCalls.map((c) => c.end)) - t0)}, each request→last byte p50 ${msf(percentile(fileWaits, 0.5))} max ${msf(fileWaits[fileWaits.length - 1])};` +
				` ${mean(traces.map((t) => t.polls)).toFixed(1)} polls/task; Prism contract violations ${violations}`,
		);
	} finally {
		await mock.close();
	}
}

// ---------------------------------------------------------------------------------------------
// 2. Polling cost (virtual time, real TaskPoller)
// ---------------------------------------------------------------------------------------------

async function pollingFigure(): Promise<void> {
	const spec: PollSpec = {
		tasks: settings.pollTasks,
		jitter: 0.2,
		cases: [
			{ kind: 'image', seconds: 5 },
			{ kind: 'image', seconds: 15 },
			{ kind: 'image', seconds: 30 },
			{ kind: 'image', seconds: 90 },
			{ kind: 'video', seconds: 60 },
			{ kind: 'video', seconds: 300 },
		],
		schedules: [
			{ name: 'ours' },
			{ name: 'fixed5s', schedule: { firstCheckMs: 5000, intervalsMs: [5000] } },
			{ name: 'fixed10s', schedule: { firstCheckMs: 10000, intervalsMs: [10000] } },
			// Not a default: what a user gets by setting the node's "Longest Check Interval" to 4.
			{ name: 'ours@max4s', vendorCappedAtMs: 4000 },
		],
	};
	progress(`polling: ${spec.tasks} tasks per case on virtual time`);
	const { results } = await runChild<{ results: PollResult[] }>('test/bench/poll-sim.js', spec);
	const cell = (r: PollResult) => `${r.schedule} mean=${sec(r.meanDelayMs)} max=${sec(r.maxDelayMs)} polls=${r.meanPolls.toFixed(1)}`;
	for (const { kind, seconds } of spec.cases) {
		const row = results.filter((r) => r.kind === kind && r.seconds === seconds);
		const ours = row.find((r) => r.schedule === 'ours')!;
		const pollLimit = seconds / 3 + 3;
		const target =
			kind === 'image'
				? `target (ours): mean<=2.5s ${verdict(ours.meanDelayMs <= 2500)}, polls<=T/3+3=${pollLimit.toFixed(1)} ${verdict(ours.meanPolls <= pollLimit)}`
				: 'target: n/a (video)';
		out(`polling ${kind} T=${seconds}s±20% (${ours.tasks} tasks): ${row.map(cell).join(' | ')}  ${target}`);
	}
	// Why: once the schedule has backed off to its longest interval, a task that finishes at a
	// random moment waits half an interval on average, whatever T is.
	const images = results.filter((r) => r.kind === 'image' && r.seconds >= 15);
	const avg = (name: string, key: 'meanDelayMs' | 'meanPolls') => mean(images.filter((r) => r.schedule === name).map((r) => r[key]));
	out(
		`polling summary (image, T>=15s): mean delay ours ${sec(avg('ours', 'meanDelayMs'))} (longest interval 5 s -> half of it, 2.5 s, expected; the ±20% spread of one T lands on the check grid unevenly, so single cases range ${sec(Math.min(...images.filter((r) => r.schedule === 'ours').map((r) => r.meanDelayMs)))}-${sec(Math.max(...images.filter((r) => r.schedule === 'ours').map((r) => r.meanDelayMs)))});` +
			` with Longest Check Interval=4 s (a node option, not the default): ${sec(avg('ours@max4s', 'meanDelayMs'))} for ${((avg('ours@max4s', 'meanPolls') / avg('ours', 'meanPolls') - 1) * 100).toFixed(0)}% more polls target: n/a`,
	);
}

// ---------------------------------------------------------------------------------------------
// 3. Memory: peak RSS of separate n8n processes downloading 4K images
// ---------------------------------------------------------------------------------------------

async function memoryFigure(): Promise<void> {
	const tasks = settings.memoryTasks;
	progress(`memory: 6 n8n processes x ${tasks} tasks of 4K images (filesystem binary data)`);
	const mock = await startMockProcess({ simulator: { rateLimit: null } });
	const parameters = { model: 'google/nano-banana-pro', resolution: '4K', aspectRatio: '1:1' };
	// Polling is not what this figure is about: check often so the runs are short.
	const options = { firstCheckAfter: 0.5, maxCheckInterval: 0.5 };
	const one = async (label: string, maxInFlight: number, download: boolean, gcProbeMs?: number) => {
		// Tasks last 0.5 s per task in flight: time enough for a mock that renders result files
		// while tasks run to have them ready, so downloads can really overlap (a mock that renders
		// on request serves them one after the other). The `[mock time]` directive sets it.
		const report = await runEngine({
			url: mock.url,
			apiKey: mock.apiKey,
			binaryDataMode: 'filesystem',
			runs: [{ label, items: tasks, maxInFlight, download, parameters, options, promptSuffix: ` [mock time=${Math.max(300, 500 * maxInFlight)}]` }],
			gcProbeMs,
		});
		checkRun(report.runs[0], tasks);
		return report;
	};
	try {
		for (const maxInFlight of [tasks, 2]) {
			// Three separate processes: the same run with Download Results off (the baseline), as is,
			// and as is with a full GC every 200 ms to see what is really held (the probe).
			const base = await one(`base${maxInFlight}`, maxInFlight, false);
			const report = await one(`mif${maxInFlight}`, maxInFlight, true);
			const probe = await one(`probe${maxInFlight}`, maxInFlight, true, 200);
			const run = report.runs[0];
			const basePeak = base.peakHwmKb * 1024;
			const peak = report.peakHwmKb * 1024;
			const rise = peak - basePeak;
			const maxFile = Math.max(...run.items.map((i) => i.bytes));
			const inFlight = run.downloadsInFlightPeak;
			const bound = inFlight * maxFile;
			const live = probe.runs[0].liveArrayBuffers ?? Number.NaN;
			out(
				`memory Max Tasks In Flight=${maxInFlight}: peak RSS ${mb(peak)} vs ${mb(basePeak)} for the same run with Download Results off:` +
					` rise=${mb(rise)} for ${run.items.length} files = ${mb(run.bytes)} downloaded (rise/total=${(rise / run.bytes).toFixed(2)});` +
					` files in flight at once (peak, seen by n8n)=${inFlight} x ${mb(maxFile)} = ${mb(bound)}; wall ${sec(run.wallMs)}.` +
					` Buffers not yet garbage-collected peaked at ${mb(run.sampled.arrayBuffers)} (baseline ${mb(base.runs[0].sampled.arrayBuffers)}),` +
					` heap ${mb(run.sampled.heapUsed)} (baseline ${mb(base.runs[0].sampled.heapUsed)});` +
					` live Buffers right after a full GC (probe process, GC every 200 ms) at most ${mb(live)}` +
					` target: rise<=files in flight ${verdict(rise <= bound)}, live data<=files in flight ${verdict(live <= bound)}`,
			);
		}
	} finally {
		await mock.close();
	}
}

// ---------------------------------------------------------------------------------------------
// 4. Mock capacity
// ---------------------------------------------------------------------------------------------

type LoadResult = { requests: number; submits: number; errors: number; elapsedMs: number; latencies: number[] };

/** `connections` workers, each: submit a task, then poll it `pollsPerSubmit` times; stop at `total` requests. */
async function load(base: string, apiKey: string, total: number, connections: number, pollsPerSubmit: number): Promise<LoadResult> {
	const pool = new Pool(base, { connections, pipelining: 1 });
	const latencies: number[] = [];
	let issued = 0;
	let submits = 0;
	let errors = 0;
	const headers = { authorization: `Bearer ${apiKey}` };
	const body = JSON.stringify({ model: 'google/nano-banana', prompt: 'capacity probe' });
	const timed = async <T>(fn: () => Promise<{ status: number; value: T }>): Promise<T | undefined> => {
		const start = performance.now();
		try {
			const { status, value } = await fn();
			latencies.push(performance.now() - start);
			if (status < 200 || status >= 300) errors++;
			return status < 300 ? value : undefined;
		} catch {
			latencies.push(performance.now() - start);
			errors++;
			return undefined;
		}
	};
	const worker = async () => {
		while (issued < total) {
			issued++;
			submits++;
			const taskId = await timed(async () => {
				const res = await pool.request({ path: '/v1/images/generate', method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body });
				const json = (await res.body.json()) as { task_id?: string };
				return { status: res.statusCode, value: json.task_id };
			});
			for (let i = 0; i < pollsPerSubmit && issued < total && taskId; i++) {
				issued++;
				await timed(async () => {
					const res = await pool.request({ path: `/v1/images/tasks/${taskId}`, method: 'GET', headers });
					await res.body.text();
					return { status: res.statusCode, value: true };
				});
			}
		}
	};
	const start = performance.now();
	await Promise.all(Array.from({ length: connections }, worker));
	const elapsedMs = performance.now() - start;
	await pool.close();
	return { requests: issued, submits, errors, elapsedMs, latencies: latencies.sort((a, b) => a - b) };
}

async function capacityFigure(): Promise<void> {
	const { requests, connections } = settings;
	const pollsPerSubmit = 4;
	progress(`capacity: ${requests} requests through Prism and ${requests} straight to the simulator, ${connections} connections`);
	// Tasks last 6 s: polls see queued, processing and succeeded answers.
	const mock = await startMockProcess({ simulator: { imageTaskMs: 6000, rateLimit: null } });
	try {
		const measure = async (base: string) => {
			await load(base, mock.apiKey, Math.min(300, requests), connections, pollsPerSubmit); // warm-up, not counted
			mock.record(false); // resets the mock's CPU counter
			const result = await load(base, mock.apiKey, requests, connections, pollsPerSubmit);
			const taken = await mock.take();
			return { ...result, cpu: taken.cpuMs / taken.wallMs, cpuPerRequest: taken.cpuMs / result.requests, violations: taken.violations };
		};
		const prism = await measure(mock.url);
		const direct = await measure(mock.filesUrl);
		const line = (name: string, r: Awaited<ReturnType<typeof measure>>) => {
			const rps = (r.requests / r.elapsedMs) * 1000;
			const p50 = percentile(r.latencies, 0.5);
			const p99 = percentile(r.latencies, 0.99);
			return {
				rps,
				p50,
				p99,
				text:
					`capacity ${name}: ${rps.toFixed(0)} req/s p50=${msf(p50)} p99=${msf(p99)} (${r.requests} requests = ${r.submits} submits + ${r.requests - r.submits} polls, ${connections} connections,` +
					` ${r.errors} errors, mock process CPU ${(r.cpu * 100).toFixed(0)}% of one core = ${msf(r.cpuPerRequest)} per request)`,
			};
		};
		const viaPrism = line('through Prism', prism);
		const straight = line('straight to the simulator', direct);
		out(`${viaPrism.text}, contract violations ${prism.violations} target: >=300 req/s ${verdict(viaPrism.rps >= 300)}, p99<100ms ${verdict(viaPrism.p99 < 100)}`);
		out(
			`${straight.text}; simulator alone = ${(straight.rps / viaPrism.rps).toFixed(1)}x the req/s through Prism, Prism adds ${msf(prism.cpuPerRequest - direct.cpuPerRequest)} of CPU per request target: n/a`,
		);
	} finally {
		await mock.close();
	}
}

// ---------------------------------------------------------------------------------------------

const started = performance.now();
build();
out(
	`imini bench (${flags.quick ? 'quick' : 'full'}): node ${process.version}, ${os.cpus().length} cores, load average ${os.loadavg()[0].toFixed(2)},` +
		` ${new Date().toISOString()}`,
);
const figures: Array<[string, () => Promise<void>]> = [
	['batch', batchFigure],
	['polling', pollingFigure],
	['memory', memoryFigure],
	['capacity', capacityFigure],
];
let failed = false;
for (const [name, figure] of figures) {
	if (!only.has(name)) continue;
	try {
		await figure();
	} catch (error) {
		failed = true;
		out(`${name}: NOT MEASURED (${error instanceof Error ? error.message.split('\n')[0] : String(error)})`);
		console.error(error);
	}
}
out(`bench finished in ${sec(performance.now() - started)}`);
process.exitCode = failed ? 1 : 0;
