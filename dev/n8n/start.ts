// `npm start`: a real n8n with this package installed from its tarball, an "Imini API"
// credential and the example workflows, against the offline mock (or imini itself when
// IMINI_API_KEY is set). Ctrl-C stops everything it started.
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startMock } from '../../mock-server/index.ts';
import { OWNER, REPO_ROOT, createN8nHome, startN8n } from './n8n-cli.ts';
import { exampleWorkflows, provisionImini } from './provision.ts';

const PRODUCTION_BASE_URL = 'https://openapi.imini.ai/imini/router';
const apiKey = process.env.IMINI_API_KEY?.trim();
const port = Number(process.env.N8N_PORT ?? 5678);
const started = Date.now();
const say = (text: string) => console.log(`[imini ${((Date.now() - started) / 1000).toFixed(1).padStart(5)}s] ${text}`);

const mock = apiKey
	? undefined
	: await startMock({
			port: Number(process.env.IMINI_MOCK_PORT ?? 4010),
			filesPort: Number(process.env.IMINI_MOCK_FILES_PORT ?? 4011),
			onViolation: (v) => console.error(`\x1b[41m\x1b[97m CONTRACT VIOLATION \x1b[0m ${v.method} ${v.path} -> ${v.status}: ${v.location} ${v.message}`),
		});
if (mock) say(`offline imini mock on ${mock.url} (key ${mock.apiKey})`);
else say('IMINI_API_KEY is set: the credential points at the real imini API (tasks spend credits)');

// Kept between runs, so workflows you build survive a restart.
const home = await createN8nHome({ root: join(REPO_ROOT, '.tools', 'n8n-home'), port });
const firstRun = !existsSync(join(home.dataDir, 'database.sqlite'));
say(`installing the package into n8n (${home.root}) ...`);
const examplesStamp = join(home.root, '.examples-imported');
const { workflows } = await provisionImini(
	home,
	apiKey
		? { apiKey, baseUrl: PRODUCTION_BASE_URL, name: 'Imini API' }
		: { apiKey: mock!.apiKey, baseUrl: mock!.url, name: 'Imini API (offline mock)' },
	// Examples are imported once; later starts leave your edits alone.
	{ examples: !existsSync(examplesStamp) },
);
if (workflows.length) writeFileSync(examplesStamp, new Date().toISOString());
say(`starting n8n on http://127.0.0.1:${port}${firstRun ? ' (first start: about 15 s)' : ''} ...`);
const n8n = await startN8n(home);

const first = exampleWorkflows()[0];
console.log(`
  n8n is ready: ${n8n.url}   (${((Date.now() - started) / 1000).toFixed(0)} s)

  Log in:     ${OWNER.email}  /  ${OWNER.password}
  Open:       ${n8n.url}/workflow/${first.id}   ("${first.name}")
  Then click  "Execute workflow", and open Imini Generate's output (Binary tab) to see the image.

  Examples:   ${exampleWorkflows()
		.map((w) => w.name)
		.join('\n              ')}
  Credential: ${apiKey ? 'Imini API (your key, real imini)' : `Imini API (offline mock) -> ${mock!.url}, no key or credits needed`}

Press Ctrl-C to stop n8n${mock ? ' and the mock' : ''}.
`);

let stopping = false;
async function stop(signal: string) {
	if (stopping) return;
	stopping = true;
	console.log(`\n${signal}: stopping n8n${mock ? ' and the mock' : ''} ...`);
	await n8n.stop();
	await mock?.close();
	process.exit(0);
}
process.on('SIGINT', () => void stop('SIGINT'));
process.on('SIGTERM', () => void stop('SIGTERM'));
