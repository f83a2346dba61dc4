// `n8n start` with an owner account set up and logged in, and REST calls as that owner.
import { join } from 'node:path';
import { request } from 'undici';
import type { N8nHome } from './home.ts';
import { N8N_BIN, NODE_BIN, assertN8nInstalled } from './paths.ts';
import { freePort, startService } from './processes.ts';
import type { Service } from './processes.ts';

/** The owner account set up in every n8n this project starts (npm start prints it). */
export const OWNER = {
	email: 'owner@example.com',
	firstName: 'Imini',
	lastName: 'Owner',
	password: 'Imini-Offline-1',
} as const;

export interface RestResponse<T = any> {
	status: number;
	body: T;
	headers: Record<string, string | string[] | undefined>;
}

export interface RunningN8n {
	url: string;
	port: number;
	pid: number;
	/** The process (its group holds n8n's task runner too). */
	service: Service;
	/** The `n8n-auth` cookie value of the logged-in owner, for REST calls or a browser context. */
	authCookie: string;
	owner: typeof OWNER;
	/** ms from spawn to `/healthz/readiness` answering 200. */
	readyMs: number;
	/** A REST call as the logged-in owner; `path` relative to the root, e.g. `/rest/workflows`. */
	rest<T = any>(method: string, path: string, body?: unknown): Promise<RestResponse<T>>;
	/** n8n's output so far (also in `<home>/n8n-start.log`). */
	logs(): string;
	/** Stops n8n and the processes it started (task runner); resolves when all are gone. */
	stop(): Promise<void>;
}

export interface StartOptions {
	env?: Record<string, string>;
	readyTimeoutMs?: number;
	/** Set up the owner and log in (default true). */
	setupOwner?: boolean;
}

async function httpJson(url: string, method: string, body: unknown, cookie: string | undefined): Promise<RestResponse> {
	const headers: Record<string, string> = { accept: 'application/json' };
	if (body !== undefined) headers['content-type'] = 'application/json';
	if (cookie) headers.cookie = `n8n-auth=${cookie}`;
	// No `browser-id` header: a session logged in without one is not bound to a browser id, so
	// the same cookie also works in a browser (whose editor sends its own browser-id).
	// `reset`: a connection per call. Reusing an idle keep-alive socket races n8n closing it
	// (after 5 s), and a POST on a socket closed under it fails with "other side closed".
	const response = await request(url, { method: method as any, headers, body: body === undefined ? undefined : JSON.stringify(body), reset: true });
	const text = await response.body.text();
	let parsed: any = text;
	try {
		parsed = text ? JSON.parse(text) : null;
	} catch {
		// keep text
	}
	return { status: response.statusCode, body: parsed, headers: response.headers as RestResponse['headers'] };
}

function authCookieFrom(headers: RestResponse['headers']): string | undefined {
	const setCookie = headers['set-cookie'];
	const all = Array.isArray(setCookie) ? setCookie : setCookie ? [setCookie] : [];
	for (const line of all) {
		const match = /^n8n-auth=([^;]*)/.exec(line);
		if (match && match[1]) return match[1];
	}
	return undefined;
}

/** `n8n start`; resolves when `/healthz/readiness` is 200, with the owner set up and logged in. */
export async function startN8n(home: N8nHome, options: StartOptions = {}): Promise<RunningN8n> {
	assertN8nInstalled();
	const started = Date.now();
	const brokerPort = await freePort();
	const url = `http://127.0.0.1:${home.port}`;
	const service = startService({
		name: 'n8n',
		command: NODE_BIN,
		args: [N8N_BIN, 'start'],
		cwd: home.root,
		env: { ...home.env, N8N_RUNNERS_BROKER_PORT: String(brokerPort), ...options.env },
		logPath: join(home.root, 'n8n-start.log'),
	});

	const readyTimeoutMs = options.readyTimeoutMs ?? 90_000;
	const deadline = started + readyTimeoutMs;
	let readyMs = -1;
	try {
		for (;;) {
			const exited = service.exitStatus();
			if (exited) throw new Error(`n8n start exited early (${JSON.stringify(exited)})`);
			if (Date.now() > deadline) throw new Error(`n8n start: /healthz/readiness not 200 after ${readyTimeoutMs} ms`);
			try {
				const response = await request(`${url}/healthz/readiness`, { method: 'GET', headersTimeout: 2000, bodyTimeout: 2000 });
				await response.body.dump();
				if (response.statusCode === 200) {
					readyMs = Date.now() - started;
					break;
				}
			} catch {
				// not listening yet
			}
			await new Promise((r) => setTimeout(r, 200));
		}

		let authCookie = '';
		if (options.setupOwner !== false) {
			// A kept user folder (npm start) already has its owner: then logging in is enough.
			// n8n 1.x answers /healthz/readiness a moment before its REST routes exist (404 until then).
			let setup = await httpJson(`${url}/rest/owner/setup`, 'POST', OWNER, undefined);
			while (setup.status === 404 && Date.now() < deadline) {
				await new Promise((r) => setTimeout(r, 200));
				setup = await httpJson(`${url}/rest/owner/setup`, 'POST', OWNER, undefined);
			}
			const login = await httpJson(`${url}/rest/login`, 'POST', { emailOrLdapLoginId: OWNER.email, password: OWNER.password }, undefined);
			const cookie = authCookieFrom(login.headers);
			if (login.status !== 200 || !cookie) {
				throw new Error(`POST /rest/owner/setup: ${setup.status} ${JSON.stringify(setup.body)}; POST /rest/login: ${login.status} ${JSON.stringify(login.body)}`);
			}
			authCookie = cookie;
		}
		return {
			url,
			port: home.port,
			pid: service.pid,
			service,
			authCookie,
			owner: OWNER,
			readyMs,
			rest: (method, path, body) => httpJson(`${url}${path}`, method, body, authCookie || undefined),
			logs: service.logs,
			stop: service.stop,
		};
	} catch (error) {
		await service.stop();
		const tail = service.logs().split('\n').slice(-40).join('\n');
		throw new Error(`${(error as Error).message}\n--- n8n output (${service.logPath}) ---\n${tail}`);
	}
}

/**
 * Publishes a workflow so its production webhooks answer (`/webhook/<path>`), as the editor's
 * Publish button does: n8n 2.x activates a workflow version, read from the workflow first.
 * Resolves once every Webhook node's production URL is registered (n8n registers them a moment
 * after the activation call returns).
 */
export async function activateWorkflow(n8n: RunningN8n, workflowId: string, timeoutMs = 30_000): Promise<void> {
	const workflow = await n8n.rest('GET', `/rest/workflows/${workflowId}`);
	const versionId = workflow.body?.data?.versionId;
	if (workflow.status !== 200 || !versionId) throw new Error(`GET /rest/workflows/${workflowId}: ${workflow.status} ${JSON.stringify(workflow.body).slice(0, 500)}`);
	const activated = await n8n.rest('POST', `/rest/workflows/${workflowId}/activate`, { versionId });
	if (activated.status !== 200) throw new Error(`activating workflow ${workflowId}: ${activated.status} ${JSON.stringify(activated.body).slice(0, 500)}`);
	const webhooks = (workflow.body.data.nodes as Array<{ type: string; parameters: { path?: string; httpMethod?: string } }>)
		.filter((node) => node.type === 'n8n-nodes-base.webhook' && node.parameters.path)
		.map((node) => ({ path: node.parameters.path!, method: node.parameters.httpMethod ?? 'GET' }));
	const deadline = Date.now() + timeoutMs;
	for (const { path, method } of webhooks) {
		// Asked with another method, a registered webhook names the methods it takes; an
		// unregistered one says it is not registered. Nothing runs either way.
		const probe = method === 'PATCH' ? 'PUT' : 'PATCH';
		for (;;) {
			const answer = await httpJson(`${n8n.url}/webhook/${path}`, probe, undefined, undefined);
			if (/not registered for/.test(JSON.stringify(answer.body))) break;
			if (Date.now() > deadline) throw new Error(`workflow ${workflowId} is active, but ${method} /webhook/${path} is still not registered after ${timeoutMs} ms`);
			await new Promise((r) => setTimeout(r, 200));
		}
	}
}
