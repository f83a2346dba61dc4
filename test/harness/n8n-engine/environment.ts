// The process environment n8n-core reads, set before n8n-core (and @n8n/config, which it reads
// lazily) is loaded: a user folder of its own (removed when the jest test file ends), an
// encryption key, silent logs, no diagnostics. Hence n8n-core and @n8n/di are `require`d here,
// after the variables are set, instead of `import`ed; every part of the harness takes them from
// this module, so whichever part loads first, the environment is in place.
//
// Process-global (per jest test file, since jest gives each file its own module registry).
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import type * as N8nCore from 'n8n-core';
import type * as N8nDi from '@n8n/di';

const HARNESS_USER_FOLDER = process.env.N8N_USER_FOLDER ?? fs.mkdtempSync(path.join(os.tmpdir(), 'n8n-engine-'));
const ownsUserFolder = process.env.N8N_USER_FOLDER === undefined;
process.env.N8N_USER_FOLDER = HARNESS_USER_FOLDER;
process.env.N8N_ENCRYPTION_KEY ??= 'n8n-engine-test-harness-encryption-key';
process.env.N8N_LOG_LEVEL ??= 'silent';
process.env.N8N_DIAGNOSTICS_ENABLED ??= 'false';

/* eslint-disable @typescript-eslint/no-require-imports */
export const core = require('n8n-core') as typeof N8nCore;
export const { Container } = require('@n8n/di') as typeof N8nDi;
/* eslint-enable @typescript-eslint/no-require-imports */

// Remove the temp user folder (n8n config + filesystem binary data) when the test file ends.
const jestAfterAll = (globalThis as { afterAll?: (fn: () => void) => void }).afterAll;
if (ownsUserFolder && typeof jestAfterAll === 'function') {
	jestAfterAll(() => fs.rmSync(HARNESS_USER_FOLDER, { recursive: true, force: true }));
}
