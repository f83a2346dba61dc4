// Child processes the n8n runtime starts: one-shot commands (the n8n CLI, npm, tar) and
// long-running services (n8n main and workers, Redis, PostgreSQL). Each runs in a process group
// of its own, so that stopping it also ends whatever it started (n8n's task runner, PostgreSQL's
// backends), and nothing outlives this process: every group still running when it exits is
// killed.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { createServer } from 'node:net';

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

const running = new Set<ChildProcess>();
process.once('exit', () => {
	for (const child of running) signalGroup(child.pid, 'SIGKILL');
});

/** Sends a signal to a whole process group (every child here is spawned detached: its own group). */
export function signalGroup(pid: number | undefined, signal: NodeJS.Signals): void {
	if (pid === undefined) return;
	try {
		process.kill(-pid, signal);
	} catch {
		// already gone
	}
}

/** Whether any process of the group is still alive (zombies aside, which `kill 0` cannot tell). */
export function groupAlive(pid: number | undefined): boolean {
	if (pid === undefined) return false;
	try {
		process.kill(-pid, 0);
		return true;
	} catch {
		return false;
	}
}

async function waitForGroupGone(pid: number | undefined, timeoutMs: number): Promise<boolean> {
	const deadline = Date.now() + timeoutMs;
	while (groupAlive(pid)) {
		if (Date.now() > deadline) return false;
		await new Promise((r) => setTimeout(r, 50));
	}
	return true;
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
	uid?: number;
	gid?: number;
}

/** Runs a command to completion; a timeout kills its whole process group. */
export function runCommand(command: string, args: string[], env: NodeJS.ProcessEnv, options: RunOptions = {}): Promise<CliResult> {
	const started = Date.now();
	const timeoutMs = options.timeoutMs ?? 120_000;
	return new Promise((resolveRun, reject) => {
		const child = spawn(command, args, {
			env: { ...env, ...options.env },
			cwd: options.cwd,
			uid: options.uid,
			gid: options.gid,
			stdio: ['ignore', 'pipe', 'pipe'],
			detached: true,
		});
		running.add(child);
		const stdout: Buffer[] = [];
		const stderr: Buffer[] = [];
		child.stdout?.on('data', (chunk: Buffer) => stdout.push(chunk));
		child.stderr?.on('data', (chunk: Buffer) => stderr.push(chunk));
		let timedOut = false;
		const timer = setTimeout(() => {
			timedOut = true;
			signalGroup(child.pid, 'SIGKILL');
		}, timeoutMs);
		child.on('error', (error) => {
			clearTimeout(timer);
			running.delete(child);
			reject(new Error(`cannot run ${command}: ${error.message}`));
		});
		child.on('close', (code, signal) => {
			clearTimeout(timer);
			running.delete(child);
			// What it left behind in its group (n8n's task runner) goes too.
			signalGroup(child.pid, 'SIGKILL');
			const note = timedOut ? `\n[dev/n8n] killed after ${timeoutMs} ms` : signal ? `\n[dev/n8n] ended by ${signal}` : '';
			resolveRun({
				exitCode: code ?? -1,
				stdout: Buffer.concat(stdout).toString(),
				stderr: Buffer.concat(stderr).toString() + note,
				durationMs: Date.now() - started,
			});
		});
	});
}

export function describeFailure(what: string, result: CliResult): Error {
	const tail = (text: string) => text.split('\n').slice(-40).join('\n');
	return new Error(`${what} failed (exit ${result.exitCode}).\n--- stdout ---\n${tail(result.stdout)}\n--- stderr ---\n${tail(result.stderr)}`);
}

export interface ServiceOptions {
	/** For messages: "n8n main", "worker 1", "redis". */
	name: string;
	command: string;
	args: string[];
	env: NodeJS.ProcessEnv;
	cwd?: string;
	/** Everything the service prints is appended here too. */
	logPath: string;
	uid?: number;
	gid?: number;
	/** How to ask it to stop (default SIGTERM; PostgreSQL's fast shutdown is SIGINT). */
	stopSignal?: NodeJS.Signals;
	/** How long it may take before its group is killed (default 10 s). */
	stopGraceMs?: number;
}

export interface Service {
	name: string;
	pid: number;
	logPath: string;
	/** Its output so far (the newest megabytes; the log file has all of it). */
	logs(): string;
	/** null while it runs. */
	exitStatus(): { code: number | null; signal: string | null } | null;
	/** Resolves when its output matches; rejects when it exits first or the time is up. */
	waitForOutput(pattern: RegExp, timeoutMs: number): Promise<void>;
	/** Asks it to stop, kills its group after the grace time; resolves when the whole group is gone. */
	stop(): Promise<void>;
	/** SIGKILL to the whole group at once (a crash); resolves when the group is gone. */
	kill(): Promise<void>;
}

/** Starts a long-running process in its own group, its output kept in memory and in a log file. */
export function startService(options: ServiceOptions): Service {
	const logFile = createWriteStream(options.logPath, { flags: 'a' });
	const child = spawn(options.command, options.args, {
		cwd: options.cwd,
		env: options.env,
		uid: options.uid,
		gid: options.gid,
		stdio: ['ignore', 'pipe', 'pipe'],
		detached: true,
	});
	running.add(child);
	let output = '';
	const listeners = new Set<() => void>();
	const collect = (chunk: Buffer) => {
		const text = chunk.toString();
		output += text;
		if (output.length > 8_000_000) output = output.slice(-4_000_000);
		logFile.write(text);
		for (const listener of listeners) listener();
	};
	child.stdout?.on('data', collect);
	child.stderr?.on('data', collect);
	let exitStatus: { code: number | null; signal: string | null } | null = null;
	const exited = new Promise<void>((resolveExit) => {
		child.on('error', (error) => {
			exitStatus ??= { code: -1, signal: null };
			collect(Buffer.from(`\n[dev/n8n] cannot start ${options.name}: ${error.message}\n`));
			resolveExit();
		});
		child.on('exit', (code, signal) => {
			exitStatus = { code, signal };
			for (const listener of listeners) listener();
			resolveExit();
		});
	});
	const closeLog = () => new Promise<void>((resolveClose) => (logFile.writableEnded ? resolveClose() : logFile.end(() => resolveClose())));

	const end = async (signal: NodeJS.Signals, graceMs: number) => {
		if (!exitStatus) {
			signalGroup(child.pid, signal);
			const timer = setTimeout(() => signalGroup(child.pid, 'SIGKILL'), graceMs);
			await exited;
			clearTimeout(timer);
		}
		// What it started and left behind (a task runner, backends) goes with it.
		signalGroup(child.pid, 'SIGKILL');
		await waitForGroupGone(child.pid, 5_000);
		running.delete(child);
		await closeLog();
	};

	return {
		name: options.name,
		pid: child.pid ?? -1,
		logPath: options.logPath,
		logs: () => output,
		exitStatus: () => exitStatus,
		waitForOutput: (pattern, timeoutMs) =>
			new Promise<void>((resolveWait, reject) => {
				const check = () => {
					if (pattern.test(output)) done();
					else if (exitStatus) done(new Error(`${options.name} exited (${JSON.stringify(exitStatus)}) before printing ${pattern}`));
				};
				const timer = setTimeout(() => done(new Error(`${options.name} did not print ${pattern} within ${timeoutMs} ms`)), timeoutMs);
				const done = (error?: Error) => {
					clearTimeout(timer);
					listeners.delete(check);
					if (error) reject(new Error(`${error.message}\n--- ${options.name} output (${options.logPath}) ---\n${output.split('\n').slice(-30).join('\n')}`));
					else resolveWait();
				};
				listeners.add(check);
				check();
			}),
		stop: () => end(options.stopSignal ?? 'SIGTERM', options.stopGraceMs ?? 10_000),
		kill: () => end('SIGKILL', 0),
	};
}
