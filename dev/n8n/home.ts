// An n8n user folder (N8N_USER_FOLDER) and the environment every n8n and npm call in it runs
// with: quiet, local, offline-friendly.
import { mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname, delimiter } from 'node:path';
import { N8N_MAJOR, NODE_BIN } from './paths.ts';
import { freePort } from './processes.ts';

/** Fixed, so credentials imported in one CLI call decrypt in the next one (and on every worker). */
export const N8N_ENCRYPTION_KEY = 'imini-e2e-fixed-encryption-key-0123456789';

export interface N8nHome {
	/** The temp directory; N8N_USER_FOLDER. n8n keeps its data in `<root>/.n8n`. */
	root: string;
	/** `<root>/.n8n`: database.sqlite, config, nodes/. */
	dataDir: string;
	/** `<root>/.n8n/nodes`: n8n's community package folder (nodesDownloadDir). */
	nodesDir: string;
	/** N8N_PORT for `n8n start`. */
	port: number;
	/** The environment every n8n and npm call in this home runs with. */
	env: NodeJS.ProcessEnv;
	/** Deletes the folder (kept when N8N_E2E_KEEP=1 and the path is printed instead). */
	cleanup(): Promise<void>;
}

export interface CreateHomeOptions {
	/** Extra environment for every n8n call (e.g. N8N_LOG_LEVEL, or queue mode's database and Redis). */
	env?: Record<string, string>;
	/** A folder to keep (npm start) instead of a fresh temporary one. */
	root?: string;
	/** A fixed port for `n8n start` instead of a free one. */
	port?: number;
}

// Variables from a surrounding `npm run` or a developer's shell that would change what n8n or
// npm do here.
function inheritedEnv(): NodeJS.ProcessEnv {
	const env: NodeJS.ProcessEnv = {};
	for (const [key, value] of Object.entries(process.env)) {
		// NODE_ENV=test (set by jest) makes n8n refuse to load nodes and silences it: a plain
		// `npx n8n` runs with NODE_ENV unset, and so does this harness.
		if (/^(N8N_|DB_|EXECUTIONS_|QUEUE_|OFFLOAD_|GENERIC_TIMEZONE$|WEBHOOK_URL$|NODE_ENV$|NODE_OPTIONS$|NODE_PATH$|INIT_CWD$|JEST_WORKER_ID$)/.test(key)) continue;
		if (/^npm_(lifecycle_|package_|command$|execpath$|node_execpath$|config_(local_prefix|prefix|global|ignore_scripts)$)/.test(key)) continue;
		env[key] = value;
	}
	return env;
}

/** A fresh N8N_USER_FOLDER with a quiet, local, offline-friendly n8n configuration. */
export async function createN8nHome(options: CreateHomeOptions = {}): Promise<N8nHome> {
	const root = options.root ?? mkdtempSync(join(tmpdir(), 'n8n-e2e-'));
	const dataDir = join(root, '.n8n');
	const nodesDir = join(dataDir, 'nodes');
	mkdirSync(nodesDir, { recursive: true });
	const port = options.port ?? (await freePort());
	const nodeDir = dirname(dirname(NODE_BIN));
	const env: NodeJS.ProcessEnv = {
		...inheritedEnv(),
		PATH: [dirname(NODE_BIN), process.env.PATH].filter(Boolean).join(delimiter),
		// ~/.npmrc may point node-gyp at Node 20 headers, and sets yes=false.
		npm_config_nodedir: nodeDir,
		npm_config_yes: 'true',
		npm_config_update_notifier: 'false',
		npm_config_fund: 'false',
		npm_config_audit: 'false',
		N8N_USER_FOLDER: root,
		N8N_ENCRYPTION_KEY,
		N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'true',
		DB_TYPE: 'sqlite',
		N8N_LISTEN_ADDRESS: '127.0.0.1',
		N8N_HOST: '127.0.0.1',
		N8N_PORT: String(port),
		N8N_PROTOCOL: 'http',
		N8N_SECURE_COOKIE: 'false',
		N8N_DIAGNOSTICS_ENABLED: 'false',
		N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
		N8N_TEMPLATES_ENABLED: 'false',
		N8N_PERSONALIZATION_ENABLED: 'false',
		N8N_HIRING_BANNER_ENABLED: 'false',
		N8N_DYNAMIC_BANNERS_ENABLED: 'false',
		// Fetches a server list from api.n8n.io on start; offline that is a stack trace per start.
		// n8n 1.x has no such module and refuses to start when it is named.
		...(N8N_MAJOR >= 2 ? { N8N_DISABLED_MODULES: 'mcp-registry' } : {}),
		// No Python venv here: the internal Python task runner would only log a startup failure.
		N8N_PYTHON_ENABLED: 'false',
		N8N_RUNNERS_BROKER_LISTEN_ADDRESS: '127.0.0.1',
		GENERIC_TIMEZONE: 'UTC',
		TZ: 'UTC',
		...options.env,
	};
	return {
		root,
		dataDir,
		nodesDir,
		port,
		env,
		async cleanup() {
			if (process.env.N8N_E2E_KEEP === '1') {
				process.stderr.write(`[dev/n8n] keeping ${root} (N8N_E2E_KEEP=1)\n`);
				return;
			}
			rmSync(root, { recursive: true, force: true, maxRetries: 3 });
		},
	};
}
