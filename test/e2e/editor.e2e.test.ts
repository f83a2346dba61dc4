// What a new user does in the real n8n editor (n8n 2.41.1 in headless Chromium, driven by
// playwright-core from .tools/browser), with the packed package installed as a community package
// and the offline mock behind an "Imini API" credential: find the nodes from the "+" after a node,
// add Imini Generate (connected), see each model's own fields, map the prompt from the input
// panel, run it and see the picture with its prompt, make a credential with a bad key, make
// one mistake, and run examples 01 and 08 from the editor. Then Imini Wait's durable loop: added
// after a submitting Imini Generate, parking turned on, Still Running dragged back into the node's
// own input by mouse, Done to a next step, a video run through a park to Done; and the error after
// each of the two likely slips in the wiring. Each step checks what the user sees, and every
// picture the README and docs/ show comes from here: taken with the values the README's steps
// give, with n8n's toasts hidden and no local address on screen (the test's Base URL is kept out of frame).
//
// Needs `bash dev/n8n/install.sh`, `bash dev/n8n/install-browser.sh` and `npm run build`
// (npm run test:e2e does all three). Screenshots go to test/.artifacts/screenshots/, or replace the
// docs' pictures in examples/screenshots/ with UPDATE_SCREENSHOTS=1.
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { N8N_VERSION, REPO_ROOT } from '../../dev/n8n/paths';
import type { RunningN8n } from '../../dev/n8n/server';
import type { MockServer } from '../../mock-server/index';
import { EXAMPLE_CREDENTIAL_ID } from '../../dev/n8n/provision';
import { useRealN8n } from '../harness/real-n8n.ts';

const PLAYWRIGHT_CORE = join(REPO_ROOT, '.tools', 'browser', 'node_modules', 'playwright-core');
const CHROMIUM = '/usr/bin/chromium';
const SCREENSHOTS = process.env.UPDATE_SCREENSHOTS === '1' ? join(REPO_ROOT, 'examples', 'screenshots') : join(REPO_ROOT, 'test', '.artifacts', 'screenshots');
const CREDENTIAL_NAME = 'My imini key';
const PROMPT = 'A red fox curled up in fresh snow, golden hour, 35 mm photo';
const TRIGGER = 'When clicking ‘Execute workflow’';
/** The examples shown whole on the canvas after a run (README, docs/nodes/). */
const EXAMPLE_01 = 'iminiEx1PromptImg';
const EXAMPLE_08 = 'iminiEx8DurableLoop';
/**
 * The search order measured in n8n 2.41.1's editor (docs/nodes/imini-generate.md, "Where Imini
 * Generate is listed"). n8n scores a node by its name (weighted above its search words) and
 * takes off points for every letter the search leaves unmatched: for "imini" the shortest name,
 * Imini Wait, comes first; every node whose search words hold "image" (or "video") gets the same
 * score, and n8n keeps its own order among them. A model's name lists Imini Generate alone.
 */
const GENERATE_ALONE = ['nano banana', 'nano banana pro', 'nano banana 2', 'gpt image', 'gpt image 2', 'kling', 'kling 3', 'seedance', 'seedance 2.0', 'happy horse', 'image generation', 'video generation', 'text to image', 'generate'];
const MEASURED_ORDER: Record<string, string[]> = {
	happyhorse: ['Imini Generate', 'Qwen Cloud'],
	imini: ['Imini Wait', 'Imini Generate', 'Imini Get Task'],
	image: ['Anthropic', 'Ollama', 'Edit Image', 'QuickChart', 'Qwen Cloud', 'MiniMax', 'Moonshot Kimi', 'Imini Generate'],
	video: ['Google Gemini', 'Qwen Cloud', 'MiniMax', 'Imini Generate'],
	task: ['Imini Get Task', 'Imini Wait', 'Google Tasks'],
};

// playwright-core is not a dependency of the package (install-browser.sh puts it in .tools), so
// its types are not either: the few calls used here, loosely typed.
type Locator = any;
type Page = any;
type Browser = any;
// Code run in the page: this project compiles without the DOM library, so element shapes are
// spelled out and code that needs `document` is passed as a string.
type PageElement = { checkVisibility(): boolean; innerText: string; dataset: Record<string, string | undefined> };

const timings: Record<string, number> = {};

describe(`n8n ${N8N_VERSION} editor (headless Chromium): a new user and Imini Generate`, () => {
	const real = useRealN8n({ simulator: { imageTaskMs: 1500, videoTaskMs: 3000 }, credentialName: CREDENTIAL_NAME, examples: [EXAMPLE_01, EXAMPLE_08] });
	let mock: MockServer;
	let n8n: RunningN8n;
	let browser: Browser | undefined;
	let page: Page;
	let workflowId: string;

	beforeAll(async () => {
		if (!existsSync(join(PLAYWRIGHT_CORE, 'package.json')) || !existsSync(CHROMIUM)) {
			throw new Error(`playwright-core (${PLAYWRIGHT_CORE}) or ${CHROMIUM} is missing. Run: bash dev/n8n/install-browser.sh`);
		}
		({ mock, n8n } = real);
		timings.provisionMs = real.timings.provisionMs;
		timings.n8nStartMs = real.timings.startMs;

		// The workflow a user has when they come to add an imini node: a trigger and a node whose
		// output holds a prompt (pinned, so the input panel shows it without a run).
		const created = await n8n.rest('POST', '/rest/workflows', {
			name: 'My first picture',
			active: false,
			settings: { executionOrder: 'v1' },
			nodes: [
				{ id: 't', name: TRIGGER, type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} },
				{ id: 'p', name: 'Prompt', type: 'n8n-nodes-base.set', typeVersion: 3.4, position: [220, 0], parameters: { mode: 'raw', jsonOutput: JSON.stringify({ prompt: PROMPT }), options: {} } },
			],
			connections: { [TRIGGER]: { main: [[{ node: 'Prompt', type: 'main', index: 0 }]] } },
			pinData: { Prompt: [{ json: { prompt: PROMPT } }] },
		});
		if (created.status !== 200) throw new Error(`creating the workflow: ${created.status} ${JSON.stringify(created.body).slice(0, 300)}`);
		workflowId = created.body.data.id;

		// eslint-disable-next-line @typescript-eslint/no-require-imports
		const { chromium } = require(PLAYWRIGHT_CORE);
		browser = await chromium.launch({
			executablePath: CHROMIUM,
			headless: true,
			args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
		});
		const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
		await context.addCookies([{ name: 'n8n-auth', value: n8n.authCookie, url: n8n.url, httpOnly: true, sameSite: 'Lax' }]);
		page = await context.newPage();
		mkdirSync(SCREENSHOTS, { recursive: true });
		// n8n's toasts ("You just mapped some data!", "Node executed successfully" beside an
		// error) are about n8n, not this package: the pictures leave them out.
		await context.addInitScript(`addEventListener('DOMContentLoaded', () => {
			const style = document.createElement('style');
			style.textContent = '.el-notification { display: none !important; }';
			document.head.append(style);
		});`);
	});

	afterAll(async () => {
		await browser?.close();
		process.stdout.write(`[n8n editor e2e timings] ${JSON.stringify(timings)}\n`);
	});

	const creator = (): Locator => page.locator('[data-test-id="node-creator"]');
	const ndv = (): Locator => page.locator('[data-test-id="ndv"]');
	const parameters = (): Locator => ndv().locator('[data-test-id="node-parameters"]');
	/** The input of a node parameter, by its internal name (n8n's `parameter-input-<name>`). */
	const parameter = (name: string): Locator => parameters().locator(`[data-test-id="parameter-input-${name}"]`).first();

	/** The names the node creator lists, once its list has settled on the search typed. */
	async function searchCreator(query: string): Promise<string[]> {
		await creator().locator('[data-test-id="node-creator-search-bar"]').fill(query);
		const names = creator().locator('[data-test-id="node-creator-item-name"]');
		let previous = '';
		// The list re-renders as the search is debounced: read it until two reads agree.
		for (let i = 0; i < 40; i++) {
			await page.waitForTimeout(150);
			const now = JSON.stringify(await names.evaluateAll((els: PageElement[]) => els.filter((e) => e.checkVisibility()).map((e) => e.innerText.trim())));
			if (now === previous && now !== '[]') return JSON.parse(now);
			previous = now;
		}
		return JSON.parse(previous);
	}

	/** The labels of the parameters the panel shows, as a user reads them ("Model", "Resolution", ...). */
	async function visibleLabels(): Promise<string[]> {
		return await parameters()
			.locator('[data-test-id="input-label"] label')
			.evaluateAll((labels: PageElement[]) => labels.filter((label) => label.checkVisibility()).map((label) => label.innerText.split('\n')[0].trim()));
	}

	/** The hints under the parameters, as shown. */
	async function visibleText(): Promise<string> {
		return await parameters().innerText();
	}

	async function choose(name: string, option: string): Promise<void> {
		await parameter(name).locator('input').click();
		const escaped = option.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
		// An option's accessible name is its headline followed by its description.
		await page.getByRole('option', { name: new RegExp(`^${escaped}`) }).filter({ visible: true }).click();
		await page.waitForFunction(`[...document.querySelectorAll('[role="listbox"]')].every((list) => !list.checkVisibility())`);
		expect(await parameter(name).locator('input').inputValue()).toBe(option);
	}

	/** The choices of the Options collection's "Add Option" list. */
	async function optionChoices(): Promise<string[]> {
		await parameters().locator('[data-test-id="collection-parameter-add"]').filter({ has: page.locator('input[placeholder="Add Option"]') }).click();
		const items = page.locator('[data-test-id="collection-parameter-option"]').filter({ visible: true });
		await items.first().waitFor();
		const names = await items.allInnerTexts();
		await page.keyboard.press('Escape');
		return names.map((n: string) => n.trim());
	}

	/**
	 * A picture for the docs: of the page, of one element, or of a part of the page. It fails when
	 * a toast is showing or when the part taken shows a local address (the test's Base URL, a
	 * file link of the mock), in text or in a field.
	 */
	async function picture(name: string, of: { element?: Locator; clip?: { x: number; y: number; width: number; height: number } } = {}): Promise<void> {
		await page.mouse.move(1, 1);
		const area = of.clip ?? (of.element ? await of.element.boundingBox() : { x: 0, y: 0, width: 1440, height: 900 });
		const shown: string[] = await page.evaluate(
			`(() => {
				const area = ${JSON.stringify(area)};
				const inArea = (el) => { const r = el.getBoundingClientRect(); return el.checkVisibility() && r.width > 0 && r.right > area.x && r.left < area.x + area.width && r.bottom > area.y && r.top < area.y + area.height; };
				const texts = [...document.querySelectorAll('body *')].filter((el) => el.children.length === 0 && inArea(el)).map((el) => el.textContent);
				const values = [...document.querySelectorAll('input, textarea')].filter(inArea).map((el) => el.value);
				const toasts = [...document.querySelectorAll('.el-notification')].filter((el) => el.checkVisibility()).map((el) => 'toast: ' + el.innerText);
				return [...texts, ...values, ...toasts];
			})()`,
		);
		expect({ name, shown: shown.filter((text) => /127\.0\.0\.1|localhost|^toast: /.test(text ?? '')) }).toEqual({ name, shown: [] });
		if (of.element && !of.clip) await of.element.screenshot({ path: join(SCREENSHOTS, name) });
		else await page.screenshot({ path: join(SCREENSHOTS, name), ...(of.clip ? { clip: of.clip } : {}) });
	}

	it('finds the imini nodes from the "+" after a node, and adds Imini Generate connected to it', async () => {
		const started = Date.now();
		await page.goto(`${n8n!.url}/workflow/${workflowId}`);
		await page.locator('[data-test-id="canvas-node"][data-node-name="Prompt"]').waitFor();
		const edgesBefore = await page.locator('[data-test-id="edge"]').count();

		await page.locator('[data-test-id="canvas-node"][data-node-name="Prompt"]').hover();
		await page.locator('[data-test-id="canvas-handle-plus"]').first().click();
		await creator().waitFor();
		expect((await searchCreator('imini')).slice(0, 3)).toEqual(MEASURED_ORDER.imini);
		await picture('search-imini.png');
		for (const query of GENERATE_ALONE) expect({ query, found: await searchCreator(query) }).toEqual({ query, found: ['Imini Generate'] });
		for (const [query, order] of Object.entries(MEASURED_ORDER)) {
			expect({ query, found: (await searchCreator(query)).slice(0, order.length) }).toEqual({ query, found: order });
		}
		// The README's step: search "imini", pick Imini Generate.
		await searchCreator('imini');

		await creator().locator('[data-test-id="node-creator-item-name"]', { hasText: /^Imini Generate$/ }).first().click();
		// n8n shows an installed community node's card first; its button adds the node.
		const add = creator().getByRole('button', { name: /Add to workflow/ });
		if (await add.isVisible().catch(() => false)) await add.click();
		await ndv().waitFor();
		timings.findAndAddMs = Date.now() - started;
		// The only credential of its type is picked by itself.
		expect(await ndv().locator('[data-test-id="node-credentials-select"] input').inputValue()).toBe(CREDENTIAL_NAME);
		await ndv().locator('[data-test-id="ndv-close-button"], [data-test-id="back-to-canvas"]').first().click();
		await ndv().waitFor({ state: 'hidden' });
		// Connected: one edge more, from Prompt into the new node, whose input shows no "+" of its own.
		expect(await page.locator('[data-test-id="edge"]').count()).toBe(edgesBefore + 1);
		const subtitle = await page.locator('[data-test-id="canvas-node"][data-node-name="Imini Generate"]').innerText();
		expect(subtitle).toContain('Nano Banana · image');
	});

	it('shows each model its own fields and hints', async () => {
		await page.locator('[data-test-id="canvas-node"][data-node-name="Imini Generate"]').dblclick();
		await ndv().waitFor();

		let labels = await visibleLabels();
		expect(labels).toEqual(expect.arrayContaining(['Resource', 'Model', 'Prompt', 'Aspect Ratio']));
		expect(labels).not.toContain('Resolution');
		expect(labels).not.toContain('Quality');
		expect(await visibleText()).toContain('Up to 6,000 characters');
		// An option only where it applies: no video cover for pictures.
		const imageOptions = await optionChoices();
		expect(imageOptions).toEqual(expect.arrayContaining(['Include Other Input Fields', 'Put Output File in Field']));
		expect(imageOptions).not.toContain('Download Video Cover');

		await choose('model', 'GPT Image 2 (OpenAI)');
		await parameter('quality').waitFor();
		labels = await visibleLabels();
		expect(labels).toEqual(expect.arrayContaining(['Aspect Ratio', 'Resolution', 'Quality', 'Number of Images', 'Prompt']));
		const gptText = await visibleText();
		expect(gptText).toContain('Up to 32,000 characters');
		expect(gptText).toContain('1K = 1024 px, 2K = 2048 px, 4K = 4096 px');
		expect(gptText).not.toContain('512');

		await choose('model', 'Nano Banana Pro (Google)');
		await parameter('resolution').waitFor();
		expect(await visibleLabels()).not.toContain('Quality');

		await choose('resource', 'Video');
		await parameter('duration').waitFor();
		labels = await visibleLabels();
		expect(labels).toEqual(expect.arrayContaining(['Model', 'Prompt', 'Resolution', 'Aspect Ratio', 'Duration (Seconds)', 'Negative Prompt']));
		const klingText = await visibleText();
		expect(klingText).toContain('3 to 15 seconds');
		expect(klingText).toContain('Up to 2,500 characters');
		// One "Add Option" (the node's), and Kling's own settings under their own button.
		expect(await parameters().locator('input[placeholder="Add Model Setting"]').count()).toBe(1);
		expect(await parameters().locator('input[placeholder="Add Option"]').count()).toBe(1);
		expect(await optionChoices()).toContain('Download Video Cover');
		await page.evaluate('document.activeElement?.blur()');
		await picture('node-panel-video.png', { element: ndv() });

		await choose('resource', 'Image');
		await choose('model', 'Nano Banana Pro (Google)');
		await parameter('resolution').waitFor();
	});

	it('maps the prompt from the input panel, runs, and shows the picture with its prompt on the item', async () => {
		// Drag the "prompt" pill of the input panel onto the Prompt field, as a user does (n8n's
		// drag and drop follows the mouse: a press, moves in steps, a release).
		const pill = ndv().locator('[data-test-id="ndv-input-panel"]').getByText('prompt', { exact: true }).first();
		await pill.waitFor();
		const from = await pill.boundingBox();
		const to = await parameter('prompt').locator('textarea').first().boundingBox();
		await page.mouse.move(from.x + from.width / 2, from.y + from.height / 2);
		await page.mouse.down();
		await page.mouse.move(from.x + from.width / 2 + 30, from.y + from.height / 2 + 5, { steps: 5 });
		await page.mouse.move(to.x + to.width / 2, to.y + to.height / 2, { steps: 25 });
		await page.mouse.up();
		await parameters().locator('.cm-line', { hasText: '{{ $json.prompt }}' }).first().waitFor({ timeout: 10_000 });
		// n8n's "You just mapped some data!" came (and is kept out of the picture).
		await page.getByText('You just mapped some data!').waitFor({ state: 'attached' });
		// The README's values: Aspect Ratio 16:9, Resolution 2K.
		await choose('aspectRatio', '16:9');
		await choose('resolution', '2K');
		await ndv().locator('[data-test-id="input-label"]').filter({ hasText: 'Resource' }).first().click();
		await page.evaluate('document.activeElement?.blur()');
		await picture('node-panel.png', { element: ndv() });

		const submitted = mock!.submissions.length;
		const started = Date.now();
		await ndv().locator('[data-test-id="node-execute-button"]').click();
		const output = ndv().locator('[data-test-id="output-panel"]');
		await output.locator('[data-test-id^="node-run-status-"], [data-test-id="node-error-message"]').first().waitFor({ timeout: 120_000 });
		timings.executeStepMs = Date.now() - started;
		expect((await output.locator('[data-test-id="node-error-message"]').allInnerTexts()).join('\n')).toBe('');
		expect(mock!.submissions.slice(submitted).map((s) => s.body)).toEqual([
			expect.objectContaining({ model: 'google/nano-banana-pro', prompt: PROMPT, aspect_ratio: '16:9', resolution: '2K' }),
		]);

		// The item carries the prompt and the settings, next to the file.
		await output.locator('[data-test-id="radio-button-json"]').click();
		await output.getByText(PROMPT).first().waitFor();
		await output.getByText('resolution').first().waitFor();
		const json = await output.innerText();
		expect(json).toMatch(/"?prompt"?:\s*"A red fox/);
		expect(json).toMatch(/"?resolution"?:\s*"2K"/);
		expect(json).toMatch(/"?aspect_ratio"?:\s*"16:9"/);

		await output.locator('[data-test-id="radio-button-binary"]').click();
		const file = output.locator('[data-test-id="ndv-binary-data_0"]');
		await file.waitFor();
		expect(await file.innerText()).toContain('image/png');
		await page.waitForFunction(`document.querySelector('[data-test-id="ndv"] [data-test-id="node-execute-button"]')?.disabled === false`);
		await picture('finished-run.png');

		// "View" previews the picture itself, which the mock captions with the prompt it was asked for.
		await output.locator('[data-test-id="ndv-view-binary-data"]').click();
		const preview = output.locator('img[src*="/rest/binary-data"]');
		await preview.waitFor();
		await page.waitForFunction((img: { complete: boolean; naturalWidth: number }) => img.complete && img.naturalWidth > 0, await preview.elementHandle());
		await picture('result-preview.png');
	});

	it('one mistake: a reference image from a file the input does not have says where to look', async () => {
		await parameters().getByText('Add Reference Image').first().click();
		await parameters().locator('[data-test-id="parameter-input-binaryProperty"]').first().waitFor();
		const submitted = mock!.submissions.length;
		await ndv().locator('[data-test-id="node-execute-button"]').click();
		const message = ndv().locator('[data-test-id="node-error-message"]').first();
		await message.waitFor({ timeout: 60_000 });
		expect(await message.innerText()).toContain('Reference Images #1: the input item has no file in the field "data"');
		expect(await ndv().innerText()).toContain('The input item has no files at all');
		expect(mock!.submissions.length).toBe(submitted);
		await picture('error-reference-image.png', { element: ndv() });
	});

	it('a new credential with a bad key says so in words, and where to get a good one', async () => {
		if (!(await ndv().isVisible())) {
			await page.locator('[data-test-id="canvas-node"][data-node-name="Imini Generate"]').dblclick();
			await ndv().waitFor();
		}
		await ndv().locator('[data-test-id="node-credentials-select"]').click();
		await page.locator('[data-test-id="node-credentials-select-item-new"]').filter({ visible: true }).first().click();
		const dialog = page.locator('[data-test-id="credential-edit-dialog"]');
		await dialog.waitFor();
		// As the credential page says: paste the key, leave Base URL as it is.
		await dialog.locator('[data-test-id="parameter-input-apiKey"] input').fill('imini-0123456789abcdef');
		expect(await dialog.locator('[data-test-id="parameter-input-baseUrl"] input').inputValue()).toBe('https://openapi.imini.ai/imini/router');
		// The whole dialog, its title and Save button included.
		const frame = page.locator('.el-dialog').filter({ has: dialog }).last();
		await picture('credential.png', { element: frame });
		// Saved, n8n tests it: here against the offline mock, whose address stays out of the picture below.
		await dialog.locator('[data-test-id="parameter-input-apiKey"] input').fill('not-my-key');
		await dialog.locator('[data-test-id="parameter-input-baseUrl"] input').fill(mock!.url);
		await page.locator('[data-test-id="credential-save-button"]').filter({ visible: true }).first().click();
		// n8n says "Couldn't connect with these settings"; "More details" shows the credential's own words.
		await dialog.getByText('More details').waitFor({ timeout: 30_000 });
		await dialog.getByText('More details').click();
		await page.getByText('imini does not accept this API key (401)').first().waitFor();
		// The dialog down to the API Key field: the answer and the key, not the test's Base URL.
		const box = await frame.boundingBox();
		const baseUrl = await dialog.locator('[data-test-id="parameter-input-baseUrl"]').boundingBox();
		await picture('credential-bad-key.png', { clip: { x: box.x, y: box.y, width: box.width, height: baseUrl.y - box.y - 32 } });

		// The right key: Save says what the credential page says it says.
		await dialog.locator('[data-test-id="parameter-input-apiKey"] input').fill(mock!.apiKey);
		await page.locator('[data-test-id="credential-save-button"]').filter({ visible: true }).first().click();
		await dialog.getByText('Connection tested successfully').waitFor({ state: 'attached', timeout: 30_000 });
		await page.keyboard.press('Escape');
	});

	it.each([
		[EXAMPLE_01, 'canvas-example-01.png', 3],
		// The video parks on its first check and comes back round the loop: Keep Waiting runs too.
		[EXAMPLE_08, 'canvas-example-08.png', 5],
	])('%s runs from the editor and is pictured whole', async (id, file, nodes) => {
		await page.goto(`${n8n!.url}/workflow/${id}`);
		await page.locator('[data-test-id="canvas-node"]').first().waitFor();
		const submitted = mock!.submissions.length;
		await page.locator('[data-test-id="execute-workflow-button"]').click();
		// Every node but the sticky note ran and shows its green tick.
		await page.waitForFunction(`document.querySelectorAll('[data-test-id="canvas-node-status-success"]').length >= ${nodes}`, undefined, { timeout: 120_000 });
		expect(await page.locator('[data-test-id="canvas-node-status-error"]').count()).toBe(0);
		expect(mock!.submissions.length).toBe(submitted + 1);
		await page.locator('[data-test-id="zoom-to-fit"]').click();
		await page.waitForTimeout(400); // the canvas animates its zoom
		await picture(file);
	}, 180_000);

	// Imini Wait's durable loop, drawn as a user draws it.
	const canvasNode = (name: string): Locator => page.locator(`[data-test-id="canvas-node"][data-node-name="${name}"]`);
	const outputHandle = (name: string, index: number): Locator => page.locator(`[data-test-id="canvas-node-output-handle"][data-node-name="${name}"][data-index="${index}"]`);
	const inputHandle = (name: string): Locator => page.locator(`[data-test-id="canvas-node-input-handle"][data-node-name="${name}"]`).first();

	/** A press on one handle, moves in steps, a release on another: n8n's canvas follows the mouse. */
	async function drag(from: Locator, to: Locator): Promise<void> {
		const a = await from.boundingBox();
		const b = await to.boundingBox();
		await page.mouse.move(a.x + a.width / 2, a.y + a.height / 2);
		await page.mouse.down();
		await page.mouse.move(a.x + a.width / 2 + 40, a.y + a.height / 2 + 20, { steps: 5 });
		await page.mouse.move(b.x + b.width / 2, b.y + b.height / 2, { steps: 25 });
		await page.mouse.up();
	}

	/** The workflow as saved (Ctrl+S first): its connections, from the REST API. */
	async function savedConnections(id: string): Promise<Record<string, { main: Array<Array<{ node: string }>> }>> {
		await page.keyboard.press('Control+s');
		await page.waitForTimeout(1_000);
		return (await n8n.rest('GET', `/rest/workflows/${id}`)).body.data.connections;
	}

	/** Adds a node from the node creator (already open), by its name in the list. */
	async function addFromCreator(search: string, item: RegExp): Promise<void> {
		await creator().waitFor();
		await searchCreator(search);
		await creator().locator('[data-test-id="node-creator-item-name"]', { hasText: item }).first().click();
		const add = creator().getByRole('button', { name: /Add to workflow/ });
		if (await add.isVisible().catch(() => false)) await add.click();
	}

	async function closeNdv(): Promise<void> {
		await ndv().locator('[data-test-id="ndv-close-button"], [data-test-id="back-to-canvas"]').first().click();
		await ndv().waitFor({ state: 'hidden' });
	}

	async function turnParkingOn(): Promise<void> {
		await parameter('parkBetweenChecks').locator('.el-switch').first().click();
		await parameters().getByText('Check Videos in Memory First (Seconds)').first().waitFor();
		expect(await visibleText()).toContain("Connect Still Running back into this node's input");
	}

	/** The latest execution of a workflow once it has ended (it may park and resume on the way). */
	/** Execute workflow from the canvas, then Imini Wait's panel opened on its error: the execution, the task it submitted, the error's headline. */
	async function runToIminiWaitError(id: string): Promise<{ ended: { id: string; status: string }; task: { taskId: string }; message: Locator }> {
		const submitted = mock.submissions.length;
		await page.locator('[data-test-id="execute-workflow-button"]').click();
		const ended = await endedExecution(id, 60_000);
		const [task] = mock.submissions.slice(submitted);
		await canvasNode('Imini Wait').dblclick();
		await ndv().waitFor();
		const message = ndv().locator('[data-test-id="node-error-message"]').first();
		await message.waitFor({ timeout: 30_000 });
		return { ended, task, message };
	}

	async function endedExecution(id: string, timeoutMs: number): Promise<{ id: string; status: string }> {
		const deadline = Date.now() + timeoutMs;
		for (;;) {
			const list = (await n8n.rest('GET', `/rest/executions?filter=${encodeURIComponent(JSON.stringify({ workflowId: id }))}`)).body.data;
			const latest = (list.results ?? list)[0];
			if (latest && !['new', 'running', 'waiting'].includes(latest.status)) return latest;
			if (Date.now() > deadline) throw new Error(`workflow ${id}: no ended execution within ${timeoutMs} ms (latest: ${JSON.stringify(latest)})`);
			await page.waitForTimeout(1_000);
		}
	}

	async function videoWorkflow(name: string, extra: { nodes?: unknown[]; connections?: Record<string, unknown> } = {}): Promise<string> {
		const created = await n8n.rest('POST', '/rest/workflows', {
			name,
			active: false,
			settings: { executionOrder: 'v1' },
			nodes: [
				{ id: 't', name: TRIGGER, type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} },
				{
					id: 'g',
					name: 'Submit the Video',
					type: 'n8n-nodes-imini.iminiGenerate',
					typeVersion: 1,
					position: [240, 0],
					parameters: { resource: 'video', model: 'doubao/seedance-2.0-fast', prompt: `[mock time=3000] ${name}: a lighthouse in a storm`, resolution: '720P', aspectRatio: '16:9', duration: 4, waitForCompletion: false, options: {} },
					credentials: { iminiApi: { id: EXAMPLE_CREDENTIAL_ID, name: CREDENTIAL_NAME } },
				},
				...(extra.nodes ?? []),
			],
			connections: { [TRIGGER]: { main: [[{ node: 'Submit the Video', type: 'main', index: 0 }]] }, ...extra.connections },
		});
		if (created.status !== 200) throw new Error(`creating the workflow: ${created.status} ${JSON.stringify(created.body).slice(0, 300)}`);
		return created.body.data.id;
	}

	let loopWorkflowId: string;

	it('draws a parking Imini Wait\'s loop by mouse after a submitting Imini Generate, runs a video, and sees the file on Done', async () => {
		loopWorkflowId = await videoWorkflow('A video that survives restarts');
		await page.goto(`${n8n.url}/workflow/${loopWorkflowId}`);
		await canvasNode('Submit the Video').waitFor();

		// Imini Wait from the "+" after the submitting node, parking turned on.
		await canvasNode('Submit the Video').hover();
		await outputHandle('Submit the Video', 0).locator('[data-test-id="canvas-handle-plus"]').click();
		await addFromCreator('Imini Wait', /^Imini Wait$/);
		await ndv().waitFor();
		await turnParkingOn();
		await closeNdv();
		await outputHandle('Imini Wait', 1).waitFor();

		// Still Running (the top output) dragged straight back into the node's own input: the canvas
		// accepts a node's connection to itself (docs/durable-waits.md says so; a No Op between works too).
		await drag(outputHandle('Imini Wait', 0), inputHandle('Imini Wait'));
		let connections = await savedConnections(loopWorkflowId);
		expect(connections['Imini Wait'].main[0].map((c) => c.node)).toEqual(['Imini Wait']);
		// Done to the next step, from its "+".
		await canvasNode('Imini Wait').hover();
		await outputHandle('Imini Wait', 1).locator('[data-test-id="canvas-handle-plus"]').click();
		await addFromCreator('No Op', /No Operation/);
		if (await ndv().isVisible().catch(() => false)) await closeNdv();
		connections = await savedConnections(loopWorkflowId);
		const [stillRunning, done] = connections['Imini Wait'].main;
		expect(stillRunning.map((c) => c.node)).toEqual(['Imini Wait']);
		expect(done.map((c) => c.node)).toEqual(['No Operation, do nothing']);
		await picture('durable-loop.png');

		// Run: the video parks on its first check, n8n resumes it (65 s later) round the drawn loop, and it comes out of Done.
		const submitted = mock.submissions.length;
		const started = Date.now();
		await page.locator('[data-test-id="execute-workflow-button"]').click();
		const ended = await endedExecution(loopWorkflowId, 180_000);
		timings.parkedVideoDoneMs = Date.now() - started;
		expect(ended.status).toBe('success');
		expect(mock.submissions.length - submitted).toBe(1);
		const execution = (await n8n.rest('GET', `/rest/executions/${ended.id}`)).body.data;
		const runData = JSON.parse(execution.data) as unknown;
		expect(JSON.stringify(runData)).toContain('video/mp4');

		// What the user sees: the run, resumed after its park, shown on the canvas; Imini Wait's Done holds the video.
		await canvasNode('Imini Wait').dblclick();
		await ndv().waitFor();
		const output = ndv().locator('[data-test-id="output-panel"]');
		// n8n names the output tabs "Still Running Branch" and "Done Branch (1 item)".
		await output.getByText(/^Done Branch/).first().click();
		await output.locator('[data-test-id="radio-button-binary"]').click();
		const file = output.locator('[data-test-id="ndv-binary-data_0"]');
		await file.waitFor({ timeout: 30_000 });
		expect(await file.innerText()).toContain('video/mp4');
		await picture('durable-loop-done.png');
		await closeNdv();
	}, 300_000);

	it('testing Imini Wait alone ("Execute step") waits without parking, since n8n stops after the step, and shows the video on Done', async () => {
		await page.goto(`${n8n.url}/workflow/${loopWorkflowId}`);
		await canvasNode('Imini Wait').dblclick();
		await ndv().waitFor();
		await ndv().locator('[data-test-id="node-execute-button"]').click();
		const output = ndv().locator('[data-test-id="output-panel"]');
		await output.getByText(/^Done Branch \(1 item\)/).first().waitFor({ timeout: 60_000 });
		await output.getByText(/^Done Branch/).first().click();
		await output.locator('[data-test-id="radio-button-binary"]').click();
		const file = output.locator('[data-test-id="ndv-binary-data_0"]');
		await file.waitFor({ timeout: 30_000 });
		expect(await file.innerText()).toContain('video/mp4');
		await closeNdv();
	}, 120_000);

	it('a slip, Still Running left unconnected: the run stops with an error naming the task and the connection to make', async () => {
		const id = await videoWorkflow('A slip: Still Running unconnected', {
			nodes: [
				{ id: 'w', name: 'Imini Wait', type: 'n8n-nodes-imini.iminiWait', typeVersion: 1, position: [500, 0], parameters: { parkBetweenChecks: true, options: {} }, credentials: { iminiApi: { id: EXAMPLE_CREDENTIAL_ID, name: CREDENTIAL_NAME } } },
				{ id: 'r', name: 'Video Ready', type: 'n8n-nodes-base.noOp', typeVersion: 1, position: [760, 100], parameters: {} },
			],
			connections: {
				'Submit the Video': { main: [[{ node: 'Imini Wait', type: 'main', index: 0 }]] },
				'Imini Wait': { main: [[], [{ node: 'Video Ready', type: 'main', index: 0 }]] },
			},
		});
		await page.goto(`${n8n.url}/workflow/${id}`);
		await canvasNode('Imini Wait').waitFor();
		const { ended, task, message } = await runToIminiWaitError(id);
		expect(ended.status).toBe('error');
		expect(await message.innerText()).toContain("Still Running is not connected back into Imini Wait's input");
		const shown = await ndv().innerText();
		expect(shown).toContain("Connect Still Running back into Imini Wait's input");
		expect(shown).toContain(task.taskId);
		await picture('durable-loop-error.png');
		await closeNdv();
	}, 120_000);

	it('the other slip, parking turned on with the next step on the one output: the connection stays on Still Running, and the run says to move it onto Done', async () => {
		const id = await videoWorkflow('A slip: the old wiring', {
			nodes: [
				{ id: 'w', name: 'Imini Wait', type: 'n8n-nodes-imini.iminiWait', typeVersion: 1, position: [500, 0], parameters: { options: {} }, credentials: { iminiApi: { id: EXAMPLE_CREDENTIAL_ID, name: CREDENTIAL_NAME } } },
				{ id: 'r', name: 'Video Ready', type: 'n8n-nodes-base.noOp', typeVersion: 1, position: [760, 0], parameters: {} },
			],
			connections: {
				'Submit the Video': { main: [[{ node: 'Imini Wait', type: 'main', index: 0 }]] },
				'Imini Wait': { main: [[{ node: 'Video Ready', type: 'main', index: 0 }]] },
			},
		});
		await page.goto(`${n8n.url}/workflow/${id}`);
		await canvasNode('Imini Wait').dblclick();
		await ndv().waitFor();
		await turnParkingOn();
		await closeNdv();
		const connections = await savedConnections(id);
		expect(connections['Imini Wait'].main[0].map((c) => c.node)).toEqual(['Video Ready']);
		const { ended, task, message } = await runToIminiWaitError(id);
		expect(ended.status).toBe('error');
		expect(await message.innerText()).toContain('Still Running leads to "Video Ready", which does not come back into Imini Wait');
		const shown = await ndv().innerText();
		expect(shown).toContain('Move the connection to "Video Ready" onto Done');
		expect(shown).toContain(task.taskId);
		await closeNdv();
	}, 120_000);
});
