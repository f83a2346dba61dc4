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
//   slowcheck how late the other tasks of a run are noticed when one status answer is slow, the
//             poller before issue 23 (test/bench/before/) vs now, side by side on virtual time.
//   quota     N rows through the real node against a rate quota whose 429s carry no
//             Retry-After: wall time against the quota's bound, rows delivered, 429s served.
//   storm     N one-row executions at once on one key vs one execution of N rows, same quota:
//             delivered, charged but not delivered, 429s served, wall time, side by side.
//   memory    peak RSS of separate n8n processes downloading 4K images (filesystem binary mode).
//   capacity  req/s and latency of submit+poll traffic, through Prism and straight to the simulator.
//   queue     the webhook example in n8n's queue mode (main + 2 workers, PostgreSQL, Redis): a burst
//             of webhook calls, wall time against T, executions per worker, RSS per worker; then
//             a burst through one key's rate quota shared by both workers, against its bound.
//   long tasks  N videos, each its own execution, on one queue-mode worker of 2 slots, waited in
//             memory vs parked by Imini Wait (examples/08), the worker killed and restarted in the
//             middle: wall time, slots held, another workflow's answer time, videos delivered.
//
// The mock always runs in a process of its own (test/bench/mock-process.ts). The node code is
// CommonJS-style TypeScript, so it is compiled once (tsc -p test/bench/tsconfig.json, into
// test/bench/.build, rebuilt when a source is newer) and driven by forked child processes.
// Progress goes to stderr, figures to stdout. BENCH_DUMP=<file> saves the batch's raw traces
// (every HTTP call seen by n8n and by the simulator) as JSON.
//
// This file only orchestrates: flags in flags.ts, the build in compile.ts, the mock and the
// children in bench-processes.ts, one file per figure in figures/.
// flags.ts first: --help and a bad flag exit before anything else is set up.
import { flags, only, settings } from './flags.ts';
import type { Settings } from './flags.ts';
import * as os from 'node:os';
import { build } from './compile.ts';
import { batchFigure } from './figures/batch.ts';
import { capacityFigure } from './figures/capacity.ts';
import { memoryFigure } from './figures/memory.ts';
import { pollingFigure } from './figures/polling.ts';
import { longTasksFigure } from './figures/long-tasks.ts';
import { queueFigure } from './figures/queue.ts';
import { quotaFigure } from './figures/quota.ts';
import { slowCheckFigure } from './figures/slow-check.ts';
import { stormFigure } from './figures/storm.ts';
import { out, sec } from './report.ts';

const started = performance.now();
build();
out(
	`imini bench (${flags.quick ? 'quick' : 'full'}): node ${process.version}, ${os.cpus().length} cores, load average ${os.loadavg()[0].toFixed(2)},` +
		` ${new Date().toISOString()}`,
);
const figures: Array<[string, (settings: Settings) => Promise<void>]> = [
	['batch', batchFigure],
	['polling', pollingFigure],
	['slowcheck', slowCheckFigure],
	['quota', quotaFigure],
	['storm', stormFigure],
	['memory', memoryFigure],
	['capacity', capacityFigure],
	['queue', queueFigure],
	['long-tasks', longTasksFigure],
];
let failed = false;
for (const [name, figure] of figures) {
	if (!only.has(name)) continue;
	try {
		await figure(settings);
	} catch (error) {
		failed = true;
		out(`${name}: NOT MEASURED (${error instanceof Error ? error.message.split('\n')[0] : String(error)})`);
		console.error(error);
	}
}
out(`bench finished in ${sec(performance.now() - started)}`);
process.exitCode = failed ? 1 : 0;
