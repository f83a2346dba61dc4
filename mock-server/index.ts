// The offline imini: the simulator, fronted by Prism so that every API exchange is checked
// against openapi/imini.yaml. Result files are served by the simulator on its own port (a
// stand-in for imini's CDN), because Prism corrupts binary bodies.
import { connectableHost, createSimulator } from './api/simulator.ts';
import type { SimulatorOptions } from './options.ts';
import type { SimulatorStats } from './core/simulator-stats.ts';
import type { Submission } from './tasks/task-store.ts';
import type { JournalEntry } from './core/journal.ts';
import { startPrismProxy } from './contract/prism.ts';
import type { Violation } from './contract/prism.ts';
import type { MockClock } from './core/mock-clock.ts';
import { parseFaultRates } from './faults/rates.ts';

export type { JournalEntry, MockClock, SimulatorOptions, SimulatorStats, Submission, Violation };
export { parseFaultRates };

export type MockOptions = {
	/** Front-door port (Prism); 0 picks a free one. */
	port?: number;
	/** Simulator port (also the file server); 0 picks a free one. */
	filesPort?: number;
	/** Address both ports bind to (default 127.0.0.1; 0.0.0.0 for clients in containers or on other machines). */
	host?: string;
	/** Base of the result URLs the API hands out (default: the simulator's own URL), e.g. http://host.docker.internal:4011. */
	publicUrl?: string;
	/** false: no Prism, the front door is the simulator itself (for side-by-side benchmarks). */
	prism?: boolean;
	simulator?: Partial<SimulatorOptions>;
	/** Called for every contract violation Prism reports. */
	onViolation?: (violation: Violation) => void;
};

export type MockServer = {
	/** Base URL to put in the Imini API credential. */
	url: string;
	/** Where result files are served (the simulator), as result URLs name it. */
	filesUrl: string;
	/** The simulator (files, console, control API) as this machine reaches it. */
	controlUrl: string;
	apiKey: string;
	stats: SimulatorStats;
	/** What clients submitted (newest 200): the request bodies as the simulator received them. */
	submissions: Submission[];
	inFlight(): number;
	/** Tasks the simulator keeps in memory (expired ones are pruned). */
	storedTasks(): number;
	/** Every violation Prism has reported since start (or since the last reset / `violations.length = 0`). */
	violations: Violation[];
	/** Every call the simulator answered (GET /mock/requests). */
	requests(since?: number): JournalEntry[];
	clock: MockClock;
	/** What POST /mock/reset does. */
	reset(): void;
	close(): Promise<void>;
};

/** Settings for tests: tasks settle in a fraction of a second, no rate limit unless asked. */
export const fastTiming: Partial<SimulatorOptions> = {
	imageTaskMs: 300,
	videoTaskMs: 600,
	rateLimit: null,
};

/**
 * Prism's request check refuses unknown fields (`additionalProperties: false`, and through the
 * oneOf a cascade of messages about the other models). With --accept-unknown-fields the
 * simulator, which checks the same contract minus that rule, has accepted the body: then
 * nothing about the body is a violation.
 */
function isAcceptedUnknownField(violation: Violation): boolean {
	return violation.location.startsWith('request.body') && violation.status < 400;
}

export async function startMock(options: MockOptions = {}): Promise<MockServer> {
	const host = options.host ?? '127.0.0.1';
	const simulator = createSimulator(options.simulator);
	const running = await simulator.listen(options.filesPort ?? 0, host, options.publicUrl);
	const violations = running.violations;
	let prism: Awaited<ReturnType<typeof startPrismProxy>> | undefined;
	try {
		if (options.prism !== false) {
			prism = await startPrismProxy({
				upstream: running.url,
				port: options.port ?? 0,
				host,
				connectHost: connectableHost(host),
				onViolation: (violation) => {
					if (simulator.options.acceptUnknownFields && isAcceptedUnknownField(violation)) return;
					violations.push(violation);
					options.onViolation?.(violation);
				},
			});
		}
	} catch (error) {
		await running.close();
		throw error;
	}
	return {
		url: prism?.url ?? running.url,
		filesUrl: running.filesUrl,
		controlUrl: running.url,
		apiKey: simulator.options.apiKey,
		stats: running.stats,
		submissions: running.submissions,
		inFlight: running.inFlight,
		storedTasks: running.storedTasks,
		violations,
		requests: (since = 0) => running.journal.since(since),
		clock: running.clock,
		reset: running.reset,
		close: async () => {
			await prism?.close();
			await running.close();
		},
	};
}
