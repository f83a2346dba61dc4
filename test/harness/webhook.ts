// A call to an n8n production webhook as a separate app makes it: a connection of its own (and no
// reuse of an idle keep-alive socket that n8n is closing at that moment), JSON in, the answer
// parsed when it is JSON.
import { request } from 'undici';

export type WebhookAnswer = { status: number; body: any; ms: number };

export async function postWebhook(url: string, body: unknown, timeoutMs = 600_000): Promise<WebhookAnswer> {
	const started = Date.now();
	const answer = await request(url, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify(body),
		reset: true,
		headersTimeout: timeoutMs,
		bodyTimeout: timeoutMs,
	});
	const text = await answer.body.text();
	let parsed: unknown = text;
	try {
		parsed = JSON.parse(text);
	} catch {
		// left as text
	}
	return { status: answer.statusCode, body: parsed, ms: Date.now() - started };
}
