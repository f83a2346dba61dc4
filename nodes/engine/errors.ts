// The engine's plain errors: what went wrong with an imini call or a task, as facts (status,
// imini's error body, the task as last seen, how long was waited). No wording for the user and no
// n8n here: n8n/node-errors.ts turns them into the messages the editor shows.
import type { TaskKind } from '../imini/task';

export type IminiErrorBody = { code?: string; message?: string; status?: number; request_id?: string };

/** A non-2xx answer from imini, before it is mapped for the user. */
export class IminiHttpError extends Error {
	readonly status: number;
	readonly body: IminiErrorBody;
	readonly retryAfterMs: number | undefined;
	/**
	 * The answer carried imini's own error body (`{ error: { code, ... } }`): imini itself answered.
	 * A gateway's or proxy's page in front of it proves nothing about what imini did.
	 */
	readonly fromImini: boolean;
	/** Where a redirect (3xx) pointed, when it was one (never followed with the key). */
	readonly location: string | undefined;
	constructor(status: number, body: IminiErrorBody, retryAfterMs: number | undefined, fromImini = false, location?: string) {
		super(body.message ?? `imini answered with status ${status}`);
		this.name = 'IminiHttpError';
		this.status = status;
		this.body = body;
		this.retryAfterMs = retryAfterMs;
		this.fromImini = fromImini;
		this.location = location;
	}
}

/**
 * No answer at all (connection refused or dropped, timeout, unreadable or cut-off body).
 * `sent`: false when the request provably never left this machine (n8n's SSRF protection refused
 * it, the name did not resolve, the connection was refused), so nothing can have happened on
 * imini; true or unknown otherwise.
 */
export class IminiNetworkError extends Error {
	readonly code: string | undefined;
	readonly sent: boolean;
	constructor(message: string, code: string | undefined, sent = true) {
		super(message);
		this.name = 'IminiNetworkError';
		this.code = code;
		this.sent = sent;
	}
}

/**
 * A result file that must not be taken, and that a retry would not change: too large, of a
 * media type imini does not serve, or at (or redirected to) an address the node will not fetch.
 */
export class ResultFileError extends Error {
	readonly reason: 'too large' | 'media type' | 'address';
	constructor(reason: 'too large' | 'media type' | 'address', message: string) {
		super(message);
		this.name = 'ResultFileError';
		this.reason = reason;
	}
}

/** A call that waited for the quota and ran out of time. `lastError` is imini's last 429, if any. */
export class QuotaExhaustedError extends Error {
	readonly reason: 'deadline' | 'stall';
	readonly refusals: number;
	readonly waitedMs: number;
	readonly lastError: IminiHttpError | undefined;
	constructor(reason: 'deadline' | 'stall', refusals: number, waitedMs: number, lastError: IminiHttpError | undefined) {
		super(
			reason === 'deadline'
				? `imini's rate limit left no room for this call before its deadline (${refusals} refusals)`
				: `imini's rate limit refused every call for ${Math.round(waitedMs / 1000)} s`,
		);
		this.name = 'QuotaExhaustedError';
		this.reason = reason;
		this.refusals = refusals;
		this.waitedMs = waitedMs;
		this.lastError = lastError;
	}
}

export type TaskSnapshot = { task_id: string; status: string; error?: { code?: string; message?: string } | null; request_id?: string };

/** The deadline passed while the task was still queued or processing (as last seen). */
export class TaskTimeoutError<Task extends TaskSnapshot = TaskSnapshot> extends Error {
	readonly kind: TaskKind;
	/** The task as last seen (queued or processing); a bare id and `queued` if no check got through. */
	readonly lastTask: Task;
	readonly waitedMs: number;
	/** 'rate limit': the last check could not be made because imini's rate limit refused it. */
	readonly reason: 'deadline' | 'rate limit';
	constructor(kind: TaskKind, lastTask: Task, waitedMs: number, reason: 'deadline' | 'rate limit' = 'deadline') {
		const seconds = waitedMs < 10_000 ? (waitedMs / 1000).toFixed(1) : String(Math.round(waitedMs / 1000));
		super(
			reason === 'rate limit'
				? `Task ${lastTask.task_id} was last seen ${lastTask.status} and imini's rate limit allowed no further status check within its ${seconds} s. It keeps running on imini.`
				: `Task ${lastTask.task_id} is still ${lastTask.status} after ${seconds} s.`,
		);
		this.name = 'TaskTimeoutError';
		this.kind = kind;
		this.lastTask = lastTask;
		this.waitedMs = waitedMs;
		this.reason = reason;
	}
}
