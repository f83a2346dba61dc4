// The simulator's stand-in for imini's CDN: result files of settled tasks, and which fault a CDN
// serves with one (an expired result URL, a body cut short, a slow answer), asked for by a prompt
// tag (`[mock download=404]`) or by probability (`--fault-rate download-404=0.1`); how each fault
// is answered is in faults/file-replies.ts.
import type { ServerResponse } from 'node:http';
import { HttpError } from '../core/http.ts';
import { pickFault } from '../faults/rates.ts';
import { downloadFaultName, serveFile } from '../faults/file-replies.ts';
import type { MockServices } from './services.ts';

export function createDownloads(services: MockServices) {
	const { store, resultFiles, journal, ids, now, stats } = services;
	const faultRates = services.options.faultRates;
	/** Downloads answered with a counted (`xN`) fault, per task. */
	const faulted = new Map<string, number>();
	return {
		forget: () => faulted.clear(),
		/** `GET /files/<task id>/<name>`: `0.png`, `0.mp4`, `0-cover.png`, ... */
		async serve(id: string, name: string, res: ServerResponse): Promise<void> {
			journal.task(res, id);
			const task = store.find(id, null, null);
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
			await serveFile(res, { id, name, kind: file.kind, bytes: () => resultFiles.bytes(file) }, fault, () => stats.files++);
		},
	};
}
