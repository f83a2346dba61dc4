// Puts this package into an n8n user folder the way a user gets it: the packed tarball installed
// as n8n installs community packages, an "Imini API" credential, and the example workflows.
// Used by `npm start` and the end-to-end tests.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { importCredentials, importWorkflows } from './cli.ts';
import type { N8nHome } from './home.ts';
import { installPackageTarball } from './package-install.ts';
import { REPO_ROOT } from './paths.ts';

/** The credential id the example workflows refer to. */
export const EXAMPLE_CREDENTIAL_ID = 'imini-mock';

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
	options: {
		examples?: boolean;
		/** Queue mode's workers: each loads the package from its own user folder (the database, with the credential and workflows, is shared). */
		workerHomes?: N8nHome[];
	} = {},
): Promise<{ workflows: ExampleWorkflow[] }> {
	const packed = packPackage();
	try {
		await Promise.all([home, ...(options.workerHomes ?? [])].map((h) => installPackageTarball(h, packed.tarball)));
	} finally {
		packed.cleanup();
	}
	await importCredentials(home, [
		{ id: EXAMPLE_CREDENTIAL_ID, name: credential.name, type: 'iminiApi', data: { apiKey: credential.apiKey, baseUrl: credential.baseUrl } },
	]);
	const workflows = options.examples === false ? [] : exampleWorkflows();
	if (workflows.length) await importWorkflows(home, workflows.map((w) => w.json as never));
	return { workflows };
}
