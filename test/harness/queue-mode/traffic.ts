// What an offline imini was asked, as it answered: every request to the mock's front door (the
// API, through Prism), with when it came, the status it got and the Retry-After it carried. Read
// off Node's http diagnostics channel in this process, where the mock runs; the mock itself is
// not touched.
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { MockServer } from '../mock';

export type Exchange = {
	/** Epoch ms the request arrived / its answer was sent. */
	at: number;
	end: number;
	method: string;
	path: string;
	status: number;
	retryAfter: string | undefined;
};

export type Traffic = {
	exchanges: Exchange[];
	/** Status checks of one task (GET …/tasks/<id>), oldest first. */
	pollsOf(taskId: string): Exchange[];
	/** Answers with this status. */
	withStatus(status: number): Exchange[];
	stop(): void;
};

export function recordTraffic(mock: MockServer): Traffic {
	const port = Number(new URL(mock.url).port);
	const exchanges: Exchange[] = [];
	const onStart = (message: unknown) => {
		const { request, response } = message as { request: IncomingMessage; response: ServerResponse };
		if (request.socket?.localPort !== port) return;
		const at = Date.now();
		response.once('finish', () => {
			const retryAfter = response.getHeader('retry-after');
			exchanges.push({
				at,
				end: Date.now(),
				method: request.method ?? '?',
				path: (request.url ?? '').split('?')[0],
				status: response.statusCode,
				retryAfter: retryAfter === undefined ? undefined : String(retryAfter),
			});
		});
	};
	subscribe('http.server.request.start', onStart);
	return {
		exchanges,
		pollsOf: (taskId) => exchanges.filter((e) => e.method === 'GET' && e.path.endsWith(`/tasks/${taskId}`)).sort((a, b) => a.at - b.at),
		withStatus: (status) => exchanges.filter((e) => e.status === status),
		stop: () => unsubscribe('http.server.request.start', onStart),
	};
}
