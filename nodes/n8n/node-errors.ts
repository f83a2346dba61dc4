// Every way an imini call or task can go wrong (the engine's plain errors, engine/errors.ts),
// turned into an n8n error with a message a non-programmer can act on. imini's own error body
// ({ error: { code, message, status, request_id } }) is kept in the error's details; the API key
// never is (we build these objects ourselves, from the response body only, never from the request).
import { NodeApiError, NodeOperationError } from 'n8n-workflow';
import type { INode, JsonObject } from 'n8n-workflow';
import type { TaskKind } from '../imini/task';
import { PRODUCTION_BASE_URL } from '../imini/base-url';
import { IminiHttpError, IminiNetworkError, QuotaExhaustedError, ResultFileError } from '../engine/errors';
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
	// imini's words, without a closing full stop: our sentence goes on after them.
	const said = error.body.message ? `: ${error.body.message.replace(/\.$/, '')}` : '';
	const task = site.call === 'submit' ? '' : ` for task ${site.taskId}`;
	if (site.call === 'download') return downloadMessage(error, site.taskId, retried);
	if (error.status >= 300 && error.status < 400) {
		const where = error.location ? ` to ${originOf(error.location)}` : '';
		return `The Base URL answered with a redirect${where} (${error.status}); it was not followed, so the API key went nowhere else${site.call === 'submit' ? ' and no task was created' : ''}. Put the address imini's API answers at in the "Imini API" credential's Base URL.`;
	}
	if (site.call === 'submit' && !error.fromImini && error.status >= 500) {
		// A gateway's page, not imini's answer: nothing proves the task was not made.
		return `A server in front of imini answered with an error page while the task was being created${retried} (${error.status}). imini may have created a task for this item, so it was not sent again (it could be charged twice). Check your imini task history before running it again.`;
	}
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
			return `imini refused this request${said} (403). This API key may not be allowed to use this model, or its quota is used up: check the key and your credits at imini.ai.`;
		case 404:
			// A submit has no task to be unknown, and an answer without imini's error body is not imini's.
			if (site.call === 'submit' || !error.body.code) {
				return `No imini API at this Base URL (404${error.body.code ? ` ${error.body.code}` : ''}). Open the credential "${credential}" and set Base URL to ${PRODUCTION_BASE_URL}, with nothing after it.`;
			}
			return `imini does not know ${site.kind === 'video' ? 'a video' : 'an image'} task "${site.taskId}" (404). If it is ${site.kind === 'video' ? 'an image' : 'a video'} task, set Task Type to ${site.kind === 'video' ? 'Image' : 'Video'} (or Auto-Detect); otherwise check the task ID and that it was made with the key of the credential "${credential}", or the task has expired.`;
		case 500:
			return site.call === 'submit'
				? `imini had an internal error while creating the task${retried} (500). imini may have created a task for this item; it was retried only as imini advises. Check your imini task history before running again.`
				: `imini had an internal error${task}${retried} (500). Try again later.`;
		case 502:
			return `The model's own service behind imini did not answer${task}${retried} (502). Try again later or pick another model.`;
		default:
			return `imini answered with an error${task}${said} (${error.status}).`;
	}
}

function originOf(url: string): string {
	try {
		return new URL(url).origin;
	} catch {
		return 'another address';
	}
}

/** A result file's download, answered with an error status: a CDN's answer, not imini's API's. */
function downloadMessage(error: IminiHttpError, taskId: string, retried: string): string {
	switch (error.status) {
		case 403:
		case 404:
			return `The result file of task ${taskId} could not be fetched (${error.status}), even with a fresh URL from a new status check: its URL has expired or the file is gone (imini keeps results for a limited time). Try Imini Get Task with this task ID.`;
		default:
			return `imini's file server could not deliver the result file of task ${taskId}${retried} (${error.status}). Fetch it again later with Imini Get Task.`;
	}
}

/** The network failure in words; the raw text goes to the description (n8n swaps a message naming ECONNRESET & co. for its own). */
function networkWords(error: IminiNetworkError): string {
	switch (error.code) {
		case 'ECONNRESET':
			return 'the connection was closed';
		case 'ECONNREFUSED':
			return 'the connection was refused';
		case 'ETIMEDOUT':
		case 'ECONNABORTED':
			return 'no answer in time';
		case 'ENOTFOUND':
		case 'EAI_AGAIN':
			return 'the host name did not resolve';
		default:
			return error.message.replace(/\b(ECONN\w+|ETIMEDOUT|ENOTFOUND|EAI_AGAIN|EHOSTUNREACH|ENETUNREACH|EPIPE)\b/g, 'network error');
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
		`status ${error.status}`,
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
			description: `status 429, code ${error.lastError?.body.code ?? 'RATE_LIMITED'}, refused ${error.refusals} times${site.call === 'submit' ? '' : `, task_id ${site.taskId}`}`,
			httpCode: '429',
			itemIndex,
		});
	}
	if (error instanceof IminiNetworkError) {
		const words = networkWords(error);
		const retried = retriedNote(attemptsOf(error));
		let message: string;
		if (error.code === 'SSRF_BLOCKED') {
			message = `n8n refused to send the request${site.call === 'download' ? ` for the result file of task ${site.taskId}` : site.call === 'poll' ? ` for task ${site.taskId}` : ''}: its SSRF protection (N8N_SSRF_PROTECTION_ENABLED) blocks this address${site.call === 'submit' ? ', so no task was created and nothing was charged' : ''}. To use a local imini mock, list its address in N8N_SSRF_ALLOWED_IP_RANGES or N8N_SSRF_ALLOWED_HOSTNAMES.`;
		} else if (site.call === 'submit') {
			message = error.sent
				? `No answer from imini while creating the task (${words}). imini may have created a task for this item, so it was not sent again (it could be charged twice). Check your imini task history before running it again.`
				: `The request to create the task could not be sent (${words}), so no task was created and nothing was charged. Check the Base URL in the "Imini API" credential and your network.`;
		} else if (site.call === 'download') {
			message = `The result file of task ${site.taskId} could not be downloaded${retried} (${words}). The task succeeded: fetch its file again with Imini Get Task.`;
		} else {
			message = `No answer from imini for task ${site.taskId}${retried} (${words}). Check the Base URL in the credential and your network.`;
		}
		// NodeOperationError, not NodeApiError: the latter swaps in n8n's generic text for ECONNREFUSED & co.
		const nodeError = new NodeOperationError(node, message, {
			itemIndex,
			description: [error.code && `network error ${error.code}`, error.message !== words && error.message].filter(Boolean).join(': ') || undefined,
		});
		// NodeOperationError also swaps a message that merely mentions ECONNRESET & co. ("You can
		// retry the request"): ours advises against a resubmit, and must stay as written.
		nodeError.message = message;
		return nodeError;
	}
	if (error instanceof ResultFileError) {
		const taskId = site.call === 'submit' ? undefined : site.taskId;
		return new NodeOperationError(node, `The result file of task ${taskId ?? '(unknown)'} was not taken: ${error.message}. The task itself succeeded on imini.`, {
			itemIndex,
			description: site.call === 'download' ? `task_id ${site.taskId}, url ${site.url}` : undefined,
		});
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
 * `left` (TaskLedger.describeStopped) names every task of the run with its status, and every
 * submit still on its way, so nothing submitted is lost.
 */
export function cancelledError(node: INode, left: string): NodeOperationError {
	return new NodeOperationError(node, `Execution canceled while waiting for imini.${left ? ` ${left}` : ''}`);
}
