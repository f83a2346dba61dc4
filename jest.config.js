/** @type {import('jest').Config} */
module.exports = {
	preset: 'ts-jest',
	testEnvironment: 'node',
	roots: ['<rootDir>/test'],
	testMatch: ['**/*.test.ts'],
	// *.e2e.test.ts and *.scale.test.ts drive a real n8n (npm run test:e2e / test:scale, each with its own config).
	testPathIgnorePatterns: ['/node_modules/', '\\.e2e\\.test\\.ts$', '\\.scale\\.test\\.ts$'],
	// Workflow tests start servers and run real n8n executions; on a loaded 2-core machine a
	// 20-item batch can take longer than jest's 5 s default. Timing is asserted in benchmarks.
	testTimeout: 60_000,
	transform: {
		'^.+\\.ts$': [
			'ts-jest',
			{
				tsconfig: {
					target: 'ES2022',
					module: 'commonjs',
					moduleResolution: 'node',
					strict: true,
					esModuleInterop: true,
					skipLibCheck: true,
					resolveJsonModule: true,
					types: ['jest', 'node'],
				},
			},
		],
	},
};
