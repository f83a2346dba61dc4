// The engine's one clock. Timers go through n8n's `sleep` (community nodes may not start timers
// of their own), which is the engine's only touch of n8n; tests pass a virtual clock instead.
import { sleep as n8nSleep } from 'n8n-workflow';

export type Clock = {
	now(): number;
	/** Resolves after ms, rejects when the signal aborts. */
	sleep(ms: number, signal: AbortSignal): Promise<void>;
};

export const realClock: Clock = {
	now: () => Date.now(),
	sleep: async (ms, signal) => await n8nSleep(ms, signal),
};
