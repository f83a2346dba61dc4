// 3. Memory: separate n8n processes (n8n's real engine, the real Imini Generate node) downloading
// result files from the mock in another process, each beside the same run with Download Results
// off: 4K images (filesystem binary data), and videos of a chosen size (the mock's
// `[mock size=...]`) in filesystem binary data and in database binary data (queue mode's default,
// through the harness's stand-in, which reads each file whole as n8n's DatabaseManager does).
// For each: peak RSS rise over the baseline (the median of --memory-repeats rounds, since one
// pair of processes differs by when V8 collects), and the Buffers still alive right after a full
// GC (a probe process that collects every 200 ms), i.e. what is really held.
import type { Settings } from '../flags.ts';
import { mb, out, progress, sec, verdict } from '../report.ts';
import { percentile } from '../percentiles.ts';
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
	const r = settings.memoryRepeats;
	progress(`memory: ${5 * r + 3} n8n processes x ${tasks} 4K images, then ${3 * r + 4} x ${videos} videos of ${settings.memoryVideoMb} MB (filesystem and database binary data); ${r} round(s) each`);
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
	/** The median, as the other figures take their p50. */
	const p50 = (values: number[]) => percentile([...values].sort((x, y) => x - y), 0.5);
	const list = (values: number[]) => (values.length > 1 ? ` (rounds: ${values.map(mb).join(', ')})` : '');
	/**
	 * `repeats` rounds, each of up to three processes one after the other: the baseline (Download
	 * Results off), the run as is and (with `plain`) the same files downloaded n8n's own way (the
	 * HTTP Request node's: the response streamed straight into prepareBinaryData, no checks), the
	 * floor Node.js and n8n set. A rise is a peak RSS over its own round's baseline; two peaks of
	 * separate processes differ by tens of MB (when V8 collects), so the figure is the median round,
	 * every round printed. Then (unless `probe` is false) one probe per way of downloading: the
	 * Buffers still alive right after a full GC.
	 */
	const measure = async (run: Run, { probe = true, plain = false, repeats = settings.memoryRepeats }: { probe?: boolean; plain?: boolean; repeats?: number } = {}) => {
		const rounds = [];
		for (let round = 0; round < repeats; round++) {
			const base = await one({ ...run, label: `${run.label}-base`, download: false, plainDownload: false });
			const report = await one(run);
			const reference = plain ? await one({ ...run, label: `${run.label}-plain`, download: false, plainDownload: true }) : undefined;
			const riseOver = (r: ChildReport) => (r.peakHwmKb - base.peakHwmKb) * 1024;
			rounds.push({ base, report, reference, rise: riseOver(report), plainRise: reference ? riseOver(reference) : Number.NaN });
		}
		const rises = rounds.map((r) => r.rise);
		const plainRises = rounds.map((r) => r.plainRise);
		const median = p50(rises);
		const shown = rounds.find((r) => r.rise === median)!;
		const live = async (label: string, way: Pick<Run, 'download' | 'plainDownload'>) =>
			probe ? ((await one({ ...run, ...way, label }, 200)).runs[0].liveArrayBuffers ?? Number.NaN) : Number.NaN;
		return {
			rise: shown.rise,
			rises,
			live: await live(`${run.label}-probe`, { download: true, plainDownload: false }),
			base: shown.base,
			run: shown.report.runs[0],
			peak: shown.report.peakHwmKb * 1024,
			basePeak: shown.base.peakHwmKb * 1024,
			ratios: plain ? rises.map((rise, i) => rise / plainRises[i]) : [],
			plain: shown.reference && {
				rise: p50(plainRises),
				rises: plainRises,
				live: await live(`${run.label}-plain-probe`, { download: false, plainDownload: true }),
				run: shown.reference.runs[0],
			},
		};
	};
	const side = (node: { rise: number; ratios: number[] }, plain: { rise: number; rises: number[]; live: number; run: { downloadsInFlightPeak: number } }) =>
		` n8n's own download of the same files (HTTP Request's way, no checks; ${plain.run.downloadsInFlightPeak} at once): rise=${mb(plain.rise)}${list(plain.rises)}, live ${mb(plain.live)};` +
		` the node's rise is ${(node.rise / plain.rise).toFixed(2)}x n8n's own` +
		(node.ratios.length > 1 ? ` (round by round: ${node.ratios.map((r) => `${r.toFixed(2)}x`).join(', ')}).` : '.');
	const rounds = settings.memoryRepeats > 1 ? `, the median of ${settings.memoryRepeats} rounds` : '';
	try {
		const image = { resource: 'image', model: 'google/nano-banana-pro', resolution: '4K', aspectRatio: '1:1' };
		for (const maxInFlight of [tasks, 2]) {
			// Tasks last 1.5 s per task in flight: time enough for the mock, which renders result files
			// one after the other while tasks run (a 4K PNG takes about a second on a busy machine), to
			// have them ready, so downloads really overlap (`[mock time]`).
			const run: Run = { label: `mif${maxInFlight}`, items: tasks, maxInFlight, download: true, mode: 'filesystem', parameters: image, suffix: ` [mock time=${Math.max(300, 1_500 * maxInFlight)}]` };
			const m = await measure(run, { plain: maxInFlight === tasks });
			const maxFile = Math.max(...m.run.items.map((i) => i.bytes));
			const before = (figures: Record<number, { rise?: number; live: number }>) => {
				const figure = figures[maxInFlight];
				return figure ? `${figure.rise === undefined ? '' : `rise ${mb(figure.rise)}, `}live ${mb(figure.live)}` : 'not measured';
			};
			out(
				`memory images, Max Tasks In Flight=${maxInFlight}: peak RSS ${mb(m.peak)} vs ${mb(m.basePeak)} with Download Results off: rise=${mb(m.rise)}${rounds}${list(m.rises)}` +
					` for ${m.run.items.length} files = ${mb(m.run.bytes)} (files in flight at once, seen by n8n: ${m.run.downloadsInFlightPeak} x ${mb(maxFile)}); wall ${sec(m.run.wallMs)}.` +
					` Buffers not yet collected peaked at ${mb(m.run.sampled.arrayBuffers)} (baseline ${mb(m.base.runs[0].sampled.arrayBuffers)});` +
					` live Buffers right after a full GC at most ${mb(m.live)}.` +
					` Last published (streamed): ${before(PUBLISHED)}; whole files in memory (issue 28's re-run): ${before(WHOLE_FILES)}.` +
					(m.plain ? side(m, m.plain) : '') +
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
		const fs = await measure(videoRun('filesystem'), { plain: true });
		// Once: here the rise is files' worth, not tens of MB.
		const db = await measure(videoRun('database'), { probe: false, repeats: 1 });
		const sizes = fs.run.items.every((item) => item.bytes === videoBytes) ? '' : ' (SIZES DIFFER FROM ASKED)';
		out(
			`memory videos, ${videos} of ${mb(videoBytes)}${sizes}, Max Tasks In Flight=${videos}, filesystem binary data: peak RSS ${mb(fs.peak)} vs ${mb(fs.basePeak)} with Download Results off:` +
				` rise=${mb(fs.rise)}${rounds}${list(fs.rises)} for ${mb(fs.run.bytes)} downloaded (files in flight at once, seen by n8n: ${fs.run.downloadsInFlightPeak}); wall ${sec(fs.run.wallMs)}.` +
				` Buffers not yet collected peaked at ${mb(fs.run.sampled.arrayBuffers)}; live Buffers right after a full GC at most ${mb(fs.live)}.` +
				(fs.plain ? side(fs, fs.plain) : '') +
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
