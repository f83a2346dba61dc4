"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.SUBMIT_TIMEOUT_MS = exports.PRODUCTION_BASE_URL = exports.CREDENTIAL_TYPE = void 0;
exports.createIminiClient = createIminiClient;
// All HTTP to imini: authenticated through n8n's credential system (the key is added by n8n,
// never by this code), with the retry policy of retry.ts, and cancellable by the Stop button.
const n8n_workflow_1 = require("n8n-workflow");
const errors_1 = require("./errors");
const retry_1 = require("./retry");
exports.CREDENTIAL_TYPE = 'iminiApi';
exports.PRODUCTION_BASE_URL = 'https://openapi.imini.ai/imini/router';
/** imini recommends a 30 s client timeout for submissions. */
exports.SUBMIT_TIMEOUT_MS = 30_000;
const READ_TIMEOUT_MS = 30_000;
const DOWNLOAD_TIMEOUT_MS = 300_000;
const paths = {
    image: { submit: '/v1/images/generate', task: '/v1/images/tasks/' },
    video: { submit: '/v1/videos/generate', task: '/v1/videos/tasks/' },
};
function header(response, name) {
    const value = response.headers[name];
    return Array.isArray(value) ? String(value[0]) : value === undefined ? undefined : String(value);
}
function errorBody(body, status) {
    const inner = body?.error;
    if (inner && typeof inner === 'object')
        return inner;
    return { status, message: typeof body === 'string' && body.length < 500 ? body : undefined };
}
function networkError(error) {
    // Only the message and code travel on: axios errors also carry the request config, headers included.
    const cause = error;
    return new errors_1.IminiNetworkError(cause.message ?? 'request failed', cause.code ?? cause.cause?.code);
}
function createIminiClient(ctx, baseUrl) {
    const signal = ctx.getExecutionCancelSignal();
    const env = {
        sleep: async (ms) => await (0, n8n_workflow_1.sleep)(ms, signal),
        random: Math.random,
    };
    const root = baseUrl.replace(/\/+$/, '');
    async function call(kind, options) {
        return await (0, retry_1.withRetries)(kind, env, async () => {
            let response;
            try {
                response = (await ctx.helpers.httpRequestWithAuthentication.call(ctx, exports.CREDENTIAL_TYPE, {
                    ...options,
                    json: true,
                    returnFullResponse: true,
                    ignoreHttpStatusErrors: true,
                    abortSignal: signal,
                }));
            }
            catch (error) {
                if (signal?.aborted)
                    throw new n8n_workflow_1.NodeOperationError(ctx.getNode(), 'Execution canceled');
                throw networkError(error);
            }
            if (response.statusCode >= 200 && response.statusCode < 300) {
                if (typeof response.body !== 'object' || response.body === null) {
                    throw new errors_1.IminiNetworkError('imini sent an answer that is not JSON', 'EBADBODY');
                }
                return response.body;
            }
            throw new errors_1.IminiHttpError(response.statusCode, errorBody(response.body, response.statusCode), (0, retry_1.parseRetryAfter)(header(response, 'retry-after'), Date.now()));
        });
    }
    return {
        submit: async (kind, body) => await call('submit', { method: 'POST', url: root + paths[kind].submit, body: body, timeout: exports.SUBMIT_TIMEOUT_MS }),
        getTask: async (kind, taskId) => await call('read', { method: 'GET', url: root + paths[kind].task + encodeURIComponent(taskId), timeout: READ_TIMEOUT_MS }),
        // Result files live on imini's CDN: fetched without credentials (the key must not leave for
        // another host) and streamed, so a 4K image never has to sit in memory whole.
        download: async (url) => await (0, retry_1.withRetries)('read', env, async () => {
            let response;
            try {
                response = (await ctx.helpers.httpRequest({
                    method: 'GET',
                    url,
                    encoding: 'stream',
                    returnFullResponse: true,
                    ignoreHttpStatusErrors: true,
                    timeout: DOWNLOAD_TIMEOUT_MS,
                    abortSignal: signal,
                }));
            }
            catch (error) {
                if (signal?.aborted)
                    throw new n8n_workflow_1.NodeOperationError(ctx.getNode(), 'Execution canceled');
                throw networkError(error);
            }
            const stream = response.body;
            if (response.statusCode < 200 || response.statusCode >= 300) {
                stream.resume();
                throw new errors_1.IminiHttpError(response.statusCode, { status: response.statusCode }, (0, retry_1.parseRetryAfter)(header(response, 'retry-after'), Date.now()));
            }
            const length = Number(header(response, 'content-length'));
            return {
                stream,
                mimeType: header(response, 'content-type')?.split(';')[0].trim(),
                contentLength: Number.isFinite(length) ? length : undefined,
            };
        }),
    };
}
