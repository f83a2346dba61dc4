// How the simulator answers an injected fault, wherever it was asked for (an `x-mock-fault`
// header, a `[mock ...]` prompt tag, `--fault-rate`): a slow answer, a dropped connection, a
// body cut mid-JSON, an answer off the contract, a gateway's HTML page, a redirect to another
// origin, or an error status in imini's error body. Each is written to the journal with where
// it came from.
import type { ServerResponse } from 'node:http';
import { HttpError, delay, errorCodes, errorMessages, sendError, sendJson } from '../core/http.ts';
import type { Fault } from './grammar.ts';
import type { IdSource } from '../core/ids.ts';
import type { Journal } from '../core/journal.ts';

/**
 * Applies a fault (`source` says where it came from, for the journal); true when the answer has
 * been handled (or the socket dropped). `key`: the caller's, when the rate quota has already
 * counted this call: an injected 429 then gives the call back (refused calls do not count).
 */
export type ApplyFault = (fault: Fault | undefined, res: ServerResponse, source: string, key?: string) => Promise<boolean>;

function faultName(fault: Fault): string {
	return fault.kind === 'status' ? String(fault.status) : fault.kind === 'slow' ? `slow:${fault.ms}` : fault.kind;
}

export function createFaultReplies(
	options: { retryAfter: boolean; retryAfterSeconds: number },
	journal: Journal,
	ids: IdSource,
	refund: (key: string) => void,
): ApplyFault {
	function faultError(fault: Fault & { kind: 'status' }): HttpError {
		const headers: Record<string, string> =
			fault.status === 429 && options.retryAfter ? { 'retry-after': String(options.retryAfterSeconds) } : {};
		return new HttpError(fault.status, errorMessages[fault.status], errorCodes[fault.status], headers);
	}

	return async (fault, res, source, key) => {
		if (!fault) return false;
		journal.fault(res, `${source}: ${faultName(fault)}`);
		switch (fault.kind) {
			case 'slow':
				await delay(fault.ms);
				return false;
			case 'drop':
				res.socket?.destroy();
				return true;
			case 'malformed':
				res.writeHead(200, { 'content-type': 'application/json' });
				res.end('{"task_id": "task_0", "status": "proc');
				return true;
			case 'offspec':
				sendJson(res, 200, { task_id: 'task_0', status: 'done', created_at: 'yesterday' });
				return true;
			case 'gateway':
				// A proxy's page in front of imini: no imini error body, so it proves nothing.
				res.writeHead(502, { 'content-type': 'text/html' });
				res.end('<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center></body></html>\n');
				return true;
			case 'redirect': {
				// Another origin: the same port by another name (localhost for 127.0.0.1 and back),
				// where the simulator notes whether the key came along (stats.keyLeaks).
				const host = res.req.headers.host ?? '';
				const other = host.startsWith('localhost') ? host.replace('localhost', '127.0.0.1') : host.replace(/^[^:]+/, 'localhost');
				res.writeHead(307, { location: `http://${other}/elsewhere${res.req.url ?? '/'}`, 'content-length': 0 });
				res.end();
				return true;
			}
			case 'status':
				if (fault.status === 429 && key !== undefined) refund(key);
				sendError(res, faultError(fault), ids.requestId());
				return true;
		}
	};
}
