// Quota: N rows through the real Imini Generate node (n8n's real engine, the node's defaults:
// Max Tasks In Flight 10, imini's polling schedule, downloads on) against the mock with a rate
// quota of Q calls per window W whose 429s carry no Retry-After (as imini documents them).
//
// No client can beat the quota: every row costs one submit and its polls, so the run takes at
// least N·(1 + polls per task)/Q windows. The figure is the wall time against that bound, the
// rows delivered and the 429s the mock served. Result files are not API calls (imini's CDN).
import type { Settings } from '../flags.ts';
import { out, progress, sec, verdict } from '../report.ts';
import { runAgainstMock } from '../bench-processes.ts';

export async function quotaFigure(settings: Settings): Promise<void> {
	const { quotaRows: rows, quotaRequests: requests, quotaWindowSeconds } = settings;
	const windowMs = quotaWindowSeconds * 1000;
	const taskMs = 3_000;
	progress(`quota: ${rows} rows, tasks of ${taskMs / 1000} s, quota ${requests} calls per ${quotaWindowSeconds} s without Retry-After`);
	const { report, taken } = await runAgainstMock({ imageTaskMs: taskMs, rateLimit: { requests, windowMs }, retryAfter: false }, [
		{ label: 'quota', items: rows, maxInFlight: 10, download: true },
	]);
	const { stats, violations } = taken;
	const [run] = report.runs;
	const delivered = run.items.filter((item) => item.bytes > 0).length;
	const pollsPerTask = stats.polls / rows;
	const bound = ((rows * (1 + pollsPerTask)) / requests) * windowMs;
	const ratio = run.wallMs / bound;
	out(
		`quota: wall=${sec(run.wallMs)} bound=${sec(bound)} ratio_to_bound=${ratio.toFixed(2)} rows_delivered=${delivered}/${rows}` +
			` tasks_created=${stats.submits} polls_per_task=${pollsPerTask.toFixed(2)} 429s_served=${stats.rateLimited}` +
			` (quota ${requests} calls per ${quotaWindowSeconds} s, sliding window, no Retry-After; tasks of ${taskMs / 1000} s; run ${run.status}${run.error ? `: ${run.error}` : ''};` +
			` Prism contract violations ${violations})` +
			` target: all rows ${verdict(delivered === rows && stats.submits === rows)}, wall<=1.2·bound=${sec(1.2 * bound)} ${verdict(ratio <= 1.2)}`,
	);
}
