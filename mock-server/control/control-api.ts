// The mock's control API, on the simulator's port beside the task console (no key, never rate
// limited, never through Prism): what a CI job needs from a twin besides the API itself.
//   GET  /mock/tasks        the tasks seen, newest first, and counters (the console reads it)
//   GET  /mock/requests     the journal of every call (?since=<seq> for the newer ones)
//   GET  /mock/violations   what Prism found breaking openapi/imini.yaml
//   POST /mock/reset        forget tasks, journal, violations, counters, rate-limit state and
//                           clock changes; with --seed the ids start again
//   GET  /mock/clock        the mock's time
//   POST /mock/clock        {"advance": <seconds>} and/or {"freeze": true|false}
import type { IncomingMessage, ServerResponse } from 'node:http';
import { HttpError, readBody, sendJson } from '../core/http.ts';
import type { MockClock } from '../core/mock-clock.ts';
import type { Journal } from '../core/journal.ts';
import type { Violation } from '../contract/prism.ts';

export type ControlTarget = {
	tasks(): unknown;
	journal: Journal;
	violations: Violation[];
	clock: MockClock;
	reset(): void;
};

const noStore = { 'cache-control': 'no-store' };

/** The most one call may move the clock: ten years (a larger jump would break every later date). */
export const MAX_ADVANCE_SECONDS = 10 * 365 * 24 * 3600;

async function readJsonObject(req: IncomingMessage): Promise<Record<string, unknown>> {
	const text = (await readBody(req)).toString('utf8').trim();
	if (!text) return {};
	try {
		const value = JSON.parse(text) as unknown;
		if (value && typeof value === 'object' && !Array.isArray(value)) return value as Record<string, unknown>;
	} catch {
		// answered below
	}
	throw new HttpError(400, 'The body must be a JSON object.', 'INVALID_PARAMETER');
}

/** Answers a control call; false when the path is not one. */
export async function handleControl(req: IncomingMessage, res: ServerResponse, url: URL, target: ControlTarget): Promise<boolean> {
	const route = `${req.method} ${url.pathname}`;
	switch (route) {
		case 'GET /mock/tasks':
			sendJson(res, 200, target.tasks(), noStore);
			return true;
		case 'GET /mock/requests': {
			const since = Number(url.searchParams.get('since') ?? 0);
			sendJson(res, 200, { requests: target.journal.since(Number.isFinite(since) ? since : 0) }, noStore);
			return true;
		}
		case 'GET /mock/violations':
			sendJson(res, 200, { count: target.violations.length, violations: target.violations }, noStore);
			return true;
		case 'POST /mock/reset':
			await readBody(req);
			target.reset();
			sendJson(res, 200, { reset: true, clock: target.clock.state() }, noStore);
			return true;
		case 'GET /mock/clock':
			sendJson(res, 200, target.clock.state(), noStore);
			return true;
		case 'POST /mock/clock': {
			const body = await readJsonObject(req);
			const { advance, freeze } = body;
			if (advance !== undefined && !(typeof advance === 'number' && Number.isFinite(advance) && advance >= 0 && advance <= MAX_ADVANCE_SECONDS)) {
				throw new HttpError(400, `advance must be a number of seconds from 0 to ${MAX_ADVANCE_SECONDS} (ten years).`, 'INVALID_PARAMETER');
			}
			if (freeze !== undefined && typeof freeze !== 'boolean') throw new HttpError(400, 'freeze must be true or false.', 'INVALID_PARAMETER');
			if (advance === undefined && freeze === undefined) {
				throw new HttpError(400, 'Send {"advance": <seconds>} and/or {"freeze": true|false}.', 'INVALID_PARAMETER');
			}
			if (typeof freeze === 'boolean') target.clock.freeze(freeze);
			if (typeof advance === 'number') target.clock.advance(advance * 1000);
			sendJson(res, 200, target.clock.state(), noStore);
			return true;
		}
		default:
			return false;
	}
}
