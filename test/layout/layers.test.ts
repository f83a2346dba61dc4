// The house's import rules (CONTRIBUTING.md, "Layout"): each layer of nodes/ and each room of
// mock-server/ imports only the layers beneath it, the engine touches n8n only through its clock,
// and state shared across executions lives in one visible place. Read from the source's own
// import lines.
import { readdirSync, readFileSync, statSync } from 'fs';
import { dirname, join, relative, resolve } from 'path';

import { mockRules, packageImports, packageRules, ruleKeyOf } from '../harness/layer-rules';

const root = resolve(__dirname, '../..');

type Violation = string;

/** Whether a relative import of `file` is allowed by the rules (a folder's own files may import each other). */
function crossing(file: string, target: string, rules: Record<string, string[]>): Violation | undefined {
	const from = ruleKeyOf(file);
	const to = ruleKeyOf(target) ?? target;
	if (!from || !(from in rules)) return undefined;
	if (from === to && from !== 'mock-server/') {
		if (from === 'nodes/Imini*/' && target.split('/')[1] !== file.split('/')[1]) return `${file} imports another node's folder (${target}): share through nodes/n8n/ instead`;
		return undefined;
	}
	if (from === 'mock-server/' && to === 'mock-server/') return undefined;
	const may = rules[from];
	if (!may.includes(to)) return `${file} (${from}) imports ${target} (${to}); ${from} may import ${may.join(', ') || 'nothing of ours'}`;
	return undefined;
}

/** The rule for one import of `file`; undefined when it is allowed. */
export function checkImport(file: string, specifier: string): Violation | undefined {
	const from = ruleKeyOf(file);
	if (!from) return undefined;
	const target = specifier.startsWith('.') ? relative(root, resolve(root, dirname(file), specifier)) : undefined;
	const targetFile = target && !/\.\w+$/.test(target) ? `${target}.ts` : target;
	if (from.startsWith('mock-server/')) {
		if (!targetFile) return undefined;
		if (targetFile.startsWith('nodes/')) return `${file} imports ${specifier}: the mock is a package of its own and imports nothing from nodes/`;
		return crossing(file, targetFile, mockRules);
	}
	if (!targetFile) {
		if (from === 'nodes/engine/' && specifier === 'n8n-workflow' && file === engineN8nException) return undefined;
		const packages = packageImports[from];
		return packages.includes(specifier) ? undefined : `${file} (${from}) imports the package ${specifier}; ${from} may import ${packages.join(', ') || 'no package'}`;
	}
	return crossing(file, targetFile, packageRules);
}

/** The engine's one touch of n8n: its timers (community nodes may not call setTimeout). */
const engineN8nException = 'nodes/engine/clock.ts';
/** The one module that keeps state across executions. */
const processState = 'nodes/engine/process-state.ts';

function sourceFiles(dir: string): string[] {
	const out: string[] = [];
	for (const name of readdirSync(join(root, dir))) {
		const path = join(dir, name);
		if (name === 'node_modules' || name === 'generated' || name === 'dist') continue;
		if (statSync(join(root, path)).isDirectory()) out.push(...sourceFiles(path));
		else if (name.endsWith('.ts') && !name.endsWith('.test.ts')) out.push(path);
	}
	return out;
}

function importsOf(source: string): string[] {
	return [...source.matchAll(/^\s*(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]/gm), ...source.matchAll(/\brequire\(\s*['"]([^'"]+)['"]\s*\)/g)].map((m) => m[1]);
}



/** Module-level state that outlives a call: a top-level `let`, or a top-level `new` of a collection or class. */
function moduleState(source: string): string[] {
	return [...source.matchAll(/^(?:export\s+)?(?:let\s+\w+|(?:const|var)\s+\w+(?:\s*:\s*[^=]+)?\s*=\s*new\s+\w+)/gm)].map((m) => m[0]);
}

const shipped = [...sourceFiles('nodes'), ...sourceFiles('credentials')];

describe('the layers of nodes/ (CONTRIBUTING.md, Layout)', () => {
	it('finds every layer', () => {
		const layers = new Set(shipped.map(ruleKeyOf));
		expect([...layers].sort()).toEqual(['credentials/', 'nodes/Imini*/', 'nodes/engine/', 'nodes/imini/', 'nodes/n8n/']);
	});

	it.each(shipped)('%s imports only what its layer may', (file) => {
		const violations = importsOf(readFileSync(join(root, file), 'utf8'))
			.map((specifier) => checkImport(file, specifier))
			.filter(Boolean);
		expect(violations).toEqual([]);
	});

	it('catches an import that crosses the wrong way', () => {
		expect(checkImport('nodes/imini/models.ts', '../engine/clock')).toMatch(/\(nodes\/imini\/\) imports nodes\/engine\/clock.ts .*may import nothing of ours/);
		expect(checkImport('nodes/engine/poller.ts', '../n8n/transport')).toMatch(/\(nodes\/engine\/\) imports nodes\/n8n\/transport.ts .*may import nodes\/imini\//);
		expect(checkImport('nodes/engine/poller.ts', 'n8n-workflow')).toMatch(/package n8n-workflow/);
		expect(checkImport('nodes/IminiWait/IminiWait.node.ts', '../IminiGenerate/request')).toMatch(/another node's folder/);
		expect(checkImport('credentials/IminiApi.credentials.ts', '../nodes/n8n/transport')).toMatch(/\(credentials\/\) .*may import nodes\/imini\//);
		expect(checkImport('nodes/IminiGenerate/request.ts', '../../openapi/rules/reference-rules')).toBeUndefined();
		expect(checkImport('nodes/imini/models.ts', '../../openapi/rules/reference-rules')).toMatch(/\(nodes\/imini\/\) imports openapi\/rules/);
		expect(checkImport('nodes/engine/clock.ts', 'n8n-workflow')).toBeUndefined();
	});

	it('keeps state shared across executions in one module', () => {
		const holders = shipped.filter((file) => moduleState(readFileSync(join(root, file), 'utf8')).length > 0);
		expect(holders).toEqual([processState]);
		expect(moduleState('let cache = 1;\nexport const seen = new Map();')).toHaveLength(2);
	});

});

describe('the rooms of mock-server/ (CONTRIBUTING.md, The offline imini)', () => {
	const mockFiles = sourceFiles('mock-server');

	it('puts every file in a room the rule names', () => {
		expect(mockFiles.filter((file) => !(ruleKeyOf(file)! in mockRules))).toEqual([]);
		expect(new Set(mockFiles.map(ruleKeyOf))).toEqual(new Set(Object.keys(mockRules)));
	});

	it.each(mockFiles)('%s imports only what its room may', (file) => {
		const violations = importsOf(readFileSync(join(root, file), 'utf8'))
			.map((specifier) => checkImport(file, specifier))
			.filter(Boolean);
		expect(violations).toEqual([]);
	});

	it('catches an import that crosses the wrong way', () => {
		expect(checkImport('mock-server/api/simulator.ts', '../../nodes/imini/models')).toMatch(/imports nothing from nodes/);
		expect(checkImport('mock-server/core/journal.ts', '../api/routes.ts')).toMatch(/\(mock-server\/core\/\) imports mock-server\/api\/routes.ts .*may import nothing of ours/);
		expect(checkImport('mock-server/tasks/task-store.ts', '../api/services.ts')).toMatch(/\(mock-server\/tasks\/\) imports mock-server\/api\/services.ts \(mock-server\/api\/\)/);
		expect(checkImport('mock-server/api/routes.ts', '../index.ts')).toMatch(/\(mock-server\/api\/\) imports mock-server\/index.ts \(mock-server\/\)/);
		expect(checkImport('mock-server/render/render-pool.ts', '../tasks/simulated-task.ts')).toMatch(/mock-server\/render\/ may import mock-server\/core\/, mock-server\/media\//);
		expect(checkImport('mock-server/api/routes.ts', '../control/control-api.ts')).toBeUndefined();
		expect(checkImport('mock-server/api/submit.ts', '../../openapi/rules/reference-rules.ts')).toBeUndefined();
	});

	/** Each file's imports of the mock's own files. */
	function mockGraph(): Map<string, string[]> {
		return new Map(
			mockFiles.map((file) => [
				file,
				importsOf(readFileSync(join(root, file), 'utf8'))
					.filter((specifier) => specifier.startsWith('.'))
					.map((specifier) => relative(root, resolve(root, dirname(file), specifier)))
					.filter((target) => target.startsWith('mock-server/')),
			]),
		);
	}

	/**
	 * Floors, as the layout is drawn (a folder is one room; each root file is a room of its own): a
	 * room stands one floor above the highest room it imports. Circles between files are counted too.
	 */
	function floorsOf(graph: Map<string, string[]>): { floors: Map<string, number>; circles: string[] } {
		const roomOf = (file: string) => (file.split('/').length === 2 ? file : dirname(file));
		const rooms = new Map<string, Set<string>>();
		for (const [file, targets] of graph) {
			const from = roomOf(file);
			if (!rooms.has(from)) rooms.set(from, new Set());
			for (const target of targets) if (roomOf(target) !== from) rooms.get(from)!.add(roomOf(target));
		}
		const floors = new Map<string, number>();
		const visiting = new Set<string>();
		const circles: string[] = [];
		function floor(room: string): number {
			if (floors.has(room)) return floors.get(room)!;
			if (visiting.has(room)) {
				circles.push(room);
				return 0;
			}
			visiting.add(room);
			const below = Math.max(0, ...[...(rooms.get(room) ?? [])].map(floor));
			visiting.delete(room);
			floors.set(room, below + 1);
			return below + 1;
		}
		for (const room of rooms.keys()) floor(room);
		// Circles among files (inside a room too).
		const done = new Set<string>();
		const stack = new Set<string>();
		function visit(file: string): void {
			if (done.has(file)) return;
			if (stack.has(file)) {
				circles.push(file);
				return;
			}
			stack.add(file);
			for (const target of graph.get(file) ?? []) visit(target);
			stack.delete(file);
			done.add(file);
		}
		for (const file of graph.keys()) visit(file);
		return { floors, circles };
	}

	it('stands at most 6 floors high, with no import circle', () => {
		const { floors, circles } = floorsOf(mockGraph());
		expect(circles).toEqual([]);
		expect(Math.max(...floors.values())).toBeLessThanOrEqual(6);
		expect(floors.get('mock-server/core')).toBe(1);
	});

	it('sees a circle and a tall house when there is one', () => {
		const tall = new Map(Array.from({ length: 7 }, (_, i) => [`mock-server/r${i}/a.ts`, i ? [`mock-server/r${i - 1}/a.ts`] : []]));
		expect(Math.max(...floorsOf(tall).floors.values())).toBe(7);
		const loop = new Map([
			['mock-server/a/x.ts', ['mock-server/b/y.ts']],
			['mock-server/b/y.ts', ['mock-server/a/x.ts']],
		]);
		expect(floorsOf(loop).circles.length).toBeGreaterThan(0);
	});

	it('keeps no more than 12 source files directly in any folder', () => {
		const perFolder = new Map<string, number>();
		for (const file of mockFiles) perFolder.set(dirname(file), (perFolder.get(dirname(file)) ?? 0) + 1);
		expect([...perFolder].filter(([, count]) => count > 12)).toEqual([]);
	});
});
