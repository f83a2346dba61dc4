// A stateful imini: tasks go queued -> processing -> succeeded | failed as time passes, results
// are real files served from this server (never through Prism, which corrupts binary bodies).
// A task's state is a pure function of the clock, so no timers run per task and a test (or
// POST /mock/clock) can drive the clock.
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { HttpError, delay, errorCodes, errorMessages, readBody, sendError, sendJson } from './http.ts';
import { loadContract } from './contract.ts';
import type { TaskKind } from './contract.ts';
import { checkVideoReferences } from '../openapi/rules/reference-rules.ts';
import { FaultSyntaxError, parseFault, parsePromptDirectives } from './faults.ts';
import type { Fault, PromptDirectives } from './faults.ts';
import { noFaultRates, pickFault } from './fault-rates.ts';
import type { FaultRates } from './fault-rates.ts';
import { createResultFiles } from './result-files.ts';
import { planResults } from './result-plan.ts';
import { consolePage } from './console.ts';
import { createClock } from './clock.ts';
import type { MockClock } from './clock.ts';
import { createIds } from './ids.ts';
import { createJournal } from './journal.ts';
import type { Journal, JournalEntry } from './journal.ts';
import { handleControl } from './control.ts';
import { createRateLimiter } from './rate-limit.ts';
import { createDownloads } from './downloads.ts';
import type { Violation } from './prism.ts';
import { taskFailure, taskRecord, taskResults, taskStatus } from './tasks.ts';
import type { Task, TaskRecord } from './tasks.ts';

export type SimulatorOptions = {
	/** The one key accepted (`Authorization: Bearer <key>`). */
	apiKey: string;
	/** Time from submit to a settled image task. */
	imageTaskMs: number;
	/** Time from submit to a settled video task. */
	videoTaskMs: number;
	/** Share of a task's time spent `queued` before `processing`. */
	queuedShare: number;
	/** A settled task (and its files) is forgotten this long after it settled: polls then answer 404. */
	taskTtlMs: number;
	/**
	 * Per-key limit on API calls (files excluded): at most `requests` accepted calls in any
	 * `windowMs` (a sliding window, stricter than a fixed one: no double burst at a window's
	 * edge; refused calls do not count). null disables it.
	 */
	rateLimit: { requests: number; windowMs: number } | null;
	/**
	 * Whether 429 answers carry `Retry-After`. imini documents no such header, so by default
	 * none is sent and a client must find the pace itself; true is the kinder server.
	 */
	retryAfter: boolean;
	/** `Retry-After` sent with an injected 429 (when `retryAfter` is on). */
	retryAfterSeconds: number;
	/** Credits per key (one per submitted task); null is unlimited. */
	credits: number | null;
	/**
	 * Fields a model does not document: refused with a 400 (false, the default: imini does not
	 * say, so the stricter answer) or dropped and ignored (true).
	 */
	acceptUnknownFields: boolean;
	/** Task ids, request ids and pictures the same on every run (and after POST /mock/reset); null is random. */
	seed: string | null;
	/** Faults by probability (`--fault-rate`). */
	faultRates: FaultRates;
	/** The time the mock's clock follows; POST /mock/clock moves and freezes the mock's clock on top of it. */
	now: () => number;
};

export const defaultSimulatorOptions: SimulatorOptions = {
	apiKey: 'imini-mock-key',
	imageTaskMs: 6_000,
	videoTaskMs: 20_000,
	queuedShare: 0.2,
	taskTtlMs: 60 * 60 * 1000,
	rateLimit: { requests: 300, windowMs: 60_000 },
	retryAfter: false,
	retryAfterSeconds: 1,
	credits: null,
	acceptUnknownFields: false,
	seed: null,
	faultRates: noFaultRates,
	now: () => Date.now(),
};

export type SimulatorStats = {
	submits: number;
	polls: number;
	files: number;
	inFlightPeak: number;
	/** 429s the rate limit served (injected faults not counted). */
	rateLimited: number;
};

/** A task as it was submitted (the newest 200), for tests that assert what a client sent. */
export type Submission = { taskId: string; kind: TaskKind; body: Record<string, unknown> };

export type Simulator = {
	/** Where a client on this machine reaches the simulator. */
	url: string;
	/** The base of result URLs (`--public-url`, else `url`). */
	filesUrl: string;
	server: Server;
	stats: SimulatorStats;
	submissions: Submission[];
	/** Contract violations (Prism reports them here; GET /mock/violations serves them). */
	violations: Violation[];
	journal: Journal;
	clock: MockClock;
	/** What POST /mock/reset does. */
	reset(): void;
	/** Tasks currently neither settled nor expired (for concurrency assertions). */
	inFlight(): number;
	close(): Promise<void>;
};

/** How many tasks the console and `GET /mock/tasks` remember. */
const HISTORY_SIZE = 500;

/** Production's base URL is https://openapi.imini.ai/imini/router: a client that swaps only the host keeps this prefix. */
export const PRODUCTION_PATH_PREFIX = '/imini/router';

/** An API path without production's prefix (`/imini/router/v1/...` and `/v1/...` are the same call). */
export function apiPath(path: string): string {
	return path.startsWith(`${PRODUCTION_PATH_PREFIX}/`) ? path.slice(PRODUCTION_PATH_PREFIX.length) : path;
}

function faultName(fault: Fault): string {
	return fault.kind === 'status' ? String(fault.status) : fault.kind === 'slow' ? `slow:${fault.ms}` : fault.kind;
}

export function createSimulator(overrides: Partial<SimulatorOptions> = {}) {
	const options: SimulatorOptions = { ...defaultSimulatorOptions, ...overrides };
	const contract = loadContract({ acceptUnknownFields: options.acceptUnknownFields });
	const clock = createClock(options.now);
	const now = clock.now;
	const ids = createIds(options.seed);
	const journal = createJournal(now);
	const violations: Violation[] = [];
	const tasks = new Map<string, Task>();
	const submitFaultsSeen = new Map<string, number>();
	const credits = new Map<string, number>();
	const stats: SimulatorStats = { submits: 0, polls: 0, files: 0, inFlightPeak: 0, rateLimited: 0 };
	const rateLimiter = createRateLimiter(options, now, journal, () => stats.rateLimited++);
	const resultFiles = createResultFiles();
	const submissions: Submission[] = [];
	/** Every task created, oldest first (the newest HISTORY_SIZE), for the task console. */
	const history: Task[] = [];
	let filesBaseUrl = '';

	const inFlight = () => {
		const time = now();
		let count = 0;
		for (const task of tasks.values()) if (time < task.createdAt + task.durationMs) count++;
		return count;
	};

	function reset(): void {
		for (const map of [tasks, submitFaultsSeen, credits]) map.clear();
		rateLimiter.reset();
		Object.assign(stats, { submits: 0, polls: 0, files: 0, inFlightPeak: 0, rateLimited: 0 });
		submissions.length = 0;
		history.length = 0;
		violations.length = 0;
		journal.reset();
		clock.reset();
		ids.reset();
	}

	function authenticate(req: IncomingMessage): string {
		const header = req.headers.authorization ?? '';
		const match = /^Bearer\s+(.+)$/i.exec(header);
		if (!match) throw new HttpError(401, 'Missing API key. Send Authorization: Bearer <API key>.');
		if (match[1].trim() !== options.apiKey) throw new HttpError(401, 'Invalid API key.');
		return match[1].trim();
	}

	function faultError(fault: Fault & { kind: 'status' }): HttpError {
		const headers: Record<string, string> =
			fault.status === 429 && options.retryAfter ? { 'retry-after': String(options.retryAfterSeconds) } : {};
		return new HttpError(fault.status, errorMessages[fault.status], errorCodes[fault.status], headers);
	}

	/** Applies a fault (`source` says where it came from, for the journal); true when the answer has been handled (or the socket dropped). */
	async function applyFault(fault: Fault | undefined, res: ServerResponse, source: string): Promise<boolean> {
		if (!fault) return false;
		journal.fault(res, `${source}: ${faultName(fault)}`);
		switch (fault.kind) {
			case 'slow':
				await delay(fault.ms);
				return false;
			case 'drop':
				res.socket?.destroy();
				return true;
			case 'malformed':
				res.writeHead(200, { 'content-type': 'application/json' });
				res.end('{"task_id": "task_0", "status": "proc');
				return true;
			case 'offspec':
				sendJson(res, 200, { task_id: 'task_0', status: 'done', created_at: 'yesterday' });
				return true;
			case 'status':
				sendError(res, faultError(fault), ids.requestId());
				return true;
		}
	}

	async function submit(kind: TaskKind, req: IncomingMessage, res: ServerResponse, key: string): Promise<void> {
		const raw = await readBody(req);
		let body: Record<string, unknown>;
		try {
			body = JSON.parse(raw.toString('utf8')) as Record<string, unknown>;
		} catch {
			throw new HttpError(400, 'The request body is not valid JSON.');
		}
		if (options.acceptUnknownFields && body && typeof body === 'object') body = structuredClone(body);
		const problem =
			contract[kind].validate(body) ??
			(kind === 'video' ? checkVideoReferences(body as Parameters<typeof checkVideoReferences>[0]) : null);
		if (problem) throw new HttpError(400, problem);

		const prompt = typeof body.prompt === 'string' ? body.prompt : '';
		let directives: PromptDirectives;
		try {
			directives = parsePromptDirectives(prompt);
		} catch (error) {
			if (error instanceof FaultSyntaxError) throw new HttpError(400, error.message);
			throw error;
		}
		if (directives.slowMs) await delay(directives.slowMs);
		if (directives.submit) {
			const seenKey = `${key}\n${kind}\n${prompt}`;
			const seen = submitFaultsSeen.get(seenKey) ?? 0;
			if (seen < directives.submit.times) {
				submitFaultsSeen.set(seenKey, seen + 1);
				if (await applyFault(directives.submit.fault, res, 'prompt: submit')) return;
			}
		}
		if (directives.unsafe) {
			throw new HttpError(400, 'The prompt was flagged by content safety. Please revise it.', 'INVALID_PROMPT');
		}
		if (options.credits !== null) {
			const left = credits.get(key) ?? options.credits;
			if (left < 1) throw new HttpError(402, errorMessages[402]);
			credits.set(key, left - 1);
		}

		const model = String(body.model);
		const id = ids.taskId();
		const createdAt = now();
		const task: Task = {
			id,
			kind,
			model,
			apiKey: key,
			prompt,
			createdAt,
			durationMs: directives.timeMs ?? (kind === 'image' ? options.imageTaskMs : options.videoTaskMs),
			directives,
			polls: 0,
			...planResults(contract, kind, id, model, body),
		};
		tasks.set(id, task);
		history.push(task);
		if (history.length > HISTORY_SIZE) history.shift();
		stats.submits++;
		// Like imini, have the files ready when the task succeeds: render them while it runs
		// (unless a flood of submits has already queued more renders than a batch needs).
		if (!directives.fail) resultFiles.prerender([...task.files, ...task.covers]);
		submissions.push({ taskId: id, kind, body });
		if (submissions.length > 200) submissions.shift();
		stats.inFlightPeak = Math.max(stats.inFlightPeak, inFlight());
		journal.task(res, id);
		sendJson(res, 200, {
			task_id: id,
			model,
			created_at: new Date(createdAt).toISOString(),
			request_id: ids.uuid(),
		});
	}

	function findTask(id: string, kind: TaskKind | null, key: string | null): Task {
		const task = tasks.get(id);
		if (task && now() > task.createdAt + task.durationMs + options.taskTtlMs) {
			tasks.delete(id);
			throw new HttpError(404, `Task ${id} not found or expired.`);
		}
		// A task belongs to one key and one kind: anything else looks unknown, as it would upstream.
		if (!task || (kind && task.kind !== kind) || (key && task.apiKey !== key)) {
			throw new HttpError(404, `Task ${id} not found or expired.`);
		}
		return task;
	}

	async function poll(kind: TaskKind, id: string, res: ServerResponse, key: string): Promise<void> {
		journal.task(res, id);
		const task = findTask(id, kind, key);
		task.polls++;
		stats.polls++;
		if (task.directives.slowMs) await delay(task.directives.slowMs);
		const pollFault = task.directives.pollAt.get(task.polls) ?? task.directives.poll;
		const pollTag = task.directives.pollAt.has(task.polls) ? `prompt: poll${task.polls}` : 'prompt: poll';
		if (await applyFault(pollFault, res, pollTag)) return;

		const status = taskStatus(task, now(), options.queuedShare);
		const settled = status === 'succeeded' || status === 'failed';
		const failure = status === 'failed' ? taskFailure(task) : null;
		const rid = ids.requestId();
		sendJson(res, 200, {
			task_id: task.id,
			status,
			model: task.model,
			created_at: new Date(task.createdAt).toISOString(),
			completed_at: settled ? new Date(task.createdAt + task.durationMs).toISOString() : null,
			[kind === 'image' ? 'images' : 'videos']: status === 'succeeded' ? taskResults(task, filesBaseUrl) : null,
			error: failure ? { ...failure, request_id: rid } : null,
			request_id: rid,
		});
	}

	/** The tasks seen so far, newest first. */
	function taskRecords(): TaskRecord[] {
		const time = now();
		return history
			.map((task) => taskRecord(task, time, options.queuedShare, task.createdAt + task.durationMs + options.taskTtlMs, filesBaseUrl))
			.reverse();
	}

	const downloads = createDownloads({ findTask, resultFiles, journal, ids, faultRates: options.faultRates, now, onServed: () => stats.files++ });

	async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
		const url = new URL(req.url ?? '/', 'http://simulator');
		// The task console and the control API: the simulator's own pages, outside imini's API
		// (no key, not rate limited, never through Prism, not in the journal).
		if (url.pathname.startsWith('/mock/')) {
			const handled = await handleControl(req, res, url, {
				tasks: () => ({ tasks: taskRecords(), stats }),
				journal,
				violations,
				clock,
				reset,
			});
			if (handled) return;
		}
		const path = apiPath(url.pathname);
		if (path !== '/') journal.record(req, res, url.pathname);
		const file = /^\/files\/([^/]+)\/([^/]+)$/.exec(path);
		if (req.method === 'GET' && file) return downloads.serve(file[1], file[2], res);
		if (req.method === 'GET' && path === '/') {
			res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
			res.end(consolePage);
			return;
		}

		const header = req.headers['x-mock-fault'];
		if (typeof header === 'string' && header) {
			let fault: Fault;
			try {
				fault = parseFault(header);
			} catch (error) {
				throw new HttpError(400, (error as Error).message);
			}
			if (await applyFault(fault, res, 'x-mock-fault')) {
				req.resume();
				return;
			}
		}
		const key = authenticate(req);
		const rated = pickFault(options.faultRates.api, options.faultRates.api.length ? ids.draw() : 1);
		if (rated && (await applyFault(rated.fault, res, 'fault-rate'))) {
			req.resume();
			return;
		}
		rateLimiter.check(key, res);
		const submitRoute = /^\/v1\/(images|videos)\/generate$/.exec(path);
		if (submitRoute && req.method === 'POST') {
			return submit(submitRoute[1] === 'images' ? 'image' : 'video', req, res, key);
		}
		const pollRoute = /^\/v1\/(images|videos)\/tasks\/([^/]+)$/.exec(path);
		if (pollRoute && req.method === 'GET') {
			return poll(pollRoute[1] === 'images' ? 'image' : 'video', decodeURIComponent(pollRoute[2]), res, key);
		}
		throw new HttpError(404, `No route ${req.method} ${path}.`, 'NOT_FOUND');
	}

	const server = createServer((req, res) => {
		handle(req, res).catch((error: unknown) => {
			if (res.headersSent || res.destroyed) return;
			req.resume();
			sendError(res, error instanceof HttpError ? error : new HttpError(500, errorMessages[500]), ids.requestId());
			if (!(error instanceof HttpError)) console.error('[imini-mock] simulator bug:', error);
		});
	});
	server.keepAliveTimeout = 5_000;

	return {
		options,
		stats,
		inFlight,
		/** `publicUrl`: the base of result URLs, for clients that reach this machine by another name (a container's host.docker.internal). */
		async listen(port = 0, host = '127.0.0.1', publicUrl?: string): Promise<Simulator> {
			await new Promise<void>((resolve, reject) => {
				server.once('error', reject);
				server.listen(port, host, () => resolve());
			});
			const address = server.address() as AddressInfo;
			const url = `http://${connectableHost(host)}:${address.port}`;
			filesBaseUrl = publicUrl ? publicUrl.replace(/\/+$/, '') : url;
			return {
				url,
				filesUrl: filesBaseUrl,
				server,
				stats,
				submissions,
				violations,
				journal,
				clock,
				reset,
				inFlight,
				close: () =>
					new Promise<void>((resolve) => {
						void resultFiles.close();
						server.closeAllConnections();
						server.close(() => resolve());
					}),
			};
		},
	};
}

/** A wildcard bind address (0.0.0.0, ::) is not one to connect to: use the loopback. */
export function connectableHost(host: string): string {
	if (host === '0.0.0.0' || host === '') return '127.0.0.1';
	if (host === '::') return '[::1]';
	return host.includes(':') ? `[${host}]` : host;
}

export type { JournalEntry };
