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
// - Result files are never held whole in memory: each streams from the socket into n8n's binary
//   data through a pass-through that counts it against its Content-Length and the size cap, and
//   is cut at its deadline or when it stalls; its type is told from its first bytes before n8n
//   stores anything. A file that fails a check fails the stream, so n8n's store keeps nothing of
//   it (filesystem mode writes to a temporary file it removes; database mode inserts only a
//   whole file).
// - A request n8n refused to send (its SSRF protection) is reported as never sent, naming the
//   setting, so a submit can say that no task exists.
import { NodeOperationError } from 'n8n-workflow';
import type { IBinaryData, IExecuteFunctions, IHttpRequestOptions, IN8nHttpFullResponse } from 'n8n-workflow';
import { normalizeBaseUrl } from '../imini/base-url';
import type { IminiTask, TaskKind, TaskSubmitted } from '../imini/task';
import { IminiHttpError, IminiNetworkError, ResultFileError } from '../engine/errors';
import type { IminiErrorBody } from '../engine/errors';
import type { QuotaLane, QuotaSchedulers } from '../engine/quota';
import { realClock, sleepUnlessAborted } from '../engine/clock';
import { DEFAULT_DOWNLOAD_LIMITS, DEFAULT_STALL_RULE, MAX_RESULT_REDIRECTS, SNIFF_BYTES, refuseResultUrl, resultMediaType, watchBody } from '../engine/result-files';
import type { BodyCut, DownloadLimits } from '../engine/result-files';
import { parseRetryAfter, withRetries } from '../engine/retry';
import type { CallKind, RetryEnvironment } from '../engine/retry';

export const CREDENTIAL_TYPE = 'iminiApi';
/** imini recommends a 30 s client timeout for submissions. */
export const SUBMIT_TIMEOUT_MS = 30_000;
const READ_TIMEOUT_MS = 30_000;
/** Longest wait for a result file's headers, and longest silence after (the stall rule cuts a body sooner). */
const DOWNLOAD_IDLE_TIMEOUT_MS = 30_000;

export type Attempted<T> = { value: T; attempts: number };

/** A readable stream of the file, as n8n's httpRequest hands it over. */
type FileStream = Extract<Parameters<IExecuteFunctions['helpers']['prepareBinaryData']>[0], { pipe: unknown }>;

/** A result file, whole and checked, stored in n8n's binary data (in the execution's mode). */
export type DownloadedFile = IBinaryData;

/**
 * What a download held in memory at most at one moment (bytes): the bytes waiting in the socket's
 * stream, in the pass-through and on their way to n8n's store. A constant (a few stream buffers),
 * whatever the file's size.
 */
export type HeldBytes = { heldBytesPeak: number };

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
	/**
	 * A result file of a task of `kind`, streamed into n8n's binary data under the name
	 * `fileName` gives for its media type (by default, the URL's last path segment).
	 */
	download(url: string, kind: TaskKind, fileName?: (mimeType: string) => string): Promise<Attempted<DownloadedFile> & HeldBytes>;
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

/**
 * Node's `Readable.from`, reached through the response stream's own classes (community nodes may
 * import nothing from `stream`): the first class up its chain that reads but does not write is
 * Readable, whether the body is the socket's IncomingMessage or a zlib stream over it.
 */
function readableFrom(stream: FileStream): (source: AsyncIterable<Buffer>) => FileStream {
	for (let proto: unknown = Object.getPrototypeOf(stream); proto; proto = Object.getPrototypeOf(proto)) {
		const { constructor: type, write } = proto as { constructor?: { from?: unknown }; write?: unknown };
		if (type && Object.prototype.hasOwnProperty.call(type, 'from') && typeof type.from === 'function' && write === undefined) {
			const from = type.from as (source: AsyncIterable<Buffer>) => FileStream;
			return (source) => from.call(type, source);
		}
	}
	throw new Error('the response body is not a Node.js stream');
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
		sleep: async (ms) => await sleepUnlessAborted(ms, anyOf(signal, callSignal)),
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

	const stall = limits.stall ?? DEFAULT_STALL_RULE;

	/** What a watch's cut says, in words the error message reuses. */
	function cutError(cut: BodyCut, kind: TaskKind): IminiNetworkError {
		return cut.reason === 'deadline'
			? new IminiNetworkError(`the file did not arrive within ${seconds(limits.bodyDeadlineMs[kind])} (${cut.bytes} bytes so far)`, 'EBODYTIMEOUT')
			: new IminiNetworkError(`the download stalled: less than ${Math.round(stall.floorBytes / 1024)} KB arrived in ${seconds(stall.windowMs)} (${cut.bytes} bytes so far)`, 'ESTALLED');
	}

	/**
	 * Streams one response body into n8n's binary data, checked on the way: its first bytes are
	 * read apart to tell its type (nothing is stored when it is refused), then the rest passes
	 * through a generator that counts it against the cap and, at its end, against Content-Length;
	 * a failed check fails the stream, so n8n's store drops what it had written. `cutBy` is the
	 * attempt's watch (deadline, stall), which destroys the socket's stream with its own reason.
	 */
	async function store(
		stream: FileStream,
		expected: number | undefined,
		declared: string | undefined,
		kind: TaskKind,
		fileName: (mimeType: string) => string,
		progress: (bytes: number) => void,
		cutBy: () => IminiNetworkError | undefined,
	): Promise<{ file: IBinaryData; heldBytesPeak: number }> {
		const maxBytes = limits.maxBytes[kind];
		let size = 0;
		let tooLarge = false;
		let cutOff = false;
		let heldBytesPeak = 0;
		// Only a failure of the socket's stream is a cut-off body (retried); n8n's own (a full disk)
		// is not. The listener stays for the stream's life: a connection that closes early emits
		// its error after the pass-through has finished with it, and an error nobody listens to
		// would bring down n8n's process.
		let socketError: unknown;
		stream.on('error', (error) => (socketError ??= error));
		const count = (chunk: Buffer) => {
			size += chunk.length;
			progress(chunk.length);
			if (size > maxBytes) {
				tooLarge = true;
				throw new ResultFileError('too large', `the file is larger than ${Math.round(maxBytes / 1024 / 1024)} MB`);
			}
		};
		const failure = (error: unknown): unknown => {
			const cut = cutBy();
			if (signal?.aborted) return new NodeOperationError(ctx.getNode(), 'Execution canceled');
			if (cut) return cut;
			if (tooLarge) return new ResultFileError('too large', `the file is larger than ${Math.round(maxBytes / 1024 / 1024)} MB`);
			if (cutOff) return new IminiNetworkError(`the file was cut off: ${size} of ${expected} bytes arrived`, 'ETRUNCATED');
			if (socketError !== undefined && (error === socketError || error === undefined)) {
				return new IminiNetworkError(`the download broke off after ${size}${expected === undefined ? '' : ` of ${expected}`} bytes`, 'ETRUNCATED');
			}
			return error;
		};
		const whole = () => {
			if (expected !== undefined && size !== expected) {
				cutOff = true;
				throw new IminiNetworkError(`the file was cut off: ${size} of ${expected} bytes arrived`, 'ETRUNCATED');
			}
		};

		// 1. The first bytes, kept apart (one socket read, at most the stream's buffer).
		const head: Buffer[] = [];
		try {
			for await (const chunk of stream.iterator({ destroyOnReturn: false }) as AsyncIterable<Buffer>) {
				head.push(chunk);
				count(chunk);
				if (size >= SNIFF_BYTES) break;
			}
		} catch (error) {
			stream.destroy();
			throw failure(error);
		}
		heldBytesPeak = size + stream.readableLength;
		const mimeType = resultMediaType(declared, Buffer.concat(head, Math.min(size, SNIFF_BYTES)));
		if (!mimeType) {
			stream.destroy();
			throw new ResultFileError('media type', `the file is ${declared ? `of type ${declared.split(';')[0]}` : 'of no declared type'}, not an image or video type imini serves`);
		}
		const name = fileName(mimeType);

		// 2. A body that ended within its first read is small (one read): stored from memory.
		if (!stream.readable) {
			try {
				if (socketError !== undefined) throw socketError;
				whole();
			} catch (error) {
				throw failure(error);
			}
			return { file: await ctx.helpers.prepareBinaryData(Buffer.concat(head), name, mimeType), heldBytesPeak };
		}

		// 3. The rest streams through a generator that checks each read as it passes, wrapped in a
		// Readable that buffers one read at most (Readable.from's default): the store writes one
		// read while the next waits, and the socket's stream holds the rest (its high-water mark).
		// What a download holds is therefore about three socket reads, whatever the file's size.
		let previous = 0;
		const held = (chunk: Buffer) => {
			heldBytesPeak = Math.max(heldBytesPeak, stream.readableLength + chunk.length + previous);
			previous = chunk.length;
		};
		async function* checked(): AsyncGenerator<Buffer> {
			// The first bytes go first, then are dropped.
			for (let chunk = head.shift(); chunk !== undefined; chunk = head.shift()) {
				held(chunk);
				yield chunk;
			}
			for await (const chunk of stream as AsyncIterable<Buffer>) {
				count(chunk);
				held(chunk);
				yield chunk;
			}
			whole();
		}
		const body = readableFrom(stream)(checked());
		// Its failures reach us through prepareBinaryData; this keeps a late one from going unheard.
		body.on('error', () => undefined);
		try {
			return { file: await ctx.helpers.prepareBinaryData(body, name, mimeType), heldBytesPeak };
		} catch (error) {
			stream.destroy();
			throw failure(error);
		}
	}

	/**
	 * GETs a result file, following safe redirects by hand (each hop checked), without the key,
	 * and streams it into n8n's binary data.
	 */
	async function fetchFile(url: string, kind: TaskKind, fileName: (mimeType: string) => string): Promise<{ file: IBinaryData; heldBytesPeak: number }> {
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
			// The body is watched from its headers on (the wait for them is bounded by the idle timeout).
			let cut: IminiNetworkError | undefined;
			const watch = watchBody(realClock, limits.bodyDeadlineMs[kind], stall, (why) => {
				cut = cutError(why, kind);
				stream.destroy(cut);
			});
			try {
				return await store(stream, expected, header(response, 'content-type'), kind, fileName, watch.progress, () => cut);
			} finally {
				watch.stop();
			}
		}
	}

	/** The URL's last path segment, as the default file name. */
	const lastSegment = (url: string) => () => decodeURIComponent(new URL(url).pathname.split('/').pop() || 'file');

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
		// A file that fails midway leaves nothing in n8n's store, so a retry starts clean.
		download: async (url, kind, fileName = lastSegment(url)) => {
			const { value, attempts } = await withRetries('read', retryEnv(), async () => await paced('delivery', url, undefined, async () => await fetchFile(url, kind, fileName)));
			return { value: value.file, attempts, heldBytesPeak: value.heldBytesPeak };
		},
	};
}
