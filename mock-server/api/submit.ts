// `POST /v1/images/generate` and `POST /v1/videos/generate`: the body checked against the
// contract (and the reference rules JSON Schema cannot state), the prompt's `[mock ...]`
// directives read, a credit spent, and the task created with its planned results, whose files
// start rendering at once so they are ready when the task succeeds, as imini's would be.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { HttpError, delay, errorMessages, readBody, sendJson } from '../core/http.ts';
import type { Contract, TaskKind } from '../contract/validator.ts';
import { checkVideoReferences } from '../../openapi/rules/reference-rules.ts';
import { FaultSyntaxError, parsePromptDirectives } from '../faults/grammar.ts';
import type { PromptDirectives } from '../faults/grammar.ts';
import { planResults } from '../tasks/result-plan.ts';
import type { Task } from '../tasks/simulated-task.ts';
import type { MockServices } from './services.ts';

/** The request body as JSON, checked against the kind's contract; a 400 with the first problem otherwise. */
async function readSubmission(req: IncomingMessage, kind: TaskKind, contract: Contract, acceptUnknownFields: boolean): Promise<Record<string, unknown>> {
	const raw = await readBody(req);
	let body: Record<string, unknown>;
	try {
		body = JSON.parse(raw.toString('utf8')) as Record<string, unknown>;
	} catch {
		throw new HttpError(400, 'The request body is not valid JSON.');
	}
	if (acceptUnknownFields && body && typeof body === 'object') body = structuredClone(body);
	const problem =
		contract[kind].validate(body) ?? (kind === 'video' ? checkVideoReferences(body as Parameters<typeof checkVideoReferences>[0]) : null);
	if (problem) throw new HttpError(400, problem);
	return body;
}

/** The prompt's `[mock ...]` directives; a mistyped one is the client's 400. */
function readDirectives(prompt: string): PromptDirectives {
	try {
		return parsePromptDirectives(prompt);
	} catch (error) {
		if (error instanceof FaultSyntaxError) throw new HttpError(400, error.message);
		throw error;
	}
}

export function createSubmitHandler(services: MockServices) {
	const { options, contract, store, ids, journal, now, resultFiles, applyFault, stats } = services;
	/** Per key, kind and prompt: how many times a `[mock submit=...]` fault has been served. */
	const submitFaultsSeen = new Map<string, number>();
	/** Credits left per key (when `options.credits` is set). */
	const credits = new Map<string, number>();

	/** A `[mock submit=<fault> xN]` directive: the first N identical submits get the fault; true when it answered. */
	async function submitFault(directives: PromptDirectives, seenKey: string, res: ServerResponse, key: string): Promise<boolean> {
		if (!directives.submit) return false;
		const seen = submitFaultsSeen.get(seenKey) ?? 0;
		if (seen >= directives.submit.times) return false;
		submitFaultsSeen.set(seenKey, seen + 1);
		return await applyFault(directives.submit.fault, res, 'prompt: submit', key);
	}

	function spendCredit(key: string): void {
		if (options.credits === null) return;
		const left = credits.get(key) ?? options.credits;
		if (left < 1) throw new HttpError(402, errorMessages[402]);
		credits.set(key, left - 1);
	}

	function createTask(kind: TaskKind, key: string, prompt: string, directives: PromptDirectives, body: Record<string, unknown>): Task {
		const model = String(body.model);
		const id = ids.taskId();
		return {
			id,
			kind,
			model,
			apiKey: key,
			prompt,
			createdAt: now(),
			durationMs: directives.timeMs ?? (kind === 'image' ? options.imageTaskMs : options.videoTaskMs),
			directives,
			polls: 0,
			...planResults(contract, kind, id, model, body),
		};
	}

	return {
		async handle(kind: TaskKind, req: IncomingMessage, res: ServerResponse, key: string): Promise<void> {
			const body = await readSubmission(req, kind, contract, options.acceptUnknownFields);
			const prompt = typeof body.prompt === 'string' ? body.prompt : '';
			const directives = readDirectives(prompt);
			if (directives.slowMs) await delay(directives.slowMs);
			if (await submitFault(directives, `${key}\n${kind}\n${prompt}`, res, key)) return;
			if (directives.unsafe) {
				throw new HttpError(400, 'The prompt was flagged by content safety. Please revise it.', 'INVALID_PROMPT');
			}
			spendCredit(key);

			const task = createTask(kind, key, prompt, directives, body);
			store.add(task, body);
			stats.submits++;
			// Like imini, have the files ready when the task succeeds: render them while it runs
			// (unless a flood of submits has already queued more renders than a batch needs).
			if (!directives.fail) resultFiles.prerender([...task.files, ...task.covers]);
			stats.inFlightPeak = Math.max(stats.inFlightPeak, store.inFlight());
			journal.task(res, task.id);
			sendJson(res, 200, {
				task_id: task.id,
				model: task.model,
				created_at: new Date(task.createdAt).toISOString(),
				request_id: ids.uuid(),
			});
		},

		reset(): void {
			submitFaultsSeen.clear();
			credits.clear();
		},
	};
}
