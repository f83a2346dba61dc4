// The house's import rules (CONTRIBUTING.md, "Layout"): each layer of nodes/ imports only the
// layers beneath it, the engine touches n8n only through its clock, and state shared across
// executions lives in one visible place. Read from the source's own import lines.
import { readdirSync, readFileSync, statSync } from 'fs';
import { dirname, join, relative, resolve } from 'path';

const root = resolve(__dirname, '../..');

type Layer = 'imini' | 'engine' | 'n8n' | 'node' | 'credentials' | 'contract' | 'mock' | 'other';

function layerOf(file: string): Layer {
	if (file.startsWith('nodes/imini/')) return 'imini';
	if (file.startsWith('nodes/engine/')) return 'engine';
	if (file.startsWith('nodes/n8n/')) return 'n8n';
	if (/^nodes\/Imini\w+\//.test(file)) return 'node';
	if (file.startsWith('credentials/')) return 'credentials';
	if (file.startsWith('openapi/rules/')) return 'contract';
	if (file.startsWith('mock-server/')) return 'mock';
	return 'other';
}

/** Which layers (and which packages) each layer may import. */
const allowed: Record<'imini' | 'engine' | 'n8n' | 'node' | 'credentials', { layers: Layer[]; packages: string[] }> = {
	imini: { layers: ['imini', 'contract'], packages: ['zod/v4'] },
	engine: { layers: ['imini', 'engine'], packages: ['crypto'] },
	n8n: { layers: ['imini', 'engine', 'n8n'], packages: ['n8n-workflow'] },
	node: { layers: ['imini', 'engine', 'n8n', 'contract', 'node'], packages: ['n8n-workflow', 'zod/v4'] },
	credentials: { layers: ['imini'], packages: ['n8n-workflow'] },
};

/** The engine's one touch of n8n: its timers (community nodes may not call setTimeout). */
const engineN8nException = 'nodes/engine/clock.ts';
/** The one module that keeps state across executions. */
const processState = 'nodes/engine/process-state.ts';

function sourceFiles(dir: string): string[] {
	const out: string[] = [];
	for (const name of readdirSync(join(root, dir))) {
		const path = join(dir, name);
		if (name === 'node_modules' || name === 'generated') continue;
		if (statSync(join(root, path)).isDirectory()) out.push(...sourceFiles(path));
		else if (name.endsWith('.ts') && !name.endsWith('.test.ts')) out.push(path);
	}
	return out;
}

function importsOf(source: string): string[] {
	return [...source.matchAll(/^\s*(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]/gm), ...source.matchAll(/\brequire\(\s*['"]([^'"]+)['"]\s*\)/g)].map((m) => m[1]);
}

type Violation = string;

/** The rule for one import of `file`; undefined when it is allowed. */
export function checkImport(file: string, specifier: string): Violation | undefined {
	const from = layerOf(file);
	if (from === 'other' || from === 'contract' || from === 'mock') {
		if (from === 'mock' && specifier.startsWith('.')) {
			const target = relative(root, resolve(root, dirname(file), specifier));
			if (target.startsWith('nodes/')) return `${file} imports ${specifier}: the mock is a package of its own and imports nothing from nodes/`;
		}
		return undefined;
	}
	const rule = allowed[from];
	if (!specifier.startsWith('.')) {
		if (from === 'engine' && specifier === 'n8n-workflow' && file === engineN8nException) return undefined;
		return rule.packages.includes(specifier) ? undefined : `${file} (${from}) imports the package ${specifier}; ${from} may import ${rule.packages.join(', ') || 'no package'}`;
	}
	const target = relative(root, resolve(root, dirname(file), specifier));
	const to = layerOf(target.endsWith('.ts') ? target : `${target}.ts`);
	if (!rule.layers.includes(to)) return `${file} (${from}) imports ${target} (${to}); ${from} may import ${rule.layers.join(', ')}`;
	if (from === 'node' && to === 'node' && target.split('/')[1] !== file.split('/')[1]) return `${file} imports another node's folder (${target}): share through nodes/n8n/ instead`;
	return undefined;
}

/** Module-level state that outlives a call: a top-level `let`, or a top-level `new` of a collection or class. */
function moduleState(source: string): string[] {
	return [...source.matchAll(/^(?:export\s+)?(?:let\s+\w+|(?:const|var)\s+\w+(?:\s*:\s*[^=]+)?\s*=\s*new\s+\w+)/gm)].map((m) => m[0]);
}

const shipped = [...sourceFiles('nodes'), ...sourceFiles('credentials')];

describe('the layers of nodes/ (CONTRIBUTING.md, Layout)', () => {
	it('finds every layer', () => {
		const layers = new Set(shipped.map(layerOf));
		expect([...layers].sort()).toEqual(['credentials', 'engine', 'imini', 'n8n', 'node']);
	});

	it.each(shipped)('%s imports only what its layer may', (file) => {
		const violations = importsOf(readFileSync(join(root, file), 'utf8'))
			.map((specifier) => checkImport(file, specifier))
			.filter(Boolean);
		expect(violations).toEqual([]);
	});

	it('catches an import that crosses the wrong way', () => {
		expect(checkImport('nodes/imini/models.ts', '../engine/clock')).toMatch(/imini.*may import imini, contract/);
		expect(checkImport('nodes/engine/poller.ts', '../n8n/transport')).toMatch(/engine.*may import imini, engine/);
		expect(checkImport('nodes/engine/poller.ts', 'n8n-workflow')).toMatch(/package n8n-workflow/);
		expect(checkImport('nodes/IminiWait/IminiWait.node.ts', '../IminiGenerate/request')).toMatch(/another node's folder/);
		expect(checkImport('credentials/IminiApi.credentials.ts', '../nodes/n8n/transport')).toMatch(/credentials.*may import imini/);
		expect(checkImport('mock-server/simulator.ts', '../nodes/imini/models')).toMatch(/imports nothing from nodes/);
		expect(checkImport('nodes/engine/clock.ts', 'n8n-workflow')).toBeUndefined();
	});

	it('keeps state shared across executions in one module', () => {
		const holders = shipped.filter((file) => moduleState(readFileSync(join(root, file), 'utf8')).length > 0);
		expect(holders).toEqual([processState]);
		expect(moduleState('let cache = 1;\nexport const seen = new Map();')).toHaveLength(2);
	});

	it('keeps the mock a package that imports nothing from nodes/', () => {
		const violations = sourceFiles('mock-server').flatMap((file) =>
			importsOf(readFileSync(join(root, file), 'utf8'))
				.map((specifier) => checkImport(file, specifier))
				.filter(Boolean),
		);
		expect(violations).toEqual([]);
	});
});
