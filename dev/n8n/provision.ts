// Puts this package into an n8n user folder the way a user gets it: the packed tarball installed
// as n8n installs community packages, an "Imini API" credential, the example workflows, and a
// chat model credential for the agent example.
// Used by `npm start` and the end-to-end tests.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT, importCredentials, importWorkflows, installPackageTarball } from './n8n-cli.ts';
import type { N8nHome } from './n8n-cli.ts';

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
	 * OpenAI-compatible chat model for the agent example.
	 */
	options: { examples?: boolean | string[]; chatModelUrl?: string } = {},
): Promise<{ workflows: ExampleWorkflow[] }> {
	const packed = packPackage();
	try {
		await installPackageTarball(home, packed.tarball);
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
