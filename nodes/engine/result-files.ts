// What a result file must be before the nodes take it: from an address the node may fetch, of a
// media type imini serves, whole, and bounded in size and time.
//
// Invariants kept here (and applied by n8n/transport.ts on every download and every redirect hop):
// - Result downloads never carry the API key, and follow only safe redirects: http(s) only, never
//   from https down to http, at most MAX_RESULT_REDIRECTS hops, each hop checked like the first.
// - A link-local or unspecified address (169.254.169.254, a cloud's metadata service; 0.0.0.0)
//   is never fetched. A loopback or private one (127.0.0.1, 10.x, ::1, localhost ...) only when
//   the Base URL is itself local or private (a local mock serves its files there too); imini's
//   public API has no business pointing there. Only what the address says by itself is judged:
//   names that resolve to such addresses are the business of n8n's SSRF protection
//   (N8N_SSRF_PROTECTION_ENABLED), which applies to every request the node makes.
// - Only the media types imini serves are taken: PNG, JPEG and WebP images, MP4 and QuickTime
//   videos **(inferred**: imini documents no types; its CDN serves PNG and MP4 as far as seen).
//   A missing or generic Content-Type is settled by the file's first bytes. SVG, HTML and the
//   like are refused: an SVG can carry script.
// - A file is whole: its bytes must match a Content-Length when one is announced; a body that
//   breaks off, stalls (BodyWatch) or trickles past its deadline is retried as a read, then
//   reported with the task.
// - A file is never held whole in memory: it streams into n8n's binary data through the checks
//   (n8n/transport.ts); only its first bytes are kept apart, to tell its type before n8n stores
//   anything.
import type { Clock } from './clock';
import type { TaskKind } from '../imini/task';

/** At most this many redirects are followed for a result file. */
export const MAX_RESULT_REDIRECTS = 3;

/**
 * A download is stalled when fewer than `floorBytes` arrive in `windowMs` (curl's low-speed
 * limit): a link that slow is not slow, it is stuck, and waiting for the body's deadline would
 * hold the run for minutes.
 */
export type StallRule = { floorBytes: number; windowMs: number };

/**
 * 32 KB in 10 s. The window is what keeps a stuck CDN within a minute of the task: an attempt
 * is cut after 10 s, and four attempts with the read backoff between them (at most 1 + 2 + 4 s
 * doubled by jitter: 14 s) end in at most 54 s. Any real link, even a poor mobile one, moves
 * 32 KB in far less than 10 s.
 */
export const DEFAULT_STALL_RULE: StallRule = { floorBytes: 32 * 1024, windowMs: 10_000 };

export type DownloadLimits = {
	/** Largest file taken, by kind of task (bytes). */
	maxBytes: Record<TaskKind, number>;
	/** Time for a whole body to arrive (one attempt, from its headers), by kind of task. */
	bodyDeadlineMs: Record<TaskKind, number>;
	/** When an attempt counts as stalled (default DEFAULT_STALL_RULE). */
	stall?: StallRule;
};

/**
 * Generous for imini's files (a 4K PNG is about 20 MB, a 15 s 1080P MP4 a few tens of MB).
 * The size bounds what lands in n8n's binary data, not memory: files stream through.
 */
export const DEFAULT_DOWNLOAD_LIMITS: DownloadLimits = {
	maxBytes: { image: 64 * 1024 * 1024, video: 512 * 1024 * 1024 },
	bodyDeadlineMs: { image: 120_000, video: 600_000 },
	stall: DEFAULT_STALL_RULE,
};

/** Bytes of a file's start its type is told from (sniffMediaType reads 12). */
export const SNIFF_BYTES = 16;

/** Why a body was cut by its watch. */
export type BodyCut = { reason: 'deadline' | 'stall'; bytes: number };

/**
 * Watches one download's body, from its headers on: `cut` is called (once) when the whole body
 * has not arrived by `deadlineMs`, or when fewer than the stall rule's floor arrived in its
 * window, counted from the last moment the floor was reached (so the body is cut exactly one
 * window after it last made progress, however it trickled before). `progress` counts bytes as
 * they arrive; `stop` ends the watch (the body is whole, or failed otherwise). Timers go through
 * `clock`: n8n's sleep in the node, a virtual clock in tests.
 */
export function watchBody(clock: Clock, deadlineMs: number, rule: StallRule, cut: (why: BodyCut) => void): { progress(bytes: number): void; stop(): void } {
	const stopped = new AbortController();
	let bytes = 0;
	/** Bytes and time when the floor was last reached. */
	let markBytes = 0;
	let markAt = clock.now();
	let done = false;
	const end = (reason: BodyCut['reason']) => {
		if (done) return;
		done = true;
		stopped.abort();
		cut({ reason, bytes });
	};
	const ignore = () => undefined;
	clock.sleep(deadlineMs, stopped.signal).then(() => end('deadline'), ignore);
	void (async () => {
		for (;;) {
			const due = markAt + rule.windowMs;
			await clock.sleep(Math.max(0, due - clock.now()), stopped.signal);
			// The mark moved while this sleep ran: the next check is one window after it.
			if (markAt + rule.windowMs <= clock.now()) return end('stall');
		}
	})().catch(ignore);
	return {
		progress(count: number) {
			bytes += count;
			if (bytes - markBytes >= rule.floorBytes) {
				markBytes = bytes;
				markAt = clock.now();
			}
		},
		stop() {
			done = true;
			stopped.abort();
		},
	};
}

const served: Record<string, string> = {
	'image/png': 'png',
	'image/jpeg': 'jpg',
	'image/webp': 'webp',
	'video/mp4': 'mp4',
	'video/quicktime': 'mov',
};

/** The media types taken, with their file extensions. */
export const RESULT_MEDIA_TYPES: Readonly<Record<string, string>> = served;

/** The media type of a file from its first bytes, when it is one imini serves. */
export function sniffMediaType(bytes: Uint8Array): string | undefined {
	const ascii = (from: number, to: number) => String.fromCharCode(...bytes.subarray(from, to));
	if (bytes.length >= 8 && bytes[0] === 0x89 && ascii(1, 4) === 'PNG') return 'image/png';
	if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'image/jpeg';
	if (bytes.length >= 12 && ascii(0, 4) === 'RIFF' && ascii(8, 12) === 'WEBP') return 'image/webp';
	if (bytes.length >= 12 && ascii(4, 8) === 'ftyp') return ascii(8, 10) === 'qt' ? 'video/quicktime' : 'video/mp4';
	return undefined;
}

/**
 * The media type to store a downloaded file under, or undefined when it is not one imini serves.
 * A declared type must be one of imini's and agree with the bytes when they are recognisable; a
 * missing or generic one (application/octet-stream) is decided by the bytes alone.
 */
export function resultMediaType(declared: string | undefined, bytes: Uint8Array): string | undefined {
	const type = declared?.split(';')[0].trim().toLowerCase();
	const sniffed = sniffMediaType(bytes);
	if (!type || type === 'application/octet-stream' || type === 'binary/octet-stream') return sniffed;
	if (!(type in served)) return undefined;
	// A declared image that is really something else (an HTML error page, an SVG) is refused.
	return sniffed === undefined || sniffed.split('/')[0] === type.split('/')[0] ? type : undefined;
}

type AddressClass = 'public' | 'local' | 'link-local';

function classifyIPv4(host: string): AddressClass | undefined {
	const parts = host.split('.');
	if (parts.length !== 4 || parts.some((p) => !/^\d{1,3}$/.test(p) || Number(p) > 255)) return undefined;
	const [a, b] = parts.map(Number);
	if (a === 0 || (a === 169 && b === 254)) return 'link-local';
	if (a === 10 || a === 127 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168) || (a === 100 && b >= 64 && b <= 127)) return 'local';
	return 'public';
}

/**
 * What a host names by itself, without DNS: this machine or a private network ('local'), a
 * link-local or unspecified address ('link-local': a cloud's metadata service lives there), or
 * anything else ('public').
 */
export function classifyHost(hostname: string): AddressClass {
	const host = hostname.toLowerCase().replace(/\.$/, '').replace(/^\[|\]$/g, '');
	if (host === 'localhost' || host.endsWith('.localhost')) return 'local';
	const v4 = classifyIPv4(host);
	if (v4) return v4;
	if (!host.includes(':')) return 'public';
	const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(host);
	if (mapped) return classifyIPv4(mapped[1]) ?? 'public';
	if (host === '::' || /^fe[89ab]/.test(host)) return 'link-local';
	if (host === '::1' || /^f[cd]/.test(host)) return 'local';
	return 'public';
}

/**
 * Why `url` may not be fetched as a result file (undefined when it may). `baseUrl` is the
 * credential's; `from` is the URL that redirected here, if any.
 */
export function refuseResultUrl(url: string, baseUrl: string, from?: string): string | undefined {
	let target: URL;
	try {
		target = new URL(url);
	} catch {
		return 'it is not a valid URL';
	}
	if (target.protocol !== 'https:' && target.protocol !== 'http:') return `it is not an http(s) URL (${target.protocol})`;
	if (from !== undefined && new URL(from).protocol === 'https:' && target.protocol === 'http:') return 'a redirect from https to plain http';
	if (target.username || target.password) return 'it carries credentials';
	const where = classifyHost(target.hostname);
	if (where === 'link-local') return `${target.hostname} is a link-local or unspecified address`;
	if (where === 'local') {
		let base: string | undefined;
		try {
			base = new URL(baseUrl).hostname;
		} catch {
			base = undefined;
		}
		// A local mock serves its files from this machine too; imini's API never points there.
		if (base === undefined || classifyHost(base) === 'public') return `${target.hostname} is a local or private address, and the Base URL is not`;
	}
	return undefined;
}
