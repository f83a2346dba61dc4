import { GET_TASK, WAIT, errorText, expectNoViolations, fastPolling, generate, node, useWorkflows } from '../harness/workflow-tests';
import { readPngSize, renderPng } from '../../mock-server/media/png.ts';

const SECRET = 'sk-imini-SECRET-7f3a9c';
const h = useWorkflows({ simulator: { apiKey: SECRET, imageTaskMs: 400, videoTaskMs: 600 } });
afterEach(() => expectNoViolations(h.mock));

const image = (prompt: string, extra: Record<string, unknown> = {}) => ({ resource: 'image', model: 'google/nano-banana', prompt, ...extra });

describe('chaining the nodes', () => {
	it('Generate (no wait) -> Imini Wait -> the image', async () => {
		const result = await h.run({
			nodes: [
				generate(image('a fox'), { name: 'Generate' }),
				node('Wait', WAIT, { taskId: '={{ $json.task_id }}', options: fastPolling }),
			].map((n, i) => (i === 0 ? { ...n, parameters: { ...n.parameters, waitForCompletion: false } } : n)),
		});
		expect(result.status).toBe('success');
		const submitted = result.output('Generate')[0].json;
		const [done] = result.output('Wait');
		expect(done.json).toMatchObject({ task_id: submitted.task_id, status: 'succeeded', kind: 'image' });
		expect(readPngSize(await result.binary(done))).toEqual({ width: 1024, height: 1024 });
	});

	it('Get Task reports a running task, then the finished one with its file', async () => {
		const first = await h.run({
			nodes: [
				generate(image('a fox', { waitForCompletion: false })),
				node('Check', GET_TASK, { taskId: '={{ $json.task_id }}' }),
			],
		});
		const [running] = first.output('Check');
		expect(['queued', 'processing']).toContain(running.json.status);
		expect(running.binary).toBeUndefined();

		// Later, in another workflow, with only the ID (kind found by asking imini).
		await new Promise((resolve) => setTimeout(resolve, 500));
		const later = await h.run({
			nodes: [node('Check', GET_TASK, { taskId: running.json.task_id as string })],
		});
		const [done] = later.output('Check');
		expect(done.json).toMatchObject({ task_id: running.json.task_id, status: 'succeeded', kind: 'image', width: 1024 });
		expect(done.binary!.data.mimeType).toBe('image/png');
	});

	it('Imini Wait outputs the task as still running when asked to, instead of failing', async () => {
		const result = await h.run({
			nodes: [
				generate(image('slow one [mock time=60000]', { waitForCompletion: false })),
				node('Wait', WAIT, { taskId: '={{ $json.task_id }}', timeout: 0.3, onTimeout: 'output', options: fastPolling }),
			],
		});
		expect(result.status).toBe('success');
		const [still] = result.output('Wait');
		expect(still.json.task_id).toBe(result.output('Generate')[0].json.task_id);
		expect(['queued', 'processing']).toContain(still.json.status);
	});

	it('Imini Generate outputs the task as still running on timeout when asked to, out of its own Still Running output, so a workflow can route it on to Imini Wait', async () => {
		const result = await h.run({
			nodes: [
				generate(image('slow one [mock time=60000]', { timeout: 0.3, onTimeout: 'output' })),
				node('Wait', WAIT, { taskId: '={{ $json.task_id }}', timeout: 0.3, onTimeout: 'output', options: fastPolling }),
			],
			// Done (output 0) leads nowhere here; Still Running (output 1) into Imini Wait.
			connections: { Generate: { main: [[], [{ node: 'Wait', type: 'main', index: 0 }]] } },
		});
		expect(result.status).toBe('success');
		// Nothing out of Done: a task still running never passes for a finished one.
		expect(result.output('Generate', 0)).toEqual([]);
		const [still] = result.output('Generate', 1);
		expect(['queued', 'processing']).toContain(still.json.status);
		expect(still.json.task_id).toMatch(/^task_\d+$/);
		expect(still.json.submit_request_id).toBeDefined();
		expect(still.binary).toBeUndefined();
		// The next node picks the same task up.
		expect(result.output('Wait')[0].json.task_id).toBe(still.json.task_id);
	});
});

describe('errors a user can act on', () => {
	it('400 content safety: names the cause and spends nothing', async () => {
		const result = await h.run({ nodes: [generate(image('something [mock unsafe]'))] });
		expect(result.status).toBe('error');
		expect(result.error).toMatchObject({ httpCode: '400' });
		expect(result.error!.message).toContain('content safety flagged the prompt');
		expect(errorText(result)).toMatch(/request_id req_/);
	});

	it('400 with a sentence of its own: imini\'s words and the advice read as one message', async () => {
		// The mock's refusal of an unknown tag ends with a full stop, as a sentence of imini's may.
		const result = await h.run({ nodes: [generate(image('a lighthouse [mock download=stall]'))] });
		expect(result.error).toMatchObject({ httpCode: '400' });
		expect(result.error!.message).toMatch(/^imini refused the request: Unknown download fault "stall"\. Use .* or redirect-local\. Check the parameters of this node\.$/);
	});

	it('refuses invalid input before submitting anything', async () => {
		const before = h.mock.stats.submits;
		const result = await h.run({ nodes: [generate(image('x'.repeat(6001)))] });
		// What a user needs to fix it: the field, the prompt's own length and the model's limit.
		expect(result.error!.message).toBe(
			"Nano Banana (Google) cannot take this input: Prompt: 6,001 characters, more than this model's 6,000. Shorten it, or pick a model that takes longer prompts (GPT Image 2 takes 32,000).",
		);
		expect(result.error!.description).toContain('no credits were used');
		expect(h.mock.stats.submits).toBe(before);
	});

	it('counts the prompt in characters as imini does: 6000 emoji are sent, 6001 are refused', async () => {
		const fox = '\u{1F98A}';
		const sent = await h.run({ nodes: [generate(image(fox.repeat(6000), { waitForCompletion: false }))] });
		expect(sent.status).toBe('success');
		const taskId = sent.output('Generate')[0].json.task_id;
		expect(h.mock.submissions.find((s) => s.taskId === taskId)!.body.prompt).toBe(fox.repeat(6000));

		const before = h.mock.stats.submits;
		const refused = await h.run({ nodes: [generate(image(fox.repeat(6001)))] });
		expect(refused.error!.message).toContain("Prompt: 6,001 characters, more than this model's 6,000.");
		expect(h.mock.stats.submits).toBe(before);
	});

	it('measures the 64 MB body cap in bytes sent, not in string length', async () => {
		// 6000 emoji are 12,000 UTF-16 units but 24,000 UTF-8 bytes: a reference image sized between
		// the two puts the request under 64 MB as a string and over it on the wire.
		const base64Length = 64 * 1024 * 1024 - 18_000;
		const before = h.mock.stats.submits;
		const result = await h.run({
			nodes: [generate(image('\u{1F98A}'.repeat(6000), { referenceImages: { image: [{ source: 'binary', binaryProperty: 'data' }] } }))],
			input: [{ json: {}, binary: { data: { data: Buffer.alloc((base64Length / 4) * 3), mimeType: 'image/png' } } }],
		});
		expect(result.error!.message).toBe("The request is larger than imini's 64 MB limit");
		expect(h.mock.stats.submits).toBe(before);
	});

	it('refuses a video reference combination the model does not accept', async () => {
		const result = await h.run({
			nodes: [
				generate({
					resource: 'video',
					model: 'kling/kling-v3',
					prompt: 'a boat',
					videoReferenceImages: { image: [{ source: 'url', url: 'https://example.org/a.png', referenceType: 'last_frame' }] },
				}),
			],
		});
		expect(result.error!.message).toContain('a last_frame reference needs a first_frame reference');
	});

	it('refuses a HappyHorse video edit with more than 5 asset images, before spending a credit', async () => {
		const before = h.mock.stats.submits;
		const asset = { source: 'url', url: 'https://example.org/a.png', referenceType: 'asset' };
		const result = await h.run({
			nodes: [
				generate({
					resource: 'video',
					model: 'dashscope/happyhorse-1.0',
					prompt: 'make it winter',
					videoReferenceImages: { image: Array.from({ length: 6 }, () => asset) },
					referenceVideos: { video: [{ url: 'https://example.org/clip.mp4' }] },
				}),
			],
		});
		expect(result.error!.message).toBe('HappyHorse 1.0 (Alibaba DashScope) cannot take this input: when editing a video at most 5 asset images are allowed');
		expect(h.mock.stats.submits).toBe(before);
	});

	it('refuses a Seedance first frame under 300 px a side, read from the binary image', async () => {
		const result = await h.run({
			nodes: [
				generate({
					resource: 'video',
					model: 'doubao/seedance-2.0',
					prompt: 'the cat blinks',
					videoReferenceImages: { image: [{ source: 'binary', binaryProperty: 'data', referenceType: 'first_frame' }] },
				}),
			],
			input: [{ json: {}, binary: { data: { data: renderPng({ width: 200, height: 400 }, 'small', { prompt: 'cat', model: 'm', taskId: 't' }), mimeType: 'image/png' } } }],
		});
		expect(result.error!.message).toBe('Seedance 2.0 (ByteDance) cannot take this input: reference_images.0 is 200×400 px: each side must be 300–6000 px');
	});

	it('401: says the key was rejected, and never shows the key', async () => {
		const result = await h.run({ nodes: [generate(image('a fox'))] }, { apiKey: `${SECRET}-wrong` });
		expect(result.error).toMatchObject({ httpCode: '401' });
		// The credential by the name the user gave it.
		expect(result.error!.message).toContain('imini does not accept the API key of the credential "Imini (mock)" (401).');
		expect(JSON.stringify(result.runData)).not.toContain(SECRET);
		expect(JSON.stringify(result.error)).not.toContain(SECRET);
	});

	it('404: an unknown task ID', async () => {
		const result = await h.run({ nodes: [node('Check', GET_TASK, { taskId: 'task_0000000000000000042', taskType: 'image' })] });
		expect(result.error).toMatchObject({ httpCode: '404' });
		expect(result.error!.message).toContain('task_0000000000000000042');
		expect(result.error!.message).toContain('expired');
	});

	it('404 on a submit: no imini API at this Base URL, check it in the credential', async () => {
		const result = await h.run({ nodes: [generate(image('a fox'))] }, { baseUrl: `${h.mock.url}/wrong-prefix` });
		expect(result.error).toMatchObject({ httpCode: '404' });
		expect(result.error!.message).toMatch(
			/^No imini API at this Base URL \(404[^)]*\)\. Open the credential "Imini \(mock\)" and set Base URL to https:\/\/openapi\.imini\.ai\/imini\/router, with nothing after it\.$/,
		);
		// That path is outside the contract on purpose, and the only thing Prism objects to.
		expect(h.mock.violations.filter((v) => !v.path.startsWith('/wrong-prefix/'))).toEqual([]);
		h.mock.violations.length = 0;
	});

	it('a Base URL pasted with /v1/ at the end still reaches imini', async () => {
		const result = await h.run({ nodes: [generate(image('a fox'))] }, { baseUrl: `${h.mock.url}/v1/` });
		expect(result.status).toBe('success');
		expect(result.output('Generate')[0].json.status).toBe('succeeded');
	});

	it('a submit refused with 429 (no Retry-After) waits its turn, at least 5 s, then creates one task', async () => {
		const before = h.mock.stats.submits;
		const started = Date.now();
		const result = await h.run({ nodes: [generate(image('busy [mock submit=429x1]'))] });
		expect(result.status).toBe('success');
		expect(result.output('Generate')[0].json.status).toBe('succeeded');
		expect(Date.now() - started).toBeGreaterThanOrEqual(5_000);
		expect(h.mock.stats.submits - before).toBe(1);
	});

	it("imini's own 500 on submit is retried twice, as imini advises, then reported: the task may exist", async () => {
		const before = h.mock.stats.submits;
		const since = h.mock.requests().at(-1)?.seq ?? 0;
		const result = await h.run({ nodes: [generate(image('boom [mock submit=500]'))] });
		expect(result.error).toMatchObject({ httpCode: '500' });
		expect(result.error!.message).toContain('(after 3 attempts)');
		expect(result.error!.message).toContain('imini may have created a task for this item');
		expect(h.mock.requests(since).filter((e) => e.method === 'POST')).toHaveLength(3);
		expect(h.mock.stats.submits).toBe(before);
	});

	it('a 500 while polling is retried; 502 on every poll gives up after 3 retries and names the task', async () => {
		const once = await h.run({ nodes: [generate(image('flaky [mock poll1=500]'))] });
		expect(once.status).toBe('success');

		const pollsBefore = h.mock.stats.polls;
		const always = await h.run({ nodes: [generate(image('down [mock poll=502]'))] });
		expect(always.error).toMatchObject({ httpCode: '502' });
		expect(always.error!.message).toMatch(/task task_\d+ \(after 4 attempts\)/);
		expect(h.mock.stats.polls - pollsBefore).toBe(4);
	});

	it('the deadline inside Imini Wait says what to do there, not to use Imini Wait', async () => {
		const result = await h.run({
			nodes: [
				generate(image('slow one [mock time=60000]', { waitForCompletion: false })),
				node('Wait', WAIT, { taskId: '={{ $json.task_id }}', timeout: 0.3, options: fastPolling }),
			],
		});
		expect(result.error!.message).toMatch(/^Task task_\d+ is still (queued|processing) after 0\.\d s\. Raise this node's Timeout, or turn on Park the Workflow Between Checks/);
		expect(result.error!.message).not.toContain('Use Imini Wait');
	});

	it('a failed task reports its code and ID', async () => {
		const result = await h.run({ nodes: [generate(image('blocked [mock fail]'))] });
		expect(result.error!.message).toMatch(/^imini task task_\d+ failed: CONTENT_POLICY_VIOLATION/);
	});

	it('the deadline: names the task and what to do next', async () => {
		const result = await h.run({ nodes: [generate(image('slow [mock time=60000]', { timeout: 0.3 }))] });
		expect(result.error!.message).toMatch(/^Task task_\d+ is still (queued|processing) after 0\.\d s\. Use Imini Wait with this task ID/);
	});

	it('402 when credits run out', async () => {
		const result = await h.run({ nodes: [generate(image('a fox [mock submit=402]'))] });
		expect(result.error).toMatchObject({ httpCode: '402' });
		expect(result.error!.message).toContain('Not enough imini credits');
	});
});

describe('many items', () => {
	it('Continue On Fail: bad items become error items, the others complete, order and pairing kept', async () => {
		const prompts = ['a fox', 'bad [mock unsafe]', 'a hare', 'blocked [mock fail]', 'an owl'];
		const result = await h.run({
			nodes: [generate(image('={{ $json.p }}'), { continueOnFail: true })],
			input: prompts.map((p) => ({ json: { p } })),
		});
		expect(result.status).toBe('success');
		const items = result.output('Generate');
		expect(items.map((i) => i.pairedItem)).toEqual(prompts.map((_, item) => ({ item })));
		expect(items.map((i) => (i.json.error ? 'error' : i.json.status))).toEqual(['succeeded', 'error', 'succeeded', 'error', 'succeeded']);
		expect(items[1].json.error).toContain('content safety');
		// The failed task was created: its ID is in the error item.
		expect((items[3].json.details as { task_id: string }).task_id).toMatch(/^task_/);
		expect(items[3].json.error).toContain((items[3].json.details as { task_id: string }).task_id);
		for (const i of [0, 2, 4]) expect(items[i].binary!.data.mimeType).toBe('image/png');
	});

	it('without Continue On Fail the error lists the tasks already created', async () => {
		const result = await h.run({
			nodes: [generate(image('={{ $json.p }}', { options: { maxTasksInFlight: 1 } }))],
			input: [{ json: { p: 'first fine' } }, { json: { p: 'then [mock fail]' } }],
		});
		expect(result.status).toBe('error');
		const first = h.mock.submissions.find((s) => s.body.prompt === 'first fine')!.taskId;
		expect(errorText(result)).toContain(`${first} (image, item 0, succeeded)`);
	});
});

describe('Stop', () => {
	it('stops all polling within a second and reports the run as canceled, listing the running tasks', async () => {
		const handle = h.run({
			nodes: [generate(image('={{ $json.p }}'))],
			input: [{ json: { p: 'long a [mock time=60000]' } }, { json: { p: 'long b [mock time=60000]' } }],
		});
		while (h.mock.stats.polls === 0 || h.mock.inFlight() < 2) await new Promise((resolve) => setTimeout(resolve, 20));
		const stoppedAt = performance.now();
		handle.cancel();
		const result = await handle;
		expect(performance.now() - stoppedAt).toBeLessThan(1000);
		expect(result.status).toBe('canceled');
		const polls = h.mock.stats.polls;
		await new Promise((resolve) => setTimeout(resolve, 300));
		expect(h.mock.stats.polls).toBe(polls);
	});
});

describe('the API key', () => {
	it('appears in no output and no error', async () => {
		const good = await h.run({ nodes: [generate(image('a fox'))] });
		const bad = await h.run({ nodes: [generate(image('a fox [mock fail]'))] });
		const net = await h.run({ nodes: [generate(image('a fox'))] }, { baseUrl: 'http://127.0.0.1:9' });
		for (const result of [good, bad, net]) {
			expect(JSON.stringify(result.run)).not.toContain(SECRET);
		}
		// Nothing listens on port 9: the request never left, so no task can exist.
		expect(net.error!.message).toContain('The request to create the task could not be sent (the connection was refused), so no task was created');
	});
});
