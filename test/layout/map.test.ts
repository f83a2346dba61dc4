// CONTRIBUTING.md's map cannot drift from the code: every folder and every file of nodes/ and
// mock-server/ is named in "The map" (and nothing that does not exist), and the import rules its
// two tables state are exactly the ones test/layout/layers.test.ts enforces (test/harness/layer-rules.ts).
import { readdirSync, readFileSync, statSync } from 'fs';
import { join, resolve } from 'path';
import { mockRules, packageRules } from '../harness/layer-rules';

const root = resolve(__dirname, '../..');
const contributing = readFileSync(join(root, 'CONTRIBUTING.md'), 'utf8');

/** The section of a markdown page under a heading, up to the next heading of that level or above. */
function section(markdown: string, heading: string): string {
	const start = markdown.indexOf(`\n${heading}\n`);
	if (start < 0) throw new Error(`CONTRIBUTING.md has no "${heading}"`);
	const level = heading.split(' ')[0];
	const rest = markdown.slice(start + heading.length + 2);
	const end = rest.search(new RegExp(`\\n#{1,${level.length}} `));
	return end < 0 ? rest : rest.slice(0, end);
}

/**
 * The paths a map names: one entry per line, indented two spaces a level, a folder ends in "/",
 * several files of a folder may share a line ("a.svg, a.dark.svg"); two spaces or more start the
 * description.
 */
export function mapPaths(text: string): string[] {
	const block = /```text\n([\s\S]*?)```/.exec(text)?.[1] ?? '';
	const paths: string[] = [];
	const parents: string[] = [];
	for (const line of block.split('\n')) {
		if (!line.trim()) continue;
		const depth = (line.length - line.trimStart().length) / 2;
		const names = line.trim().split(/\s{2,}/)[0].split(/,\s*/);
		parents.length = depth;
		const folder = parents.join('');
		for (const name of names) paths.push(folder + name);
		if (names.length === 1 && names[0].endsWith('/')) parents.push(names[0]);
	}
	return paths;
}

/** Every folder (ending in "/") and file under `dir`, as the repository holds them (no builds, no installs). */
function tree(dir: string): string[] {
	const out = [`${dir}/`];
	for (const name of readdirSync(join(root, dir))) {
		if (name === 'node_modules' || name === 'dist') continue;
		const path = `${dir}/${name}`;
		if (statSync(join(root, path)).isDirectory()) out.push(...tree(path));
		else out.push(path);
	}
	return out;
}

/** A rules table: its first column's path and the paths its "May import" column names. */
export function tableRules(text: string): Record<string, string[]> {
	const rules: Record<string, string[]> = {};
	for (const line of text.split('\n')) {
		const cells = line.split('|').map((cell) => cell.trim());
		if (cells.length < 5 || !cells[1].startsWith('`')) continue;
		const key = /`([^`]+)`/.exec(cells[1])![1];
		rules[key] = [...cells[3].matchAll(/`([^`]+)`/g)].map((m) => m[1]);
	}
	return rules;
}

const sorted = (rules: Record<string, string[]>) => Object.fromEntries(Object.entries(rules).map(([key, value]) => [key, [...value].sort()]));

describe("CONTRIBUTING.md's map", () => {
	const named = mapPaths(section(contributing, '### The map'));

	it('names every folder and file of nodes/ and mock-server/, and nothing else', () => {
		const onDisk = [...tree('nodes'), ...tree('mock-server')];
		expect(named.filter((path) => !onDisk.includes(path))).toEqual([]);
		expect(onDisk.filter((path) => !named.includes(path))).toEqual([]);
	});

	it('notices a file added without being named, and a name whose file is gone', () => {
		const map = '```text\nnodes/\n  engine/        the engine\n    clock.ts     its clock\n  icons/\n    a.svg, a.dark.svg  icons\n```';
		expect(mapPaths(map)).toEqual(['nodes/', 'nodes/engine/', 'nodes/engine/clock.ts', 'nodes/icons/', 'nodes/icons/a.svg', 'nodes/icons/a.dark.svg']);
		const onDisk = ['nodes/', 'nodes/engine/', 'nodes/engine/clock.ts', 'nodes/engine/new-file.ts'];
		expect(onDisk.filter((path) => !mapPaths(map).includes(path))).toEqual(['nodes/engine/new-file.ts']);
	});

	it("states the package's import rules exactly as the layers test checks them", () => {
		expect(sorted(tableRules(section(contributing, "### The package's layers")))).toEqual(sorted(packageRules));
	});

	it("states the offline imini's import rules exactly as the layers test checks them", () => {
		expect(sorted(tableRules(section(contributing, "### The offline imini's rooms")))).toEqual(sorted(mockRules));
	});

	it('reads "nothing" as no import at all', () => {
		expect(tableRules('| Layer | What | May import |\n|---|---|---|\n| `a/` | x | nothing |\n| `b/` | y | `a/`, `c.ts` |')).toEqual({ 'a/': [], 'b/': ['a/', 'c.ts'] });
	});
});
