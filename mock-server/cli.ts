#!/usr/bin/env node
// `imini-mock` (`npm run mock` in this repository): the offline imini on 127.0.0.1:4010 (Prism) with files on :4011.
import { parseArgs } from 'node:util';
import { startMock } from './index.ts';
import { fastTiming } from './index.ts';
import type { SimulatorOptions } from './index.ts';

const help = `Offline imini API (simulator behind Prism, validated against openapi/imini.yaml)

Usage: imini-mock [options]        (in this repository: npm run mock -- [options])

  --port <n>            front door, checked by Prism            (IMINI_MOCK_PORT, default 4010)
  --files-port <n>      simulator and result files             (IMINI_MOCK_FILES_PORT, default port+1)
  --api-key <key>       the one key accepted                    (IMINI_MOCK_API_KEY, default imini-mock-key)
  --image-time <s>      seconds from submit to a finished image (IMINI_MOCK_IMAGE_TIME, default 6)
  --video-time <s>      seconds from submit to a finished video (IMINI_MOCK_VIDEO_TIME, default 20)
  --fast                tasks finish in 0.3 s (images) / 0.6 s (videos), no rate limit
                        unless --rate-limit is given
  --task-ttl <s>        a finished task is forgotten (404) after this (default 3600)
  --rate-limit <n>      API calls per window per key, 0 = off   (IMINI_MOCK_RATE_LIMIT, default 300)
  --rate-window <s>     the rate limit's sliding window          (IMINI_MOCK_RATE_WINDOW, default 60)
  --retry-after         send Retry-After with 429 answers        (IMINI_MOCK_RETRY_AFTER=1; imini
                        documents no such header, so by default none is sent)
  --credits <n>         credits per key, one per task; then 402  (default unlimited)
  --no-prism            serve the simulator alone (no contract check)
  -h, --help

Fault injection: put [mock ...] in a prompt (e.g. "a cat [mock fail]", "[mock submit=429x1]",
"[mock poll2=500]", "[mock time=30000]") or send a header "X-Mock-Fault: 502|drop|malformed|slow:2000".
See "Fault injection" in the README.`;

const { values } = parseArgs({
	options: {
		port: { type: 'string' },
		'files-port': { type: 'string' },
		'api-key': { type: 'string' },
		'image-time': { type: 'string' },
		'video-time': { type: 'string' },
		fast: { type: 'boolean', default: false },
		'task-ttl': { type: 'string' },
		'rate-limit': { type: 'string' },
		'rate-window': { type: 'string' },
		'retry-after': { type: 'boolean', default: false },
		credits: { type: 'string' },
		'no-prism': { type: 'boolean', default: false },
		help: { type: 'boolean', short: 'h', default: false },
	},
});

if (values.help) {
	console.log(help);
	process.exit(0);
}

const env = process.env;
function number(flag: string | undefined, envName: string, fallback: number): number {
	const raw = flag ?? env[envName];
	if (raw === undefined || raw === '') return fallback;
	const value = Number(raw);
	if (!Number.isFinite(value) || value < 0) {
		console.error(`Invalid value "${raw}" for ${envName.toLowerCase()}: expected a non-negative number.`);
		process.exit(2);
	}
	return value;
}

const port = number(values.port, 'IMINI_MOCK_PORT', 4010);
const filesPort = number(values['files-port'], 'IMINI_MOCK_FILES_PORT', port + 1);
const rate = number(values['rate-limit'], 'IMINI_MOCK_RATE_LIMIT', 300);
const rateWindowMs = number(values['rate-window'], 'IMINI_MOCK_RATE_WINDOW', 60) * 1000;
const simulator: Partial<SimulatorOptions> = {
	...(values.fast ? fastTiming : {}),
	apiKey: values['api-key'] ?? env.IMINI_MOCK_API_KEY ?? 'imini-mock-key',
	...(values.fast
		? {}
		: {
				imageTaskMs: number(values['image-time'], 'IMINI_MOCK_IMAGE_TIME', 6) * 1000,
				videoTaskMs: number(values['video-time'], 'IMINI_MOCK_VIDEO_TIME', 20) * 1000,
			}),
	// --fast turns the limit off unless one is asked for explicitly.
	rateLimit:
		rate > 0 && (!values.fast || (values['rate-limit'] ?? env.IMINI_MOCK_RATE_LIMIT) !== undefined)
			? { requests: rate, windowMs: rateWindowMs || 60_000 }
			: null,
	retryAfter: values['retry-after'] || env.IMINI_MOCK_RETRY_AFTER === '1',
	taskTtlMs: number(values['task-ttl'], 'IMINI_MOCK_TASK_TTL', 3600) * 1000,
	credits: values.credits ?? env.IMINI_MOCK_CREDITS ? number(values.credits, 'IMINI_MOCK_CREDITS', 0) : null,
};

const mock = await startMock({
	port,
	filesPort,
	prism: !values['no-prism'],
	simulator,
	onViolation: (v) =>
		console.error(
			`\x1b[41m\x1b[97m CONTRACT VIOLATION \x1b[0m ${v.method} ${v.path} -> ${v.status}: ${v.location} ${v.message}`,
		),
});

console.log(`imini mock is running (offline, no credits spent)

  Base URL:  ${mock.url}${values['no-prism'] ? '' : '   (every request and response checked against openapi/imini.yaml by Prism)'}
  API key:   ${mock.apiKey}
  Files:     ${mock.filesUrl}/files/...
  Tasks:     ${mock.filesUrl}/            (task console; JSON: ${mock.filesUrl}/mock/tasks)

  Try:  curl -s -X POST ${mock.url}/v1/images/generate \\
          -H 'Authorization: Bearer ${mock.apiKey}' -H 'Content-Type: application/json' \\
          -d '{"model":"google/nano-banana","prompt":"a red fox in the snow"}'

Press Ctrl-C to stop.`);

let stopping = false;
async function stop(signal: string) {
	if (stopping) return;
	stopping = true;
	console.log(`\n${signal}: stopping the imini mock...`);
	await mock.close();
	process.exit(0);
}
process.on('SIGINT', () => void stop('SIGINT'));
process.on('SIGTERM', () => void stop('SIGTERM'));
