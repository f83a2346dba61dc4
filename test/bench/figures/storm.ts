// Storm: many executions on one key against one execution with as many rows, through the same
// rate quota (429s without Retry-After, as imini documents them), measured side by side. The
// storm is N one-row executions started at once in one n8n process (a form or webhook per
// prompt); the sheet is one execution of N rows (the node's defaults). With one account per
// process they share a pace and a queue, so the storm should cost what the sheet costs.
import type { Settings } from '../flags.ts';
import { out, progress, sec, verdict } from '../report.ts';
import { runAgainstMock } from '../bench-processes.ts';

type Shape = { delivered: number; created: number; limited: number; wallMs: number; status: string };

async function measure(label: string, rows: number, executions: number, settings: Settings): Promise<Shape> {
	const { stormRequests: requests, stormWindowSeconds: windowSeconds } = settings;
	const { report, taken } = await runAgainstMock({ imageTaskMs: 3_000, rateLimit: { requests, windowMs: windowSeconds * 1000 }, retryAfter: false }, [
		{ label, items: rows, executions, maxInFlight: 10, download: true },
	]);
	const [run] = report.runs;
	return {
		delivered: run.items.filter((item) => item.bytes > 0).length,
		created: taken.stats.submits,
		limited: taken.stats.rateLimited,
		wallMs: run.wallMs,
		status: run.status,
	};
}

export async function stormFigure(settings: Settings): Promise<void> {
	const n = settings.stormExecutions;
	progress(`storm: ${n} executions x 1 row vs 1 execution x ${n} rows, quota ${settings.stormRequests} calls per ${settings.stormWindowSeconds} s without Retry-After`);
	const sheet = await measure('sheet', n, 1, settings);
	const storm = await measure('storm', 1, n, settings);
	const line = (s: Shape) =>
		`delivered=${s.delivered}/${n} charged_not_delivered=${s.created - s.delivered} 429s=${s.limited} wall=${sec(s.wallMs)}${s.status === 'success' ? '' : ` (${s.status})`}`;
	const limitedRatio = storm.limited / Math.max(1, sheet.limited);
	const wallRatio = storm.wallMs / sheet.wallMs;
	out(
		`storm: ${n}x1 ${line(storm)} | 1x${n} ${line(sheet)} | 429s_ratio=${limitedRatio.toFixed(2)} wall_ratio=${wallRatio.toFixed(2)}` +
			` (quota ${settings.stormRequests} calls per ${settings.stormWindowSeconds} s, sliding window, no Retry-After; tasks of 3 s)` +
			` target: all rows ${verdict(storm.delivered === n && sheet.delivered === n)}, 429s<=2x ${verdict(limitedRatio <= 2)}, wall<=1.2x ${verdict(wallRatio <= 1.2)}`,
	);
}
