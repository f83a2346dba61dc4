// Which part of the simulator answers a request, and the gates an API call passes on its way, in
// imini's order: the simulator's own pages first (control API, result files, task console: no
// key, no quota), then the key (before anything else an API call can ask for: a mock on 0.0.0.0
// is reachable by others, and must not hold a connection or serve a fault for them), an
// `x-mock-fault` header, a fault by probability, the rate quota, and last the submit and poll
// routes. An error thrown anywhere becomes imini's error
// body; an unexpected one is a simulator bug and says so on stderr.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { HttpError, apiPath, errorMessages, sendError } from '../core/http.ts';
import type { TaskKind } from '../contract/validator.ts';
import { consolePage } from '../control/console-page.ts';
import { handleControl } from '../control/control-api.ts';
import type { ControlTarget } from '../control/control-api.ts';
import type { createDownloads } from './downloads.ts';
import type { MockServices } from './services.ts';
import { parseFault } from '../faults/grammar.ts';
import type { Fault } from '../faults/grammar.ts';
import { pickFault } from '../faults/rates.ts';

type Handler = (kind: TaskKind, req: IncomingMessage, res: ServerResponse, key: string) => Promise<void>;
type PollHandler = (kind: TaskKind, id: string, res: ServerResponse, key: string) => Promise<void>;

/** The parts that answer: the two API calls, the result files (imini's CDN) and the control API. */
export type Handlers = {
	submit: Handler;
	poll: PollHandler;
	downloads: ReturnType<typeof createDownloads>;
	control: ControlTarget;
};

/** A percent-escaped path segment; a malformed escape is the client's mistake (400), not the mock's. */
function decodePathPart(part: string): string {
	try {
		return decodeURIComponent(part);
	} catch {
		throw new HttpError(400, `The path segment "${part.slice(0, 80)}" is not valid percent-encoding.`, 'INVALID_PARAMETER');
	}
}

/** The key of `Authorization: Bearer <key>`, if it is the one accepted; imini's 401 otherwise. */
function authenticate(req: IncomingMessage, apiKey: string): string {
	const header = req.headers.authorization ?? '';
	const match = /^Bearer\s+(.+)$/i.exec(header);
	if (!match) throw new HttpError(401, 'Missing API key. Send Authorization: Bearer <API key>.');
	if (match[1].trim() !== apiKey) throw new HttpError(401, 'Invalid API key.');
	return match[1].trim();
}

export function createRequestListener(services: MockServices, handlers: Handlers): (req: IncomingMessage, res: ServerResponse) => void {
	const { options, journal, ids, applyFault, rateLimiter, stats } = services;
	const { submit, poll, downloads, control } = handlers;

	/** Result files (imini's CDN) and the task console: no key, no quota; true when answered. */
	async function fileOrConsole(req: IncomingMessage, res: ServerResponse, path: string): Promise<boolean> {
		const file = /^\/files\/([^/]+)\/([^/]+)$/.exec(path);
		if (req.method === 'GET' && file) {
			await downloads.serve(file[1], file[2], res);
			return true;
		}
		if (req.method === 'GET' && path === '/') {
			res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
			res.end(consolePage);
			return true;
		}
		return false;
	}

	/** An `x-mock-fault` header's fault; true when it answered. */
	async function headerFault(req: IncomingMessage, res: ServerResponse): Promise<boolean> {
		const header = req.headers['x-mock-fault'];
		if (typeof header !== 'string' || !header) return false;
		let fault: Fault;
		try {
			fault = parseFault(header);
		} catch (error) {
			throw new HttpError(400, (error as Error).message);
		}
		return await applyFault(fault, res, 'x-mock-fault');
	}

	async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
		const url = new URL(req.url ?? '/', 'http://simulator');
		// The control API: the simulator's own, outside imini's API (no key, not rate limited,
		// never through Prism, not in the journal).
		if (url.pathname.startsWith('/mock/') && (await handleControl(req, res, url, control))) return;
		// The other origin a `redirect` fault points to: it only notes whether a key came along.
		if (url.pathname.startsWith('/elsewhere/')) {
			if (req.headers.authorization) stats.keyLeaks++;
			req.resume();
			throw new HttpError(404, 'This is not imini.', 'NOT_FOUND');
		}
		const path = apiPath(url.pathname);
		if (path !== '/') journal.record(req, res, url.pathname);
		if (await fileOrConsole(req, res, path)) return;
		const key = authenticate(req, options.apiKey);
		if (await headerFault(req, res)) {
			req.resume();
			return;
		}
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
			return poll(pollRoute[1] === 'images' ? 'image' : 'video', decodePathPart(pollRoute[2]), res, key);
		}
		throw new HttpError(404, `No route ${req.method} ${path}.`, 'NOT_FOUND');
	}

	return (req, res) => {
		handle(req, res).catch((error: unknown) => {
			if (res.headersSent || res.destroyed) return;
			req.resume();
			sendError(res, error instanceof HttpError ? error : new HttpError(500, errorMessages[500]), ids.requestId());
			if (!(error instanceof HttpError)) console.error('[imini-mock] simulator bug:', error);
		});
	};
}
