// The simulator's stand-in for imini's CDN: result files of settled tasks, and the faults a CDN
// can serve (an expired result URL, a body cut short, a slow answer), asked for by a prompt tag
// (`[mock download=404]`) or by probability (`--fault-rate download-404=0.1`).
import type { ServerResponse } from 'node:http';
import { HttpError, delay } from './http.ts';
import { pickFault } from './fault-rates.ts';
import type { FaultRates } from './fault-rates.ts';
import type { DownloadFault } from './faults.ts';
import type { IdSource } from './ids.ts';
import type { Journal } from './journal.ts';
import type { createResultFiles } from './result-files.ts';
import type { Task } from './tasks.ts';

function downloadFaultName(fault: DownloadFault): string {
	return fault.kind === 'expired' ? String(fault.status) : fault.kind === 'slow' || fault.kind === 'trickle' ? `${fault.kind}:${fault.ms}` : fault.kind;
}

/** A `huge` body stops here at the latest (1 GiB): the client is expected to give up long before. */
const HUGE_LIMIT_BYTES = 1024 ** 3;

const svg = '<svg xmlns="http://www.w3.org/2000/svg" width="8" height="8"><script>alert(1)</script><rect width="8" height="8"/></svg>\n';

export function createDownloads(deps: {
	findTask: (id: string, kind: null, key: null) => Task;
	resultFiles: ReturnType<typeof createResultFiles>;
	journal: Journal;
	ids: IdSource;
	faultRates: FaultRates;
	now: () => number;
	onServed: () => void;
}) {
	const { findTask, resultFiles, journal, ids, faultRates, now, onServed } = deps;
	/** Downloads answered with a counted (`xN`) fault, per task. */
	const faulted = new Map<string, number>();
	return {
		forget: () => faulted.clear(),
		/** `GET /files/<task id>/<name>`: `0.png`, `0.mp4`, `0-cover.png`, ... */
		async serve(id: string, name: string, res: ServerResponse): Promise<void> {
			journal.task(res, id);
			const task = findTask(id, null, null);
			const match = /^(\d+)(-cover)?\.(png|mp4)$/.exec(name);
			const index = match ? Number(match[1]) : -1;
			const file = match?.[2] ? task.covers[index] : task.files[index];
			const settled = now() >= task.createdAt + task.durationMs && !task.directives.fail;
			if (!match || !file || !settled || (file.kind === 'mp4') !== (match[3] === 'mp4')) {
				throw new HttpError(404, `No file ${name} for task ${id}.`);
			}
			const rated = pickFault(faultRates.download, faultRates.download.length ? ids.draw() : 1);
			let own = task.directives.download;
			if (own && task.directives.downloadTimes !== undefined) {
				const seen = faulted.get(id) ?? 0;
				if (seen >= task.directives.downloadTimes) own = undefined;
				else faulted.set(id, seen + 1);
			}
			const fault = own ?? rated?.fault;
			if (fault) journal.fault(res, `${own ? 'prompt: download' : 'fault-rate: download'}: ${downloadFaultName(fault)}`);
			if (fault?.kind === 'expired') {
				// A CDN's answer, not imini's JSON error: the URL has expired **(inferred)**.
				res.writeHead(fault.status, { 'content-type': 'text/plain; charset=utf-8' });
				res.end(`${fault.status} ${fault.status === 403 ? 'Forbidden' : 'Not Found'}: this result URL has expired.\n`);
				return;
			}
			if (fault?.kind === 'redirect' || fault?.kind === 'redirect-local') {
				// `redirect`: the same file, by another path, once (a CDN's edge hand-off); `redirect-local`:
				// an address inside the network (a cloud's metadata service), which a client must refuse.
				const target = fault.kind === 'redirect' ? `/files/${id}/${name}?hop=1` : 'http://169.254.169.254/latest/meta-data/';
				res.writeHead(302, { location: target, 'content-length': 0 });
				res.end();
				return;
			}
			if (fault?.kind === 'slow') await delay(fault.ms);
			if (fault?.kind === 'huge') {
				// No length announced, and no end: only the client's own limit stops it.
				res.writeHead(200, { 'content-type': 'image/png' });
				const chunk = Buffer.alloc(1024 * 1024);
				let sent = 0;
				const pump = () => {
					while (sent < HUGE_LIMIT_BYTES && !res.destroyed) {
						sent += chunk.length;
						if (!res.write(chunk)) return void res.once('drain', pump);
					}
					res.end();
				};
				res.on('close', () => (sent = HUGE_LIMIT_BYTES));
				pump();
				return;
			}
			if (fault?.kind === 'svg') {
				onServed();
				res.writeHead(200, { 'content-type': 'image/svg+xml', 'content-length': Buffer.byteLength(svg) });
				res.end(svg);
				return;
			}
			const bytes = await resultFiles.bytes(file);
			onServed();
			res.writeHead(200, {
				...(fault?.kind === 'notype' ? {} : { 'content-type': file.kind === 'mp4' ? 'video/mp4' : 'image/png' }),
				'content-length': bytes.length,
				'cache-control': 'public, max-age=3600',
			});
			if (fault?.kind === 'trickle') {
				// The whole body, in small pieces spread over `ms`: never silent for long, never quick.
				const pieces = Math.max(1, Math.min(200, Math.ceil(bytes.length / 1024)));
				const size = Math.ceil(bytes.length / pieces);
				for (let i = 0; i < pieces && !res.destroyed; i++) {
					res.write(bytes.subarray(i * size, (i + 1) * size));
					await delay(fault.ms / pieces);
				}
				res.end();
				return;
			}
			if (fault?.kind === 'truncate') {
				// Half the body, then the connection closes: Content-Length promised more.
				res.write(bytes.subarray(0, Math.floor(bytes.length / 2)), () => res.destroy());
				return;
			}
			res.end(bytes);
		},
	};
}
