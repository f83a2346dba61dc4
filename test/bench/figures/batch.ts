// 1. Batch: 50 items through the real Imini Generate node in n8n's real engine, against the mock
// through Prism: all in flight vs. one at a time (sampled, extrapolated). Then where the time
// beyond T goes. BENCH_DUMP=<file> saves the raw traces (every HTTP call seen by n8n and by the
// simulator) as JSON.
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { buildDir } from '../compile.ts';
import type { RunReport } from '../engine-child.ts';
import type { LogEntry } from '../mock-process.ts';
import type { Settings } from '../flags.ts';
import { msf, out, progress, sec, verdict } from '../report.ts';
import { checkRun, runEngine, startMockProcess } from '../bench-processes.ts';
import { mean, percentile } from '../percentiles.ts';

/** Times (ms after submit) at which imini's fixed schedule (the node's before it learned) checks a task. */
function iminiCheckTimes(untilMs: number): number[] {
	const require = createRequire(import.meta.url);
	const { vendorSchedule, delayBeforeCheck } = require(path.join(buildDir, 'nodes/engine/poll-schedule.js')) as typeof import('../../../nodes/engine/poll-schedule.ts');
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
	/** When n8n sent the check that saw it settled, and when that answer arrived. */
	checkSent: number;
	noticed: number;
	/** When imini's fixed schedule would have checked it first after it was done (zero latency). */
	iminiDue: number;
	/** The last byte of its result file reached n8n. */
	downloaded: number;
	polls: number;
};

/**
 * Joins what n8n saw (its HTTP calls) with what the simulator saw (its request log) per task.
 * Submits are matched to tasks in order; the check that noticed a task is the first one that
 * reached the simulator after the task was done.
 */
function traceTasks(run: RunReport, log: LogEntry[], iminiChecks: number[]): TaskTrace[] {
	const submits = run.calls.filter((c) => c.path.endsWith('/generate')).sort((a, b) => a.start - b.start);
	const byCreated = [...run.items].sort((a, b) => Date.parse(a.created_at) - Date.parse(b.created_at));
	return byCreated.map((item, index) => {
		const submitted = submits[index]?.start ?? Number.NaN;
		const created = Date.parse(item.created_at);
		const completed = Date.parse(item.completed_at ?? '');
		const clientPolls = run.calls.filter((c) => c.path.endsWith(`/tasks/${item.task_id}`)).sort((a, b) => a.start - b.start);
		const serverPolls = log.filter((e) => e.method === 'GET' && e.url.endsWith(`/tasks/${item.task_id}`)).sort((a, b) => a.t - b.t);
		const k = serverPolls.findIndex((e) => e.t >= completed);
		const due = iminiChecks.find((at) => submitted + at >= completed) ?? Number.NaN;
		const file = run.calls.find((c) => c.path.startsWith(`/files/${item.task_id}/`));
		return {
			submitted,
			created,
			completed,
			checkSent: k >= 0 ? (clientPolls[k]?.start ?? Number.NaN) : Number.NaN,
			noticed: k >= 0 ? (clientPolls[k]?.end ?? Number.NaN) : Number.NaN,
			iminiDue: submitted + due,
			downloaded: file?.end ?? Number.NaN,
			polls: clientPolls.length,
		};
	});
}

export async function batchFigure(settings: Settings): Promise<void> {
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
				// Loads and warms every code path (submit, poll, download) before anything is timed, with
				// another model: the account remembers durations per model, and these take 0.1 s.
				{
					label: 'warmup',
					items: 2,
					maxInFlight: 2,
					download: true,
					promptSuffix: ' [mock time=100]',
					parameters: { model: 'google/nano-banana-2' },
					options: { firstCheckAfter: 0.2, maxCheckInterval: 0.2 },
				},
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
		const limit = 1.1 * T + 1000;
		// 30x is the target at N=50; a smaller batch (--quick) can gain at most N-fold: scaled.
		const speedTarget = items >= 50 ? 30 : (30 * items) / 50;
		out(
			`batch: wall=${sec(parallel.wallMs)} T=${taskSeconds}s ratio_to_T=${(parallel.wallMs / T).toFixed(2)} speedup_vs_sequential=${speedup.toFixed(1)}` +
				` (N=${items}, Max Tasks In Flight=${items}; sequential NOT run in full: Max Tasks In Flight=1 measured on ${seqSample} items = ${sec(sequential.wallMs)},` +
				` ${sec(perItemSeq)}/item, extrapolated linearly to ${items} items = ${sec(seqTotal)})` +
				` target: wall<=1.1T+1s=${sec(limit)} ${verdict(parallel.wallMs <= limit)}, speedup>=${speedTarget}${items >= 50 ? '' : ' (30 at N=50, scaled to N)'} ${verdict(speedup >= speedTarget)}`,
		);

		// Where the time beyond T goes, on the critical path (the task noticed last).
		const iminiChecks = iminiCheckTimes(T + 60_000);
		const traces = traceTasks(parallel, log, iminiChecks);
		if (traces.some((t) => !Number.isFinite(t.noticed + t.checkSent + t.iminiDue + t.downloaded))) {
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
		const iminiSeenAt = iminiChecks.find((at) => at >= T)! / 1000;
		const lastIminiDue = Math.max(...traces.map((t) => t.iminiDue));
		out(
			`batch breakdown: wall ${sec(parallel.wallMs)} = start+submit ${sec(last.created - t0)} + T ${sec(last.completed - last.created)}` +
				` + schedule wait ${sec(last.checkSent - last.completed)} + check round trip ${sec(last.noticed - last.checkSent)} + download/output ${sec(parallel.t1 - last.noticed)}` +
				` (critical path: the task noticed last, checked at ${sec(last.checkSent - last.submitted)} after its submit by the learning schedule;` +
				` imini's fixed schedule checks at ${iminiChecks.filter((at) => at <= iminiSeenAt * 1000).map((at) => at / 1000).join(', ')} s, so it would have seen a task done at ${taskSeconds} s at ${iminiSeenAt} s,` +
				` the last of these at +${sec(lastIminiDue - t0)} with no latency, vs. +${sec(last.noticed - t0)} measured here).` +
				` All ${items} tasks: detection delay mean ${sec(mean(traces.map((t) => t.noticed - t.completed)))} max ${sec(Math.max(...traces.map((t) => t.noticed - t.completed)))}` +
				` = schedule ${sec(mean(traces.map((t) => t.checkSent - t.completed)))} + round trip ${sec(mean(traces.map((t) => t.noticed - t.checkSent)))} (means);` +
				` poll round trip seen by n8n p50 ${msf(percentile(rtts, 0.5))} max ${msf(rtts[rtts.length - 1])}, simulator's own handling max ${msf(handled[handled.length - 1])};` +
				` ${fileCalls.length} downloads between +${sec(Math.min(...fileCalls.map((c) => c.start)) - t0)} and +${sec(Math.max(...fileCalls.map((c) => c.end)) - t0)}, each request→last byte p50 ${msf(percentile(fileWaits, 0.5))} max ${msf(fileWaits[fileWaits.length - 1])};` +
				` ${mean(traces.map((t) => t.polls)).toFixed(1)} polls/task; Prism contract violations ${violations}`,
		);
	} finally {
		await mock.close();
	}
}
