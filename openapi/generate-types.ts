// Generates nodes/imini/generated/imini-api.ts from openapi/imini.yaml (`npm run generate`).
// `--check` exits 1 when the committed file differs from what the spec generates.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import openapiTS, { astToString } from 'openapi-typescript';

const root = join(import.meta.dirname, '..');
const spec = new URL(`file://${join(root, 'openapi', 'imini.yaml')}`);
const target = join(root, 'nodes', 'imini', 'generated', 'imini-api.ts');

const header = `/**
 * Generated from openapi/imini.yaml by openapi-typescript (npm run generate). Do not edit.
 */

`;
// Request parameters with a documented default stay optional: the API fills them in.
const generated = header + astToString(await openapiTS(spec, { defaultNonNullable: false }));

if (process.argv.includes('--check')) {
	const committed = readFileSync(target, 'utf8');
	if (committed !== generated) {
		console.error('nodes/imini/generated/imini-api.ts is stale: run `npm run generate` and commit the result.');
		process.exit(1);
	}
	console.log('generated types are up to date');
} else {
	writeFileSync(target, generated);
	console.log(`wrote ${target}`);
}
