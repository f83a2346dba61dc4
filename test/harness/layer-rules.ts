// The import rules CONTRIBUTING.md states in its two tables ("The package's layers" and "The
// offline imini's rooms"), as data: test/layout/layers.test.ts holds the code to them, and
// test/layout/map.test.ts holds the tables to them, so the written rules and the checked ones
// are the same. A folder's own files may import each other; each entry lists what else it may import.

/** The shipped package: each layer and the layers beneath it that it may import. */
export const packageRules: Record<string, string[]> = {
	'openapi/rules/': [],
	'nodes/imini/': [],
	'nodes/engine/': ['nodes/imini/'],
	'nodes/n8n/': ['nodes/imini/', 'nodes/engine/'],
	'nodes/Imini*/': ['nodes/imini/', 'nodes/engine/', 'nodes/n8n/', 'openapi/rules/'],
	'credentials/': ['nodes/imini/'],
};

/** The packages (besides Node's own) each layer of the shipped package may import. */
export const packageImports: Record<string, string[]> = {
	'openapi/rules/': [],
	'nodes/imini/': ['zod/v4'],
	'nodes/engine/': ['crypto'],
	'nodes/n8n/': ['n8n-workflow'],
	'nodes/Imini*/': ['n8n-workflow', 'zod/v4'],
	'credentials/': ['n8n-workflow'],
};

/** The offline imini (mock-server/): each room and the rooms beneath it that it may import. */
export const mockRules: Record<string, string[]> = {
	'mock-server/core/': [],
	'mock-server/media/': ['mock-server/core/'],
	'mock-server/contract/': ['mock-server/core/'],
	'mock-server/faults/': ['mock-server/core/'],
	'mock-server/render/': ['mock-server/core/', 'mock-server/media/'],
	'mock-server/tasks/': ['mock-server/core/', 'mock-server/media/', 'mock-server/contract/', 'mock-server/faults/', 'openapi/rules/'],
	'mock-server/control/': ['mock-server/core/', 'mock-server/contract/'],
	'mock-server/options.ts': ['mock-server/faults/'],
	'mock-server/api/': [
		'mock-server/core/',
		'mock-server/contract/',
		'mock-server/faults/',
		'mock-server/render/',
		'mock-server/tasks/',
		'mock-server/control/',
		'mock-server/options.ts',
		'openapi/rules/',
	],
	'mock-server/': [
		'mock-server/core/',
		'mock-server/media/',
		'mock-server/contract/',
		'mock-server/faults/',
		'mock-server/render/',
		'mock-server/tasks/',
		'mock-server/control/',
		'mock-server/options.ts',
		'mock-server/api/',
	],
};

/** The rule's key for a file: its layer (`nodes/engine/`), room (`mock-server/api/`), `mock-server/options.ts`, or `mock-server/` for the mock's other root files. */
export function ruleKeyOf(file: string): string | undefined {
	if (/^nodes\/Imini\w+\//.test(file)) return 'nodes/Imini*/';
	for (const key of [...Object.keys(packageRules), ...Object.keys(mockRules)]) {
		if (key === 'mock-server/' || key === 'nodes/Imini*/') continue;
		if (key.endsWith('/') ? file.startsWith(key) : file === key) return key;
	}
	if (file.startsWith('mock-server/') && file.split('/').length === 2) return 'mock-server/';
	return undefined;
}
