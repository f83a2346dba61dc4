// What every handler of the simulator's API works with, in one object that simulator.ts builds
// once: the settings, the contract, the tasks, the ids, the journal and counters, the clock, the
// rendered files, the rate quota and the way an injected fault is answered. A handler takes the
// whole object and reads what it needs, so a new service is added in one place.
import type { Contract } from '../contract/validator.ts';
import type { IdSource } from '../core/ids.ts';
import type { Journal } from '../core/journal.ts';
import type { SimulatorStats } from '../core/simulator-stats.ts';
import type { ApplyFault } from '../faults/replies.ts';
import type { SimulatorOptions } from '../options.ts';
import type { createResultFiles } from '../render/render-pool.ts';
import type { TaskStore } from '../tasks/task-store.ts';
import type { createRateLimiter } from './rate-limit.ts';

export type MockServices = {
	options: SimulatorOptions;
	contract: Contract;
	store: TaskStore;
	ids: IdSource;
	journal: Journal;
	/** The mock's clock (POST /mock/clock moves it). */
	now: () => number;
	/** Result files, rendered as tasks are created. */
	resultFiles: ReturnType<typeof createResultFiles>;
	/** Answers an injected fault (faults/replies.ts). */
	applyFault: ApplyFault;
	stats: SimulatorStats;
	rateLimiter: ReturnType<typeof createRateLimiter>;
	/** The base of result URLs, known once the simulator listens. */
	filesBaseUrl: () => string;
};
