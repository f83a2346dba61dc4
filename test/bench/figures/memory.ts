// 3. Memory: peak RSS of separate n8n processes downloading 4K images (filesystem binary mode).
import type { Settings } from '../flags.ts';
import { mb, out, progress, sec, verdict } from '../report.ts';
import { checkRun, runEngine, startMockProcess } from '../bench-processes.ts';

export async function memoryFigure(settings: Settings): Promise<void> {
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
