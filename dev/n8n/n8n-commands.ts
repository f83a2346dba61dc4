// n8n's command line against a user folder: import credentials and workflows, execute a
// workflow (`n8n execute --rawOutput`) and read its run data.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { N8nHome } from './home.ts';
import { N8N_BIN, NODE_BIN, assertN8nInstalled } from './paths.ts';
import { describeFailure, freePort, runCommand } from './processes.ts';
import type { CliResult, RunOptions } from './processes.ts';

/** Runs `n8n <args>` with Node 24 in the home's environment. The broker port is picked per call. */
export async function runN8n(home: N8nHome, args: string[], options: RunOptions = {}): Promise<CliResult> {
	assertN8nInstalled();
	const brokerPort = await freePort();
	return await runCommand(NODE_BIN, [N8N_BIN, ...args], { ...home.env, N8N_RUNNERS_BROKER_PORT: String(brokerPort) }, { cwd: home.root, ...options });
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
