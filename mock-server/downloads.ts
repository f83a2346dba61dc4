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
	return fault.kind === 'expired' ? String(fault.status) : fault.kind === 'slow' ? `slow:${fault.ms}` : fault.kind;
}

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
	return {
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
			const fault = task.directives.download ?? rated?.fault;
			if (fault) journal.fault(res, `${task.directives.download ? 'prompt: download' : 'fault-rate: download'}: ${downloadFaultName(fault)}`);
			if (fault?.kind === 'expired') {
				// A CDN's answer, not imini's JSON error: the URL has expired **(inferred)**.
				res.writeHead(fault.status, { 'content-type': 'text/plain; charset=utf-8' });
				res.end(`${fault.status} ${fault.status === 403 ? 'Forbidden' : 'Not Found'}: this result URL has expired.\n`);
				return;
			}
			if (fault?.kind === 'slow') await delay(fault.ms);
			const bytes = await resultFiles.bytes(file);
			onServed();
			res.writeHead(200, {
				'content-type': file.kind === 'mp4' ? 'video/mp4' : 'image/png',
				'content-length': bytes.length,
				'cache-control': 'public, max-age=3600',
			});
			if (fault?.kind === 'truncate') {
				// Half the body, then the connection closes: Content-Length promised more.
				res.write(bytes.subarray(0, Math.floor(bytes.length / 2)), () => res.destroy());
				return;
			}
			res.end(bytes);
		},
	};
}
