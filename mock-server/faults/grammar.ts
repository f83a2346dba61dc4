// Fault injection. Two ways in, one grammar:
//  - header `X-Mock-Fault: <fault>` applies to that one request (curl, contract tests);
//  - a tag in the prompt, `[mock <directive> <directive> ...]`, applies to the task it creates
//    (the only knob an n8n workflow controls). Directives:
//      submit=<fault>[xN]   the first N submits of this exact prompt answer <fault> (no xN: always)
//      poll=<fault>         every poll of the task answers <fault>
//      pollK=<fault>        only the K-th poll (1-based) answers <fault>
//      fail[=CODE]          the task ends `failed` with CODE (default CONTENT_POLICY_VIOLATION)
//      unsafe               the submit answers 400 INVALID_PROMPT (content safety on the prompt)
//      time=<ms>            this task takes <ms> from submit to settled
//      slow=<ms>            every answer about this task is delayed by <ms>
//      download=<dfault>    every download of the task's files answers <dfault>
//  <fault> is an HTTP status (400 401 402 403 404 429 500 502), `drop` (the connection is
//  destroyed without an answer), `malformed` (200 with a broken JSON body), `offspec` (200 with
//  well-formed JSON that breaks the contract: proof that Prism's check can fail), `gateway` (a
//  proxy's HTML 502 page, without imini's error body), `redirect` (307 to another origin, which
//  records whether the API key came along: GET /mock/leaks) or `slow:<ms>` (answer normally,
//  late; at most MAX_SLOW_MS). <dfault>, a fault of imini's CDN rather than its API, is `403` or
//  `404` (the result URL has expired: imini documents neither the URL's lifetime nor the CDN's
//  answer, both are **(inferred)**), `truncate` (the body stops halfway, with the full
//  Content-Length announced), `slow:<ms>`, `trickle:<ms>` (the body dribbles out over <ms>),
//  `huge` (a body that never ends and announces no length), `notype` (no Content-Type), `svg`
//  (an SVG image), `redirect` (302 to the same file: `redirectx1` once, then the file), `redirect-local` (302 to a private
//  address). A <dfault> may end in xN: only the first N downloads of the task answer it.

export type Fault =
	| { kind: 'status'; status: number }
	| { kind: 'drop' }
	| { kind: 'malformed' }
	| { kind: 'offspec' }
	| { kind: 'gateway' }
	| { kind: 'redirect' }
	| { kind: 'slow'; ms: number };

export type DownloadFault =
	| { kind: 'expired'; status: 403 | 404 }
	| { kind: 'truncate' }
	| { kind: 'slow'; ms: number }
	| { kind: 'trickle'; ms: number }
	| { kind: 'huge' }
	| { kind: 'notype' }
	| { kind: 'svg' }
	| { kind: 'redirect' }
	| { kind: 'redirect-local' };

/** The longest delay a fault may ask for: a mock that can be told to hold connections for ever is a hazard. */
export const MAX_SLOW_MS = 120_000;

export type PromptDirectives = {
	download?: DownloadFault;
	/** Only the first N downloads of the task answer `download` (default: all). */
	downloadTimes?: number;
	submit?: { fault: Fault; times: number };
	poll?: Fault;
	pollAt: Map<number, Fault>;
	fail?: string;
	unsafe: boolean;
	timeMs?: number;
	slowMs?: number;
	/** The directives as written in the prompt, e.g. ['fail=CONTENT_POLICY_VIOLATION', 'poll2=500']. */
	tags: string[];
};

export const injectableStatuses = [400, 401, 402, 403, 404, 429, 500, 502] as const;

export class FaultSyntaxError extends Error {}

export function parseFault(text: string): Fault {
	const value = text.trim().toLowerCase();
	if (value === 'drop') return { kind: 'drop' };
	if (value === 'malformed') return { kind: 'malformed' };
	if (value === 'offspec') return { kind: 'offspec' };
	if (value === 'gateway') return { kind: 'gateway' };
	if (value === 'redirect') return { kind: 'redirect' };
	const slow = /^slow[:=](\d+)$/.exec(value);
	if (slow) return { kind: 'slow', ms: boundedMs(slow[1]) };
	const status = Number(value);
	if ((injectableStatuses as readonly number[]).includes(status)) return { kind: 'status', status };
	throw new FaultSyntaxError(
		`Unknown mock fault "${text}". Use one of ${injectableStatuses.join(', ')}, drop, malformed, offspec, gateway, redirect or slow:<ms>.`,
	);
}

function boundedMs(text: string): number {
	const ms = Number(text);
	if (ms > MAX_SLOW_MS) throw new FaultSyntaxError(`A delay of ${text} ms is too long: at most ${MAX_SLOW_MS}.`);
	return ms;
}

export function parseDownloadFault(text: string): DownloadFault {
	const value = text.trim().toLowerCase();
	if (value === '403' || value === '404') return { kind: 'expired', status: Number(value) as 403 | 404 };
	if (value === 'truncate' || value === 'huge' || value === 'notype' || value === 'svg' || value === 'redirect' || value === 'redirect-local') return { kind: value };
	const slow = /^(slow|trickle)[:=](\d+)$/.exec(value);
	if (slow) return { kind: slow[1] as 'slow' | 'trickle', ms: boundedMs(slow[2]) };
	throw new FaultSyntaxError(`Unknown download fault "${text}". Use 403, 404, truncate, slow:<ms>, trickle:<ms>, huge, notype, svg, redirect or redirect-local.`);
}

const tagPattern = /\[mock\s+([^\]]*)\]/gi;

export function parsePromptDirectives(prompt: string): PromptDirectives {
	const directives: PromptDirectives = { pollAt: new Map(), unsafe: false, tags: [] };
	for (const match of prompt.matchAll(tagPattern)) {
		for (const word of match[1].split(/\s+/).filter(Boolean)) {
			directives.tags.push(word);
			const [key, rawValue] = word.split('=', 2) as [string, string | undefined];
			const pollAt = /^poll(\d+)$/.exec(key);
			if (key === 'submit' && rawValue) {
				const counted = /^(.*?)x(\d+)$/.exec(rawValue);
				directives.submit = counted
					? { fault: parseFault(counted[1]), times: Number(counted[2]) }
					: { fault: parseFault(rawValue), times: Number.POSITIVE_INFINITY };
			} else if (key === 'poll' && rawValue) {
				directives.poll = parseFault(rawValue);
			} else if (pollAt && rawValue) {
				directives.pollAt.set(Number(pollAt[1]), parseFault(rawValue));
			} else if (key === 'download' && rawValue) {
				const counted = /^(.*?)x(\d+)$/.exec(rawValue);
				directives.download = parseDownloadFault(counted ? counted[1] : rawValue);
				if (counted) directives.downloadTimes = Number(counted[2]);
			} else if (key === 'fail') {
				directives.fail = rawValue ? rawValue.toUpperCase() : 'CONTENT_POLICY_VIOLATION';
			} else if (key === 'unsafe') {
				directives.unsafe = true;
			} else if (key === 'time' && rawValue && /^\d+$/.test(rawValue)) {
				directives.timeMs = Number(rawValue);
			} else if (key === 'slow' && rawValue && /^\d+$/.test(rawValue)) {
				directives.slowMs = boundedMs(rawValue);
			} else {
				throw new FaultSyntaxError(
					`Unknown mock directive "${word}". Known: submit=<fault>[xN], poll=<fault>, pollN=<fault>, fail[=CODE], unsafe, time=<ms>, slow=<ms>, download=<dfault>[xN].`,
				);
			}
		}
	}
	return directives;
}
