// Issue 23's findings, one test each (each failed on the code before its fix), through n8n's
// real engine against the offline imini: no paid task lost, none charged twice, no run left
// hanging (docs/admin/reliability.md states the invariants these keep).
import { errorText, generate, useWorkflows } from '../harness/workflow-tests';
import type { EngineResult } from '../harness/n8n-engine/engine';
import { accounts } from '../../nodes/engine/process-state';
import { LAST_CHECK_GRACE_MS } from '../../nodes/engine/poller';

const SECRET = 'sk-imini-NOLOSS-19c2';
const h = useWorkflows({ simulator: { apiKey: SECRET } });

const image = (prompt: string, extra: Record<string, unknown> = {}) => ({ resource: 'image', model: 'google/nano-banana', prompt, ...extra });
const rows = (...prompts: string[]) => prompts.map((p) => ({ json: { p } }));
/** Everything a user sees of a run: outputs, node error, run error. */
const seen = (result: EngineResult) => JSON.stringify(result.run);
const taskOf = (prompt: string) => h.mock.submissions.find((s) => s.body.prompt === prompt)?.taskId;

// Prism checks every exchange; a few tests provoke what it reports on purpose.
afterEach(() => {
	h.mock.violations.length = 0;
});

describe('1. one slow status answer', () => {
	it("never delays another task's checks", async () => {
		const slow = 'slow answer [mock time=4000 poll2=slow:3000]';
		const quick = 'quick [mock time=1200]';
		const since = h.mock.requests().at(-1)?.seq ?? 0;
		const result = await h.run({
			nodes: [generate(image('={{ $json.p }}', { timeout: 8, options: { firstCheckAfter: 0.2, maxCheckInterval: 0.5 } }))],
			input: rows(slow, quick),
		});
		expect(result.status).toBe('success');
		const quickId = taskOf(quick)!;
		const checks = h.mock
			.requests(since)
			.filter((e) => e.method === 'GET' && e.task_id === quickId)
			.map((e) => Date.parse(e.at));
		// While task 1's second answer took 3 s, task 2 was still checked every 0.5 s (plus slack).
		const gaps = checks.slice(1).map((at, i) => at - checks[i]);
		expect(Math.max(...gaps)).toBeLessThan(1_200);
	});

	it('ends a run by its deadline plus a bounded margin, however long an answer takes', async () => {
		const started = performance.now();
		const result = await h.run({ nodes: [generate(image('hangs [mock time=60000 poll=slow:20000]', { timeout: 1, options: { firstCheckAfter: 0.2 } }))] });
		expect(performance.now() - started).toBeLessThan(1_000 + LAST_CHECK_GRACE_MS + 2_000);
		expect(result.error!.message).toMatch(/^Task task_\d+ is still (queued|processing)/);
	});
});

describe('2. parameters', () => {
	it('are all read before the submit: an expression error spends no credit', async () => {
		const before = h.mock.stats.submits;
		const result = await h.run({ nodes: [generate(image('a fox', { timeout: '={{ $("Old name").item.json.seconds }}' }))] });
		expect(result.status).toBe('error');
		expect(errorText(result)).toMatch(/Referenced node doesn't exist/);
		expect(h.mock.stats.submits).toBe(before);
	});
});

describe('3. Stop', () => {
	it('names the tasks that already finished (charged, output discarded) as well as those still running', async () => {
		const quick = 'done before stop [mock time=100]';
		const handle = h.run({
			nodes: [generate(image('={{ $json.p }}', { options: { firstCheckAfter: 0.1, maxCheckInterval: 0.1 } }))],
			input: rows(quick, 'still running [mock time=60000]'),
		});
		const files = h.mock.stats.files;
		while (h.mock.stats.files === files) await new Promise((resolve) => setTimeout(resolve, 20));
		handle.cancel();
		const result = await handle;
		expect(result.status).toBe('canceled');
		expect(seen(result)).toMatch(new RegExp(`${taskOf(quick)} \\(item 0, succeeded\\)`));
	});

	it('reports a submit in flight as "may have created a task"', async () => {
		const handle = h.run({ nodes: [generate(image('slow submit [mock slow=1500]'))] });
		const submits = h.mock.requests().length;
		while (h.mock.requests().length === submits && h.mock.inFlight() === 0) await new Promise((resolve) => setTimeout(resolve, 20));
		await new Promise((resolve) => setTimeout(resolve, 300));
		handle.cancel();
		const result = await handle;
		expect(result.status).toBe('canceled');
		expect(seen(result)).toContain('A submit was on its way for item 0: imini may have created a task');
	});
});

describe('4. downloads', () => {
	it('a body cut off once is fetched again; one cut off every time fails naming the task', async () => {
		const once = await h.run({ nodes: [generate(image('cut once [mock download=truncatex1]'))] });
		expect(once.status).toBe('success');
		expect(once.output('Generate')[0].binary!.data.mimeType).toBe('image/png');

		const always = await h.run({ nodes: [generate(image('cut always [mock download=truncate]'))] });
		const id = taskOf('cut always [mock download=truncate]')!;
		expect(always.error!.message).toContain(`The result file of task ${id} could not be downloaded (after 4 attempts)`);
		expect(always.error!.message).toMatch(/cut off|broke off/);
	});

	it('a body with no end is refused at the size limit, naming the task', async () => {
		const result = await h.run({ nodes: [generate(image('endless [mock download=huge]'))] });
		expect(result.error!.message).toMatch(/^The result file of task task_\d+ was not taken: the file is larger than 64 MB/);
	});
});

describe('5. the API key', () => {
	it('does not follow a redirect from the Base URL to another origin', async () => {
		const leaks = h.mock.stats.keyLeaks;
		const result = await h.run({ nodes: [generate(image('moved [mock submit=redirect]'))] }, { baseUrl: h.mock.controlUrl });
		expect(h.mock.stats.keyLeaks).toBe(leaks);
		expect(result.error!.message).toMatch(/^The Base URL answered with a redirect to http:\/\/localhost:\d+ \(307\); it was not followed/);
		expect(seen(result)).not.toContain(SECRET);
	});
});

describe('6. submit retries', () => {
	it("a gateway's 502 page is not retried: the task may exist", async () => {
		const since = h.mock.requests().at(-1)?.seq ?? 0;
		const result = await h.run({ nodes: [generate(image('behind a proxy [mock submit=gateway]'))] }, { baseUrl: h.mock.controlUrl });
		expect(h.mock.requests(since).filter((e) => e.method === 'POST')).toHaveLength(1);
		expect(result.error!.message).toContain('imini may have created a task for this item, so it was not sent again');
		h.mock.violations.length = 0;
	});

	it("imini's own 500 is retried, as its docs advise, and the item succeeds with one task", async () => {
		const before = h.mock.stats.submits;
		const result = await h.run({ nodes: [generate(image('flaky submit [mock submit=500x1]'))] });
		expect(result.status).toBe('success');
		expect(h.mock.stats.submits - before).toBe(1);
	});

	it('an expired result URL is fetched again through a fresh status check', async () => {
		const result = await h.run({ nodes: [generate(image('expired once [mock download=403x1]'))] });
		expect(result.status).toBe('success');
		expect(result.output('Generate')[0].binary!.data.mimeType).toBe('image/png');
	});
});

describe('7. numbers from expressions', () => {
	it.each([
		['maxCheckInterval', '={{ "abc" }}', /^Longest Check Interval \(Seconds\) must be a number from 0\.1 to 3600, not "abc"$/],
		['maxCheckInterval', 0, /^Longest Check Interval \(Seconds\) must be a number from 0\.1 to 3600, not 0$/],
		['firstCheckAfter', '={{ "abc" }}', /^First Check After \(Seconds\) must be a number from 0 to 3600, not "abc"$/],
		['maxTasksInFlight', '={{ "ten" }}', /^Max Tasks at Once must be a whole number from 1 to 100, not "ten"$/],
	])('%s = %p is refused before any credit is spent', async (option, value, message) => {
		const before = h.mock.stats.submits;
		const result = await h.run({ nodes: [generate(image('a fox', { options: { [option]: value } }))] });
		expect(result.status).toBe('error');
		expect(result.error!.message).toMatch(message);
		expect(h.mock.stats.submits).toBe(before);
	});
});

describe('8. the prompt', () => {
	it.each([
		[{ text: 'a fox' }, 'an object'],
		[['a fox', 'a cat'], 'a list'],
	])('%p is refused, not sent as text', async (prompt, what) => {
		const before = h.mock.stats.submits;
		const result = await h.run({ nodes: [generate(image('={{ $json.p }}'))], input: [{ json: { p: prompt } }] });
		expect(result.error!.message).toBe(`Prompt must be text, not ${what}`);
		expect(h.mock.stats.submits).toBe(before);
	});
});

describe('9. the shared account', () => {
	it('is released even when reading the options fails', async () => {
		accounts.forgetIdle();
		for (let i = 0; i < 3; i++) {
			const result = await h.run({ nodes: [generate(image('a fox', { options: { maxCheckInterval: '={{ $("Old name").item.json.x }}' } }))] });
			expect(result.status).toBe('error');
		}
		accounts.forgetIdle();
		expect(accounts.size).toBe(0);
	});
});

describe('10. result URLs', () => {
	it('a redirect to a private address is not followed; the error names the task', async () => {
		const result = await h.run({ nodes: [generate(image('to the metadata service [mock download=redirect-local]'))] });
		expect(result.error!.message).toMatch(/^The result file of task task_\d+ was not taken: the result URL redirected to http:\/\/169\.254\.169\.254\/latest\/meta-data\/, which was not fetched: 169\.254\.169\.254 is a link-local or unspecified address/);
	});

	it('an SVG is refused; a file without a Content-Type is taken for what its bytes are', async () => {
		const svg = await h.run({ nodes: [generate(image('vector [mock download=svg]'))] });
		expect(svg.error!.message).toMatch(/was not taken: the file is of type image\/svg\+xml, not an image or video type imini serves/);
		const untyped = await h.run({ nodes: [generate(image('untyped [mock download=notype]'))] });
		expect(untyped.status).toBe('success');
		expect(untyped.output('Generate')[0].binary!.data.mimeType).toBe('image/png');
	});
});

describe('wording', () => {
	it('a dropped submit advises against a resubmit, in our words, not n8n\'s "You can retry the request"', async () => {
		const result = await h.run({ nodes: [generate(image('dropped [mock submit=drop]'))] }, { baseUrl: h.mock.controlUrl });
		expect(result.error!.message).toContain('imini may have created a task for this item, so it was not sent again');
		expect(result.error!.message).not.toMatch(/retry the request/i);
		h.mock.violations.length = 0;
	});

	it('a CDN 403 says the file URL has expired, not that the key may not use the model', async () => {
		const result = await h.run({ nodes: [generate(image('gone [mock download=403]'))] });
		expect(result.error!.message).toMatch(/^The result file of task task_\d+ could not be fetched \(403\), even with a fresh URL/);
		expect(result.error!.message).not.toContain('may not use this model');
	});
});
