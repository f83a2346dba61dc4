#!/usr/bin/env node
// `imini-mock` (`npm run mock` in this repository): the offline imini on 127.0.0.1:4010 (Prism)
// with files, console and control API on :4011; `imini-mock verify` checks a real imini.
import { parseArgs } from 'node:util';
import type { ParseArgsConfig } from 'node:util';
import { startMock } from './index.ts';
import { fastTiming } from './index.ts';
import type { SimulatorOptions } from './index.ts';
import { parseFaultRates } from './faults/rates.ts';
import { FaultSyntaxError } from './faults/grammar.ts';
import { formatReport, verify } from './contract/verify.ts';

const help = `Offline imini API (simulator behind Prism, validated against openapi/imini.yaml)

Usage: imini-mock [options]        (in this repository: npm run mock -- [options])
       imini-mock verify --base-url <url> --key <key> [--json]

  --port <n>            front door, checked by Prism            (IMINI_MOCK_PORT, default 4010)
  --files-port <n>      files, task console, control API        (IMINI_MOCK_FILES_PORT, default port+1)
  --host <address>      address to listen on; 0.0.0.0 for containers and other machines
                                                                (IMINI_MOCK_HOST, default 127.0.0.1)
  --public-url <url>    base of the result URLs handed out, e.g. http://host.docker.internal:4011
                                                                (IMINI_MOCK_PUBLIC_URL, default the files port)
  --api-key <key>       the one key accepted                    (IMINI_MOCK_API_KEY, default imini-mock-key)
  --image-time <s>      seconds from submit to a finished image (IMINI_MOCK_IMAGE_TIME, default 6)
  --video-time <s>      seconds from submit to a finished video (IMINI_MOCK_VIDEO_TIME, default 20)
  --fast                tasks finish in 0.3 s (images) / 0.6 s (videos), no rate limit
                        unless --rate-limit is given
  --task-ttl <s>        a finished task is forgotten (404) after this (IMINI_MOCK_TASK_TTL, default 3600)
  --rate-limit <n>      API calls per window per key, 0 = off   (IMINI_MOCK_RATE_LIMIT, default 300)
  --rate-window <s>     the rate limit's sliding window          (IMINI_MOCK_RATE_WINDOW, default 60)
  --retry-after         send Retry-After with 429 answers        (IMINI_MOCK_RETRY_AFTER=1; imini
                        documents no such header, so by default none is sent)
  --credits <n>         credits per key, one per task; then 402  (IMINI_MOCK_CREDITS, default unlimited)
  --accept-unknown-fields  ignore fields a model does not document (IMINI_MOCK_ACCEPT_UNKNOWN_FIELDS=1;
                        imini does not say, so by default they are refused with a 400)
  --seed <text>         the same task ids, request ids and files on every run and after
                        POST /mock/reset                         (IMINI_MOCK_SEED)
  --fault-rate <list>   faults by probability, e.g. 429=0.1,500=0.05,drop=0.01,download-404=0.1
                                                                (IMINI_MOCK_FAULT_RATE)
  --fail-on-violation   on stop, print the contract violations as JSON and exit 1 if there were any
                                                                (IMINI_MOCK_FAIL_ON_VIOLATION=1)
  --no-prism            serve the simulator alone (no contract check)
  -h, --help

Control API (files port): GET /mock/requests, GET /mock/violations, GET /mock/tasks,
POST /mock/reset, GET|POST /mock/clock {"advance": <seconds>} {"freeze": true|false}.

Fault injection: put [mock ...] in a prompt (e.g. "a cat [mock fail]", "[mock submit=429x1]",
"[mock poll2=500]", "[mock time=30000]", "[mock download=404]") or send a header
"X-Mock-Fault: 502|drop|malformed|slow:2000". See "Fault injection" in the README.`;

const options = {
	port: { type: 'string' },
	'files-port': { type: 'string' },
	host: { type: 'string' },
	'public-url': { type: 'string' },
	'api-key': { type: 'string' },
	'image-time': { type: 'string' },
	'video-time': { type: 'string' },
	fast: { type: 'boolean', default: false },
	'task-ttl': { type: 'string' },
	'rate-limit': { type: 'string' },
	'rate-window': { type: 'string' },
	'retry-after': { type: 'boolean', default: false },
	credits: { type: 'string' },
	'accept-unknown-fields': { type: 'boolean', default: false },
	seed: { type: 'string' },
	'fault-rate': { type: 'string' },
	'fail-on-violation': { type: 'boolean', default: false },
	'no-prism': { type: 'boolean', default: false },
	help: { type: 'boolean', short: 'h', default: false },
} satisfies ParseArgsConfig['options'];

const verifyOptions = {
	'base-url': { type: 'string' },
	key: { type: 'string' },
	json: { type: 'boolean', default: false },
	help: { type: 'boolean', short: 'h', default: false },
} satisfies ParseArgsConfig['options'];

/** A usage mistake: one line naming it, a pointer to --help, exit code 2. */
function usageError(message: string): never {
	console.error(`imini-mock: ${message}. See imini-mock --help.`);
	process.exit(2);
}

function parse<O extends ParseArgsConfig['options']>(args: string[], config: O) {
	try {
		return parseArgs({ args, options: config, strict: true, allowPositionals: false });
	} catch (error) {
		const code = (error as { code?: string }).code;
		const option = /'([^']+)'/.exec((error as Error).message)?.[1];
		if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') usageError(`unknown option '${option ?? '?'}'`);
		if (code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL') usageError(`unexpected argument '${option ?? '?'}'`);
		if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') usageError(`option '${option ?? '?'}' needs a value`);
		usageError((error as Error).message.split('\n')[0].replace(/\.$/, ''));
	}
}

const env = process.env;
const argv = process.argv.slice(2);

if (argv[0] === 'verify') {
	const { values } = parse(argv.slice(1), verifyOptions);
	if (values.help) {
		console.log(`Usage: imini-mock verify --base-url <url> --key <key> [--json]

Checks an imini API (e.g. https://openapi.imini.ai/imini/router) against openapi/imini.yaml
through Prism's validating proxy, with calls that spend no credits: polls of a task id that
cannot exist, an invalid key, and submissions the contract refuses. Exit code 0 when every
answer matches the contract, 1 when some differ. --json prints the report as JSON.`);
		process.exit(0);
	}
	const baseUrl = values['base-url'] ?? env.IMINI_BASE_URL;
	const key = values.key ?? env.IMINI_API_KEY;
	if (!baseUrl) usageError('verify needs --base-url <url> (or IMINI_BASE_URL)');
	if (!key) usageError('verify needs --key <key> (or IMINI_API_KEY)');
	if (!URL.canParse(baseUrl)) usageError(`--base-url "${baseUrl}" is not a URL`);
	const report = await verify({ baseUrl, key });
	console.log(values.json ? JSON.stringify(report, null, 2) : formatReport(report));
	process.exit(report.conforms ? 0 : 1);
}

const { values } = parse(argv, options);

if (values.help) {
	console.log(help);
	process.exit(0);
}

function number(flag: string | undefined, envName: string, fallback: number): number {
	const raw = flag ?? env[envName];
	if (raw === undefined || raw === '') return fallback;
	const value = Number(raw);
	if (!Number.isFinite(value) || value < 0) {
		const option = `--${envName.replace('IMINI_MOCK_', '').toLowerCase().replaceAll('_', '-')}`;
		usageError(`invalid value "${raw}" for ${option} (${envName}): expected a non-negative number`);
	}
	return value;
}

const flag = (value: boolean, envName: string) => value || env[envName] === '1';

const port = number(values.port, 'IMINI_MOCK_PORT', 4010);
const filesPort = number(values['files-port'], 'IMINI_MOCK_FILES_PORT', port + 1);
const rate = number(values['rate-limit'], 'IMINI_MOCK_RATE_LIMIT', 300);
const rateWindowMs = number(values['rate-window'], 'IMINI_MOCK_RATE_WINDOW', 60) * 1000;
const publicUrl = values['public-url'] ?? env.IMINI_MOCK_PUBLIC_URL;
if (publicUrl && !/^https?:\/\//.test(publicUrl)) usageError(`--public-url "${publicUrl}" must be an http(s) URL`);
let faultRates: SimulatorOptions['faultRates'] | undefined;
try {
	const text = values['fault-rate'] ?? env.IMINI_MOCK_FAULT_RATE;
	if (text) faultRates = parseFaultRates(text);
} catch (error) {
	if (error instanceof FaultSyntaxError) usageError(`--fault-rate: ${error.message.replace(/\.$/, '')}`);
	throw error;
}
const seed = values.seed ?? env.IMINI_MOCK_SEED;
const failOnViolation = flag(values['fail-on-violation'], 'IMINI_MOCK_FAIL_ON_VIOLATION');

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
	retryAfter: flag(values['retry-after'], 'IMINI_MOCK_RETRY_AFTER'),
	taskTtlMs: number(values['task-ttl'], 'IMINI_MOCK_TASK_TTL', 3600) * 1000,
	credits: values.credits ?? env.IMINI_MOCK_CREDITS ? number(values.credits, 'IMINI_MOCK_CREDITS', 0) : null,
	acceptUnknownFields: flag(values['accept-unknown-fields'], 'IMINI_MOCK_ACCEPT_UNKNOWN_FIELDS'),
	...(seed ? { seed } : {}),
	...(faultRates ? { faultRates } : {}),
};

const mock = await startMock({
	port,
	filesPort,
	host: values.host ?? env.IMINI_MOCK_HOST ?? '127.0.0.1',
	publicUrl,
	prism: !values['no-prism'],
	simulator,
	onViolation: (v) =>
		console.error(
			`\x1b[41m\x1b[97m CONTRACT VIOLATION \x1b[0m ${v.method} ${v.path} -> ${v.status}: ${v.location} ${v.message}`,
		),
});

const listening = values.host ?? env.IMINI_MOCK_HOST;
console.log(`imini mock is running (offline, no credits spent)

  Base URL:  ${mock.url}${values['no-prism'] ? '' : '   (every request and response checked against openapi/imini.yaml by Prism)'}
             ${mock.url}/imini/router works too (production's path prefix)${listening ? `\n  Listening: ${listening}` : ''}
  API key:   ${mock.apiKey}
  Files:     ${mock.filesUrl}/files/...
  Tasks:     ${mock.controlUrl}/            (task console; JSON: ${mock.controlUrl}/mock/tasks)
  Control:   ${mock.controlUrl}/mock/requests, /mock/violations, POST /mock/reset, POST /mock/clock${seed ? `\n  Seed:      ${seed}` : ''}

  Try:  curl -s -X POST ${mock.url}/v1/images/generate \\
          -H 'Authorization: Bearer ${mock.apiKey}' -H 'Content-Type: application/json' \\
          -d '{"model":"google/nano-banana","prompt":"a red fox in the snow"}'

Press Ctrl-C to stop.`);

let stopping = false;
async function stop(signal: string) {
	if (stopping) return;
	stopping = true;
	console.log(`\n${signal}: stopping the imini mock...`);
	const violations = [...mock.violations];
	await mock.close();
	if (failOnViolation && violations.length > 0) {
		console.error(`imini-mock: ${violations.length} contract violation(s); report follows on stdout.`);
		console.log(JSON.stringify({ violations: violations.length, details: violations }));
		process.exit(1);
	}
	process.exit(0);
}
process.on('SIGINT', () => void stop('SIGINT'));
process.on('SIGTERM', () => void stop('SIGTERM'));
