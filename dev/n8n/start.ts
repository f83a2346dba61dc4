// `npm start`: a real n8n with this package installed from its tarball, an "Imini API"
// credential and the example workflows, against the offline mock (or imini itself when
// IMINI_API_KEY is set). `npm start -- --queue` runs the same as n8n's queue mode: PostgreSQL,
// Redis, n8n main and two workers. Ctrl-C stops everything it started.
import { execFileSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { startMock } from '../../mock-server/index.ts';
import { createN8nHome } from './home.ts';
import { REPO_ROOT } from './paths.ts';
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
IMINI_MOCK_PORT / IMINI_MOCK_FILES_PORT (default 4010 / 4011).`);
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
const credential = apiKey
	? { apiKey, baseUrl: PRODUCTION_BASE_URL, name: 'Imini API' }
	: { apiKey: mock!.apiKey, baseUrl: mock!.url, name: 'Imini API (offline mock)' };

// Kept between runs, so workflows you build survive a restart. Examples are imported once;
// later starts leave your edits alone.
const root = join(REPO_ROOT, '.tools', flags.queue ? 'n8n-queue' : 'n8n-home');
const examplesStamp = join(root, '.examples-imported');
const importExamples = !existsSync(examplesStamp);

let n8n: RunningN8n;
let queue: QueueMode | undefined;
if (flags.queue) {
	queue = await startQueueMode({
		root,
		port,
		onProgress: say,
		prepare: (main, workers) => provisionImini(main, credential, { examples: importExamples, workerHomes: workers }).then(() => undefined),
	});
	n8n = queue.main;
} else {
	const home = await createN8nHome({ root, port });
	say(`installing the package into n8n (${home.root}) ...`);
	await provisionImini(home, credential, { examples: importExamples });
	say(`starting n8n on http://127.0.0.1:${port}${existsSync(join(home.dataDir, 'database.sqlite')) ? '' : ' (first start: about 15 s)'} ...`);
	n8n = await startN8n(home);
}
if (importExamples) {
	// Published, so its production URL answers at once (the editor's Publish button does the same).
	await activateWorkflow(n8n, WEBHOOK_EXAMPLE_ID);
	writeFileSync(examplesStamp, new Date().toISOString());
}

const first = exampleWorkflows()[0];
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

Press Ctrl-C to stop ${queue ? 'n8n, its workers, PostgreSQL, Redis' : 'n8n'}${mock ? ' and the mock' : ''}.
`);

let stopping = false;
async function stop(signal: string) {
	if (stopping) return;
	stopping = true;
	console.log(`\n${signal}: stopping everything npm start started ...`);
	await (queue ? queue.stop() : n8n.stop());
	await mock?.close();
	console.log('stopped.');
	process.exit(0);
}
process.on('SIGINT', () => void stop('SIGINT'));
process.on('SIGTERM', () => void stop('SIGTERM'));
