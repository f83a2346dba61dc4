// Where the mock's own files are, wherever it runs: from this repository (Node's type stripping,
// or CommonJS under ts-jest) or installed from its tarball (compiled to JavaScript under
// node_modules/imini-mock/dist/). Neither `__dirname` nor `import.meta` exists in both module
// systems, so this module finds its own path in a stack trace, which both give.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

function ownPath(): string {
	const frames = (new Error().stack ?? '').split('\n').slice(1);
	for (const frame of frames) {
		const match = /\(?((?:file:\/\/)?(?:\/|[A-Za-z]:[\\/])[^()]*?\.[cm]?[jt]s):\d+:\d+\)?\s*$/.exec(frame);
		if (match) return match[1].startsWith('file://') ? fileURLToPath(match[1]) : match[1];
	}
	throw new Error('imini mock: cannot tell where its own files are (no file path in a stack trace).');
}

const here = ownPath();

/** The mock's own folder (mock-server/ in the repository, dist/mock-server/ when packed); this file is in its core/. */
export const mockDir = dirname(dirname(here));

/** `.ts` when running from source, `.js` when compiled: the extension of sibling modules. */
export const moduleExtension = extname(here);

/**
 * The contract, openapi/imini.yaml, found from the mock's own folder upwards: the repository's
 * single copy, or the one the tarball carries beside its compiled modules (dist/openapi/).
 */
export function findSpecPath(): string {
	for (let dir = mockDir; ; dir = dirname(dir)) {
		const candidate = join(dir, 'openapi', 'imini.yaml');
		if (existsSync(candidate)) return candidate;
		if (dirname(dir) === dir) throw new Error(`openapi/imini.yaml not found above ${mockDir}`);
	}
}

const requireHere = createRequire(here);

/** A file of one of the mock's dependencies, resolved the way Node resolves the mock's imports. */
export function resolveFromPackage(request: string): string {
	return requireHere.resolve(request);
}
