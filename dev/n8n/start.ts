// `npm start`: a real n8n with this package installed from its tarball, an "Imini API"
// credential and the example workflows, against the offline mock (or imini itself when
// IMINI_API_KEY is set), and a scripted chat model for the agent example. Ctrl-C stops
// everything it started.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startMock } from '../../mock-server/index.ts';
import { startScriptedChatModel } from '../scripted-chat-model.ts';
import { OWNER, REPO_ROOT, createN8nHome, runN8n, startN8n } from './n8n-cli.ts';
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
// The agent example needs a chat model; offline, a scripted one draws whatever is typed.
const chatModel = await startScriptedChatModel({ port: Number(process.env.IMINI_CHAT_MODEL_PORT ?? 4012) });
say(`scripted chat model on ${chatModel.url}`);

// Kept between runs, so workflows you build survive a restart.
const home = await createN8nHome({ root: join(REPO_ROOT, '.tools', 'n8n-home'), port });
const firstRun = !existsSync(join(home.dataDir, 'database.sqlite'));
say(`installing the package into n8n (${home.root}) ...`);
// Each example is imported once (the stamp lists them): later starts leave your edits and
// deletions alone, and bring in the examples added since.
const examplesStamp = join(home.root, '.examples-imported');
const imported = await importedExamples();
const { workflows } = await provisionImini(
	home,
	apiKey
		? { apiKey, baseUrl: PRODUCTION_BASE_URL, name: 'Imini API' }
		: { apiKey: mock!.apiKey, baseUrl: mock!.url, name: 'Imini API (offline mock)' },
	{ examples: exampleWorkflows().map((w) => w.id).filter((id) => !imported.includes(id)), chatModelUrl: chatModel.url },
);
if (workflows.length) writeFileSync(examplesStamp, JSON.stringify([...imported, ...workflows.map((w) => w.id)]));
say(`starting n8n on http://127.0.0.1:${port}${firstRun ? ' (first start: about 15 s)' : ''} ...`);
const n8n = await startN8n(home);

const first = exampleWorkflows()[0];
const agentExample = exampleWorkflows().find((w) => w.id === 'iminiEx6AgentChat');
console.log(`
  n8n is ready: ${n8n.url}   (${((Date.now() - started) / 1000).toFixed(0)} s)

  Log in:     ${OWNER.email}  /  ${OWNER.password}
  Open:       ${n8n.url}/workflow/${first.id}   ("${first.name}")
  Then click  "Execute workflow", and open Imini Generate's output (Binary tab) to see the image.

  Examples:   ${exampleWorkflows()
		.map((w) => w.name)
		.join('\n              ')}
  Credential: ${apiKey ? 'Imini API (your key, real imini)' : `Imini API (offline mock) -> ${mock!.url}, no key or credits needed`}
  Agent:      open "${agentExample?.name ?? 'the agent example'}", click "Open chat" and ask for a picture
              (the chat model is a scripted stand-in: it draws exactly what you type)

Press Ctrl-C to stop n8n, ${mock ? 'the mock ' : ''}and the chat model.
`);

async function importedExamples(): Promise<string[]> {
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
	console.log(`\n${signal}: stopping n8n${mock ? ', the mock' : ''} and the chat model ...`);
	await n8n.stop();
	await mock?.close();
	await chatModel.close();
	process.exit(0);
}
process.on('SIGINT', () => void stop('SIGINT'));
process.on('SIGTERM', () => void stop('SIGTERM'));
