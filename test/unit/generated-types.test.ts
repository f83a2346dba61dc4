import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

describe('nodes/imini/generated/imini-api.ts', () => {
	it('is what openapi-typescript makes of openapi/imini.yaml today (run `npm run generate` after editing the spec)', () => {
		const root = join(__dirname, '..', '..');
		const check = spawnSync(process.execPath, [join(root, 'openapi', 'generate-types.ts'), '--check'], { cwd: root, encoding: 'utf8' });
		expect(check.stderr.trim()).toBe('');
		expect(check.status).toBe(0);
	});
});
