// The offline imini as a CI job uses it (issue 17): the packed `imini-mock` installed into an
// empty folder, started as a drop-in (--host 0.0.0.0 --public-url ...), seeded (two runs, the
// same ids and bytes), a 10-minute video deadline driven through POST /mock/clock in a second,
// the journal read back, a contract violation turned into a failing exit code, the sound of a
// video checked by Debian's ffprobe/ffmpeg (not by the code that wrote it), a mistyped option,
// and `imini-mock verify`.
import { execFile, spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const REPO_ROOT = join(__dirname, '..', '..');
const KEY = 'imini-mock-key';

function freePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const server = createServer();
		server.once('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const { port } = server.address() as { port: number };
			server.close(() => resolve(port));
		});
	});
}

type Started = { child: ChildProcess; output: () => string; stdout: () => string; apiUrl: string; controlUrl: string };

describe('imini-mock as a twin for CI, from its tarball', () => {
	const env: NodeJS.ProcessEnv = { ...process.env, PATH: `${dirname(process.execPath)}:${process.env.PATH}`, NODE_PATH: '' };
	const work = mkdtempSync(join(tmpdir(), 'imini-mock-twin-'));
	const app = join(work, 'app');
	const bin = join(app, 'node_modules', '.bin', 'imini-mock');
	const children = new Set<ChildProcess>();

	beforeAll(async () => {
		await run('bash', [join(REPO_ROOT, 'dev', 'install-ffmpeg.sh')], { env });
		const packed = await run('npm', ['pack', '-w', 'mock-server', '--pack-destination', work, '--json'], { cwd: REPO_ROOT, env, maxBuffer: 16 * 1024 * 1024 });
		const [{ filename }] = JSON.parse(packed.stdout.slice(packed.stdout.indexOf('['))) as Array<{ filename: string }>;
		await run('mkdir', ['-p', app]);
		writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'my-ci', private: true }));
		await run('npm', ['install', '--no-audit', '--no-fund', join(work, filename)], { cwd: app, env, maxBuffer: 16 * 1024 * 1024 });
	});

	afterAll(async () => {
		for (const child of children) await stop(child);
		rmSync(work, { recursive: true, force: true });
	});

	async function start(args: string[]): Promise<Started> {
		const child = spawn(bin, args, { cwd: app, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
		children.add(child);
		let output = '';
		let stdout = '';
		child.stdout!.on('data', (chunk: Buffer) => {
			output += chunk.toString();
			stdout += chunk.toString();
		});
		child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
		await new Promise<void>((resolve, reject) => {
			const check = () => output.includes('Press Ctrl-C to stop.') && resolve();
			child.stdout!.on('data', check);
			child.once('exit', (code) => reject(new Error(`imini-mock exited (${code}):\n${output}`)));
		});
		return {
			child,
			output: () => output,
			stdout: () => stdout,
			apiUrl: /Base URL: +(http:\/\/\S+)/.exec(output)![1],
			controlUrl: /Tasks: +(http:\/\/[^/\s]+)/.exec(output)![1],
		};
	}

	/** SIGTERM to the whole process group; resolves with the exit code. */
	async function stop(child: ChildProcess): Promise<number | null> {
		children.delete(child);
		if (child.exitCode !== null) return child.exitCode;
		const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
		process.kill(-child.pid!, 'SIGTERM');
		return exited;
	}

	const api = async (base: string, method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
		const answer = await fetch(`${base}${path}`, {
			method,
			headers: { authorization: `Bearer ${KEY}`, ...(body ? { 'content-type': 'application/json' } : {}), ...headers },
			body: body ? JSON.stringify(body) : undefined,
		});
		return { status: answer.status, body: (await answer.json()) as any };
	};
	const post = (base: string, path: string, body?: unknown) => fetch(`${base}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body ?? {}) }).then((r) => r.json() as Promise<any>);

	it('answers a mistyped option with one line and exit code 2', async () => {
		const failed = await run(bin, ['--sed', '7'], { cwd: app, env }).catch((error: { code: number; stdout: string; stderr: string }) => error);
		expect((failed as { code: number }).code).toBe(2);
		expect((failed as { stderr: string }).stderr).toBe("imini-mock: unknown option '--sed'. See imini-mock --help.\n");
	});

	describe('a seeded drop-in: --host 0.0.0.0 --public-url ... --seed 7', () => {
		async function seededRun(): Promise<{ ids: string[]; bytes: Buffer[]; urls: string[] }> {
			const [port, filesPort] = [await freePort(), await freePort()];
			const mock = await start(['--port', String(port), '--files-port', String(filesPort), '--host', '0.0.0.0', '--public-url', `http://localhost:${filesPort}`, '--seed', '7', '--image-time', '2']);
			try {
				const submitted = await api(mock.apiUrl, 'POST', '/imini/router/v1/images/generate', { model: 'google/nano-banana-pro', prompt: 'A red fox', resolution: '1K' });
				await post(mock.controlUrl, '/mock/clock', { advance: 2 });
				const done = await api(mock.apiUrl, 'GET', `/imini/router/v1/images/tasks/${submitted.body.task_id}`);
				const urls = done.body.images.map((image: { url: string }) => image.url);
				const bytes = await Promise.all(urls.map(async (url: string) => Buffer.from(await (await fetch(url)).arrayBuffer())));
				return { ids: [submitted.body.task_id, submitted.body.request_id, done.body.request_id], bytes, urls };
			} finally {
				expect(await stop(mock.child)).toBe(0);
			}
		}

		it('two runs give identical ids and bytes, and result URLs name the public URL', async () => {
			const first = await seededRun();
			const second = await seededRun();
			expect(second.ids).toEqual(first.ids);
			expect(first.bytes[0].length).toBeGreaterThan(1000);
			expect(second.bytes[0].equals(first.bytes[0])).toBe(true);
			expect(first.urls[0]).toMatch(new RegExp(`^http://localhost:\\d+/files/${first.ids[0]}/0\\.png$`));
		});
	});

	describe('one CI session', () => {
		let mock: Started;
		beforeAll(async () => {
			mock = await start(['--port', '0', '--files-port', '0', '--fail-on-violation', '--video-time', '30']);
		});

		it('drives a 10-minute video deadline through POST /mock/clock in a second', async () => {
			const started = performance.now();
			const nine = await api(mock.apiUrl, 'POST', '/v1/videos/generate', { model: 'kling/kling-v3', prompt: 'A slow boat [mock time=540000]' });
			const twelve = await api(mock.apiUrl, 'POST', '/v1/videos/generate', { model: 'kling/kling-v3', prompt: 'A slower boat [mock time=720000]' });
			const status = async (id: string) => (await api(mock.apiUrl, 'GET', `/v1/videos/tasks/${id}`)).body.status;
			expect(await status(nine.body.task_id)).toBe('queued');
			for (let minute = 0; minute < 10; minute++) await post(mock.controlUrl, '/mock/clock', { advance: 60 });
			expect(await status(nine.body.task_id)).toBe('succeeded');
			// Past the client's 10-minute deadline and still running: what a timeout test needs.
			expect(await status(twelve.body.task_id)).toBe('processing');
			expect(performance.now() - started).toBeLessThan(5_000);
		});

		it('gives a video asked to have sound an audio track that ffmpeg decodes, and none to one without', async () => {
			const withSound = await api(mock.apiUrl, 'POST', '/v1/videos/generate', { model: 'doubao/seedance-2.0', prompt: 'Waves [mock time=0]', duration: 4 });
			const silent = await api(mock.apiUrl, 'POST', '/v1/videos/generate', { model: 'kling/kling-v3', prompt: 'Quiet [mock time=0]', duration: 3 });
			const file = async (id: string) => {
				const task = await api(mock.apiUrl, 'GET', `/v1/videos/tasks/${id}`);
				const path = join(work, `${id}.mp4`);
				writeFileSync(path, Buffer.from(await (await fetch(task.body.videos[0].url)).arrayBuffer()));
				return path;
			};
			const probe = async (path: string) =>
				JSON.parse((await run('ffprobe', ['-v', 'error', '-show_entries', 'stream=codec_type,codec_name,channels,sample_rate,duration', '-of', 'json', path])).stdout).streams as Array<Record<string, string | number>>;

			const sound = await file(withSound.body.task_id);
			const streams = await probe(sound);
			expect(streams.map((s) => `${s.codec_type}:${s.codec_name}`)).toEqual(['video:h264', 'audio:mp3']);
			const audio = streams.find((s) => s.codec_type === 'audio')!;
			expect(Math.abs(Number(audio.duration) - 4)).toBeLessThan(0.1);
			// Decode the whole audio track: no errors, and it is not silence.
			const decoded = await run('ffmpeg', ['-nostdin', '-v', 'info', '-xerror', '-i', sound, '-map', '0:a', '-af', 'volumedetect', '-f', 'null', '-']);
			const max = Number(/max_volume: (-?[\d.]+) dB/.exec(decoded.stderr)?.[1]);
			expect(max).toBeGreaterThan(-20);
			expect((await probe(await file(silent.body.task_id))).map((s) => s.codec_type)).toEqual(['video']);
		});

		it('journals every call (GET /mock/requests)', async () => {
			const { requests } = (await (await fetch(`${mock.controlUrl}/mock/requests`)).json()) as { requests: Array<{ method: string; path: string; status: number }> };
			const submits = requests.filter((r) => r.method === 'POST' && r.path === '/v1/videos/generate');
			expect(submits.map((r) => r.status)).toEqual([200, 200, 200, 200]);
			expect(requests.filter((r) => r.path.startsWith('/files/')).map((r) => r.status)).toEqual([200, 200]);
			// Three polls for the deadline, one per video for the sound.
			expect(requests.filter((r) => r.path.startsWith('/v1/videos/tasks/')).map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
		});

		it('fails on a contract violation with --fail-on-violation: exit code 1 and a JSON report', async () => {
			await api(mock.apiUrl, 'GET', '/v1/images/tasks/task_1', undefined, { 'x-mock-fault': 'offspec' });
			const violations = (await (await fetch(`${mock.controlUrl}/mock/violations`)).json()) as { count: number };
			expect(violations.count).toBeGreaterThan(0);
			expect(await stop(mock.child)).toBe(1);
			const report = JSON.parse(mock.stdout().trim().split('\n').at(-1)!) as { violations: number; details: Array<{ path: string; location: string }> };
			expect(report.violations).toBe(violations.count);
			expect(report.details[0]).toMatchObject({ path: '/v1/images/tasks/task_1' });
			expect(mock.output()).toContain('contract violation(s); report follows on stdout.');
		});

		it('without a violation, --fail-on-violation exits 0', async () => {
			const clean = await start(['--port', '0', '--files-port', '0', '--fail-on-violation']);
			await api(clean.apiUrl, 'GET', '/v1/images/tasks/task_1');
			expect(await stop(clean.child)).toBe(0);
		});
	});

	it('`imini-mock verify` passes the simulator and fails an imini that is not there', async () => {
		const mock = await start(['--port', '0', '--files-port', '0']);
		try {
			const ok = await run(bin, ['verify', '--base-url', `${mock.controlUrl}/imini/router`, '--key', KEY], { cwd: app, env });
			expect(ok.stdout).toContain('Every answer matches the contract.');
			const failed = await run(bin, ['verify', '--base-url', 'http://127.0.0.1:9/imini/router', '--key', KEY], { cwd: app, env }).catch((error: { code: number; stdout: string }) => error);
			expect((failed as { code: number }).code).toBe(1);
			expect((failed as { stdout: string }).stdout).toContain('6 of 6 answers differ from the contract.');
		} finally {
			await stop(mock.child);
		}
	});
});
