// Every way an imini call or task can go wrong (the engine's plain errors, engine/errors.ts),
// turned into an n8n error with a message a non-programmer can act on. imini's own error body
// ({ error: { code, message, status, request_id } }) is kept in the error's details; the API key
// never is (we build these objects ourselves, from the response body only, never from the request).
import { NodeApiError, NodeOperationError } from 'n8n-workflow';
import type { INode, JsonObject } from 'n8n-workflow';
import type { TaskKind } from '../imini/task';
import { PRODUCTION_BASE_URL } from '../imini/base-url';
import { IminiHttpError, IminiNetworkError, QuotaExhaustedError } from '../engine/errors';
import type { TaskSnapshot } from '../engine/errors';

export type CallSite =
	| { call: 'submit'; kind: TaskKind }
	| { call: 'poll'; kind: TaskKind; taskId: string }
	| { call: 'download'; taskId: string; url: string };

/** How many attempts the call took (withRetries writes it on the error it gives up with). */
function attemptsOf(error: unknown): number {
	return (error as { attempts?: number }).attempts ?? 1;
}

function retriedNote(attempts: number): string {
	return attempts > 1 ? ` (after ${attempts} attempts)` : '';
}

function messageFor(error: IminiHttpError, site: CallSite, credential: string): string {
	const retried = retriedNote(attemptsOf(error));
	const said = error.body.message ? `: ${error.body.message}` : '';
	const task = site.call === 'submit' ? '' : ` for task ${site.taskId}`;
	switch (error.status) {
		case 400:
			return error.body.code === 'INVALID_PROMPT' || /content|safety|sensitive|policy/i.test(error.body.message ?? '')
				? `imini's content safety flagged the prompt or a reference image${said}. Rephrase the prompt or use another image.`
				: `imini refused the request${said}. Check the parameters of this node.`;
		case 401:
			return `imini does not accept the API key of the credential "${credential}" (401). Open that credential and paste the key again from imini's API Keys page, or create a new key there.`;
		case 402:
			return 'Not enough imini credits for this task (402). Top up your imini account, then run the workflow again.';
		case 403:
			return `imini refused access${said} (403). This API key may not use this model or endpoint.`;
		case 404:
			if (site.call === 'download') return `The result file of task ${site.taskId} is gone (404): imini only keeps results for a limited time.`;
			// A submit has no task to be unknown, and an answer without imini's error body is not imini's.
			if (site.call === 'submit' || !error.body.code) {
				return `No imini API at this Base URL (404${error.body.code ? ` ${error.body.code}` : ''}). Open the credential "${credential}" and set Base URL to ${PRODUCTION_BASE_URL}, with nothing after it.`;
			}
			return `imini does not know ${site.kind === 'video' ? 'a video' : 'an image'} task "${site.taskId}" (404). If it is ${site.kind === 'video' ? 'an image' : 'a video'} task, set Task Type to ${site.kind === 'video' ? 'Image' : 'Video'} (or Auto-Detect); otherwise check the task ID and that it was made with the key of the credential "${credential}", or the task has expired.`;
		case 500:
			return site.call === 'submit'
				? 'imini had an internal error while creating the task (500). The task may or may not exist, so it was not resubmitted (a retry could be charged twice). Check your imini task history before running again.'
				: `imini had an internal error${task}${retried} (500). Try again later.`;
		case 502:
			return `imini's upstream model service is unavailable${task}${retried} (502). Try again later or pick another model.`;
		default:
			return `imini answered HTTP ${error.status}${task}${said}`;
	}
}

function quotaMessage(error: QuotaExhaustedError, site: CallSite): string {
	const waited = error.waitedMs >= 90_000 ? `${Math.round(error.waitedMs / 60_000)} minutes` : `${Math.round(error.waitedMs / 1000)} s`;
	switch (site.call) {
		case 'submit':
			return `imini's rate limit refused every request for ${waited} (429), so no task was created for this item and nothing was charged. Run it again later, or ask imini for a higher quota.`;
		case 'poll':
			return `imini's rate limit refused every status check of task ${site.taskId} for ${waited} (429). The task keeps running on imini: check it later with Imini Get Task.`;
		case 'download':
			return `imini's rate limit refused every download of task ${site.taskId}'s result for ${waited} (429). Fetch it again later with Imini Get Task.`;
	}
}

function describe(error: IminiHttpError, site: CallSite): string {
	const facts = [
		`HTTP ${error.status}`,
		error.body.code && `code ${error.body.code}`,
		error.body.request_id && `request_id ${error.body.request_id}`,
		site.call !== 'submit' && `task_id ${site.taskId}`,
	].filter(Boolean);
	return `${error.body.message ? `imini said: ${error.body.message}\n` : ''}${facts.join(', ')}`;
}

/** The credential as the user named it in n8n ("Imini account"), which is how they find it again. */
function credentialName(node: INode): string {
	return node.credentials?.iminiApi?.name ?? 'Imini API';
}

/** The error a user sees for a failed imini call. */
export function toNodeError(node: INode, error: unknown, site: CallSite, itemIndex?: number): NodeApiError | NodeOperationError {
	if (error instanceof IminiHttpError) {
		return new NodeApiError(node, { ...error.body, status: error.status } as JsonObject, {
			message: messageFor(error, site, credentialName(node)),
			description: describe(error, site),
			httpCode: String(error.status),
			itemIndex,
		});
	}
	if (error instanceof QuotaExhaustedError) {
		return new NodeApiError(node, { ...error.lastError?.body, status: 429 } as JsonObject, {
			message: quotaMessage(error, site),
			description: `HTTP 429, code ${error.lastError?.body.code ?? 'RATE_LIMITED'}, refused ${error.refusals} times${site.call === 'submit' ? '' : `, task_id ${site.taskId}`}`,
			httpCode: '429',
			itemIndex,
		});
	}
	if (error instanceof IminiNetworkError) {
		const message =
			site.call === 'submit'
				? `No answer from imini while creating the task (${error.message}). The task may or may not exist, so it was not resubmitted. Check the Base URL in the credential and your imini task history.`
				: `No answer from imini${site.call === 'poll' ? ` for task ${site.taskId}` : ''}${retriedNote(attemptsOf(error))} (${error.message}). Check the Base URL in the credential and your network.`;
		// NodeOperationError, not NodeApiError: the latter swaps in n8n's generic text for ECONNREFUSED & co.
		return new NodeOperationError(node, message, { itemIndex, description: error.code ? `network error ${error.code}` : undefined });
	}
	if (error instanceof NodeApiError || error instanceof NodeOperationError) return error;
	return new NodeOperationError(node, error as Error, { itemIndex });
}

/** A task that settled as `failed`. */
export function taskFailedError(node: INode, task: TaskSnapshot, itemIndex?: number): NodeOperationError {
	const code = task.error?.code ?? 'UNKNOWN';
	const safety = /CONTENT|SAFETY|POLICY|SENSITIVE/i.test(code);
	return new NodeOperationError(
		node,
		`imini task ${task.task_id} failed: ${code}${task.error?.message ? ` - ${task.error.message}` : ''}${safety ? ' Rephrase the prompt or change the reference images.' : ''}`,
		{
			itemIndex,
			description: `task_id ${task.task_id}${task.request_id ? `, request_id ${task.request_id}` : ''}`,
		},
	);
}

/**
 * n8n shows a run as "canceled" (not failed) only when the error message says "canceled".
 * The message lists the tasks still running so nothing submitted is lost.
 */
export function cancelledError(node: INode, taskIds: string[]): NodeOperationError {
	const pending = taskIds.length ? ` Tasks already submitted keep running on imini: ${taskIds.join(', ')}.` : '';
	return new NodeOperationError(node, `Execution canceled while waiting for imini.${pending}`);
}
