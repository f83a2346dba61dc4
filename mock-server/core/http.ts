// imini's HTTP conventions as the simulator speaks them: the unified error body, JSON answers,
// the 64 MB cap on a request body, and production's path prefix.
import type { IncomingMessage, ServerResponse } from 'node:http';

/** Production's base URL is https://openapi.imini.ai/imini/router: a client that swaps only the host keeps this prefix. */
export const PRODUCTION_PATH_PREFIX = '/imini/router';

/** An API path without production's prefix (`/imini/router/v1/...` and `/v1/...` are the same call). */
export function apiPath(path: string): string {
	return path.startsWith(`${PRODUCTION_PATH_PREFIX}/`) ? path.slice(PRODUCTION_PATH_PREFIX.length) : path;
}

export const MAX_BODY_BYTES = 64 * 1024 * 1024;

export const errorCodes: Record<number, string> = {
	400: 'INVALID_PARAMETER',
	401: 'UNAUTHORIZED',
	402: 'INSUFFICIENT_CREDITS',
	403: 'FORBIDDEN',
	404: 'TASK_NOT_FOUND',
	429: 'RATE_LIMITED',
	500: 'INTERNAL_ERROR',
	502: 'UPSTREAM_ERROR',
};

export const errorMessages: Record<number, string> = {
	400: 'Invalid request parameters.',
	401: 'Invalid API key.',
	402: 'Insufficient credits to run this task.',
	403: 'This API key may not use this resource.',
	404: 'Task not found or expired.',
	429: 'Rate limit exceeded. Please retry later.',
	500: 'Internal server error. Please retry later.',
	502: 'The upstream model service is unavailable.',
};

export class HttpError extends Error {
	readonly status: number;
	readonly code: string;
	readonly headers: Record<string, string>;
	constructor(status: number, message: string, code = errorCodes[status] ?? 'ERROR', headers: Record<string, string> = {}) {
		super(message);
		this.status = status;
		this.code = code;
		this.headers = headers;
	}
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
	const text = JSON.stringify(body);
	res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers });
	res.end(text);
}

/** `requestId`: from the simulator's id source (seeded with --seed). */
export function sendError(res: ServerResponse, error: HttpError, requestId: string): void {
	sendJson(
		res,
		error.status,
		{ error: { code: error.code, message: error.message, status: error.status, request_id: requestId } },
		error.headers,
	);
}

export function readBody(req: IncomingMessage): Promise<Buffer> {
	return new Promise((resolve, reject) => {
		const chunks: Buffer[] = [];
		let size = 0;
		req.on('data', (chunk: Buffer) => {
			size += chunk.length;
			if (size <= MAX_BODY_BYTES) chunks.push(chunk);
		});
		req.on('end', () => {
			if (size > MAX_BODY_BYTES) reject(new HttpError(400, 'The request body exceeds the 64 MB limit.'));
			else resolve(Buffer.concat(chunks));
		});
		req.on('error', reject);
	});
}

export const delay = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
