// Runs n8n's community package scanner (the check n8n runs before listing a package) locally:
// `source` scans the repository the way the scanner scans a provenance-attested checkout,
// `tarball` packs the package, unpacks it and scans what users would install.
// Prints the scanner's findings and exits 1 when it does not pass.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { analyzePackage, SOURCE_FILE_PATTERNS } from '@n8n/scan-community-package/scanner/scanner.mjs';

const root = resolve(import.meta.dirname, '..', '..');
const mode = process.argv[2];

let result;
if (mode === 'source') {
	result = await analyzePackage(root, SOURCE_FILE_PATTERNS);
} else if (mode === 'tarball') {
	const work = mkdtempSync(join(tmpdir(), 'imini-scan-'));
	try {
		execFileSync('npm', ['pack', '--silent', '--pack-destination', work], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
		const tarball = readdirSync(work).find((f) => f.endsWith('.tgz'));
		execFileSync('tar', ['-xzf', join(work, tarball), '-C', work]);
		const files = readdirSync(join(work, 'package'), { recursive: true }).filter((f) => !f.includes('node_modules'));
		console.log(`scanned ${tarball}: ${files.length} entries`);
		result = await analyzePackage(join(work, 'package'));
	} finally {
		rmSync(work, { recursive: true, force: true });
	}
} else {
	console.error('usage: node test/package/scan.mjs source|tarball');
	process.exit(2);
}

console.log(JSON.stringify({ mode, passed: result.passed, message: result.message ?? null }));
if (!result.passed) {
	console.log(result.details ?? result.error ?? '');
	process.exit(1);
}
