// Prism in proxy mode, in this process, in front of the simulator. Without `errors` it forwards
// everything and reports what breaks the spec in an `sl-violations` response header; we read
// that header off every finished response through Node's http diagnostics channel, so each
// violation is tied to the request that caused it. The same channel lets production's path
// prefix through: Prism knows the contract's paths (`/v1/...`), so `/imini/router/v1/...` is
// rewritten before Prism routes it.
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Writable } from 'node:stream';
import * as prismHttp from '@stoplight/prism-http';
import * as prismHttpServer from '@stoplight/prism-http-server';
import * as prismCore from '@stoplight/prism-core';
import { apiPath } from '../core/http.ts';
import { findSpecPath } from '../core/package-files.ts';

export type Violation = {
	method: string;
	path: string;
	status: number;
	/** `request` or `response`, then the JSON path inside it. */
	location: string;
	severity: string;
	message: string;
};

export type PrismProxy = { url: string; close(): Promise<void> };

type FinishMessage = { request: IncomingMessage; response: ServerResponse };

function parseViolations(header: string): Array<{ location?: string[]; severity?: string; message?: string }> {
	try {
		return JSON.parse(header) as Array<{ location?: string[]; severity?: string; message?: string }>;
	} catch {
		// Prism truncates very long lists ("Too many violations! ...").
		return [{ location: ['unknown'], severity: 'Error', message: header.slice(0, 500) }];
	}
}

export async function startPrismProxy(options: {
	upstream: string;
	port?: number;
	host?: string;
	/** How a client on this machine reaches `host` (the loopback when it is a wildcard). */
	connectHost?: string;
	onViolation: (violation: Violation) => void;
}): Promise<PrismProxy> {
	const host = options.host ?? '127.0.0.1';
	const operations = await prismHttp.getHttpOperationsFromSpec(findSpecPath());
	const quiet = new Writable({ write: (_chunk, _encoding, done) => done() });
	const server = prismHttpServer.createServer(operations, {
		cors: false,
		config: {
			isProxy: true,
			upstream: new URL(options.upstream),
			errors: false,
			validateRequest: true,
			validateResponse: true,
			checkSecurity: true,
			mock: { dynamic: false },
		},
		components: { logger: prismCore.createLogger('PRISM', { level: 'silent' }, quiet) },
	} as Parameters<typeof prismHttpServer.createServer>[1]);
	const address = await server.listen(options.port ?? 0, host);
	const port = Number(new URL(address).port);

	const onFinish = (message: unknown) => {
		const { request, response } = message as FinishMessage;
		if (request.socket?.localPort !== port) return;
		const header = response.getHeader('sl-violations');
		const contentType = String(response.getHeader('content-type') ?? '');
		const violations = typeof header === 'string' ? parseViolations(header) : [];
		// Prism answers on its own (problem+json) when it cannot forward: an upstream that dropped
		// the connection or sent broken JSON. No imini client should ever see that, so it counts.
		if (contentType.startsWith('application/problem+json')) {
			violations.push({ location: ['prism'], severity: 'Error', message: `Prism answered ${response.statusCode} itself` });
		}
		for (const v of violations) {
			options.onViolation({
				method: request.method ?? '?',
				path: request.url ?? '?',
				status: response.statusCode,
				location: (v.location ?? []).join('.'),
				severity: v.severity ?? 'Error',
				message: v.message ?? '',
			});
		}
	};
	subscribe('http.server.response.finish', onFinish);
	// Published before the server's 'request' event, so Prism only ever sees the rewritten URL.
	const onStart = (message: unknown) => {
		const { request } = message as FinishMessage;
		if (request.socket?.localPort !== port) return;
		if (request.url) request.url = apiPath(request.url);
	};
	subscribe('http.server.request.start', onStart);

	return {
		url: `http://${options.connectHost ?? host}:${port}`,
		close: async () => {
			unsubscribe('http.server.request.start', onStart);
			unsubscribe('http.server.response.finish', onFinish);
			await server.close();
		},
	};
}
