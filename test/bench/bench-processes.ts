// The processes the bench starts: the mock (test/bench/mock-process.ts, always in a process of
// its own so its CPU and memory are never counted in the process being measured) and the
// compiled children in test/bench/.build (engine-child.js, poll-sim.js). Every one of them is
// killed when the bench exits or is interrupted.
import { fork } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { MockOptions } from '../../mock-server/index.ts';
import { benchDir, buildDir, root } from './compile.ts';
import type { MockMessage } from './mock-process.ts';
import type { ChildReport, ChildSpec, RunReport } from './engine-child.ts';

const children = new Set<ChildProcess>();
process.on('exit', () => {
	for (const child of children) child.kill();
});
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
	process.on(signal, () => {
		for (const child of children) child.kill();
		process.exit(130);
	});
}

export type MockHandle = {
	url: string;
	filesUrl: string;
	apiKey: string;
	record(on: boolean): void;
	take(): Promise<Extract<MockMessage, { type: 'taken' }>>;
	close(): Promise<void>;
};

export async function startMockProcess(options: MockOptions): Promise<MockHandle> {
	const child = fork(path.join(benchDir, 'mock-process.ts'), [JSON.stringify(options)], {
		cwd: root,
		// The simulator imports openapi/rules/reference-rules.ts, ESM in a folder without "type".
		execArgv: ['--disable-warning=MODULE_TYPELESS_PACKAGE_JSON'],
		stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
	});
	children.add(child);
	const next = <T extends MockMessage['type']>(type: T) =>
		new Promise<Extract<MockMessage, { type: T }>>((resolve, reject) => {
			const onMessage = (message: MockMessage) => {
				if (message.type !== type) return;
				child.off('message', onMessage);
				child.off('exit', onExit);
				resolve(message as Extract<MockMessage, { type: T }>);
			};
			const onExit = (code: number | null) => reject(new Error(`mock process exited (${code}) before "${type}"`));
			child.on('message', onMessage);
			child.once('exit', onExit);
		});
	const ready = await next('ready');
	return {
		url: ready.url,
		filesUrl: ready.filesUrl,
		apiKey: ready.apiKey,
		record: (on) => child.send({ type: 'log', on }),
		take: async () => {
			const answer = next('taken');
			child.send({ type: 'take' });
			return await answer;
		},
		close: async () => {
			const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
			child.send({ type: 'close' });
			await exited;
			children.delete(child);
		},
	};
}

/** Forks a compiled child, hands it a JSON spec, resolves with its one report. */
export async function runChild<T>(script: string, spec: unknown, env: NodeJS.ProcessEnv = {}, execArgv: string[] = []): Promise<T> {
	const child = fork(path.join(buildDir, script), [JSON.stringify(spec)], {
		cwd: root,
		execArgv,
		env: { ...process.env, ...env },
		stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
	});
	children.add(child);
	let output = '';
	child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
	child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
	try {
		return await new Promise<T>((resolve, reject) => {
			let report: { type: string; message?: string } | undefined;
			child.on('message', (message: { type: string; message?: string }) => (report = message));
			child.once('exit', (code) => {
				if (report?.type === 'report') resolve(report as T);
				else reject(new Error(`${script} failed (exit ${code}): ${report?.message ?? ''}\n${output.slice(-4000)}`));
			});
		});
	} finally {
		children.delete(child);
	}
}

/** An engine child with its own n8n user folder (config + filesystem binary data), removed after. */
export async function runEngine(spec: ChildSpec): Promise<ChildReport> {
	const userFolder = mkdtempSync(path.join(os.tmpdir(), 'imini-bench-n8n-'));
	try {
		return await runChild<ChildReport>('test/bench/engine-child.js', spec, { N8N_USER_FOLDER: userFolder }, spec.gcProbeMs ? ['--expose-gc'] : []);
	} finally {
		rmSync(userFolder, { recursive: true, force: true });
	}
}

/** One engine child's runs against a fresh mock process (its quota and counters start at zero); what the mock saw. */
export async function runAgainstMock(simulator: MockOptions['simulator'], runs: ChildSpec['runs']): Promise<{ report: ChildReport; taken: Extract<MockMessage, { type: 'taken' }> }> {
	const mock = await startMockProcess({ simulator });
	try {
		mock.record(true);
		const report = await runEngine({ url: mock.url, apiKey: mock.apiKey, binaryDataMode: 'default', runs });
		return { report, taken: await mock.take() };
	} finally {
		await mock.close();
	}
}

export function checkRun(run: RunReport, expectedItems: number): void {
	if (run.status !== 'success' || run.items.length !== expectedItems) {
		throw new Error(`engine run "${run.label}" ended ${run.status} with ${run.items.length}/${expectedItems} items: ${run.error ?? ''}`);
	}
}
