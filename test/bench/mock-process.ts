// The offline imini (simulator behind Prism) in a process of its own, so that its CPU and memory
// are never counted in the process being measured. Started by bench-processes.ts with child_process.fork:
//   argv[2] = JSON MockOptions (port 0 = any free port)
// Talks over IPC:
//   -> { type: 'ready', url, filesUrl, apiKey }
//   <- { type: 'log', on: boolean }      start (clearing) or stop recording simulator requests
//   <- { type: 'take' }                  -> { type: 'taken', log, stats, violations, cpu }
//   <- { type: 'close' }                 closes the mock and exits
// The request log is read off Node's http diagnostics channels (the mock itself is not touched):
// every request that reaches the SIMULATOR (behind Prism, or directly) with its arrival time and
// the time its response finished, in epoch ms (the same clock as the engine process).
import { subscribe } from 'node:diagnostics_channel';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { startMock } from '../../mock-server/index.ts';
import type { MockOptions } from '../../mock-server/index.ts';

export type LogEntry = { t: number; end?: number; method: string; url: string };

export type MockMessage =
	| { type: 'ready'; url: string; filesUrl: string; apiKey: string }
	| { type: 'taken'; log: LogEntry[]; stats: Record<string, number>; violations: number; cpuMs: number; wallMs: number };

const options = JSON.parse(process.argv[2] ?? '{}') as MockOptions;
const mock = await startMock(options);
const simulatorPort = Number(new URL(mock.filesUrl).port);

let recording = false;
let log: LogEntry[] = [];
let cpuStart = process.cpuUsage();
let wallStart = performance.now();

subscribe('http.server.request.start', (message) => {
	if (!recording) return;
	const { request, response } = message as { request: IncomingMessage; response: ServerResponse };
	if (request.socket?.localPort !== simulatorPort) return;
	const entry: LogEntry = { t: Date.now(), method: request.method ?? '?', url: request.url ?? '' };
	log.push(entry);
	response.once('finish', () => {
		entry.end = Date.now();
	});
});

const send = (message: MockMessage) => process.send?.(message);

process.on('message', (raw) => {
	const message = raw as { type: string; on?: boolean };
	if (message.type === 'log') {
		recording = Boolean(message.on);
		log = [];
		cpuStart = process.cpuUsage();
		wallStart = performance.now();
	} else if (message.type === 'take') {
		const cpu = process.cpuUsage(cpuStart);
		send({
			type: 'taken',
			log,
			stats: { ...mock.stats },
			violations: mock.violations.length,
			cpuMs: (cpu.user + cpu.system) / 1000,
			wallMs: performance.now() - wallStart,
		});
		log = [];
	} else if (message.type === 'close') {
		void mock.close().finally(() => process.exit(0));
	}
});
// The parent going away (Ctrl-C, crash) takes the mock with it.
process.on('disconnect', () => {
	void mock.close().finally(() => process.exit(0));
});

send({ type: 'ready', url: mock.url, filesUrl: mock.filesUrl, apiKey: mock.apiKey });
