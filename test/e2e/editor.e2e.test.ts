// The package in the real n8n editor (n8n 2.40.7 in headless Chromium, driven by playwright-core
// from .tools/browser): the packed tarball installed as a community package, the example
// "Prompt to image" workflow opened on the canvas, the Imini Generate node's panel showing the
// fields of the chosen model only, and the node executed from the panel against the offline
// mock, its picture in the output panel's Binary view.
//
// Needs `bash dev/n8n/install.sh`, `bash dev/n8n/install-browser.sh` and `npm run build`
// (npm run test:e2e does all three). Screenshots go to test/.artifacts/screenshots/, or replace the
// README's in examples/screenshots/ with UPDATE_SCREENSHOTS=1.
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { createN8nHome } from '../../dev/n8n/home';
import { N8N_VERSION, REPO_ROOT } from '../../dev/n8n/paths';
import { startN8n } from '../../dev/n8n/server';
import type { N8nHome } from '../../dev/n8n/home';
import type { RunningN8n } from '../../dev/n8n/server';
import { provisionImini } from '../../dev/n8n/provision';
import { startMock } from '../../mock-server/index';
import type { MockServer } from '../../mock-server/index';

const PLAYWRIGHT_CORE = join(REPO_ROOT, '.tools', 'browser', 'node_modules', 'playwright-core');
const CHROMIUM = '/usr/bin/chromium';
const SCREENSHOTS = process.env.UPDATE_SCREENSHOTS === '1' ? join(REPO_ROOT, 'examples', 'screenshots') : join(REPO_ROOT, 'test', '.artifacts', 'screenshots');
const WORKFLOW_ID = 'iminiEx1PromptImg';
const NODE_NAME = 'Imini Generate';

// playwright-core is not a dependency of the package (install-browser.sh puts it in .tools), so
// its types are not either: the few calls used here, loosely typed.
type Locator = any;
type Page = any;
type Browser = any;
// Code run in the page: this project compiles without the DOM library, so element shapes are
// spelled out and code that needs `document` is passed as a string.
type PageElement = { checkVisibility(): boolean; innerText: string; dataset: Record<string, string | undefined> };
type PageImage = { complete: boolean; naturalWidth: number; naturalHeight: number };

const timings: Record<string, number> = {};

describe(`n8n ${N8N_VERSION} editor (headless Chromium): Imini Generate`, () => {
	let mock: MockServer | undefined;
	let home: N8nHome | undefined;
	let n8n: RunningN8n | undefined;
	let browser: Browser | undefined;
	let page: Page;

	beforeAll(async () => {
		if (!existsSync(join(PLAYWRIGHT_CORE, 'package.json')) || !existsSync(CHROMIUM)) {
			throw new Error(`playwright-core (${PLAYWRIGHT_CORE}) or ${CHROMIUM} is missing. Run: bash dev/n8n/install-browser.sh`);
		}
		let started = Date.now();
		mock = await startMock({ simulator: { imageTaskMs: 1500, videoTaskMs: 3000, rateLimit: null } });
		home = await createN8nHome();
		// Before `n8n start`: n8n loads community packages when it starts.
		await provisionImini(home, { apiKey: mock.apiKey, baseUrl: mock.url, name: 'Imini API (offline mock)' });
		timings.provisionMs = Date.now() - started;
		started = Date.now();
		n8n = await startN8n(home);
		timings.n8nStartMs = Date.now() - started;

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
	});

	afterAll(async () => {
		await browser?.close();
		await n8n?.stop();
		await mock?.close();
		await home?.cleanup();
		process.stdout.write(`[n8n editor e2e timings] ${JSON.stringify(timings)}\n`);
	});

	const ndv = (): Locator => page.locator('[data-test-id="ndv"]');
	const parameters = (): Locator => ndv().locator('[data-test-id="node-parameters"]');
	/** The input of a node parameter, by its internal name (n8n's `parameter-input-<name>`). */
	const parameter = (name: string): Locator => parameters().locator(`[data-test-id="parameter-input-${name}"]`);

	/** The labels of the parameters the panel shows, as a user reads them ("Model", "Resolution", ...). */
	async function visibleLabels(): Promise<string[]> {
		return await parameters()
			.locator('[data-test-id="input-label"] label')
			.evaluateAll((labels: PageElement[]) => labels.filter((label) => label.checkVisibility()).map((label) => label.innerText.split('\n')[0].trim()));
	}

	/** Opens the Model dropdown and picks the option whose headline is `name`. */
	async function chooseModel(name: string): Promise<void> {
		await parameter('model').locator('input').click();
		const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
		// An option's accessible name is its headline followed by its description.
		await page.getByRole('option', { name: new RegExp(`^${escaped}`) }).filter({ visible: true }).click();
		// Closed: no dropdown list on screen any more (it fades out after the click).
		await page.waitForFunction(`[...document.querySelectorAll('[role="listbox"]')].every((list) => !list.checkVisibility())`);
		expect(await parameter('model').locator('input').inputValue()).toBe(name);
	}

	async function openNodePanel(): Promise<void> {
		if (await ndv().isVisible()) return;
		await page.locator(`[data-test-id="canvas-node"][data-node-name="${NODE_NAME}"]`).dblclick();
		await ndv().waitFor();
	}

	it('opens the example workflow and shows only the chosen model’s fields', async () => {
		const started = Date.now();
		await page.goto(`${n8n!.url}/workflow/${WORKFLOW_ID}`);
		await page.locator('[data-test-id="canvas-node"]').first().waitFor();
		const nodeNames = await page.locator('[data-test-id="canvas-node"]').evaluateAll((nodes: PageElement[]) => nodes.map((node) => node.dataset.nodeName));
		expect(nodeNames).toEqual(expect.arrayContaining(['Prompt', NODE_NAME]));
		timings.canvasMs = Date.now() - started;

		await openNodePanel();
		expect(await ndv().locator('[data-test-id="node-credentials-select"] input').inputValue()).toBe('Imini API (offline mock)');

		// As saved in the example: Nano Banana Pro, which has resolutions and no quality levels.
		expect(await parameter('model').locator('input').inputValue()).toBe('Nano Banana Pro (Google)');
		expect(await parameter('resolution').locator('input').inputValue()).toBe('2K');
		let labels = await visibleLabels();
		expect(labels).toEqual(expect.arrayContaining(['Model', 'Aspect Ratio', 'Resolution', 'Prompt']));
		expect(labels).not.toContain('Quality');
		expect(labels).not.toContain('Number of Images');

		await chooseModel('GPT Image 2 (OpenAI)');
		await parameter('quality').waitFor();
		labels = await visibleLabels();
		expect(labels).toEqual(expect.arrayContaining(['Model', 'Aspect Ratio', 'Quality', 'Number of Images', 'Prompt']));
		expect(await parameter('quality').locator('input').inputValue()).toBe('Medium');
		expect(await parameter('numberOfImages').locator('input').inputValue()).toBe('1');
		// No hover or focus highlights in the picture.
		await page.mouse.move(1, 1);
		await page.evaluate('document.activeElement?.blur()');
		await ndv().screenshot({ path: join(SCREENSHOTS, 'node-panel.png') });

		// Nano Banana renders 1K only: no Resolution choice, and no quality levels.
		await chooseModel('Nano Banana (Google)');
		await parameter('quality').waitFor({ state: 'detached' });
		labels = await visibleLabels();
		expect(labels).toEqual(expect.arrayContaining(['Model', 'Aspect Ratio', 'Prompt']));
		expect(labels).not.toContain('Resolution');
		expect(labels).not.toContain('Quality');
		expect(labels).not.toContain('Number of Images');
		expect(await parameter('resolution').count()).toBe(0);
	});

	it('executes the node from its panel and shows the picture as binary output', async () => {
		await openNodePanel();
		await chooseModel('Nano Banana Pro (Google)');
		await parameter('resolution').waitFor();
		expect(await visibleLabels()).not.toContain('Quality');

		const submitted = mock!.submissions.length;
		const started = Date.now();
		const executeButton = ndv().locator('[data-test-id="node-execute-button"]');
		expect(await executeButton.innerText()).toMatch(/Execute step|Test step/);
		await executeButton.click();

		// Done when the output panel shows a run status (success or not) or a node error.
		const output = ndv().locator('[data-test-id="output-panel"]');
		await output.locator('[data-test-id^="node-run-status-"], [data-test-id="node-error-message"]').first().waitFor({ timeout: 120_000 });
		timings.executeStepMs = Date.now() - started;
		const errorText = (await output.locator('[data-test-id="node-error-message"]').allInnerTexts()).join('\n');
		expect(errorText).toBe('');
		expect(await output.locator('[data-test-id^="node-run-status-"]').getAttribute('data-test-id')).toBe('node-run-status-success');
		expect(await output.locator('[data-test-id="ndv-items-count"]').innerText()).toMatch(/^1 item\b/);
		await page.getByText('Node executed successfully').waitFor();

		// What ran: one Nano Banana Pro task on the mock, with the prompt from the Prompt node.
		const submissions = mock!.submissions.slice(submitted);
		expect(submissions).toHaveLength(1);
		expect(submissions[0].body).toMatchObject({ model: 'google/nano-banana-pro', prompt: 'A red fox curled up in fresh snow, golden hour, 35 mm photo' });
		expect(mock!.violations).toEqual([]);

		// The Binary view (n8n usually opens it by itself for binary-only items) lists the file.
		await output.locator('[data-test-id="radio-button-binary"]').click();
		const file = output.locator('[data-test-id="ndv-binary-data_0"]');
		await file.waitFor();
		const fileText = await file.innerText();
		expect(fileText).toMatch(/imini-task_\w+-0\.png/);
		expect(fileText).toContain(`imini-${submissions[0].taskId}-0.png`);
		expect(fileText).toContain('image/png');
		// Idle again (the button is disabled while the node runs) before the picture is taken.
		await page.waitForFunction(`document.querySelector('[data-test-id="ndv"] [data-test-id="node-execute-button"]')?.disabled === false`);
		await page.screenshot({ path: join(SCREENSHOTS, 'finished-run.png') });

		// "View" previews the picture itself, served by n8n from its binary data store.
		await output.locator('[data-test-id="ndv-view-binary-data"]').click();
		const preview = output.locator('img[src*="/rest/binary-data"]');
		await preview.waitFor();
		expect(await preview.getAttribute('src')).toContain(`fileName=imini-${submissions[0].taskId}-0.png`);
		await page.waitForFunction((img: PageImage) => img.complete && img.naturalWidth > 0, await preview.elementHandle());
		const size = await preview.evaluate((img: PageImage) => ({ width: img.naturalWidth, height: img.naturalHeight }));
		// Aspect ratio 16:9, as in the example.
		expect(size.width).toBeGreaterThan(size.height);
		// What a person sees: the picture, captioned by the mock with the prompt it was asked for.
		await page.screenshot({ path: join(SCREENSHOTS, 'result-preview.png') });
	});
});
