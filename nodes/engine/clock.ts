// The engine's one clock. Timers go through n8n's sleep (community nodes may not start timers
// of their own), which is the engine's only touch of n8n; tests pass a virtual clock instead.
import * as workflow from 'n8n-workflow';

export type Clock = {
	now(): number;
	/** Resolves after ms, rejects when the signal aborts. */
	sleep(ms: number, signal: AbortSignal): Promise<void>;
};

type N8nSleep = (ms: number, signal?: AbortSignal) => Promise<void>;

/**
 * n8n's abortable sleep on every n8n the package supports. n8n-workflow up to 2.33 (all of n8n
 * 1.x) exports it as `sleepWithAbort`, and its `sleep` ignores a signal; from 2.34 on `sleep`
 * takes the signal and `sleepWithAbort` is gone.
 */
const n8nSleep: N8nSleep = (workflow as unknown as { sleepWithAbort?: N8nSleep }).sleepWithAbort ?? workflow.sleep;

/**
 * Waits for `ms`, or until `signal` aborts (rejecting with its reason), whichever comes first,
 * whatever n8n's sleep does with the signal. The poller and the quota sleep until far ahead and
 * are woken by an abort when a check finishes: a sleep deaf to it would hold them until then.
 */
export async function sleepUnlessAborted(ms: number, signal?: AbortSignal): Promise<void> {
	if (!signal) return await n8nSleep(ms);
	signal.throwIfAborted();
	await new Promise<void>((resolve, reject) => {
		const onAbort = () => reject(signal.reason);
		signal.addEventListener('abort', onAbort, { once: true });
		n8nSleep(ms, signal)
			.then(resolve, reject)
			.finally(() => signal.removeEventListener('abort', onAbort));
	});
}

export const realClock: Clock = {
	now: () => Date.now(),
	sleep: sleepUnlessAborted,
};
