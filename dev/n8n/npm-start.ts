// `npm start`: a real n8n with this package installed from its tarball, an "Imini API"
// credential and the example workflows, against the offline mock (or imini itself when
// IMINI_API_KEY is set), and a scripted chat model for the agent example. `npm start -- --queue`
// runs the same as n8n's queue mode: PostgreSQL, Redis, n8n main and two workers. Ctrl-C stops
// everything it started.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { startMock } from '../../mock-server/index.ts';
import { startScriptedChatModel } from '../scripted-chat-model.ts';
import { runN8n } from './n8n-commands.ts';
import { createN8nHome } from './home.ts';
import type { N8nHome } from './home.ts';
import { N8N_VERSION, REPO_ROOT, versionedToolsDir } from './paths.ts';
import { WEBHOOK_EXAMPLE_ID, exampleWorkflows, provisionImini } from './provision.ts';
import { startQueueMode } from './queue-mode.ts';
import type { QueueMode } from './queue-mode.ts';
import { OWNER, activateWorkflow, startN8n } from './server.ts';
import type { RunningN8n } from './server.ts';

const { values: flags } = parseArgs({ options: { queue: { type: 'boolean', default: false }, help: { type: 'boolean', short: 'h', default: false } } });
if (flags.help) {
	console.log(`Usage: npm start [-- --queue]

  (no flag)   one n8n process (SQLite), data kept in .tools/n8n-home
  --queue     n8n's queue mode: PostgreSQL, Redis, n8n main and two workers, binary data in the
              database; data kept in .tools/n8n-queue (Redis and PostgreSQL from Debian's packages,
              installed with apt-get when missing)

Environment: IMINI_API_KEY (use the real imini instead of the mock), N8N_PORT (default 5678),
IMINI_MOCK_PORT / IMINI_MOCK_FILES_PORT (default 4010 / 4011), IMINI_CHAT_MODEL_PORT (default 4012).`);
	process.exit(0);
}

const PRODUCTION_BASE_URL = 'https://openapi.imini.ai/imini/router';
const apiKey = process.env.IMINI_API_KEY?.trim();
const port = Number(process.env.N8N_PORT ?? 5678);
const started = Date.now();
const say = (text: string) => console.log(`[imini ${((Date.now() - started) / 1000).toFixed(1).padStart(5)}s] ${text}`);

if (flags.queue) execFileSync('bash', [join(REPO_ROOT, 'dev', 'n8n', 'install-queue-services.sh')], { stdio: 'inherit' });

const mock = apiKey
	? undefined
	: await startMock({
			port: Number(process.env.IMINI_MOCK_PORT ?? 4010),
			filesPort: Number(process.env.IMINI_MOCK_FILES_PORT ?? 4011),
			onViolation: (v) => console.error(`\x1b[41m\x1b[97m CONTRACT VIOLATION \x1b[0m ${v.method} ${v.path} -> ${v.status}: ${v.location} ${v.message}`),
		});
if (mock) say(`offline imini mock on ${mock.url} (key ${mock.apiKey})`);
else say('IMINI_API_KEY is set: the credential points at the real imini API (tasks spend credits)');
// The agent example needs a chat model; offline, a scripted one draws whatever is typed.
const chatModel = await startScriptedChatModel({ port: Number(process.env.IMINI_CHAT_MODEL_PORT ?? 4012) });
say(`scripted chat model on ${chatModel.url}`);
const credential = apiKey
	? { apiKey, baseUrl: PRODUCTION_BASE_URL, name: 'Imini API' }
	: { apiKey: mock!.apiKey, baseUrl: mock!.url, name: 'Imini API (offline mock)' };

// Kept between runs, so workflows you build survive a restart. Each example is imported once (the
// stamp lists them): later starts leave your edits and deletions alone, and bring in the examples
// added since.
// Another n8n (N8N_VERSION) keeps its own data: a database migrated by one version may not open in another.
const root = versionedToolsDir(flags.queue ? 'n8n-queue' : 'n8n-home');
const examplesStamp = join(root, '.examples-imported');
const provision = async (home: N8nHome, workerHomes?: N8nHome[]) => {
	const imported = await importedExamples(home);
	const { workflows } = await provisionImini(home, credential, {
		examples: exampleWorkflows()
			.map((w) => w.id)
			.filter((id) => !imported.includes(id)),
		chatModelUrl: chatModel.url,
		workerHomes,
	});
	return { imported, fresh: workflows.map((w) => w.id) };
};

let n8n: RunningN8n;
let queue: QueueMode | undefined;
let examples: { imported: string[]; fresh: string[] } = { imported: [], fresh: [] };
if (flags.queue) {
	queue = await startQueueMode({
		root,
		port,
		onProgress: say,
		prepare: async (main, workers) => {
			examples = await provision(main, workers);
		},
	});
	n8n = queue.main;
} else {
	const home = await createN8nHome({ root, port });
	const firstRun = !existsSync(join(home.dataDir, 'database.sqlite'));
	say(`installing the package into n8n (${home.root}) ...`);
	examples = await provision(home);
	say(`starting n8n ${N8N_VERSION} on http://127.0.0.1:${port}${firstRun ? ' (first start: about 15 s)' : ''} ...`);
	n8n = await startN8n(home);
}
if (examples.fresh.length) {
	// Published, so its production URL answers at once (the editor's Publish button does the same).
	if (examples.fresh.includes(WEBHOOK_EXAMPLE_ID)) await activateWorkflow(n8n, WEBHOOK_EXAMPLE_ID);
	writeFileSync(examplesStamp, JSON.stringify([...examples.imported, ...examples.fresh]));
}

const first = exampleWorkflows()[0];
const agentExample = exampleWorkflows().find((w) => w.id === 'iminiEx6AgentChat');
const where = queue
	? `
  Queue mode: n8n main   ${n8n.url}  (pid ${n8n.pid}, user folder ${queue.mainHome.root})
              ${queue.workers.map((w) => `${w.name}   pid ${w.service.pid}, health ${w.healthUrl}, log ${w.service.logPath}`).join('\n              ')}
              PostgreSQL ${queue.postgres.version}  127.0.0.1:${queue.postgres.port}  database ${queue.postgres.database}, data ${queue.postgres.dataDir}
              Redis ${queue.redis.version}  127.0.0.1:${queue.redis.port}
              Binary data in the database; editor runs go to the workers too.
`
	: '';
console.log(`
  n8n is ready: ${n8n.url}   (${((Date.now() - started) / 1000).toFixed(0)} s)
${where}
  Log in:     ${OWNER.email}  /  ${OWNER.password}
  Open:       ${n8n.url}/workflow/${first.id}   ("${first.name}")
  Then click  "Execute workflow", and open Imini Generate's output (Binary tab) to see the image.
  Webhook:    curl -s -X POST ${n8n.url}/webhook/imini-images -H 'Content-Type: application/json' \\
                -d '{"prompts": ["a red fox", "a paper boat"]}'

  Examples:   ${exampleWorkflows()
		.map((w) => w.name)
		.join('\n              ')}
  Credential: ${apiKey ? 'Imini API (your key, real imini)' : `Imini API (offline mock) -> ${mock!.url}, no key or credits needed`}
  Agent:      open "${agentExample?.name ?? 'the agent example'}", click "Open chat" and ask for a picture
              (the chat model is a scripted stand-in: it draws exactly what you type)

Press Ctrl-C to stop ${queue ? 'n8n, its workers, PostgreSQL, Redis' : 'n8n'}, ${mock ? 'the mock ' : ''}and the chat model.
`);

async function importedExamples(home: N8nHome): Promise<string[]> {
	if (!existsSync(examplesStamp)) return [];
	try {
		return JSON.parse(readFileSync(examplesStamp, 'utf8')) as string[];
	} catch {
		// A stamp from before it listed them (a date): the workflows n8n has tell.
		const listed = await runN8n(home, ['list:workflow', '--onlyId']);
		return listed.stdout.split('\n').map((line) => line.trim()).filter(Boolean);
	}
}

let stopping = false;
async function stop(signal: string) {
	if (stopping) return;
	stopping = true;
	console.log(`\n${signal}: stopping everything npm start started ...`);
	await (queue ? queue.stop() : n8n.stop());
	await mock?.close();
	await chatModel.close();
	console.log('stopped.');
	process.exit(0);
}
process.on('SIGINT', () => void stop('SIGINT'));
process.on('SIGTERM', () => void stop('SIGTERM'));
