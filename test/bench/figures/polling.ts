// 2. Polling cost: detection delay and polls per task of the node's learning poller vs. imini's
// fixed schedule (what the node did before it learned) and a fixed 5 s, on virtual time through
// the real TaskPoller (test/bench/poll-sim.ts, in a compiled child).
import type { Settings } from '../flags.ts';
import { out, progress, sec, verdict } from '../report.ts';
import type { PollResult, PollSpec } from '../poll-sim.ts';
import { runChild } from '../bench-processes.ts';
import { mean } from '../percentiles.ts';

export async function pollingFigure(settings: Settings): Promise<void> {
	const image = 'google/nano-banana';
	const video = 'kling/kling-v3';
	const spec: PollSpec = {
		tasks: settings.pollTasks,
		jitter: 0.2,
		cases: [
			{ kind: 'image', model: image, seconds: 5 },
			{ kind: 'image', model: image, seconds: 15 },
			{ kind: 'image', model: image, seconds: 30 },
			{ kind: 'image', model: image, seconds: 90 },
			{ kind: 'video', model: video, seconds: 60 },
			{ kind: 'video', model: video, seconds: 300 },
		],
		schedules: [
			{ name: 'imini', learn: false },
			{ name: 'learned', learn: true },
			{ name: 'fixed5s', learn: false, fallback: { firstCheckMs: 5000, intervalsMs: [5000] } },
		],
	};
	progress(`polling: ${spec.tasks} tasks per case on virtual time`);
	const { results } = await runChild<{ results: PollResult[] }>('test/bench/poll-sim.js', spec);
	const cell = (r: PollResult) => `${r.schedule} mean=${(r.meanDelayMs / 1000).toFixed(3)}s max=${sec(r.maxDelayMs)} polls=${r.meanPolls.toFixed(1)}`;
	for (const { kind, seconds } of spec.cases) {
		const row = results.filter((r) => r.kind === kind && r.seconds === seconds);
		const imini = row.find((r) => r.schedule === 'imini')!;
		const learned = row.find((r) => r.schedule === 'learned')!;
		const target =
			kind === 'image'
				? `target (learned): mean<=1.0s ${verdict(learned.meanDelayMs <= 1000)}, polls<=imini's ${imini.meanPolls.toFixed(1)} ${verdict(learned.meanPolls <= imini.meanPolls)}`
				: 'target: n/a (video)';
		out(`polling ${kind} T=${seconds}s±20% (${learned.tasks} tasks): ${row.map(cell).join(' | ')}  ${target}`);
	}
	const images = results.filter((r) => r.kind === 'image');
	const avg = (name: string, key: 'meanDelayMs' | 'meanPolls') => mean(images.filter((r) => r.schedule === name).map((r) => r[key]));
	out(
		`polling summary (image, all four T): mean delay imini ${sec(avg('imini', 'meanDelayMs'))} -> learned ${sec(avg('learned', 'meanDelayMs'))},` +
			` polls per task ${avg('imini', 'meanPolls').toFixed(1)} -> ${avg('learned', 'meanPolls').toFixed(1)}` +
			` (checking every 2 s, imini's shortest interval, gives 1.0 s at best for finishes spread evenly; the first tasks of a batch finish before anything is learned) target: n/a`,
	);
}
