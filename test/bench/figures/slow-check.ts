// 8. One slow status answer: how late the OTHER tasks of a run are noticed (finished on imini,
// first seen settled by a check) when task 0's second check takes 30 s or 134 s to be answered,
// before issue 23 (the poller awaited a whole batch of checks before looking again) and after
// (each check runs on its own), side by side in one run, on virtual time through both pollers
// (test/bench/slow-check-sim.ts, in a compiled child).
import type { Settings } from '../flags.ts';
import { out, progress, sec, verdict } from '../report.ts';
import type { SlowCheckResult, SlowCheckSpec } from '../slow-check-sim.ts';
import { runChild } from '../bench-processes.ts';

export async function slowCheckFigure(_settings: Settings): Promise<void> {
	const spec: SlowCheckSpec = { tasks: 20, seconds: 10, slowSeconds: [30, 134] };
	progress(`slow check: ${spec.tasks} tasks of ~${spec.seconds} s, one slow answer, before vs after, on virtual time`);
	const { results } = await runChild<{ results: SlowCheckResult[] }>('test/bench/slow-check-sim.js', spec);
	for (const slow of spec.slowSeconds) {
		const before = results.find((r) => r.poller === 'before' && r.slowSeconds === slow)!;
		const after = results.find((r) => r.poller === 'after' && r.slowSeconds === slow)!;
		const cell = (r: SlowCheckResult) => `mean ${sec(r.meanLateMs)} max ${sec(r.maxLateMs)}${r.unnoticed ? ` (${r.unnoticed} never noticed)` : ''}`;
		out(
			`slow check: one answer ${slow} s late, the other ${after.tasks} tasks noticed late by: before ${cell(before)} -> after ${cell(after)}` +
				`  target: after max<=5s ${verdict(after.maxLateMs <= 5_000 && after.unnoticed === 0)}`,
		);
	}
}
