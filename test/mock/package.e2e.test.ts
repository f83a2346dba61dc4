// The mock as a stranger gets it: `npm pack` of the imini-mock workspace, the tarball installed
// into an empty folder outside this repository (no access to its node_modules), the `imini-mock`
// bin started from there, and the curl walkthrough of the package's README (the one a stranger
// reads, mock-server/README.md) run against it, command by command.
import { execFile, spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { readPngSize } from '../../mock-server/media/png';

const run = promisify(execFile);
const REPO_ROOT = join(__dirname, '..', '..');

/** The package README's "Walkthrough with curl" commands (continuation lines joined), in order. */
function walkthroughCommands(): string[] {
	const readme = readFileSync(join(REPO_ROOT, 'mock-server', 'README.md'), 'utf8');
	const section = readme.slice(readme.indexOf('## Walkthrough with curl'));
	const block = /```bash\n([\s\S]*?)```/.exec(section)?.[1] ?? '';
	const commands: string[] = [];
	let current = '';
	for (const line of block.split('\n')) {
		if (!current && (line.startsWith('#') || !line.trim())) continue;
		current += line.replace(/\\$/, '').trim() + ' ';
		if (!line.endsWith('\\')) {
			commands.push(current.trim());
			current = '';
		}
	}
	return commands;
}

describe('imini-mock installed from its tarball into an empty folder', () => {
	// Node 24 first on PATH, and nothing that points back into this repository.
	const env: NodeJS.ProcessEnv = { ...process.env, PATH: `${dirname(process.execPath)}:${process.env.PATH}`, NODE_PATH: '' };
	const work = mkdtempSync(join(tmpdir(), 'imini-mock-stranger-'));
	const app = join(work, 'app');
	let tarball = '';
	let mock: ChildProcess | undefined;
	let apiUrl = '';
	let filesUrl = '';
	const figures: Record<string, number> = {};

	beforeAll(async () => {
		const packed = await run('npm', ['pack', '-w', 'mock-server', '--pack-destination', work, '--json'], { cwd: REPO_ROOT, env, maxBuffer: 16 * 1024 * 1024 });
		const [{ filename }] = JSON.parse(packed.stdout.slice(packed.stdout.indexOf('['))) as Array<{ filename: string }>;
		tarball = join(work, filename);
		figures.tarballBytes = statSync(tarball).size;
		await run('mkdir', ['-p', app]);
		writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'my-ci', private: true }));
		const started = Date.now();
		await run('npm', ['install', '--no-audit', '--no-fund', tarball], { cwd: app, env, maxBuffer: 16 * 1024 * 1024 });
		figures.installMs = Date.now() - started;
	});

	afterAll(async () => {
		if (mock?.pid && mock.exitCode === null) {
			const exited = new Promise((resolve) => mock!.once('exit', resolve));
			process.kill(-mock.pid, 'SIGTERM');
			await exited;
		}
		rmSync(work, { recursive: true, force: true });
		process.stdout.write(`[imini-mock package] ${JSON.stringify(figures)}\n`);
	});

	it('starts from the bin and says where it listens', async () => {
		const started = Date.now();
		mock = spawn(join(app, 'node_modules', '.bin', 'imini-mock'), ['--port', '0', '--files-port', '0', '--image-time', '1'], {
			cwd: app,
			env,
			detached: true,
			stdio: ['ignore', 'pipe', 'pipe'],
		});
		let output = '';
		await new Promise<void>((resolve, reject) => {
			mock!.stdout!.on('data', (chunk: Buffer) => {
				output += chunk.toString();
				if (output.includes('Press Ctrl-C to stop.')) resolve();
			});
			mock!.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
			mock!.once('exit', (code) => reject(new Error(`imini-mock exited (${code}):\n${output}`)));
		});
		figures.startMs = Date.now() - started;
		apiUrl = /Base URL: +(http:\/\/\S+)/.exec(output)![1];
		filesUrl = /Files: +(http:\/\/[^/\s]+)/.exec(output)![1];
		expect(output).toContain('checked against openapi/imini.yaml by Prism');
	});

	it("passes the README's curl walkthrough", async () => {
		const commands = walkthroughCommands();
		expect(commands).toHaveLength(4);
		const adapt = (command: string, taskId = '') =>
			command.replaceAll('http://127.0.0.1:4010', apiUrl).replaceAll('http://127.0.0.1:4011', filesUrl).replaceAll('task_…', taskId);
		const shell = async (command: string) => (await run('bash', ['-c', command], { cwd: app, env })).stdout;

		// 1. Submit
		const submitted = JSON.parse(await shell(adapt(commands[0])));
		expect(submitted).toMatchObject({ task_id: expect.stringMatching(/^task_\d{19}$/), model: 'google/nano-banana-pro' });
		const id = submitted.task_id as string;

		// 2. Poll until it has settled (the bin was started with --image-time 1)
		let task: any;
		const deadline = Date.now() + 30_000;
		for (;;) {
			task = JSON.parse(await shell(adapt(commands[1], id)));
			if (task.status === 'succeeded' || Date.now() > deadline) break;
			await new Promise((resolve) => setTimeout(resolve, 250)); // pace the polls, as a client would
		}
		expect(task).toMatchObject({ task_id: id, status: 'succeeded' });
		expect(task.images).toEqual([{ url: `${filesUrl}/files/${id}/0.png`, width: 2048, height: 1152 }]);

		// 3. Download
		await shell(adapt(commands[2], id));
		expect(readPngSize(readFileSync(join(app, 'fox.png')))).toEqual({ width: 2048, height: 1152 });

		// 4. A wrong key: imini's unified error body
		const refused = JSON.parse(await shell(adapt(commands[3])));
		expect(refused.error).toMatchObject({ code: 'UNAUTHORIZED', status: 401 });

		// The task console's data counts the one task.
		const tasks = JSON.parse(await shell(`curl -s ${filesUrl}/mock/tasks`));
		expect(tasks.tasks.map((t: { task_id: string; prompt: string }) => [t.task_id, t.prompt])).toEqual([[id, 'a red fox in fresh snow']]);
	});

	it('stops on SIGTERM', async () => {
		const exited = new Promise<number | null>((resolve) => mock!.once('exit', (code) => resolve(code)));
		process.kill(-mock!.pid!, 'SIGTERM');
		expect(await exited).toBe(0);
	});
});
