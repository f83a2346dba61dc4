// The journal behind GET /mock/requests: every call the simulator answered (submits, polls,
// downloads, 401s and 429s alike) with its status, the fault that shaped it and how long it
// took, so a CI run can assert what its client did (WireMock's request journal, for imini).
import type { IncomingMessage, ServerResponse } from 'node:http';

export type JournalEntry = {
	/** 1, 2, 3, ... since start or the last reset (`GET /mock/requests?since=<seq>`). */
	seq: number;
	/** When it came in, on the mock's clock. */
	at: string;
	method: string;
	path: string;
	/** null when the connection was dropped without an answer. */
	status: number | null;
	/** What made the answer a fault, e.g. `x-mock-fault: 502`, `prompt: submit=429`, `fault-rate: 500`, `rate-limit`. */
	fault: string | null;
	task_id: string | null;
	/** Wall-clock milliseconds from request to answer. */
	duration_ms: number;
};

/** How many entries are kept (the oldest are dropped first). */
const JOURNAL_SIZE = 10_000;

export function createJournal(now: () => number) {
	let entries: JournalEntry[] = [];
	let seq = 0;
	const notes = new WeakMap<ServerResponse, { fault: string | null; taskId: string | null }>();
	const note = (res: ServerResponse) => {
		let value = notes.get(res);
		if (!value) notes.set(res, (value = { fault: null, taskId: null }));
		return value;
	};
	return {
		/** Starts an entry; it is written when the answer is finished or the socket closes. */
		record(req: IncomingMessage, res: ServerResponse, path: string): void {
			const started = performance.now();
			// A poll or a download names its task even when it is refused (401, 429, faults).
			const named = /\/tasks\/([^/]+)$|^\/files\/([^/]+)\//.exec(path);
			if (named) note(res).taskId = safeDecode(named[1] ?? named[2]);
			const at = new Date(now()).toISOString();
			res.once('close', () => {
				const { fault, taskId } = note(res);
				entries.push({
					seq: ++seq,
					at,
					method: req.method ?? '?',
					path,
					status: res.headersSent ? res.statusCode : null,
					fault,
					task_id: taskId,
					duration_ms: Math.round(performance.now() - started),
				});
				if (entries.length > JOURNAL_SIZE) entries = entries.slice(-JOURNAL_SIZE);
			});
		},
		fault(res: ServerResponse, fault: string): void {
			note(res).fault ??= fault;
		},
		task(res: ServerResponse, taskId: string): void {
			note(res).taskId = taskId;
		},
		since: (after: number): JournalEntry[] => entries.filter((entry) => entry.seq > after),
		reset(): void {
			entries = [];
			seq = 0;
		},
	};
}

export type Journal = ReturnType<typeof createJournal>;

/** A path segment decoded, or as it came when its percent-escapes are malformed (the handler answers that with a 400). */
function safeDecode(part: string): string {
	try {
		return decodeURIComponent(part);
	} catch {
		return part;
	}
}
