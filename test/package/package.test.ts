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

	it("passes n8n's community package scanner on the source", () => {
		expect(scan('source')).toEqual({ mode: 'source', passed: true, message: null });
	});

	it("passes n8n's community package scanner on the packed tarball", () => {
		expect(scan('tarball')).toEqual({ mode: 'tarball', passed: true, message: null });
	});
});
