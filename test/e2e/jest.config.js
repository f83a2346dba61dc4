// End-to-end tests against a real n8n (installed by dev/n8n/install.sh into .tools/n8n-<version>).
// Run: bash dev/n8n/install.sh && node node_modules/jest/bin/jest.js -c test/e2e/jest.config.js
const base = require('../../jest.config.js');

/** @type {import('jest').Config} */
module.exports = {
	...base,
	rootDir: '../..',
	// Every *.e2e.test.ts: test/e2e/ (the package in a real n8n) and test/mock/ (the mock as a user runs it).
	roots: ['<rootDir>/test'],
	testMatch: ['**/*.e2e.test.ts'],
	testPathIgnorePatterns: ['/node_modules/'],
	// Each n8n CLI call costs seconds; `n8n start` about 10 s.
	testTimeout: 180_000,
	// Every n8n process takes 300-500 MB and a core; one test file at a time keeps timings honest.
	maxWorkers: 1,
};
