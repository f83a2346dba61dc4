// A PostgreSQL server of our own for n8n's queue mode: Debian's PostgreSQL (installed by
// install-queue-services.sh), a data folder of its own, 127.0.0.1 on a free port, TCP only.
// PostgreSQL refuses to run as root: as root, initdb and the server run as the `postgres` user.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, chownSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeFailure, freePort, runCommand, startService } from './processes.ts';
import type { Service } from './processes.ts';

export interface Postgres {
	host: string;
	port: number;
	/** A superuser that connects without a password (trust on 127.0.0.1). */
	user: string;
	database: string;
	/** The server's major version, e.g. 15. */
	version: number;
	dataDir: string;
	service: Service;
	/** n8n's settings for this database. */
	n8nEnv: Record<string, string>;
	/** Stops the server (fast shutdown); deletes a throw-away data folder. */
	stop(): Promise<void>;
}

export interface PostgresOptions {
	/** A folder to keep between starts (npm start); by default a throw-away one, deleted on stop. */
	dir?: string;
	/** Where the server's output goes (default: `<dir>/postgres.log`). */
	logPath?: string;
}

const USER = 'n8n';
const DATABASE = 'n8n';

function serverBinDir(): { bin: string; version: number } {
	const base = '/usr/lib/postgresql';
	const versions = existsSync(base)
		? readdirSync(base)
				.filter((v) => existsSync(join(base, v, 'bin', 'postgres')))
				.map(Number)
				.sort((a, b) => b - a)
		: [];
	if (!versions.length) throw new Error('PostgreSQL is not installed (no /usr/lib/postgresql/*/bin/postgres). Run: bash dev/n8n/install-queue-services.sh');
	return { bin: join(base, String(versions[0]), 'bin'), version: versions[0] };
}

/** As root: the `postgres` account's ids (PostgreSQL will not run as root); otherwise ourselves. */
function serverAccount(): { uid: number; gid: number } | undefined {
	if (process.getuid?.() !== 0) return undefined;
	const line = readFileSync('/etc/passwd', 'utf8')
		.split('\n')
		.find((l) => l.startsWith('postgres:'));
	if (!line) throw new Error('running as root, but there is no "postgres" user to run PostgreSQL as (Debian\'s postgresql package creates it)');
	const [, , uid, gid] = line.split(':');
	return { uid: Number(uid), gid: Number(gid) };
}

export async function startPostgres(options: PostgresOptions = {}): Promise<Postgres> {
	const { bin, version } = serverBinDir();
	const account = serverAccount();
	const throwAway = !options.dir;
	const dir = options.dir ?? mkdtempSync(join(tmpdir(), 'imini-postgres-'));
	const dataDir = join(dir, 'data');
	mkdirSync(dir, { recursive: true });
	if (account) chownSync(dir, account.uid, account.gid);
	const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', LANG: 'C.UTF-8', LC_ALL: 'C.UTF-8', TZ: 'UTC' };
	if (!existsSync(join(dataDir, 'PG_VERSION'))) {
		const init = await runCommand(
			join(bin, 'initdb'),
			['-D', dataDir, '-U', USER, '--auth=trust', '--encoding=UTF8', '--no-instructions', ...(throwAway ? ['--no-sync'] : [])],
			env,
			{ cwd: dir, timeoutMs: 120_000, ...account },
		);
		if (init.exitCode !== 0) throw describeFailure(`initdb ${dataDir}`, init);
	}
	const port = await freePort();
	const service = startService({
		name: 'postgres',
		command: join(bin, 'postgres'),
		args: [
			'-D', dataDir,
			'-p', String(port),
			'-c', 'listen_addresses=127.0.0.1',
			'-c', 'unix_socket_directories=',
			// Throw-away data need no crash safety: skipping the disk flushes keeps tests fast.
			...(throwAway ? ['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off'] : []),
		],
		cwd: dir,
		env,
		logPath: options.logPath ?? join(dir, 'postgres.log'),
		...account,
		// SIGINT is PostgreSQL's fast shutdown: clients are disconnected, no waiting for them.
		stopSignal: 'SIGINT',
	});
	const stop = async () => {
		await service.stop();
		if (throwAway) rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
	};
	try {
		await service.waitForOutput(/database system is ready to accept connections/, 60_000);
		const psql = (sql: string) =>
			runCommand(join(bin, 'psql'), ['-h', '127.0.0.1', '-p', String(port), '-U', USER, '-d', 'postgres', '-tAc', sql], env, { timeoutMs: 30_000 });
		const exists = await psql(`select 1 from pg_database where datname = '${DATABASE}'`);
		if (exists.exitCode !== 0) throw describeFailure('psql', exists);
		if (exists.stdout.trim() !== '1') {
			const created = await psql(`create database ${DATABASE}`);
			if (created.exitCode !== 0) throw describeFailure(`create database ${DATABASE}`, created);
		}
	} catch (error) {
		await stop();
		throw error;
	}
	return {
		host: '127.0.0.1',
		port,
		user: USER,
		database: DATABASE,
		version,
		dataDir,
		service,
		n8nEnv: {
			DB_TYPE: 'postgresdb',
			DB_POSTGRESDB_HOST: '127.0.0.1',
			DB_POSTGRESDB_PORT: String(port),
			DB_POSTGRESDB_DATABASE: DATABASE,
			DB_POSTGRESDB_USER: USER,
			DB_POSTGRESDB_PASSWORD: '',
		},
		stop,
	};
}
