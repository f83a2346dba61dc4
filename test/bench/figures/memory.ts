// 3. Memory: separate n8n processes (n8n's real engine, the real Imini Generate node) downloading
// result files from the mock in another process, each beside the same run with Download Results
// off: 4K images (filesystem binary data), and videos of a chosen size (the mock's
// `[mock size=...]`) in filesystem binary data and in database binary data (queue mode's default,
// through the harness's stand-in, which reads each file whole as n8n's DatabaseManager does).
// For each: peak RSS rise over the baseline, and the Buffers still alive right after a full GC
// (a probe process that collects every 200 ms), i.e. what is really held.
import type { Settings } from '../flags.ts';
import { mb, out, progress, sec, verdict } from '../report.ts';
import { checkRun, runEngine, startMockProcess } from '../bench-processes.ts';
import type { ChildReport, ChildSpec } from '../engine-child.ts';

const MB = 1024 * 1024;
/** Issue 28's targets: what the node holds is a constant, whatever the files' sizes. */
const TARGET = { liveBytes: 10 * MB, riseBytes: 100 * MB };

/**
 * The image figure as last published (docs/admin/performance.md, downloads streamed, before issue 23
 * held each file whole), and issue 28's re-run of the whole-file downloads it replaced, for
 * comparison on the same machine kind: [rise, live after GC] by Max Tasks In Flight.
 */
const PUBLISHED: Record<number, { rise: number; live: number }> = { 20: { rise: 90 * MB, live: 4.7 * MB }, 2: { rise: 37 * MB, live: 4.7 * MB } };
const WHOLE_FILES: Record<number, { rise?: number; live: number }> = { 20: { rise: 72.9 * MB, live: 53.3 * MB }, 2: { live: 9.5 * MB } };

type Run = {
	label: string;
	items: number;
	maxInFlight: number;
	download: boolean;
	/** Download the files n8n's own way instead (the harness's plainDownloadNode). */
	plainDownload?: boolean;
	mode: ChildSpec['binaryDataMode'];
	parameters: Record<string, unknown>;
	suffix: string;
};

export async function memoryFigure(settings: Settings): Promise<void> {
	const tasks = settings.memoryTasks;
	const videos = settings.memoryVideos;
	const videoBytes = settings.memoryVideoMb * MB;
	progress(`memory: 8 n8n processes x ${tasks} 4K images, then 7 x ${videos} videos of ${settings.memoryVideoMb} MB (filesystem and database binary data)`);
	const mock = await startMockProcess({ simulator: { rateLimit: null } });
	// Polling is not what this figure is about: check often so the runs are short.
	const options = { firstCheckAfter: 0.5, maxCheckInterval: 0.5 };
	const one = async (run: Run, gcProbeMs?: number): Promise<ChildReport> => {
		const report = await runEngine({
			url: mock.url,
			apiKey: mock.apiKey,
			binaryDataMode: run.mode,
			runs: [{ label: run.label, items: run.items, maxInFlight: run.maxInFlight, download: run.download, plainDownload: run.plainDownload, parameters: run.parameters, options, promptSuffix: run.suffix }],
			gcProbeMs,
		});
		checkRun(report.runs[0], run.items);
		return report;
	};
	/**
	 * The baseline (unless `base` is given: a baseline already measured), the run as is, and
	 * (unless `probe` is false) the probe: up to three processes.
	 */
	const measure = async (run: Run, { probe = true, base }: { probe?: boolean; base?: ChildReport } = {}) => {
		base ??= await one({ ...run, label: `${run.label}-base`, download: false, plainDownload: false });
		const report = await one(run);
		const live = probe ? ((await one({ ...run, label: `${run.label}-probe` }, 200)).runs[0].liveArrayBuffers ?? Number.NaN) : Number.NaN;
		const rise = (report.peakHwmKb - base.peakHwmKb) * 1024;
		return { base, report, run: report.runs[0], rise, live, peak: report.peakHwmKb * 1024, basePeak: base.peakHwmKb * 1024 };
	};
	/**
	 * The same files downloaded n8n's own way (the HTTP Request node's: the response streamed
	 * straight into prepareBinaryData, no checks), against the node's baseline. The floor Node.js
	 * and n8n set, side by side with the node.
	 */
	const reference = async (run: Run, base: ChildReport) => await measure({ ...run, label: `${run.label}-plain`, download: false, plainDownload: true }, { base });
	const side = (node: { rise: number; live: number }, plain: { rise: number; live: number; run: { downloadsInFlightPeak: number } }) =>
		` n8n's own download of the same files (HTTP Request's way, no checks; ${plain.run.downloadsInFlightPeak} at once): rise=${mb(plain.rise)}, live ${mb(plain.live)};` +
		` the node's rise is ${(node.rise / plain.rise).toFixed(2)}x n8n's own.`;
	try {
		const image = { resource: 'image', model: 'google/nano-banana-pro', resolution: '4K', aspectRatio: '1:1' };
		for (const maxInFlight of [tasks, 2]) {
			// Tasks last 1.5 s per task in flight: time enough for the mock, which renders result files
			// one after the other while tasks run (a 4K PNG takes about a second on a busy machine), to
			// have them ready, so downloads really overlap (`[mock time]`).
			const run: Run = { label: `mif${maxInFlight}`, items: tasks, maxInFlight, download: true, mode: 'filesystem', parameters: image, suffix: ` [mock time=${Math.max(300, 1_500 * maxInFlight)}]` };
			const m = await measure(run);
			const plain = maxInFlight === tasks ? await reference(run, m.base) : undefined;
			const maxFile = Math.max(...m.run.items.map((i) => i.bytes));
			const before = (figures: Record<number, { rise?: number; live: number }>) => {
				const figure = figures[maxInFlight];
				return figure ? `${figure.rise === undefined ? '' : `rise ${mb(figure.rise)}, `}live ${mb(figure.live)}` : 'not measured';
			};
			out(
				`memory images, Max Tasks In Flight=${maxInFlight}: peak RSS ${mb(m.peak)} vs ${mb(m.basePeak)} with Download Results off: rise=${mb(m.rise)}` +
					` for ${m.run.items.length} files = ${mb(m.run.bytes)} (files in flight at once, seen by n8n: ${m.run.downloadsInFlightPeak} x ${mb(maxFile)}); wall ${sec(m.run.wallMs)}.` +
					` Buffers not yet collected peaked at ${mb(m.run.sampled.arrayBuffers)} (baseline ${mb(m.base.runs[0].sampled.arrayBuffers)});` +
					` live Buffers right after a full GC at most ${mb(m.live)}.` +
					` Last published (streamed): ${before(PUBLISHED)}; whole files in memory (issue 28's re-run): ${before(WHOLE_FILES)}.` +
					(plain ? side(m, plain) : '') +
					` target: live<=${mb(TARGET.liveBytes)} ${verdict(m.live <= TARGET.liveBytes)}, rise<=${mb(TARGET.riseBytes)} ${verdict(m.rise <= TARGET.riseBytes)}`,
			);
		}
		// Videos: all in flight at once. The smallest video renders fastest, and `size=` pads each to
		// the size asked for; tasks take long enough for the mock to have every MP4 ready.
		const video = { resource: 'video', model: 'doubao/seedance-2.0-fast', resolution: '480P', aspectRatio: '16:9', duration: 4 };
		const videoRun = (mode: ChildSpec['binaryDataMode']): Run => ({
			label: `video-${mode}`,
			items: videos,
			maxInFlight: videos,
			download: true,
			mode,
			parameters: video,
			suffix: ` [mock time=${Math.max(3_000, 1_500 * videos)} size=${settings.memoryVideoMb}M]`,
		});
		const fs = await measure(videoRun('filesystem'));
		const fsPlain = await reference(videoRun('filesystem'), fs.base);
		const db = await measure(videoRun('database'), { probe: false });
		const sizes = fs.run.items.every((item) => item.bytes === videoBytes) ? '' : ' (SIZES DIFFER FROM ASKED)';
		out(
			`memory videos, ${videos} of ${mb(videoBytes)}${sizes}, Max Tasks In Flight=${videos}, filesystem binary data: peak RSS ${mb(fs.peak)} vs ${mb(fs.basePeak)} with Download Results off:` +
				` rise=${mb(fs.rise)} for ${mb(fs.run.bytes)} downloaded (files in flight at once, seen by n8n: ${fs.run.downloadsInFlightPeak}); wall ${sec(fs.run.wallMs)}.` +
				` Buffers not yet collected peaked at ${mb(fs.run.sampled.arrayBuffers)}; live Buffers right after a full GC at most ${mb(fs.live)}.` +
				side(fs, fsPlain) +
				` target: live<=${mb(TARGET.liveBytes)} ${verdict(fs.live <= TARGET.liveBytes)}, rise<=${mb(TARGET.riseBytes)} ${verdict(fs.rise <= TARGET.riseBytes)}`,
		);
		out(
			`memory videos, the same in database binary data (n8n reads each file whole before its INSERT; stand-in without the database):` +
				` peak RSS ${mb(db.peak)} vs ${mb(db.basePeak)}: rise=${mb(db.rise)} (${(db.rise / videoBytes).toFixed(1)} files' worth; files in flight at once: ${db.run.downloadsInFlightPeak}); wall ${sec(db.run.wallMs)}.` +
				` Not the node's to bound: n8n holds each file whole in this mode.`,
		);
	} finally {
		await mock.close();
	}
}
