// Virtual time for the poller, the quota scheduler and their benchmarks: `now()` returns virtual
// ms and `sleep(ms)` resolves when the virtual clock gets there, so hours of waiting take
// milliseconds and every figure is exactly reproducible.
import type { Clock } from '../../nodes/engine/clock';

type Timer = { at: number; seq: number; resolve: () => void };

/** A discrete-event clock: timers fire in order of virtual time; nothing waits for real. */
export class VirtualClock implements Clock {
	private time = 0;
	private seq = 0;
	private timers: Timer[] = [];

	now = (): number => this.time;

	sleep = (ms: number, signal?: AbortSignal): Promise<void> =>
		new Promise<void>((resolve, reject) => {
			if (signal?.aborted) {
				reject(signal.reason);
				return;
			}
			const timer: Timer = { at: this.time + Math.max(0, ms), seq: this.seq++, resolve };
			// Keep timers sorted by (at, seq): binary search for the insertion point.
			let lo = 0;
			let hi = this.timers.length;
			while (lo < hi) {
				const mid = (lo + hi) >> 1;
				const other = this.timers[mid];
				if (other.at < timer.at || (other.at === timer.at && other.seq < timer.seq)) lo = mid + 1;
				else hi = mid;
			}
			this.timers.splice(lo, 0, timer);
			signal?.addEventListener(
				'abort',
				() => {
					const index = this.timers.indexOf(timer);
					if (index >= 0) this.timers.splice(index, 1);
					reject(signal.reason);
				},
				{ once: true },
			);
		});

	/** Fires timers in order until none is left; between two, every pending callback runs. */
	async run(): Promise<void> {
		for (;;) {
			await new Promise<void>((resolve) => setImmediate(resolve));
			const timer = this.timers.shift();
			if (!timer) return;
			this.time = timer.at;
			timer.resolve();
		}
	}
}
