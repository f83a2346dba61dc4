// n8n's own community-node lint config, applied to what ships (nodes/, credentials/, package.json).
// The simulator, the tests and the tooling run in Node, not inside n8n, so n8n's node rules
// (no process, no node: imports, ...) do not apply to them.
import { config } from '@n8n/node-cli/eslint';
import { globalIgnores } from 'eslint/config';

export default [globalIgnores(['test/', 'mock-server/', 'openapi/', 'dev/', '.ci/', '.tools/', 'examples/']), ...config];
