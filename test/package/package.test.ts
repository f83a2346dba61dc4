// What n8n checks before it installs or lists a community package.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const root = join(__dirname, '..', '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));

function scan(mode: 'source' | 'tarball'): { passed: boolean; message: string | null } {
	// eslint-plugin-n8n-nodes-base changes its file-name rules when NODE_ENV is "test" (jest sets it);
	// n8n's scanner runs without it.
	const { NODE_ENV: _jest, ...env } = process.env;
	const out = execFileSync(process.execPath, [join(__dirname, 'scan.mjs'), mode], { cwd: root, encoding: 'utf8', env });
	return JSON.parse(out.trim().split('\n').find((line) => line.startsWith('{"mode"'))!);
}

describe('the published package', () => {
	it('has no runtime dependencies and only n8n-workflow as a peer', () => {
		expect(pkg.dependencies).toBeUndefined();
		expect(pkg.peerDependencies).toEqual({ 'n8n-workflow': '*' });
		expect(pkg.keywords).toContain('n8n-community-node-package');
	});

	it('declares the credential and the three nodes, all built into dist', () => {
		expect(pkg.n8n.credentials).toEqual(['dist/credentials/IminiApi.credentials.js']);
		expect(pkg.n8n.nodes.map((p: string) => p.split('/').pop())).toEqual(['IminiGenerate.node.js', 'IminiGetTask.node.js', 'IminiWait.node.js']);
	});

	it('is ready for n8n verification: cloud support on, released through n8n-node, metadata pointing at one repository', () => {
		// What `n8n-node cloud-support enable` sets; `n8n-node lint` then refuses a changed config.
		expect(pkg.n8n.strict).toBe(true);
		expect(readFileSync(join(root, 'eslint.config.mjs'), 'utf8').replace(/\s+/g, ' ').trim()).toBe("import { config } from '@n8n/node-cli/eslint'; export default config;");
		expect(pkg.scripts.release).toBe('n8n-node release');
		expect(pkg.scripts.prepublishOnly).toBe('n8n-node prerelease');
		expect(pkg.license).toBe('MIT');
		expect(readFileSync(join(root, 'LICENSE.md'), 'utf8')).toMatch(/^MIT License/);
		const repo = /^git\+(https:\/\/github\.com\/[^/]+\/[^/.]+)\.git$/.exec(pkg.repository.url)?.[1];
		expect(repo).toBeDefined();
		expect(pkg.homepage).toBe(`${repo}#readme`);
		expect(pkg.bugs.url).toBe(`${repo}/issues`);
		const publish = readFileSync(join(root, '.github', 'workflows', 'publish.yml'), 'utf8');
		expect(publish).toMatch(/id-token: write/);
		expect(publish).toMatch(/npm run release/);
	});

	it("passes n8n's community package scanner on the source", () => {
		expect(scan('source')).toEqual({ mode: 'source', passed: true, message: null });
	});

	it("passes n8n's community package scanner on the packed tarball", () => {
		expect(scan('tarball')).toEqual({ mode: 'tarball', passed: true, message: null });
	});
});
