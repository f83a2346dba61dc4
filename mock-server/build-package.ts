// Builds the publishable imini-mock (run by `npm pack` through `prepack`): the mock compiled to
// JavaScript under dist/, in the repository's own layout (dist/mock-server/ beside
// dist/openapi/rules/, the contract's reference rules it shares with the n8n node), and a copy of
// the contract at dist/openapi/imini.yaml. The repository keeps the one source of each; a user's
// Node refuses to strip TypeScript types under node_modules, hence the compiled files.
import { execFileSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const packageDir = dirname(fileURLToPath(import.meta.url));
const dist = join(packageDir, 'dist');
rmSync(dist, { recursive: true, force: true });
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
execFileSync(process.execPath, [tsc, '-p', join(packageDir, 'tsconfig.build.json')], { stdio: 'inherit' });
mkdirSync(join(dist, 'openapi'), { recursive: true });
copyFileSync(join(packageDir, '..', 'openapi', 'imini.yaml'), join(dist, 'openapi', 'imini.yaml'));
chmodSync(join(dist, 'mock-server', 'cli.js'), 0o755);
console.log(`imini-mock built into ${dist}`);
