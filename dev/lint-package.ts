// `npm run lint`: n8n's own linter (`n8n-node lint`, strict mode, n8n's unmodified cloud config in
// eslint.config.mjs) on exactly the sources that ship: nodes/, credentials/, the contract's rules
// (openapi/rules, compiled into the package beside the nodes) and package.json.
// `n8n-node lint` runs `eslint .` with n8n's community-node rules on every .ts file it finds; the
// simulator, the tests and the dev tooling run in Node, not inside n8n, so they are not its
// subject. They are left out by linting a copy of the shipped sources (in a temporary folder
// next to node_modules), not by changing n8n's config. Arguments are passed on (`-- --fix` is
// not: a fix would land in the copy).
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const copy = mkdtempSync(join(tmpdir(), 'imini-lint-'));
let status = 1;
try {
	for (const entry of ['package.json', 'eslint.config.mjs', 'tsconfig.json', 'nodes', 'credentials', join('openapi', 'rules')]) {
		cpSync(join(root, entry), join(copy, entry), { recursive: true });
	}
	symlinkSync(join(root, 'node_modules'), join(copy, 'node_modules'), 'dir');
	const lint = spawnSync(join(root, 'node_modules', '.bin', 'n8n-node'), ['lint', ...process.argv.slice(2)], { cwd: copy, stdio: 'inherit' });
	status = lint.status ?? 1;
} finally {
	rmSync(copy, { recursive: true, force: true });
}
process.exit(status);
