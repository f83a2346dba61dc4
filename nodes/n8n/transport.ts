// All HTTP to imini: authenticated through n8n's credential system (the key is added by n8n,
// never by this code), paced by the account's quota scheduler per host, which every execution
// on the account shares (engine/accounts.ts, engine/quota.ts), with the retry policy of
// engine/retry.ts, and cancellable by the Stop button.
//
// Invariants kept here:
// - The key goes to the Base URL's origin only. n8n 2.41 follows redirects and, by default,
//   sends credentials on cross-origin ones; authenticated calls therefore follow none
//   (`disableFollowRedirect`): a redirect is reported, with where it pointed.
// - Result files never carry the key, follow only safe redirects (checked hop by hop, by hand)
//   and are taken only whole, bounded, and of a media type imini serves (engine/result-files.ts).
// - A request n8n refused to send (its SSRF protection) is reported as never sent, naming the
//   setting, so a submit can say that no task exists.
import { NodeOperationError, sleep } from 'n8n-workflow';
import type { IExecuteFunctions, IHttpRequestOptions, IN8nHttpFullResponse } from 'n8n-workflow';
import { normalizeBaseUrl } from '../imini/base-url';
import type { IminiTask, TaskKind, TaskSubmitted } from '../imini/task';
import { IminiHttpError, IminiNetworkError, ResultFileError } from '../engine/errors';
import type { IminiErrorBody } from '../engine/errors';
import type { QuotaLane, QuotaSchedulers } from '../engine/quota';
import { DEFAULT_DOWNLOAD_LIMITS, MAX_RESULT_REDIRECTS, refuseResultUrl, resultMediaType } from '../engine/result-files';
import type { DownloadLimits } from '../engine/result-files';
import { parseRetryAfter, withRetries } from '../engine/retry';
import type { CallKind, RetryEnvironment } from '../engine/retry';

export const CREDENTIAL_TYPE = 'iminiApi';
/** imini recommends a 30 s client timeout for submissions. */
export const SUBMIT_TIMEOUT_MS = 30_000;
const READ_TIMEOUT_MS = 30_000;
/** Longest silence while a result file downloads (the whole body has its own deadline). */
const DOWNLOAD_IDLE_TIMEOUT_MS = 30_000;

export type Attempted<T> = { value: T; attempts: number };

/** A readable stream of the file, as n8n's httpRequest hands it over. */
type FileStream = Extract<Parameters<IExecuteFunctions['helpers']['prepareBinaryData']>[0], { pipe: unknown }>;

/** A result file, whole, checked, in memory (bounded by DownloadLimits.maxBytes). */
export type DownloadedFile = { data: Buffer; mimeType: string };

export type SubmitHooks = {
	/** Called as each attempt leaves (after any wait for the quota): from now on a task may exist. */
	onSend?: () => void;
};

/** What the nodes need from imini; the poller and the batch runner only see this. */
export interface IminiClient {
	submit(kind: TaskKind, body: object, hooks?: SubmitHooks): Promise<Attempted<TaskSubmitted>>;
	/**
	 * A status check; `deadlineAt` (epoch ms) bounds the wait for the quota; `signal` abandons
	 * the check (its request and its retries).
	 */
	getTask(kind: TaskKind, taskId: string, deadlineAt?: number, signal?: AbortSignal): Promise<Attempted<IminiTask>>;
	/** A result file of a task of `kind`. */
	download(url: string, kind: TaskKind): Promise<Attempted<DownloadedFile>>;
}

const paths = {
	image: { submit: '/v1/images/generate', task: '/v1/images/tasks/' },
	video: { submit: '/v1/videos/generate', task: '/v1/videos/tasks/' },
} as const;

/** Codes that say the request never reached anyone: nothing can have happened on imini. */
const NOT_SENT_CODES: readonly string[] = ['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN'];

function header(response: IN8nHttpFullResponse, name: string): string | undefined {
	const value = response.headers[name];
	return Array.isArray(value) ? String(value[0]) : value === undefined ? undefined : String(value);
}

/** imini's error body when the answer carries one (`fromImini`), else what little there is. */
function errorBody(body: unknown, status: number): { body: IminiErrorBody; fromImini: boolean } {
	const inner = (body as { error?: unknown } | null)?.error;
	if (inner && typeof inner === 'object' && typeof (inner as IminiErrorBody).code === 'string') {
		return { body: inner as IminiErrorBody, fromImini: true };
	}
	return { body: { status, message: typeof body === 'string' && body.length < 500 && !/<html|<!doctype/i.test(body) ? body : undefined }, fromImini: false };
}

function networkError(error: unknown): IminiNetworkError {
	// Only the message and code travel on: axios errors also carry the request config, headers included.
	const cause = error as { name?: string; message?: string; code?: string; cause?: { name?: string; code?: string } };
	// n8n's SSRF protection refuses before connecting (its error may come wrapped by axios).
	const ssrf = /^Ssrf\w*Error$/;
	if (ssrf.test(cause.name ?? '') || ssrf.test(cause.cause?.name ?? '') || /^The request was blocked because/.test(cause.message ?? '')) {
		return new IminiNetworkError(cause.message ?? 'blocked by n8n', 'SSRF_BLOCKED', false);
	}
	const code = cause.code ?? cause.cause?.code;
	return new IminiNetworkError(cause.message ?? 'request failed', code, !(code !== undefined && NOT_SENT_CODES.includes(code)));
}

/** A signal that aborts when any of `signals` does. */
function anyOf(...signals: Array<AbortSignal | undefined>): AbortSignal | undefined {
	const present = signals.filter((s): s is AbortSignal => s !== undefined);
	return present.length <= 1 ? present[0] : AbortSignal.any(present);
}

/** Seconds as a person reads them: 0.5 s, 12 s. */
function seconds(ms: number): string {
	return ms < 10_000 ? `${(ms / 1000).toFixed(1).replace(/\.0$/, '')} s` : `${Math.round(ms / 1000)} s`;
}

/**
 * Reads a whole body, refusing it past `maxBytes` and breaking it off at `deadlineMs` (n8n's
 * `timeout` counts only silence, so a body that trickles would otherwise never end).
 */
async function readWhole(stream: FileStream, expectedBytes: number | undefined, maxBytes: number, deadlineMs: number, signal: AbortSignal | undefined): Promise<Buffer> {
	const timer = new AbortController();
	let timedOut = false;
	sleep(deadlineMs, anyOf(timer.signal, signal)).then(
		() => {
			timedOut = true;
			stream.destroy();
		},
		() => undefined,
	);
	const chunks: Buffer[] = [];
	let size = 0;
	let tooLarge = false;
	let broken = false;
	try {
		for await (const chunk of stream as AsyncIterable<Buffer>) {
			size += chunk.length;
			if (size > maxBytes) {
				tooLarge = true;
				break;
			}
			chunks.push(chunk);
		}
	} catch {
		broken = true;
	} finally {
		timer.abort();
	}
	// The body's own failure is reported in our words below (n8n's would be a bare "aborted").
	if (tooLarge || broken || timedOut) stream.destroy();
	if (tooLarge) throw new ResultFileError('too large', `the file is larger than ${Math.round(maxBytes / 1024 / 1024)} MB`);
	if (timedOut) throw new IminiNetworkError(`the file did not arrive within ${seconds(deadlineMs)} (${size} bytes so far)`, 'EBODYTIMEOUT');
	if (broken) throw new IminiNetworkError(`the download broke off after ${size}${expectedBytes === undefined ? '' : ` of ${expectedBytes}`} bytes`, 'ETRUNCATED');
	if (expectedBytes !== undefined && size !== expectedBytes) {
		throw new IminiNetworkError(`the file was cut off: ${size} of ${expectedBytes} bytes arrived`, 'ETRUNCATED');
	}
	return Buffer.concat(chunks);
}

/**
 * `runSignal` ends this run's waits for the quota (the Stop button, or the run failing): a call
 * still in line is dropped, one already sent is left to finish (a submit in flight may have
 * created a task, whose id must still reach the run). `limits` bound result files (tests pass
 * small ones).
 */
export function createIminiClient(
	ctx: IExecuteFunctions,
	account: QuotaSchedulers,
	baseUrl: string,
	runSignal?: AbortSignal,
	limits: DownloadLimits = DEFAULT_DOWNLOAD_LIMITS,
): IminiClient {
	const signal = ctx.getExecutionCancelSignal();
	const root = normalizeBaseUrl(baseUrl);
	const retryEnv = (callSignal?: AbortSignal): RetryEnvironment => ({
		sleep: async (ms) => await sleep(ms, anyOf(signal, callSignal)),
		random: Math.random,
	});
	// One pace per host: imini's quota counts API calls; result files come from its CDN, which is
	// paced on its own should it ever answer 429.
	const paced = async <T>(lane: QuotaLane, url: string, deadlineAt: number | undefined, attempt: () => Promise<T>, callSignal?: AbortSignal): Promise<T> =>
		await account.scheduler(new URL(url).origin).run(lane, attempt, { deadlineAt, signal: anyOf(runSignal ?? signal, callSignal) });

	/** One HTTP exchange, any status, no redirect followed; throws only when there is no answer at all. */
	async function send(options: IHttpRequestOptions, authenticated: boolean, callSignal?: AbortSignal): Promise<IN8nHttpFullResponse> {
		const request: IHttpRequestOptions = {
			...options,
			returnFullResponse: true,
			ignoreHttpStatusErrors: true,
			disableFollowRedirect: true,
			sendCredentialsOnCrossOriginRedirect: false,
			abortSignal: anyOf(signal, callSignal),
		};
		try {
			return (
				authenticated
					? await ctx.helpers.httpRequestWithAuthentication.call(ctx, CREDENTIAL_TYPE, request)
					: await ctx.helpers.httpRequest(request)
			) as IN8nHttpFullResponse;
		} catch (error) {
			if (signal?.aborted) throw new NodeOperationError(ctx.getNode(), 'Execution canceled');
			throw networkError(error);
		}
	}

	async function call<T>(kind: CallKind, options: IHttpRequestOptions & { url: string }, deadlineAt?: number, callSignal?: AbortSignal, onSend?: () => void): Promise<Attempted<T>> {
		const lane: QuotaLane = kind === 'submit' ? 'submit' : 'delivery';
		return await withRetries(kind, retryEnv(callSignal), async () =>
			await paced(
				lane,
				options.url,
				deadlineAt,
				async () => {
					onSend?.();
					const response = await send({ ...options, json: true }, true, callSignal);
					if (response.statusCode >= 200 && response.statusCode < 300) {
						if (typeof response.body !== 'object' || response.body === null) {
							throw new IminiNetworkError('imini sent an answer that is not JSON', 'EBADBODY');
						}
						return response.body as T;
					}
					const { body, fromImini } = errorBody(response.body, response.statusCode);
					const location = response.statusCode >= 300 && response.statusCode < 400 ? header(response, 'location') : undefined;
					throw new IminiHttpError(response.statusCode, body, parseRetryAfter(header(response, 'retry-after'), Date.now()), fromImini, location);
				},
				callSignal,
			),
		);
	}

	/** GETs a result file, following safe redirects by hand (each hop checked), without the key. */
	async function fetchFile(url: string, kind: TaskKind): Promise<DownloadedFile> {
		let current = url;
		let previous: string | undefined;
		for (let hop = 0; ; hop++) {
			const refused = refuseResultUrl(current, root, previous);
			if (refused) throw new ResultFileError('address', `the result URL ${previous ? `redirected to ${current}, which` : current} was not fetched: ${refused}`);
			const response = await send({ method: 'GET', url: current, encoding: 'stream', timeout: DOWNLOAD_IDLE_TIMEOUT_MS }, false);
			const stream = response.body as FileStream;
			const location = header(response, 'location');
			if (response.statusCode >= 300 && response.statusCode < 400 && location) {
				stream.resume();
				if (hop >= MAX_RESULT_REDIRECTS) throw new ResultFileError('address', `the result URL redirected more than ${MAX_RESULT_REDIRECTS} times`);
				previous = current;
				current = new URL(location, current).toString();
				continue;
			}
			if (response.statusCode < 200 || response.statusCode >= 300) {
				stream.resume();
				throw new IminiHttpError(response.statusCode, { status: response.statusCode }, parseRetryAfter(header(response, 'retry-after'), Date.now()));
			}
			const announced = Number(header(response, 'content-length'));
			const expected = header(response, 'content-length') !== undefined && Number.isFinite(announced) ? announced : undefined;
			if (expected !== undefined && expected > limits.maxBytes[kind]) {
				stream.destroy();
				throw new ResultFileError('too large', `the file is ${Math.round(expected / 1024 / 1024)} MB, more than the ${Math.round(limits.maxBytes[kind] / 1024 / 1024)} MB taken`);
			}
			const data = await readWhole(stream, expected, limits.maxBytes[kind], limits.bodyDeadlineMs[kind], signal);
			const declared = header(response, 'content-type');
			const mimeType = resultMediaType(declared, data);
			if (!mimeType) throw new ResultFileError('media type', `the file is ${declared ? `of type ${declared.split(';')[0]}` : 'of no declared type'}, not an image or video type imini serves`);
			return { data, mimeType };
		}
	}

	return {
		submit: async (kind, body, hooks = {}) =>
			await call<TaskSubmitted>(
				'submit',
				{ method: 'POST', url: root + paths[kind].submit, body: body as IHttpRequestOptions['body'], timeout: SUBMIT_TIMEOUT_MS },
				undefined,
				undefined,
				hooks.onSend,
			),
		getTask: async (kind, taskId, deadlineAt, callSignal) =>
			await call<IminiTask>('read', { method: 'GET', url: root + paths[kind].task + encodeURIComponent(taskId), timeout: READ_TIMEOUT_MS }, deadlineAt, callSignal),
		// Result files live on imini's CDN: fetched without credentials (the key must not leave for
		// another host). A body that fails midway is a read error like any other: retried whole.
		download: async (url, kind) => await withRetries('read', retryEnv(), async () => await paced('delivery', url, undefined, async () => await fetchFile(url, kind))),
	};
}
