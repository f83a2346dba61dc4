// A Redis server of our own for n8n's queue mode (Bull's job queue and n8n's pub/sub): Debian's
// redis-server (installed by install-queue-services.sh) on 127.0.0.1, a free port, nothing
// persisted.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, startService } from './processes.ts';
import type { Service } from './processes.ts';

export interface Redis {
	host: string;
	port: number;
	/** e.g. "7.0.15". */
	version: string;
	service: Service;
	/** n8n's settings for this Redis. */
	n8nEnv: Record<string, string>;
	stop(): Promise<void>;
}

export async function startRedis(options: { logPath?: string } = {}): Promise<Redis> {
	let version: string;
	try {
		version = /v=(\S+)/.exec(execFileSync('redis-server', ['--version'], { encoding: 'utf8' }))?.[1] ?? '?';
	} catch {
		throw new Error('redis-server is not installed. Run: bash dev/n8n/install-queue-services.sh');
	}
	const dir = mkdtempSync(join(tmpdir(), 'imini-redis-'));
	const port = await freePort();
	const service = startService({
		name: 'redis',
		command: 'redis-server',
		args: ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir, '--daemonize', 'no'],
		cwd: dir,
		env: { PATH: process.env.PATH ?? '/usr/bin:/bin' },
		logPath: options.logPath ?? join(dir, 'redis.log'),
	});
	const stop = async () => {
		await service.stop();
		rmSync(dir, { recursive: true, force: true });
	};
	try {
		await service.waitForOutput(/Ready to accept connections/, 30_000);
	} catch (error) {
		await stop();
		throw error;
	}
	return {
		host: '127.0.0.1',
		port,
		version,
		service,
		n8nEnv: { QUEUE_BULL_REDIS_HOST: '127.0.0.1', QUEUE_BULL_REDIS_PORT: String(port) },
		stop,
	};
}
