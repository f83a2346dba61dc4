// Starts the offline imini (simulator behind Prism) for a test file and stops it afterwards.
// Every exchange is checked by Prism; a test file ends with `expectNoViolations()` unless it
// provokes violations on purpose and inspects them.
import { request } from 'undici';
import { fastTiming, startMock } from '../../mock-server/index.ts';
import type { MockOptions, MockServer, Violation } from '../../mock-server/index.ts';

export type { MockOptions, MockServer, Violation };

/** A clock the simulator reads; tests move it instead of sleeping. */
export class ManualClock {
	private time = Date.parse('2026-11-21T10:00:00.000Z');
	now = (): number => this.time;
	advance(ms: number): void {
		this.time += ms;
	}
}

export function useMock(options: MockOptions = {}): { current: MockServer } {
	const holder = {} as { current: MockServer };
	beforeAll(async () => {
		holder.current = await startMock({ ...options, simulator: { ...fastTiming, ...options.simulator } });
	});
	afterAll(async () => {
		await holder.current?.close();
	});
	return holder;
}

export function formatViolations(violations: Violation[]): string {
	return violations.map((v) => `${v.method} ${v.path} -> ${v.status}: [${v.severity}] ${v.location} ${v.message}`).join('\n');
}

export type ApiAnswer = { status: number; headers: Record<string, string | string[] | undefined>; body: any; violations: string | undefined };

/** One call to the mock's front door, as a client of the real API would make it. */
export async function callApi(
	mock: MockServer,
	method: 'GET' | 'POST',
	path: string,
	options: { body?: unknown; key?: string | null; headers?: Record<string, string>; direct?: boolean } = {},
): Promise<ApiAnswer> {
	const key = options.key === undefined ? mock.apiKey : options.key;
	// `direct` skips Prism and talks to the simulator itself (for faults Prism cannot forward).
	const base = options.direct ? mock.controlUrl : mock.url;
	// A fresh connection per call (`reset`): a kept-alive socket the mock closes just as it is
	// reused answers ECONNRESET on a loaded machine, which says nothing about the mock.
	const answer = await request(`${base}${path}`, {
		reset: true,
		method,
		headers: {
			...(key === null ? {} : { authorization: `Bearer ${key}` }),
			...(options.body === undefined ? {} : { 'content-type': 'application/json' }),
			...options.headers,
		},
		body: options.body === undefined ? undefined : JSON.stringify(options.body),
	});
	const text = await answer.body.text();
	let body: unknown = text;
	try {
		body = JSON.parse(text);
	} catch {
		// left as text: the malformed-body fault is asserted on as text
	}
	const violations = answer.headers['sl-violations'];
	return { status: answer.statusCode, headers: answer.headers, body, violations: typeof violations === 'string' ? violations : undefined };
}

export async function download(url: string): Promise<{ status: number; type: string | undefined; bytes: Buffer }> {
	const answer = await request(url, { reset: true });
	const bytes = Buffer.from(await answer.body.arrayBuffer());
	const type = answer.headers['content-type'];
	return { status: answer.statusCode, type: typeof type === 'string' ? type : undefined, bytes };
}
