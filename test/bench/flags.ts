// Command-line flags of `npm run bench` and the settings derived from them. Parsed when this
// module is first imported: --help prints the usage and exits, a bad number exits with 2.
import { parseArgs } from 'node:util';

export const { values: flags } = parseArgs({
	options: {
		quick: { type: 'boolean', default: false },
		items: { type: 'string' },
		'task-time': { type: 'string' },
		'seq-sample': { type: 'string' },
		'memory-tasks': { type: 'string' },
		'memory-videos': { type: 'string' },
		'memory-video-mb': { type: 'string' },
		'memory-repeats': { type: 'string' },
		'poll-tasks': { type: 'string' },
		requests: { type: 'string' },
		connections: { type: 'string' },
		'quota-rows': { type: 'string' },
		'quota-requests': { type: 'string' },
		'quota-window': { type: 'string' },
		'storm-executions': { type: 'string' },
		'storm-requests': { type: 'string' },
		'storm-window': { type: 'string' },
		'queue-calls': { type: 'string' },
		'queue-quota-calls': { type: 'string' },
		'long-tasks': { type: 'string' },
		'long-task-time': { type: 'string' },
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
  --memory-videos <n>  videos per memory run, all in flight (default 10, quick 4)
  --memory-video-mb <n>  the size of each of those videos (default 150, quick 150)
  --memory-repeats <n> rounds of each memory run beside its baseline; the median round is the figure (default 3, quick 1)
  --poll-tasks <n>     simulated tasks per polling case (default 400, quick 100)
  --requests <n>       requests per capacity run (default 3000, quick 1000)
  --connections <n>    load-generator connections (default 8 = the poller's check concurrency)
  --quota-rows <n>     rows through the rate quota (default 50, quick 20)
  --quota-requests <n> the quota's calls per window (default 60, quick 30)
  --quota-window <s>   the quota's sliding window (default 60, quick 20)
  --storm-executions <n>  one-row executions at once in the storm (and rows of the sheet beside it) (default 30, quick 10)
  --storm-requests <n> the storm's quota: calls per window (default 20, quick 10)
  --storm-window <s>   the storm's sliding window (default 30, quick 20)
  --queue-calls <n>    webhook calls of 5 prompts in the queue-mode burst (default 20, quick 10)
  --queue-quota-calls <n>  the same through the quota (--quota-requests, --quota-window) (default 5, quick 2)
  --long-tasks <n>     videos in the long-tasks figure, each its own execution, on 2 slots (default 4, quick 4)
  --long-task-time <s> how long each of those videos takes (default 40, quick 30)
  --only <list>        comma-separated subset of: batch,polling,slowcheck,quota,storm,memory,capacity,queue,long-tasks

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

export const settings = {
	items: intFlag(flags.items, 50, 10),
	taskSeconds: intFlag(flags['task-time'], 10, 3),
	seqSample: intFlag(flags['seq-sample'], 5, 2),
	memoryTasks: intFlag(flags['memory-tasks'], 20, 6),
	memoryVideos: intFlag(flags['memory-videos'], 10, 4),
	memoryVideoMb: intFlag(flags['memory-video-mb'], 150, 150),
	memoryRepeats: intFlag(flags['memory-repeats'], 3, 1),
	pollTasks: intFlag(flags['poll-tasks'], 400, 100),
	requests: intFlag(flags.requests, 3000, 1000),
	connections: intFlag(flags.connections, 8, 8),
	quotaRows: intFlag(flags['quota-rows'], 50, 20),
	quotaRequests: intFlag(flags['quota-requests'], 60, 30),
	quotaWindowSeconds: intFlag(flags['quota-window'], 60, 20),
	stormExecutions: intFlag(flags['storm-executions'], 30, 10),
	stormRequests: intFlag(flags['storm-requests'], 20, 10),
	stormWindowSeconds: intFlag(flags['storm-window'], 30, 20),
	queueCalls: intFlag(flags['queue-calls'], 20, 10),
	queueQuotaCalls: intFlag(flags['queue-quota-calls'], 5, 2),
	longTasks: intFlag(flags['long-tasks'], 4, 4),
	longTaskSeconds: intFlag(flags['long-task-time'], 40, 30),
};

export type Settings = typeof settings;

/** The figures to measure (--only), all by default. */
export const only = new Set((flags.only ?? 'batch,polling,slowcheck,quota,storm,memory,capacity,queue,long-tasks').split(',').map((s) => s.trim()));
