// The offline imini: the simulator, fronted by Prism so that every API exchange is checked
// against openapi/imini.yaml. Result files are served by the simulator on its own port (a
// stand-in for imini's CDN), because Prism corrupts binary bodies.
import { createSimulator } from './simulator.ts';
import type { SimulatorOptions, SimulatorStats, Submission } from './simulator.ts';
import { startPrismProxy } from './prism.ts';
import type { Violation } from './prism.ts';

export type { SimulatorOptions, SimulatorStats, Submission, Violation };

export type MockOptions = {
	/** Front-door port (Prism); 0 picks a free one. */
	port?: number;
	/** Simulator port (also the file server); 0 picks a free one. */
	filesPort?: number;
	host?: string;
	/** false: no Prism, the front door is the simulator itself (for side-by-side benchmarks). */
	prism?: boolean;
	simulator?: Partial<SimulatorOptions>;
	/** Called for every contract violation Prism reports. */
	onViolation?: (violation: Violation) => void;
};

export type MockServer = {
	/** Base URL to put in the Imini API credential. */
	url: string;
	/** Where result files are served (the simulator). */
	filesUrl: string;
	apiKey: string;
	stats: SimulatorStats;
	/** What clients submitted (newest 200): the request bodies as the simulator received them. */
	submissions: Submission[];
	inFlight(): number;
	/** Every violation Prism has reported since start (or since the last `violations.length = 0`). */
	violations: Violation[];
	close(): Promise<void>;
};

/** Settings for tests: tasks settle in a fraction of a second, no rate limit unless asked. */
export const fastTiming: Partial<SimulatorOptions> = {
	imageTaskMs: 300,
	videoTaskMs: 600,
	rateLimit: null,
};

export async function startMock(options: MockOptions = {}): Promise<MockServer> {
	const host = options.host ?? '127.0.0.1';
	const simulator = createSimulator(options.simulator);
	const running = await simulator.listen(options.filesPort ?? 0, host);
	const violations: Violation[] = [];
	let prism: Awaited<ReturnType<typeof startPrismProxy>> | undefined;
	try {
		if (options.prism !== false) {
			prism = await startPrismProxy({
				upstream: running.url,
				port: options.port ?? 0,
				host,
				onViolation: (violation) => {
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
		filesUrl: running.url,
		apiKey: simulator.options.apiKey,
		stats: running.stats,
		submissions: running.submissions,
		inFlight: running.inFlight,
		violations,
		close: async () => {
			await prism?.close();
			await running.close();
		},
	};
}
