// The set-up every real-n8n test file shares: the offline imini, an n8n user folder with the
// package installed from its packed tarball and the Imini API credential in it (and the scripted
// chat model's, when asked), then `n8n start`; and, after the file's tests, everything stopped in
// the reverse order, whole process groups included (dev/n8n/processes.ts). A test file calls
// `useRealN8n(...)` once at its top level and reads what it started from the returned object
// once its own `beforeAll` hooks run (jest runs hooks in the order they are declared).
import { startMock } from '../../mock-server/index.ts';
import type { MockOptions, MockServer } from '../../mock-server/index.ts';
import { startScriptedChatModel } from '../../dev/scripted-chat-model.ts';
import type { ScriptedChatModel } from '../../dev/scripted-chat-model.ts';
import { createN8nHome } from '../../dev/n8n/home.ts';
import type { N8nHome } from '../../dev/n8n/home.ts';
import { assertN8nInstalled } from '../../dev/n8n/paths.ts';
import { provisionImini } from '../../dev/n8n/provision.ts';
import { startN8n } from '../../dev/n8n/server.ts';
import type { RunningN8n } from '../../dev/n8n/server.ts';

/** The credential's name as the editor shows it. */
export const MOCK_CREDENTIAL_NAME = 'Imini API (offline mock)';

export type RealN8nOptions = {
	/** The offline imini's settings (rate limit off unless given). */
	simulator?: MockOptions['simulator'];
	/** n8n's environment, for every n8n call (e.g. N8N_DEFAULT_BINARY_DATA_MODE). */
	env?: Record<string, string>;
	/** The examples imported with the credential: all, none (the default) or those with these ids. */
	examples?: boolean | string[];
	/** Start the scripted chat model and add its credential (for AI Agent workflows). */
	chatModel?: boolean;
	credentialName?: string;
	/** After the package and credential are in place, before `n8n start` (import workflows, run `n8n execute`). */
	beforeStart?: (setup: RealN8n) => Promise<unknown>;
	/** `n8n start` (default true); false for files that only use n8n's CLI. */
	start?: boolean;
};

export type RealN8n = {
	mock: MockServer;
	home: N8nHome;
	/** The running n8n (after `restart`, the new one). Unset when `start: false`. */
	n8n: RunningN8n;
	model: ScriptedChatModel | undefined;
	/** How long the set-up took: the package installed and provisioned, and `n8n start`. */
	timings: { provisionMs: number; startMs: number };
	/** `n8n start` again in the same user folder (after the old process was killed or stopped). */
	restart(): Promise<RunningN8n>;
};

export function useRealN8n(options: RealN8nOptions = {}): RealN8n {
	const setup = { timings: { provisionMs: 0, startMs: 0 } } as RealN8n;
	let n8n: RunningN8n | undefined;
	setup.restart = async () => {
		await n8n?.stop();
		n8n = await startN8n(setup.home);
		setup.n8n = n8n;
		return n8n;
	};

	beforeAll(async () => {
		assertN8nInstalled();
		setup.mock = await startMock({ simulator: { rateLimit: null, ...options.simulator } });
		setup.model = options.chatModel ? await startScriptedChatModel() : undefined;
		let started = Date.now();
		setup.home = await createN8nHome({ env: options.env });
		// Before `n8n start`: n8n loads community packages when it starts.
		await provisionImini(
			setup.home,
			{ apiKey: setup.mock.apiKey, baseUrl: setup.mock.url, name: options.credentialName ?? MOCK_CREDENTIAL_NAME },
			{ examples: options.examples ?? false, chatModelUrl: setup.model?.url },
		);
		setup.timings.provisionMs = Date.now() - started;
		await options.beforeStart?.(setup);
		if (options.start !== false) {
			started = Date.now();
			n8n = await startN8n(setup.home);
			setup.n8n = n8n;
			setup.timings.startMs = Date.now() - started;
		}
	});

	afterAll(async () => {
		await n8n?.stop();
		await setup.home?.cleanup();
		await setup.model?.close();
		await setup.mock?.close();
	});

	return setup;
}
