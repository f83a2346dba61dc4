// Puts this package into an n8n user folder the way a user gets it: the packed tarball installed
// as n8n installs community packages, an "Imini API" credential, the example workflows, and a
// chat model credential for the agent example.
// Used by `npm start` and the end-to-end tests.
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { importCredentials, importWorkflows } from './n8n-commands.ts';
import type { WorkflowToImport } from './n8n-commands.ts';
import type { N8nHome } from './home.ts';
import { installPackageTarball } from './package-install.ts';
import { REPO_ROOT } from './paths.ts';

/** The credential id the example workflows refer to. */
export const EXAMPLE_CREDENTIAL_ID = 'imini-mock';
/** The chat model credential of the agent example (n8n's `openAiApi`, pointed at a scripted model). */
export const EXAMPLE_CHAT_MODEL_CREDENTIAL = { id: 'offline-chat-model', name: 'Offline chat model (scripted)' } as const;

export type ExampleWorkflow = { id: string; name: string; file: string; json: Record<string, unknown> };

export function exampleWorkflows(): ExampleWorkflow[] {
	const dir = join(REPO_ROOT, 'examples');
	return readdirSync(dir)
		.filter((file) => file.endsWith('.json'))
		.sort()
		.map((file) => {
			const json = JSON.parse(readFileSync(join(dir, file), 'utf8')) as { id: string; name: string };
			return { id: json.id, name: json.name, file, json };
		});
}

/** The example that production users build: Webhook → Imini Generate → Respond to Webhook. */
export const WEBHOOK_EXAMPLE_ID = 'iminiEx7Webhook';

export type WebhookExampleCopy = {
	id: string;
	name: string;
	/** Its production URL is `/webhook/<path>`. */
	path: string;
	credential: { id: string; name: string };
	/** Imini Generate's parameters (e.g. its timeout) and options (polling, tasks in flight). */
	parameters?: Record<string, unknown>;
	options?: Record<string, unknown>;
};

export function webhookExample(): WorkflowToImport {
	return exampleWorkflows().find((w) => w.id === WEBHOOK_EXAMPLE_ID)!.json as unknown as WorkflowToImport;
}

/** The webhook example on another path, with another credential and settings: several side by side in one n8n (tests, bench). */
export function webhookExampleCopy(copy: WebhookExampleCopy): WorkflowToImport {
	const example = webhookExample();
	const nodes = (example.nodes as Array<Record<string, any>>).map((node) => {
		if (node.type === 'n8n-nodes-base.webhook') return { ...node, webhookId: randomUUID(), parameters: { ...node.parameters, path: copy.path } };
		if (!node.credentials?.iminiApi) return node;
		return {
			...node,
			parameters: { ...node.parameters, ...copy.parameters, options: { ...node.parameters.options, ...copy.options } },
			credentials: { iminiApi: copy.credential },
		};
	});
	return { ...example, id: copy.id, name: copy.name, nodes };
}

/** `npm pack` of the built package (run `npm run build` first) into a temporary folder. */
export function packPackage(): { tarball: string; cleanup(): void } {
	const dir = mkdtempSync(join(tmpdir(), 'imini-pack-'));
	execFileSync('npm', ['pack', '--silent', '--pack-destination', dir], { cwd: REPO_ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
	const file = readdirSync(dir).find((f) => f.endsWith('.tgz'));
	if (!file) throw new Error('npm pack produced no tarball');
	return { tarball: join(dir, file), cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export async function provisionImini(
	home: N8nHome,
	credential: { apiKey: string; baseUrl: string; name: string },
	/**
	 * `examples`: all (default), none, or those with these ids. `chatModelUrl`: the Base URL of an
	 * OpenAI-compatible chat model for the agent example. `workerHomes`: queue mode's workers, each
	 * loading the package from its own user folder (the database, with the credentials and
	 * workflows, is shared).
	 */
	options: { examples?: boolean | string[]; chatModelUrl?: string; workerHomes?: N8nHome[] } = {},
): Promise<{ workflows: ExampleWorkflow[] }> {
	const packed = packPackage();
	try {
		await Promise.all([home, ...(options.workerHomes ?? [])].map((h) => installPackageTarball(h, packed.tarball)));
	} finally {
		packed.cleanup();
	}
	await importCredentials(home, [
		{ id: EXAMPLE_CREDENTIAL_ID, name: credential.name, type: 'iminiApi', data: { apiKey: credential.apiKey, baseUrl: credential.baseUrl } },
		...(options.chatModelUrl
			? [{ ...EXAMPLE_CHAT_MODEL_CREDENTIAL, type: 'openAiApi', data: { apiKey: 'no-key-needed', url: options.chatModelUrl } }]
			: []),
	]);
	const { examples = true } = options;
	const workflows = exampleWorkflows().filter((w) => (Array.isArray(examples) ? examples.includes(w.id) : examples));
	if (workflows.length) await importWorkflows(home, workflows.map((w) => w.json as never));
	return { workflows };
}
