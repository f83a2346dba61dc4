// Issue 28: result files stream into n8n's binary data through the checks, never held whole.
// Through n8n's real engine and HTTP helper (filesystem binary mode, n8n's default outside queue
// mode), against the offline imini's CDN: a 300 MB video is stored holding a constant; a body
// that stalls is cut within its window, retried, then reported with its task; and a file that
// fails a check leaves nothing in n8n's binary data. The node under test is a stand-in that
// downloads one URL the way Imini Generate does (createIminiClient, toNodeError).
import { createEngine } from '../harness/n8n-engine/engine';
import { Container, core } from '../harness/n8n-engine/environment';
import { databaseRows } from '../harness/n8n-engine/binary-store';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { IminiApi } from '../../credentials/IminiApi.credentials';
import { IminiGenerate } from '../../nodes/IminiGenerate/IminiGenerate.node';
import { accounts } from '../../nodes/engine/process-state';
import { DEFAULT_DOWNLOAD_LIMITS } from '../../nodes/engine/result-files';
import type { DownloadLimits } from '../../nodes/engine/result-files';
import { useMock } from '../harness/mock';
import { fetchFileNode } from '../harness/n8n-engine/fetch-file-node';

const MB = 1024 * 1024;
let limits: DownloadLimits = DEFAULT_DOWNLOAD_LIMITS;

const fetchFile = fetchFileNode({ limits: () => limits, nameFiles: true, item: ({ value, heldBytesPeak }) => ({ json: { heldBytesPeak }, binary: { data: value } }) });

const mock = useMock({ prism: false });
const credentials = () => ({ iminiApi: { apiKey: mock.current.apiKey, baseUrl: mock.current.url } });
let binaryDataMode: 'filesystem' | 'database' = 'filesystem';
const engine = () => createEngine({ nodeTypes: { gen: new IminiGenerate(), fetch: fetchFile }, credentialTypes: [new IminiApi()], credentials: credentials(), binaryDataMode });
const cred = { iminiApi: { id: '1', name: 'i' } };

/** A finished task of `kind` whose files the mock serves as `directives` say; its file URL. */
async function task(kind: 'image' | 'video', directives: string): Promise<{ url: string; task_id: string }> {
	const parameters =
		kind === 'image'
			? { resource: 'image', model: 'google/nano-banana' }
			: { resource: 'video', model: 'doubao/seedance-2.0-fast', resolution: '720P', aspectRatio: '16:9', duration: 4 };
	const submitted = await engine().run({
		nodes: [{ name: 'Gen', type: 'gen', parameters: { ...parameters, prompt: `a file [mock ${directives}]`, download: false, options: { firstCheckAfter: 0.1, maxCheckInterval: 0.1 } }, credentials: cred }],
	});
	return submitted.output('Gen')[0].json as { url: string; task_id: string };
}

async function fetch(kind: 'image' | 'video', file: { url: string; task_id: string }) {
	return await engine().run({ nodes: [{ name: 'Fetch', type: 'fetch', credentials: cred }], input: [{ json: { ...file, kind, base_url: mock.current.url } }] });
}

/** Every file under n8n's binary data folder (temporary files included). */
function storedFiles(): string[] {
	const root = Container.get(core.BinaryDataConfig).localStoragePath;
	const walk = (dir: string): string[] => {
		try {
			return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => (entry.isDirectory() ? walk(join(dir, entry.name)) : [join(dir, entry.name)]));
		} catch {
			return [];
		}
	};
	return walk(root);
}

beforeEach(() => {
	limits = DEFAULT_DOWNLOAD_LIMITS;
	binaryDataMode = 'filesystem';
	accounts.forgetIdle();
});

describe('a 300 MB video', () => {
	it('streams into n8n\'s binary data holding at most 512 KB, never the file', async () => {
		const file = await task('video', 'size=300M');
		const concat = jest.spyOn(Buffer, 'concat');
		const before = process.memoryUsage().rss;
		let peak = before;
		const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
		try {
			const result = await fetch('video', file);
			expect(result.status).toBe('success');
			const [item] = result.output('Fetch');
			const binary = item.binary!.data;
			expect(binary.bytes).toBe(300 * MB);
			expect(binary.mimeType).toBe('video/mp4');
			// On disk whole, as n8n's filesystem mode keeps it.
			expect(statSync(Container.get(core.BinaryDataService).getPath(binary.id!)).size).toBe(300 * MB);
			// What the download held at any moment: the connection's buffer, one read waiting for
			// n8n's store and the one it writes (each at most the buffer and one socket read).
			expect(item.json.heldBytesPeak).toBeLessThanOrEqual(512 * 1024);
			// Nothing joined the body's pieces into one buffer (the memory test's proof that bytes were not loaded).
			expect(Math.max(0, ...concat.mock.results.map((r) => (r.value as Buffer).length))).toBeLessThan(1 * MB);
			// Holding the file would raise memory by at least its 300 MB; streaming, by garbage not yet collected.
			expect(peak - before).toBeLessThan(200 * MB);
		} finally {
			clearInterval(sampler);
			concat.mockRestore();
		}
	});
});

describe('a body that stalls', () => {
	const stalling = () => ({ ...DEFAULT_DOWNLOAD_LIMITS, bodyDeadlineMs: { image: 60_000, video: 60_000 }, stall: { floorBytes: 32 * 1024, windowMs: 400 } });

	it('is cut within its window and fetched again, long before its deadline', async () => {
		limits = stalling();
		// The first download trickles its file over 20 s (a few KB a second), the next is whole.
		const file = await task('image', 'download=trickle:20000x1');
		const started = performance.now();
		const result = await fetch('image', file);
		expect(result.status).toBe('success');
		expect(result.output('Fetch')[0].binary!.data.mimeType).toBe('image/png');
		// One window (0.4 s), one backoff (1-2 s) and the second download; without the stall rule, 20 s.
		expect(performance.now() - started).toBeLessThan(5_000);
	});

	it('that stalls every time is reported with its task after the retries', async () => {
		limits = stalling();
		const file = await task('image', 'download=trickle:20000');
		const stored = storedFiles();
		const started = performance.now();
		const result = await fetch('image', file);
		// Nothing of the four attempts stays in n8n's binary data.
		expect(storedFiles()).toEqual(stored);
		// Four windows and the backoff between them (at most 2 + 4 + 8 s).
		expect(performance.now() - started).toBeLessThan(4 * 400 + 14_000 + 3_000);
		expect(result.error!.message).toMatch(
			new RegExp(`^The result file of task ${file.task_id} could not be downloaded \\(after 4 attempts\\) \\(the download stalled: less than 32 KB arrived in 0\\.4 s`),
		);
	});
});

describe('a file that fails a check', () => {
	it.each([
		['cut off every time', 'download=truncate', /\(after 4 attempts\) \(the (file was cut off|download broke off)/],
		['past the size cap, counted', 'download=huge', /the file is larger than 2 MB/],
		['past the size cap, announced', 'size=3M', /the file is 3 MB, more than the 2 MB taken/],
		['of the wrong type', 'download=svg', /not an image or video type imini serves/],
	])('%s leaves nothing in n8n\'s binary data', async (_what, directives, message) => {
		limits = { maxBytes: { image: 2 * MB, video: 2 * MB }, bodyDeadlineMs: { image: 60_000, video: 60_000 }, stall: { floorBytes: 32 * 1024, windowMs: 400 } };
		const kind = directives.startsWith('size') ? 'video' : 'image';
		const file = await task(kind, directives);
		const before = storedFiles();
		const result = await fetch(kind, file);
		expect(result.error!.message).toMatch(message);
		expect(storedFiles()).toEqual(before);
	});

	it('while a whole one is stored (the check above can see a file)', async () => {
		const file = await task('image', 'time=100');
		const before = storedFiles().length;
		const result = await fetch('image', file);
		expect(result.status).toBe('success');
		// The file and n8n's metadata beside it.
		expect(storedFiles().length).toBe(before + 2);
	});
});

describe("in n8n's database binary mode (queue mode's default)", () => {
	it('a file refused midway inserts nothing; a whole one, one row', async () => {
		binaryDataMode = 'database';
		limits = { ...DEFAULT_DOWNLOAD_LIMITS, maxBytes: { image: 2 * MB, video: 2 * MB } };
		const rows = databaseRows.length;
		const endless = await fetch('image', await task('image', 'download=huge'));
		expect(endless.error!.message).toMatch(/the file is larger than 2 MB/);
		expect(databaseRows.length).toBe(rows);
		const whole = await fetch('image', await task('image', 'time=100'));
		expect(whole.status).toBe('success');
		expect(databaseRows.slice(rows)).toEqual([expect.objectContaining({ mimeType: 'image/png', fileSize: whole.output('Fetch')[0].binary!.data.bytes })]);
	});
});
