// 2. Polling cost: detection delay and polls per task of the node's schedule vs. fixed 5 s / 10 s,
// on virtual time through the real TaskPoller (test/bench/poll-sim.ts, in a compiled child).
import type { Settings } from '../options.ts';
import { out, progress, sec, verdict } from '../output.ts';
import type { PollResult, PollSpec } from '../poll-sim.ts';
import { runChild } from '../processes.ts';
import { mean } from '../stats.ts';

export async function pollingFigure(settings: Settings): Promise<void> {
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
