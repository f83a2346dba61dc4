// A stateful imini: tasks go queued -> processing -> succeeded | failed as time passes, results
// are real files served from this server (never through Prism, which corrupts binary bodies).
// A task's state is a pure function of the clock, so no timers run per task and a test can
// drive the clock.
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes, randomUUID } from 'node:crypto';
import { HttpError, delay, errorCodes, errorMessages, readBody, requestId, sendError, sendJson } from './http.ts';
import { loadContract } from './contract.ts';
import type { TaskKind } from './contract.ts';
import { checkVideoReferences } from '../nodes/shared/reference-rules.ts';
import { FaultSyntaxError, parseFault, parsePromptDirectives } from './faults.ts';
import type { Fault, PromptDirectives } from './faults.ts';
import { imageSize, videoSize } from './media.ts';
import { createResultFiles } from './result-files.ts';
import { consolePage } from './console.ts';
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
	url: string;
	server: Server;
	stats: SimulatorStats;
	submissions: Submission[];
	/** Tasks currently neither settled nor expired (for concurrency assertions). */
	inFlight(): number;
	close(): Promise<void>;
};

/** How many tasks the console and `GET /mock/tasks` remember. */
const HISTORY_SIZE = 500;

function newTaskId(): string {
	// Shape of imini's ids: task_ + 19 digits.
	const digits = BigInt(`0x${randomBytes(8).toString('hex')}`) % 10n ** 19n;
	return `task_${digits.toString().padStart(19, '1')}`;
}

export function createSimulator(overrides: Partial<SimulatorOptions> = {}) {
	const options: SimulatorOptions = { ...defaultSimulatorOptions, ...overrides };
	const contract = loadContract();
	const tasks = new Map<string, Task>();
	const submitFaultsSeen = new Map<string, number>();
	const credits = new Map<string, number>();
	/** Per key: when its accepted calls of the current window came in, oldest first. */
	const accepted = new Map<string, number[]>();
	const stats: SimulatorStats = { submits: 0, polls: 0, files: 0, inFlightPeak: 0, rateLimited: 0 };
	const resultFiles = createResultFiles();
	const submissions: Submission[] = [];
	/** Every task created, oldest first (the newest HISTORY_SIZE), for the task console. */
	const history: Task[] = [];
	let filesBaseUrl = '';

	const inFlight = () => {
		const now = options.now();
		let count = 0;
		for (const task of tasks.values()) if (now < task.createdAt + task.durationMs) count++;
		return count;
	};

	function authenticate(req: IncomingMessage): string {
		const header = req.headers.authorization ?? '';
		const match = /^Bearer\s+(.+)$/i.exec(header);
		if (!match) throw new HttpError(401, 'Missing API key. Send Authorization: Bearer <API key>.');
		if (match[1].trim() !== options.apiKey) throw new HttpError(401, 'Invalid API key.');
		return match[1].trim();
	}

	function rateLimit(key: string): void {
		if (!options.rateLimit) return;
		const now = options.now();
		const { requests, windowMs } = options.rateLimit;
		const times = accepted.get(key) ?? [];
		accepted.set(key, times);
		while (times.length > 0 && times[0] <= now - windowMs) times.shift();
		if (times.length >= requests) {
			stats.rateLimited++;
			const headers: Record<string, string> = options.retryAfter
				? { 'retry-after': String(Math.max(1, Math.ceil((times[0] + windowMs - now) / 1000))) }
				: {};
			throw new HttpError(429, errorMessages[429], 'RATE_LIMITED', headers);
		}
		times.push(now);
	}

	function faultError(fault: Fault & { kind: 'status' }): HttpError {
		const headers: Record<string, string> =
			fault.status === 429 && options.retryAfter ? { 'retry-after': String(options.retryAfterSeconds) } : {};
		return new HttpError(fault.status, errorMessages[fault.status], errorCodes[fault.status], headers);
	}

	/** Applies a fault; returns true when the answer has been handled (or the socket dropped). */
	async function applyFault(fault: Fault | undefined, res: ServerResponse): Promise<boolean> {
		if (!fault) return false;
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
				sendError(res, faultError(fault));
				return true;
		}
	}

	function resultsFor(kind: TaskKind, id: string, model: string, params: Record<string, unknown>): Pick<Task, 'files' | 'covers'> {
		const prompt = typeof params.prompt === 'string' ? params.prompt : '';
		if (kind === 'image') {
			const size = imageSize(String(params.aspect_ratio ?? '1:1'), String(params.resolution ?? '1K'));
			const count = Number(params.num ?? 1);
			return {
				files: Array.from({ length: count }, (_, i) => ({
					kind: 'png' as const,
					...size,
					seed: `${id}/${i}`,
					caption: { prompt, model, taskId: count > 1 ? `${id} · ${i + 1}/${count}` : id },
				})),
				covers: [],
			};
		}
		// Motion control and edit modes follow the reference video; the simulator assumes 16:9.
		const aspect = String(params.aspect_ratio ?? '16:9');
		const size = videoSize(aspect === 'adaptive' ? '16:9' : aspect, String(params.resolution ?? '720P'));
		const duration = Number(params.duration ?? 5);
		const caption = { prompt, model, taskId: id, durationSeconds: duration };
		return {
			files: [{ kind: 'mp4', ...size, duration, seed: `${id}/0`, caption }],
			// The cover is the video's first frame.
			covers: [{ kind: 'png', ...size, seed: `${id}/0`, caption }],
		};
	}

	async function submit(kind: TaskKind, req: IncomingMessage, res: ServerResponse, key: string): Promise<void> {
		const raw = await readBody(req);
		let body: Record<string, unknown>;
		try {
			body = JSON.parse(raw.toString('utf8')) as Record<string, unknown>;
		} catch {
			throw new HttpError(400, 'The request body is not valid JSON.');
		}
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
				if (await applyFault(directives.submit.fault, res)) return;
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
		const params = { ...contract[kind].defaults(model), ...body };
		const id = newTaskId();
		const createdAt = options.now();
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
			...resultsFor(kind, id, model, params),
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
		sendJson(res, 200, {
			task_id: id,
			model,
			created_at: new Date(createdAt).toISOString(),
			request_id: randomUUID(),
		});
	}

	function findTask(id: string, kind: TaskKind | null, key: string | null): Task {
		const task = tasks.get(id);
		const now = options.now();
		if (task && now > task.createdAt + task.durationMs + options.taskTtlMs) {
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
		const task = findTask(id, kind, key);
		task.polls++;
		stats.polls++;
		if (task.directives.slowMs) await delay(task.directives.slowMs);
		if (await applyFault(task.directives.pollAt.get(task.polls) ?? task.directives.poll, res)) return;

		const status = taskStatus(task, options.now(), options.queuedShare);
		const settled = status === 'succeeded' || status === 'failed';
		const failure = status === 'failed' ? taskFailure(task) : null;
		const rid = requestId();
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
		const now = options.now();
		return history
			.map((task) => taskRecord(task, now, options.queuedShare, task.createdAt + task.durationMs + options.taskTtlMs, filesBaseUrl))
			.reverse();
	}

	async function serveFile(id: string, name: string, res: ServerResponse): Promise<void> {
		const task = findTask(id, null, null);
		const match = /^(\d+)(-cover)?\.(png|mp4)$/.exec(name);
		const index = match ? Number(match[1]) : -1;
		const file = match?.[2] ? task.covers[index] : task.files[index];
		const settled = options.now() >= task.createdAt + task.durationMs && !task.directives.fail;
		if (!match || !file || !settled || (file.kind === 'mp4') !== (match[3] === 'mp4')) {
			throw new HttpError(404, `No file ${name} for task ${id}.`);
		}
		const bytes = await resultFiles.bytes(file);
		stats.files++;
		res.writeHead(200, {
			'content-type': file.kind === 'mp4' ? 'video/mp4' : 'image/png',
			'content-length': bytes.length,
			'cache-control': 'public, max-age=3600',
		});
		res.end(bytes);
	}

	async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
		const url = new URL(req.url ?? '/', 'http://simulator');
		const path = url.pathname;
		const file = /^\/files\/([^/]+)\/([^/]+)$/.exec(path);
		if (req.method === 'GET' && file) return serveFile(file[1], file[2], res);
		// The task console and its data: the simulator's own pages, outside imini's API (no key,
		// not rate limited, never through Prism).
		if (req.method === 'GET' && path === '/mock/tasks') {
			return sendJson(res, 200, { tasks: taskRecords(), stats }, { 'cache-control': 'no-store' });
		}
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
			if (await applyFault(fault, res)) {
				req.resume();
				return;
			}
		}
		const key = authenticate(req);
		rateLimit(key);
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
			sendError(res, error instanceof HttpError ? error : new HttpError(500, errorMessages[500]));
			if (!(error instanceof HttpError)) console.error('[imini-mock] simulator bug:', error);
		});
	});
	server.keepAliveTimeout = 5_000;

	return {
		options,
		stats,
		inFlight,
		async listen(port = 0, host = '127.0.0.1'): Promise<Simulator> {
			await new Promise<void>((resolve, reject) => {
				server.once('error', reject);
				server.listen(port, host, () => resolve());
			});
			const address = server.address() as AddressInfo;
			filesBaseUrl = `http://${host}:${address.port}`;
			return {
				url: filesBaseUrl,
				server,
				stats,
				submissions,
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
