// Queue-mode tests: the package in n8n's scaling mode (PostgreSQL, Redis, n8n main and two
// workers, each process with the package installed from the packed tarball), against the offline
// mock. Run: npm run test:scale (installs what is missing first).
const base = require('../../jest.config.js');

/** @type {import('jest').Config} */
module.exports = {
	...base,
	rootDir: '../..',
	roots: ['<rootDir>/test/scale'],
	testMatch: ['**/*.scale.test.ts'],
	testPathIgnorePatterns: ['/node_modules/'],
	// Starting the whole setup takes about 40 s on a busy 2-core machine; a burst about as long.
	testTimeout: 240_000,
	// Three n8n processes take most of the machine: one file at a time.
	maxWorkers: 1,
};
