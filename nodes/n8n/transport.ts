// All HTTP to imini: authenticated through n8n's credential system (the key is added by n8n,
// never by this code), paced by the account's quota scheduler per host, which every execution
// on the account shares (engine/accounts.ts, engine/quota.ts), with the retry policy of
// engine/retry.ts, and cancellable by the Stop button.
import { NodeOperationError, sleep } from 'n8n-workflow';
import type { IExecuteFunctions, IHttpRequestOptions, IN8nHttpFullResponse } from 'n8n-workflow';
import { normalizeBaseUrl } from '../imini/base-url';
import type { IminiTask, TaskKind, TaskSubmitted } from '../imini/task';
import { IminiHttpError, IminiNetworkError } from '../engine/errors';
import type { IminiErrorBody } from '../engine/errors';
import type { QuotaLane, QuotaSchedulers } from '../engine/quota';
import { parseRetryAfter, withRetries } from '../engine/retry';
import type { CallKind, RetryEnvironment } from '../engine/retry';

export const CREDENTIAL_TYPE = 'iminiApi';
/** imini recommends a 30 s client timeout for submissions. */
export const SUBMIT_TIMEOUT_MS = 30_000;
const READ_TIMEOUT_MS = 30_000;
const DOWNLOAD_TIMEOUT_MS = 300_000;


export type Attempted<T> = { value: T; attempts: number };

/** A readable stream of the file (the type prepareBinaryData takes), not yet consumed. */
type FileStream = Extract<Parameters<IExecuteFunctions['helpers']['prepareBinaryData']>[0], { pipe: unknown }>;

export type DownloadedFile = { stream: FileStream; mimeType: string | undefined; contentLength: number | undefined };

/** What the nodes need from imini; the poller and the batch runner only see this. */
export interface IminiClient {
	submit(kind: TaskKind, body: object): Promise<Attempted<TaskSubmitted>>;
	/** A status check; `deadlineAt` (epoch ms) bounds the wait for the quota. */
	getTask(kind: TaskKind, taskId: string, deadlineAt?: number): Promise<Attempted<IminiTask>>;
	download(url: string): Promise<Attempted<DownloadedFile>>;
}

const paths = {
	image: { submit: '/v1/images/generate', task: '/v1/images/tasks/' },
	video: { submit: '/v1/videos/generate', task: '/v1/videos/tasks/' },
} as const;

function header(response: IN8nHttpFullResponse, name: string): string | undefined {
	const value = response.headers[name];
	return Array.isArray(value) ? String(value[0]) : value === undefined ? undefined : String(value);
}

function errorBody(body: unknown, status: number): IminiErrorBody {
	const inner = (body as { error?: unknown } | null)?.error;
	if (inner && typeof inner === 'object') return inner as IminiErrorBody;
	return { status, message: typeof body === 'string' && body.length < 500 ? body : undefined };
}

function networkError(error: unknown): IminiNetworkError {
	// Only the message and code travel on: axios errors also carry the request config, headers included.
	const cause = error as { message?: string; code?: string; cause?: { code?: string } };
	return new IminiNetworkError(cause.message ?? 'request failed', cause.code ?? cause.cause?.code);
}

/**
 * `runSignal` ends this run's waits for the quota (the Stop button, or the run failing): a call
 * still in line is dropped, one already sent is left to finish (a submit in flight may have
 * created a task, whose id must still reach the run).
 */
export function createIminiClient(ctx: IExecuteFunctions, account: QuotaSchedulers, baseUrl: string, runSignal?: AbortSignal): IminiClient {
	const signal = ctx.getExecutionCancelSignal();
	const env: RetryEnvironment = {
		sleep: async (ms) => await sleep(ms, signal),
		random: Math.random,
	};
	const root = normalizeBaseUrl(baseUrl);
	// One pace per host: imini's quota counts API calls; result files come from its CDN, which is
	// paced on its own should it ever answer 429.
	const paced = async <T>(lane: QuotaLane, url: string, deadlineAt: number | undefined, attempt: () => Promise<T>): Promise<T> =>
		await account.scheduler(new URL(url).origin).run(lane, attempt, { deadlineAt, signal: runSignal ?? signal });

	/** One HTTP exchange, any status; throws only when there is no answer at all. */
	async function send(options: IHttpRequestOptions, authenticated: boolean): Promise<IN8nHttpFullResponse> {
		const request: IHttpRequestOptions = { ...options, returnFullResponse: true, ignoreHttpStatusErrors: true, abortSignal: signal };
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

	async function call<T>(kind: CallKind, options: IHttpRequestOptions & { url: string }, deadlineAt?: number): Promise<Attempted<T>> {
		const lane: QuotaLane = kind === 'submit' ? 'submit' : 'delivery';
		return await withRetries(kind, env, async () => await paced(lane, options.url, deadlineAt, async () => {
			const response = await send({ ...options, json: true }, true);
			if (response.statusCode >= 200 && response.statusCode < 300) {
				if (typeof response.body !== 'object' || response.body === null) {
					throw new IminiNetworkError('imini sent an answer that is not JSON', 'EBADBODY');
				}
				return response.body as T;
			}
			throw new IminiHttpError(
				response.statusCode,
				errorBody(response.body, response.statusCode),
				parseRetryAfter(header(response, 'retry-after'), Date.now()),
			);
		}));
	}

	return {
		submit: async (kind, body) =>
			await call<TaskSubmitted>('submit', { method: 'POST', url: root + paths[kind].submit, body: body as IHttpRequestOptions['body'], timeout: SUBMIT_TIMEOUT_MS }),
		getTask: async (kind, taskId, deadlineAt) =>
			await call<IminiTask>('read', { method: 'GET', url: root + paths[kind].task + encodeURIComponent(taskId), timeout: READ_TIMEOUT_MS }, deadlineAt),
		// Result files live on imini's CDN: fetched without credentials (the key must not leave for
		// another host) and streamed, so a 4K image never has to sit in memory whole.
		download: async (url) =>
			await withRetries('read', env, async () => await paced('delivery', url, undefined, async () => {
				const response = await send({ method: 'GET', url, encoding: 'stream', timeout: DOWNLOAD_TIMEOUT_MS }, false);
				const stream = response.body as FileStream;
				if (response.statusCode < 200 || response.statusCode >= 300) {
					stream.resume();
					throw new IminiHttpError(response.statusCode, { status: response.statusCode }, parseRetryAfter(header(response, 'retry-after'), Date.now()));
				}
				const length = Number(header(response, 'content-length'));
				return {
					stream,
					mimeType: header(response, 'content-type')?.split(';')[0].trim(),
					contentLength: Number.isFinite(length) ? length : undefined,
				};
			})),
	};
}
