// Build: the node code, the engine harness and the bench children, to CommonJS.
//
// The node code is CommonJS-style TypeScript, so it is compiled once (tsc -p
// test/bench/tsconfig.json, into test/bench/.build) and driven by forked child processes. Only
// what those children run is compiled (the nodes, the credentials, the harness, engine-child.ts
// and poll-sim.ts); the rest of test/bench (run.ts, this file, figures/ ...) runs as TypeScript
// straight in Node. Rebuilt when a source (any file under test/bench included) is newer than the
// last clean build.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { progress } from './report.ts';

export const benchDir = import.meta.dirname;
export const root = path.resolve(benchDir, '../..');
export const buildDir = path.join(benchDir, '.build');

function newestMtime(entry: string): number {
	if (!existsSync(entry)) return 0;
	const stat = statSync(entry);
	if (!stat.isDirectory()) return stat.mtimeMs;
	let newest = stat.mtimeMs;
	for (const name of readdirSync(entry)) {
		if (name === '.build' || name === 'node_modules') continue;
		newest = Math.max(newest, newestMtime(path.join(entry, name)));
	}
	return newest;
}

export function build(): void {
	const stamp = path.join(buildDir, '.stamp');
	const sources = ['nodes', 'credentials', 'test/harness/n8n-engine', 'test/bench', 'tsconfig.json'].map((p) => path.join(root, p));
	const newest = Math.max(...sources.map(newestMtime));
	if (existsSync(stamp) && statSync(stamp).mtimeMs >= newest) return;
	progress('compiling the nodes and the engine harness (tsc -p test/bench/tsconfig.json)');
	const tsc = spawnSync(process.execPath, [path.join(root, 'node_modules/typescript/bin/tsc'), '-p', path.join(benchDir, 'tsconfig.json')], {
		cwd: root,
		stdio: 'inherit',
	});
	// 2 = type errors, but the JavaScript was written: measure it anyway (and rebuild next time).
	if (tsc.status !== 0 && tsc.status !== 2) {
		console.error('bench: tsc failed, nothing measured');
		process.exit(1);
	}
	// The package has no "type": compiled files are CommonJS; say so explicitly.
	writeFileSync(path.join(buildDir, 'package.json'), '{ "type": "commonjs" }\n');
	if (tsc.status === 0) writeFileSync(stamp, new Date().toISOString());
	else progress('tsc reported type errors (above); measuring the code it emitted anyway');
}
