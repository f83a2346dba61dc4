// Installs this package's tarball into an n8n user folder the way n8n itself installs a
// community package (used for n8n main and for every queue-mode worker: each loads the package
// from its own user folder).
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { N8nHome } from './home.ts';
import { NODE_BIN } from './paths.ts';
import { describeFailure, runCommand } from './processes.ts';

export interface InstalledPackage {
	name: string;
	version: string;
	dir: string;
	durationMs: number;
}

function tar(args: string[]): Promise<void> {
	return new Promise((resolveTar, reject) => {
		execFile('tar', args, (error, _stdout, stderr) => (error ? reject(new Error(`tar ${args.join(' ')}: ${stderr || error.message}`)) : resolveTar()));
	});
}

/**
 * Installs a community package tarball (from `npm pack`) the way n8n 2.40.7's
 * CommunityPackagesService.downloadPackage does: untar into `.n8n/nodes/node_modules/<name>`,
 * drop devDependencies/peerDependencies/optionalDependencies, `npm install` there with
 * n8n's flags, and record it in n8n's ledger `.n8n/nodes/package.json`.
 *
 * n8n loads every `n8n-nodes-*` / `@scope/n8n-nodes-*` folder under `.n8n/nodes/node_modules`
 * on its own at start (scanDirectoryForPackages); neither the ledger nor a database row is
 * needed for the nodes to load and run. The database row (installed_packages), which only the
 * Settings > Community nodes page reads, is not written.
 */
export async function installPackageTarball(home: N8nHome, tgzPath: string): Promise<InstalledPackage> {
	const started = Date.now();
	const tgz = resolve(tgzPath);
	if (!existsSync(tgz)) throw new Error(`installPackageTarball: no such tarball ${tgz}`);
	// Read the name from the tarball itself.
	const peek = mkdtempSync(join(tmpdir(), 'n8n-e2e-pkg-'));
	let name: string;
	try {
		await tar(['-xzf', tgz, '-C', peek, '--strip-components=1', 'package/package.json']);
		name = JSON.parse(readFileSync(join(peek, 'package.json'), 'utf8')).name;
	} finally {
		rmSync(peek, { recursive: true, force: true });
	}
	if (!/^(@[^/]+\/)?n8n-nodes-/.test(name)) {
		throw new Error(`installPackageTarball: n8n only loads packages named n8n-nodes-* or @scope/n8n-nodes-*, got "${name}"`);
	}
	const dir = join(home.nodesDir, 'node_modules', ...name.split('/'));
	rmSync(dir, { recursive: true, force: true });
	mkdirSync(dir, { recursive: true });
	await tar(['-xzf', tgz, '-C', dir, '--strip-components=1']);

	const packageJsonPath = join(dir, 'package.json');
	// eslint-disable-next-line @typescript-eslint/no-unused-vars
	const { devDependencies, peerDependencies, optionalDependencies, ...packageJson } = JSON.parse(readFileSync(packageJsonPath, 'utf8'));
	writeFileSync(packageJsonPath, JSON.stringify(packageJson, null, 2), 'utf8');

	const npmCli = process.env.npm_execpath && /npm-cli\.js$/.test(process.env.npm_execpath) ? process.env.npm_execpath : undefined;
	const npmArgs = [
		'install',
		'--audit=false',
		'--fund=false',
		'--bin-links=false',
		'--install-strategy=shallow',
		'--ignore-scripts=true',
		'--package-lock=false',
	];
	const result = npmCli
		? await runCommand(NODE_BIN, [npmCli, ...npmArgs], home.env, { cwd: dir, timeoutMs: 300_000 })
		: await runCommand('npm', npmArgs, home.env, { cwd: dir, timeoutMs: 300_000 });
	if (result.exitCode !== 0) throw describeFailure(`npm install in ${dir}`, result);

	// n8n's ledger of installed packages (CommunityPackagesService.updatePackageJsonDependency).
	const ledgerPath = join(home.nodesDir, 'package.json');
	let ledger: { name: string; private: boolean; dependencies: Record<string, string> } = { name: 'installed-nodes', private: true, dependencies: {} };
	if (existsSync(ledgerPath)) {
		try {
			const parsed = JSON.parse(readFileSync(ledgerPath, 'utf8'));
			if (parsed?.dependencies) ledger = parsed;
		} catch {
			// n8n rebuilds an unusable ledger too
		}
	}
	ledger.dependencies[name] = packageJson.version;
	writeFileSync(ledgerPath, JSON.stringify(ledger, null, 2), 'utf8');
	return { name, version: packageJson.version, dir, durationMs: Date.now() - started };
}
