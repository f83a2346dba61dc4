// n8n's queue mode (its scaling mode), as production users run it: PostgreSQL holds everything,
// Redis (Bull) hands executions from the main process to worker processes, and binary data lives
// in the database, where every process can read it. Each process has a user folder of its own,
// which must hold the community package: workers load nodes from their own folder.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createN8nHome } from './home.ts';
import type { N8nHome } from './home.ts';
import { N8N_BIN, NODE_BIN, assertN8nInstalled } from './paths.ts';
import { startPostgres } from './postgres.ts';
import type { Postgres } from './postgres.ts';
import { freePort, startService } from './processes.ts';
import type { Service } from './processes.ts';
import { startRedis } from './redis.ts';
import type { Redis } from './redis.ts';
import { startN8n } from './server.ts';
import type { RunningN8n } from './server.ts';

export interface QueueModeOptions {
	/** A folder kept between starts (npm start): the database and every user folder. Default: a throw-away one. */
	root?: string;
	/** n8n main's port (default: a free one). */
	port?: number;
	/** Worker processes (default 2). */
	workers?: number;
	/** Executions each worker runs at once (`n8n worker --concurrency`, n8n's default 10). */
	concurrency?: number;
	/** Extra environment for every n8n process. */
	env?: Record<string, string>;
	/**
	 * Runs once the database is up and before any n8n process starts: install the package into
	 * every user folder, import credentials and workflows (through the main folder: the database
	 * is shared).
	 */
	prepare?(main: N8nHome, workers: N8nHome[]): Promise<void>;
	/** Progress lines ("starting PostgreSQL ..."). */
	onProgress?(line: string): void;
}

export interface QueueWorker {
	/** "worker-1", as in its user folder's name. */
	name: string;
	home: N8nHome;
	service: Service;
	/** Its health endpoint (`/healthz`, `/healthz/readiness`). */
	healthUrl: string;
	/** ms from spawn to "n8n worker is now ready". */
	readyMs: number;
}

export interface QueueMode {
	root: string;
	postgres: Postgres;
	redis: Redis;
	main: RunningN8n;
	mainHome: N8nHome;
	workers: QueueWorker[];
	/** The environment every n8n process of this setup shares (database, Redis, queue mode). */
	env: Record<string, string>;
	/** Which worker ran each execution (id -> worker name), from the workers' own logs (the last run of a resumed one). */
	workerByExecution(): Map<string, string>;
	/**
	 * Kills a worker with SIGKILL (a crash, an out-of-memory kill) and starts a new process on
	 * its user folder, under the same name, in its place in `workers`; resolves once it is ready.
	 */
	crashAndRestartWorker(name: string): Promise<QueueWorker>;
	/** Stops every n8n process, then Redis and PostgreSQL; removes a throw-away root. */
	stop(): Promise<void>;
}

/** What makes an n8n process part of this queue-mode setup. */
function queueEnv(postgres: Postgres, redis: Redis, extra: Record<string, string> | undefined): Record<string, string> {
	return {
		EXECUTIONS_MODE: 'queue',
		...postgres.n8nEnv,
		...redis.n8nEnv,
		// n8n's default in queue mode (filesystem mode is not supported there): every process
		// reads the files any worker wrote.
		N8N_DEFAULT_BINARY_DATA_MODE: 'database',
		// The editor's "Execute workflow" runs on a worker too, as production runs do.
		OFFLOAD_MANUAL_EXECUTIONS_TO_WORKERS: 'true',
		// A worker drains its executions for up to 30 s on SIGTERM; this setup is for trying
		// things out, and a stop should not take half a minute.
		N8N_GRACEFUL_SHUTDOWN_TIMEOUT: '5',
		...extra,
	};
}

async function startWorker(name: string, home: N8nHome, concurrency: number): Promise<QueueWorker> {
	const started = Date.now();
	const [brokerPort, healthPort] = await Promise.all([freePort(), freePort()]);
	const service = startService({
		name,
		command: NODE_BIN,
		args: [N8N_BIN, 'worker', `--concurrency=${concurrency}`],
		cwd: home.root,
		env: {
			...home.env,
			N8N_RUNNERS_BROKER_PORT: String(brokerPort),
			QUEUE_HEALTH_CHECK_ACTIVE: 'true',
			QUEUE_HEALTH_CHECK_PORT: String(healthPort),
			N8N_WORKER_SERVER_ADDRESS: '127.0.0.1',
		},
		logPath: join(home.root, `${name}.log`),
		stopGraceMs: 10_000,
	});
	try {
		await service.waitForOutput(/n8n worker is now ready/, 120_000);
	} catch (error) {
		await service.stop();
		throw error;
	}
	return { name, home, service, healthUrl: `http://127.0.0.1:${healthPort}/healthz`, readyMs: Date.now() - started };
}

/** Like Promise.all, but waits for every promise before failing (so that all that started can be stopped). */
async function settled<T extends readonly unknown[]>(promises: [...{ [K in keyof T]: Promise<T[K]> }]): Promise<T> {
	const results = await Promise.allSettled(promises);
	const failure = results.find((r) => r.status === 'rejected');
	if (failure) throw (failure as PromiseRejectedResult).reason;
	return results.map((r) => (r as PromiseFulfilledResult<unknown>).value) as unknown as T;
}

/** PostgreSQL, Redis, n8n main and its workers, ready to take executions. */
export async function startQueueMode(options: QueueModeOptions = {}): Promise<QueueMode> {
	assertN8nInstalled();
	const say = options.onProgress ?? (() => {});
	const throwAway = !options.root;
	const root = options.root ?? mkdtempSync(join(tmpdir(), 'n8n-queue-'));
	mkdirSync(root, { recursive: true });
	// n8n first (it writes to the database as it stops), then Redis and PostgreSQL.
	const n8nProcesses: Array<() => Promise<void>> = [];
	const servers: Array<() => Promise<void>> = [];
	const stopAll = async () => {
		await Promise.all(n8nProcesses.splice(0).map((stop) => stop()));
		await Promise.all(servers.splice(0).map((stop) => stop()));
		if (throwAway && process.env.N8N_E2E_KEEP !== '1') rmSync(root, { recursive: true, force: true, maxRetries: 3 });
	};
	try {
		say('starting PostgreSQL and Redis ...');
		const [postgres, redis] = await settled([
			startPostgres({ dir: throwAway ? undefined : join(root, 'postgres'), logPath: join(root, 'postgres.log') }).then((pg) => {
				servers.push(() => pg.stop());
				return pg;
			}),
			startRedis({ logPath: join(root, 'redis.log') }).then((r) => {
				servers.push(() => r.stop());
				return r;
			}),
		]);
		const env = queueEnv(postgres, redis, options.env);
		const mainHome = await createN8nHome({ root: join(root, 'main'), port: options.port, env });
		const workerHomes = await Promise.all(
			Array.from({ length: options.workers ?? 2 }, (_, i) => createN8nHome({ root: join(root, `worker-${i + 1}`), env })),
		);
		if (options.prepare) {
			say('installing the package into every user folder and importing into the database ...');
			await options.prepare(mainHome, workerHomes);
		}
		say(`starting n8n main and ${workerHomes.length} workers ...`);
		const [main, workers] = await settled([
			startN8n(mainHome).then((n8n) => {
				n8nProcesses.push(() => n8n.stop());
				return n8n;
			}),
			settled(
				workerHomes.map((home, i) =>
					startWorker(`worker-${i + 1}`, home, options.concurrency ?? 10).then((worker) => {
						n8nProcesses.push(() => worker.service.stop());
						return worker;
					}),
				),
			),
		]);
		// Workers that were replaced keep telling which executions they ran.
		const retired: QueueWorker[] = [];
		const workerByExecution = () => {
			const byExecution = new Map<string, string>();
			for (const worker of [...retired, ...workers]) {
				for (const match of worker.service.logs().matchAll(/Worker started execution (\d+) \(job/g)) byExecution.set(match[1], worker.name);
			}
			return byExecution;
		};
		const crashAndRestartWorker = async (name: string) => {
			const index = workers.findIndex((w) => w.name === name);
			if (index < 0) throw new Error(`no worker named ${name}`);
			const old = workers[index];
			await old.service.kill();
			retired.push(old);
			const worker = await startWorker(name, old.home, options.concurrency ?? 10);
			n8nProcesses.push(() => worker.service.stop());
			workers[index] = worker;
			return worker;
		};
		return { root, postgres, redis, main, mainHome, workers, env, workerByExecution, crashAndRestartWorker, stop: stopAll };
	} catch (error) {
		await stopAll();
		throw error;
	}
}
