// How a result file is answered, with or without a fault asked for it (faults/grammar.ts's
// download faults): an expired URL, a redirect, a slow start, a body with no end, a script served
// as an image, no content type, a trickle, a body cut short, or the file as it is. The API's own
// faults are answered in replies.ts.
//
// A video of a chosen size (`[mock size=300M]`) is the rendered MP4 followed by one `free` box
// (ISO BMFF's padding, which players skip) that brings it to exactly that size. The padding is
// written from one buffer of zeros, again and again: a 300 MB file costs the mock 1 MB and no
// disk, and goes out as fast as the socket takes it.
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

/** A result file to answer with: where it is, what it is, its bytes (rendered on demand), and the size to pad an MP4 to. */
export type FileToServe = { id: string; name: string; kind: 'png' | 'mp4'; bytes: () => Promise<Buffer>; paddedTo?: number };

const ZEROS = Buffer.alloc(1024 * 1024);

/** The header of a `free` box of `size` bytes in all (a 64-bit size from 4 GiB on). */
function freeBoxHeader(size: number): Buffer {
	const large = size > 0xffffffff;
	const header = Buffer.alloc(large ? 16 : 8);
	header.writeUInt32BE(large ? 1 : size, 0);
	header.write('free', 4, 'latin1');
	if (large) header.writeBigUInt64BE(BigInt(size), 8);
	return header;
}

/** A body to send: its length, and its bytes from `from` to `to` as pieces (never copied whole). */
type Body = { length: number; pieces(from: number, to: number): Generator<Buffer> };

/** The file's bytes, padded with a `free` box to `paddedTo` when it asks for more than it has. */
function bodyOf(bytes: Buffer, paddedTo: number | undefined): Body {
	const parts = [bytes];
	if (paddedTo !== undefined && paddedTo >= bytes.length + 16) {
		const header = freeBoxHeader(paddedTo - bytes.length);
		parts.push(header);
		for (let left = paddedTo - bytes.length - header.length; left > 0; left -= ZEROS.length) parts.push(left >= ZEROS.length ? ZEROS : ZEROS.subarray(0, left));
	}
	return {
		length: parts.reduce((sum, part) => sum + part.length, 0),
		*pieces(from, to) {
			let at = 0;
			for (const part of parts) {
				const start = Math.max(from, at);
				const end = Math.min(to, at + part.length);
				if (start < end) yield part.subarray(start - at, end - at);
				at += part.length;
				if (at >= to) return;
			}
		},
	};
}

/** Writes `pieces`, waiting for the socket to drain whenever it asks; resolves when all are handed over (false if the connection closed first). */
async function send(res: ServerResponse, pieces: Iterable<Buffer>): Promise<boolean> {
	for (const piece of pieces) {
		if (res.destroyed) return false;
		if (!res.write(piece)) {
			const drained = await new Promise<boolean>((resolve) => {
				const done = (ok: boolean) => () => {
					res.off('drain', onDrain);
					res.off('close', onClose);
					resolve(ok);
				};
				const onDrain = done(true);
				const onClose = done(false);
				res.once('drain', onDrain);
				res.once('close', onClose);
			});
			if (!drained) return false;
		}
	}
	return !res.destroyed;
}

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
	const body = bodyOf(await file.bytes(), file.kind === 'mp4' ? file.paddedTo : undefined);
	onServed();
	res.writeHead(200, {
		...(fault?.kind === 'notype' ? {} : { 'content-type': file.kind === 'mp4' ? 'video/mp4' : 'image/png' }),
		'content-length': body.length,
		'cache-control': 'public, max-age=3600',
	});
	if (fault?.kind === 'trickle') {
		// The whole body, in small pieces spread over `ms`: never silent for long, never quick.
		const pieces = Math.max(1, Math.min(200, Math.ceil(body.length / 1024)));
		const size = Math.ceil(body.length / pieces);
		for (let i = 0; i < pieces && !res.destroyed; i++) {
			await send(res, body.pieces(i * size, Math.min(body.length, (i + 1) * size)));
			await delay(fault.ms / pieces);
		}
		res.end();
		return;
	}
	if (fault?.kind === 'truncate') {
		// Half the body, then the connection closes: Content-Length promised more.
		const half = [...body.pieces(0, Math.floor(body.length / 2))];
		const last = half.pop() ?? Buffer.alloc(0);
		if (await send(res, half)) res.write(last, () => res.destroy());
		return;
	}
	if (await send(res, body.pieces(0, body.length))) res.end();
}
