// The nodes as an AI agent's tools: n8n runs the same execute() under the tool variant's type
// (`n8n-nodes-imini.iminiGenerateTool`), and `$fromAI('key')` reads the model's arguments (here the
// input item, where n8n's engine looks for them outside an agent). What the model gets back is the
// JSON of the output items, so: no downloads, the normal fields, and errors as short items.
import { fastPolling, GENERATE, GET_TASK, generate, expectNoViolations, node, useWorkflows, WAIT } from '../harness/workflow-tests';
import { IminiGenerate } from '../../nodes/IminiGenerate/IminiGenerate.node';
import { IminiGetTask } from '../../nodes/IminiGetTask/IminiGetTask.node';
import { IminiWait } from '../../nodes/IminiWait/IminiWait.node';

const TOOL = { generate: `${GENERATE}Tool`, getTask: `${GET_TASK}Tool`, wait: `${WAIT}Tool` };
const h = useWorkflows(
	{},
	{
		nodeTypes: {
			[GENERATE]: new IminiGenerate(),
			[TOOL.generate]: new IminiGenerate(),
			[TOOL.getTask]: new IminiGetTask(),
			[TOOL.wait]: new IminiWait(),
		},
	},
);
afterEach(() => expectNoViolations(h.mock));

const fromAI = (key: string, description: string, type = 'string') => `={{ $fromAI('${key}', '${description}', '${type}') }}`;

/** Imini Generate as a user sets it up under an agent: the model fills prompt, ratio and size. */
function drawTool(model: string, extra: Record<string, unknown> = {}) {
	return node('Draw', TOOL.generate, {
		resource: 'image',
		model,
		prompt: fromAI('prompt', 'What to draw'),
		aspectRatio: fromAI('aspect_ratio', 'Aspect ratio such as 16:9; leave out for the default'),
		resolution: fromAI('resolution', '1K, 2K or 4K; leave out for the default'),
		options: fastPolling,
		...extra,
	});
}

function sentFor(taskId: unknown) {
	return h.mock.submissions.find((s) => s.taskId === taskId)?.body;
}

describe('Imini Generate as a tool', () => {
	it('waits, downloads nothing, and returns the fields of the normal output in well under a kilobyte', async () => {
		const files = h.mock.stats.files;
		const result = await h.run({ nodes: [drawTool('google/nano-banana-pro', { download: true })], input: [{ json: { prompt: 'a red fox', aspect_ratio: '16:9', resolution: '2K' } }] });
		expect(result.status).toBe('success');
		const items = result.output('Draw');
		expect(items).toHaveLength(1);
		expect(items[0].binary).toBeUndefined();
		expect(h.mock.stats.files).toBe(files);
		expect(items[0].json).toMatchObject({ status: 'succeeded', kind: 'image', width: 2048, height: 1152, url: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+\/files\/task_\w+\/0\.png$/) });
		expect(sentFor(items[0].json.task_id)).toEqual({ model: 'google/nano-banana-pro', prompt: 'a red fox', aspect_ratio: '16:9', resolution: '2K' });
		// What n8n hands the model: JSON.stringify of the items' json.
		expect(JSON.stringify(items.map((i) => i.json)).length).toBeLessThan(1024);

		const normal = await h.run({ nodes: [generate({ resource: 'image', model: 'google/nano-banana-pro', prompt: 'a red fox', aspectRatio: '16:9', resolution: '2K' })] });
		const [downloaded] = normal.output('Generate');
		expect(downloaded.binary?.data).toBeDefined();
		expect(Object.keys(items[0].json).sort()).toEqual(Object.keys(downloaded.json).sort());
	});

	it('arguments the model leaves out or leaves empty mean the model defaults', async () => {
		const result = await h.run({ nodes: [drawTool('google/nano-banana-pro')], input: [{ json: { prompt: 'a lighthouse', resolution: '' } }] });
		expect(result.status).toBe('success');
		const [item] = result.output('Draw');
		expect(sentFor(item.json.task_id)).toEqual({ model: 'google/nano-banana-pro', prompt: 'a lighthouse', resolution: '1K' });
		expect(item.json).toMatchObject({ width: 1024, height: 1024 });
	});

	it('GPT Image 2: the number of images from the model, its required fields from their defaults', async () => {
		const tool = drawTool('openai/gpt-image-2', { numberOfImages: fromAI('number_of_images', 'How many images, 1 to 10', 'number'), quality: fromAI('quality', 'low, medium or high') });
		const result = await h.run({ nodes: [tool], input: [{ json: { prompt: 'three moons', number_of_images: 3 } }] });
		expect(result.status).toBe('success');
		const items = result.output('Draw');
		expect(items.map((i) => [i.json.file_index, i.json.file_count, i.binary])).toEqual([
			[0, 3, undefined],
			[1, 3, undefined],
			[2, 3, undefined],
		]);
		expect(sentFor(items[0].json.task_id)).toEqual({ model: 'openai/gpt-image-2', prompt: 'three moons', aspect_ratio: '1:1', resolution: '1K', quality: 'medium', num: 3 });
		expect(JSON.stringify(items.map((i) => i.json)).length).toBeLessThan(2048);
	});

	it('a value the model does not take comes back as a short error naming the allowed values; nothing is sent', async () => {
		const submits = h.mock.stats.submits;
		const result = await h.run({ nodes: [drawTool('google/nano-banana-pro')], input: [{ json: { prompt: 'a fox', aspect_ratio: '7:3' } }] });
		expect(result.status).toBe('success');
		const [item] = result.output('Draw');
		expect(item.json).toEqual({
			error: 'Nano Banana Pro (Google) cannot take this input: Aspect Ratio: "7:3" is not one of this model\'s choices (1:1, 2:3, 3:2, 3:4, 4:3, 4:5, 5:4, 9:16, 16:9, 21:9)',
			details: { description: 'Nothing was sent to imini and no credits were used. Change the field named above and run again.' },
		});
		expect(h.mock.stats.submits).toBe(submits);
	});

	it('a task that fails on imini comes back as an error item with its task ID', async () => {
		const result = await h.run({ nodes: [drawTool('google/nano-banana')], input: [{ json: { prompt: 'a fox [mock fail]' } }] });
		expect(result.status).toBe('success');
		const [item] = result.output('Draw');
		expect(item.json.error).toMatch(/^imini task task_\w+ failed: CONTENT_POLICY_VIOLATION/);
		expect(item.json.details).toMatchObject({ task_id: expect.stringMatching(/^task_/) });
	});

	it('the same node outside an agent still fails the run on bad input', async () => {
		const result = await h.run({ nodes: [generate({ resource: 'image', model: 'google/nano-banana-pro', prompt: 'a fox', aspectRatio: '={{ "7:3" }}' })] });
		expect(result.status).toBe('error');
		expect(result.error!.message).toContain('Aspect Ratio: "7:3" is not one of this model\'s choices (1:1, 2:3,');
	});
});

describe('Imini Wait and Imini Get Task as tools', () => {
	it('return a video task with its URL and duration, without downloading it', async () => {
		const submit = generate({ resource: 'video', model: 'kling/kling-v3', prompt: 'a paper boat', waitForCompletion: false });
		const wait = node('Wait', TOOL.wait, { taskId: fromAI('task_id', 'The task ID'), options: fastPolling });
		const check = node('Check', TOOL.getTask, { taskId: fromAI('task_id', 'The task ID') });
		const files = h.mock.stats.files;
		const result = await h.run({ nodes: [submit, wait, check] });
		expect(result.status).toBe('success');
		for (const name of ['Wait', 'Check']) {
			const [item] = result.output(name);
			expect(item.binary).toBeUndefined();
			expect(item.json).toMatchObject({ status: 'succeeded', kind: 'video', duration: 5, url: expect.stringMatching(/\.mp4$/), cover_url: expect.stringMatching(/\.png$/) });
		}
		expect(h.mock.stats.files).toBe(files);
	});
});
