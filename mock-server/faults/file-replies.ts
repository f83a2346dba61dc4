// How a result file is answered, with or without a fault asked for it (faults/grammar.ts's
// download faults): an expired URL, a redirect, a slow start, a body with no end, a script served
// as an image, no content type, a trickle, a body cut short, or the file as it is. The API's own
// faults are answered in replies.ts.
import type { ServerResponse } from 'node:http';
import { delay } from '../core/http.ts';
import type { DownloadFault } from './grammar.ts';

/** The fault's name in the journal. */
export function downloadFaultName(fault: DownloadFault): string {
	return fault.kind === 'expired' ? String(fault.status) : fault.kind === 'slow' || fault.kind === 'trickle' ? `${fault.kind}:${fault.ms}` : fault.kind;
}

/** A `huge` body stops here at the latest (1 GiB): the client is expected to give up long before. */
const HUGE_LIMIT_BYTES = 1024 ** 3;

const svg = '<svg xmlns="http://www.w3.org/2000/svg" width="8" height="8"><script>alert(1)</script><rect width="8" height="8"/></svg>\n';

/** A result file to answer with: where it is, what it is, and its bytes (rendered on demand). */
export type FileToServe = { id: string; name: string; kind: 'png' | 'mp4'; bytes: () => Promise<Buffer> };

/** Answers a download of `file`, as `fault` says (none: the file as it is); `onServed` counts a file body sent. */
export async function serveFile(res: ServerResponse, file: FileToServe, fault: DownloadFault | undefined, onServed: () => void): Promise<void> {
	if (fault?.kind === 'expired') {
		// A CDN's answer, not imini's JSON error: the URL has expired **(inferred)**.
		res.writeHead(fault.status, { 'content-type': 'text/plain; charset=utf-8' });
		res.end(`${fault.status} ${fault.status === 403 ? 'Forbidden' : 'Not Found'}: this result URL has expired.\n`);
		return;
	}
	if (fault?.kind === 'redirect' || fault?.kind === 'redirect-local') {
		// `redirect`: the same file, by another path, once (a CDN's edge hand-off); `redirect-local`:
		// an address inside the network (a cloud's metadata service), which a client must refuse.
		const target = fault.kind === 'redirect' ? `/files/${file.id}/${file.name}?hop=1` : 'http://169.254.169.254/latest/meta-data/';
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
	const bytes = await file.bytes();
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
}
