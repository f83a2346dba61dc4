/** @type {import('jest').Config} */
module.exports = {
	preset: 'ts-jest',
	testEnvironment: 'node',
	roots: ['<rootDir>/test'],
	testMatch: ['**/*.test.ts'],
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
