// A stateful imini: tasks go queued -> processing -> succeeded | failed as time passes, results
// are real files served from this server (never through Prism, which corrupts binary bodies).
// A task's state is a pure function of the clock, so no timers run per task and a test (or
// POST /mock/clock) can drive the clock.
//
// This file builds the services every handler shares (services.ts) from the rooms below, and
// owns the HTTP server; routes.ts says which handler answers a request. The map of the rooms is
// at the top of mock-server/README.md.
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadContract } from '../contract/validator.ts';
import { createResultFiles } from '../render/render-pool.ts';
import { createClock } from '../core/mock-clock.ts';
import type { MockClock } from '../core/mock-clock.ts';
import { createIds } from '../core/ids.ts';
import { createJournal } from '../core/journal.ts';
import type { Journal } from '../core/journal.ts';
import { createRateLimiter } from './rate-limit.ts';
import { createDownloads } from './downloads.ts';
import type { Violation } from '../contract/prism.ts';
import { createFaultReplies } from '../faults/replies.ts';
import { createPollHandler } from './poll.ts';
import { createRequestListener } from './routes.ts';
import { defaultSimulatorOptions } from '../options.ts';
import type { SimulatorOptions } from '../options.ts';
import { createStats, resetStats } from '../core/simulator-stats.ts';
import type { SimulatorStats } from '../core/simulator-stats.ts';
import { createSubmitHandler } from './submit.ts';
import { createTaskStore } from '../tasks/task-store.ts';
import type { MockServices } from './services.ts';
import type { Submission } from '../tasks/task-store.ts';

export type Simulator = {
	/** Where a client on this machine reaches the simulator. */
	url: string;
	/** The base of result URLs (`--public-url`, else `url`). */
	filesUrl: string;
	server: Server;
	stats: SimulatorStats;
	submissions: Submission[];
	/** Contract violations (Prism reports them here; GET /mock/violations serves them). */
	violations: Violation[];
	journal: Journal;
	clock: MockClock;
	/** What POST /mock/reset does. */
	reset(): void;
	/** Tasks currently neither settled nor expired (for concurrency assertions). */
	inFlight(): number;
	/** Tasks kept in memory (expired ones are pruned as submits come in). */
	storedTasks(): number;
	close(): Promise<void>;
};

export function createSimulator(overrides: Partial<SimulatorOptions> = {}) {
	const options: SimulatorOptions = { ...defaultSimulatorOptions, ...overrides };
	const contract = loadContract({ acceptUnknownFields: options.acceptUnknownFields });
	const clock = createClock(options.now);
	const now = clock.now;
	const ids = createIds(options.seed);
	const journal = createJournal(now);
	const violations: Violation[] = [];
	const stats = createStats();
	const store = createTaskStore(options, now);
	const rateLimiter = createRateLimiter(options, now, journal, () => stats.rateLimited++);
	const resultFiles = createResultFiles();
	const applyFault = createFaultReplies(options, journal, ids, (key) => rateLimiter.refund(key));
	/** Set by `listen`: the base of the result URLs handed out. */
	let filesBaseUrl = '';

	const services: MockServices = {
		options,
		contract,
		store,
		ids,
		journal,
		now,
		resultFiles,
		applyFault,
		stats,
		rateLimiter,
		filesBaseUrl: () => filesBaseUrl,
	};
	const submit = createSubmitHandler(services);
	const poll = createPollHandler(services);
	const downloads = createDownloads(services);

	function reset(): void {
		store.reset();
		submit.reset();
		rateLimiter.reset();
		resetStats(stats);
		violations.length = 0;
		journal.reset();
		clock.reset();
		ids.reset();
		downloads.forget();
	}

	const server = createServer(
		createRequestListener(services, {
			submit: submit.handle,
			poll,
			downloads,
			control: { tasks: () => ({ tasks: store.records(filesBaseUrl), stats }), journal, violations, clock, reset },
		}),
	);
	server.keepAliveTimeout = 5_000;

	return {
		options,
		stats,
		inFlight: store.inFlight,
		/** `publicUrl`: the base of result URLs, for clients that reach this machine by another name (a container's host.docker.internal). */
		async listen(port = 0, host = '127.0.0.1', publicUrl?: string): Promise<Simulator> {
			await new Promise<void>((resolve, reject) => {
				server.once('error', reject);
				server.listen(port, host, () => resolve());
			});
			const address = server.address() as AddressInfo;
			const url = `http://${connectableHost(host)}:${address.port}`;
			filesBaseUrl = publicUrl ? publicUrl.replace(/\/+$/, '') : url;
			const close = () =>
				new Promise<void>((resolve) => {
					void resultFiles.close();
					server.closeAllConnections();
					server.close(() => resolve());
				});
			return {
				url,
				filesUrl: filesBaseUrl,
				server,
				stats,
				submissions: store.submissions,
				violations,
				journal,
				clock,
				reset,
				inFlight: store.inFlight,
				storedTasks: store.size,
				close,
			};
		},
	};
}

/** A wildcard bind address (0.0.0.0, ::) is not one to connect to: use the loopback. */
export function connectableHost(host: string): string {
	if (host === '0.0.0.0' || host === '') return '127.0.0.1';
	if (host === '::') return '[::1]';
	return host.includes(':') ? `[${host}]` : host;
}
