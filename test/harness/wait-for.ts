// Waiting in the scale tests: for a condition that a real process will make true (with a
// deadline and a message saying what did not happen), or for a bounded observation window in
// which something must NOT happen.

/** Resolves with the first truthy value of `probe`, checked every 100 ms; fails after `timeoutMs`. */
export async function waitFor<T>(what: string, probe: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs: number): Promise<T> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const value = await probe();
		if (value) return value;
		if (Date.now() > deadline) throw new Error(`waited ${timeoutMs} ms for ${what}`);
		await new Promise((r) => setTimeout(r, 100));
	}
}

/** A quiet period to watch for something that must not happen (no sleeping in hope of an event). */
export function observe(ms: number): Promise<void> {
	return new Promise((r) => setTimeout(r, ms));
}
