// The mock's task console in headless Chromium (Debian's chromium, driven by playwright-core from
// .tools/browser): a batch of three tasks, one of them failed, listed newest first with statuses,
// prompts, faults and results; the picture thumbnails load; the video plays in Chromium's own
// player; a new task appears without reloading the page.
//
// Needs `bash dev/n8n/install-browser.sh` (npm run test:e2e runs it). The screenshot goes to
// test/.artifacts/screenshots/, or replaces the README's in examples/screenshots/ with
// UPDATE_SCREENSHOTS=1.
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { startMock } from '../../mock-server/index';
import type { MockServer } from '../../mock-server/index';
import { ManualClock, callApi } from '../harness/mock';

const REPO_ROOT = join(__dirname, '..', '..');
const PLAYWRIGHT_CORE = join(REPO_ROOT, '.tools', 'browser', 'node_modules', 'playwright-core');
const CHROMIUM = '/usr/bin/chromium';
const SCREENSHOTS = process.env.UPDATE_SCREENSHOTS === '1' ? join(REPO_ROOT, 'examples', 'screenshots') : join(REPO_ROOT, 'test', '.artifacts', 'screenshots');

// playwright-core is not a dependency of the package (see editor.e2e.test.ts): loosely typed.
type Browser = any;
type Page = any;
type PageImage = { complete: boolean; naturalWidth: number };

describe('the mock task console (headless Chromium)', () => {
	const clock = new ManualClock();
	let mock: MockServer;
	let browser: Browser | undefined;
	let page: Page;
	const ids: Record<string, string> = {};

	async function submit(kind: 'images' | 'videos', body: Record<string, unknown>): Promise<string> {
		const answer = await callApi(mock, 'POST', `/v1/${kind}/generate`, { body });
		expect(answer.status).toBe(200);
		return answer.body.task_id as string;
	}

	beforeAll(async () => {
		if (!existsSync(join(PLAYWRIGHT_CORE, 'package.json')) || !existsSync(CHROMIUM)) {
			throw new Error(`playwright-core (${PLAYWRIGHT_CORE}) or ${CHROMIUM} is missing. Run: bash dev/n8n/install-browser.sh`);
		}
		mock = await startMock({ simulator: { now: clock.now, imageTaskMs: 6_000, videoTaskMs: 20_000, rateLimit: null } });
		// A batch of three: a picture, a video, and a picture whose generation fails.
		ids.fox = await submit('images', { model: 'google/nano-banana-pro', prompt: 'a red fox in fresh snow, golden hour', aspect_ratio: '16:9', resolution: '1K' });
		clock.advance(1_000);
		ids.boat = await submit('videos', { model: 'kling/kling-v3', prompt: 'a paper boat drifting down a rainy street', aspect_ratio: '16:9', resolution: '720P', duration: 3 });
		clock.advance(1_000);
		ids.owl = await submit('images', { model: 'google/nano-banana', prompt: 'an owl reading a newspaper [mock fail=NSFW_CONTENT poll1=502]' });
		clock.advance(25_000);
		for (const [kind, id] of [['images', ids.fox], ['videos', ids.boat], ['images', ids.owl]]) {
			await callApi(mock, 'GET', `/v1/${kind}/tasks/${id}`);
		}

		// eslint-disable-next-line @typescript-eslint/no-require-imports
		const { chromium } = require(PLAYWRIGHT_CORE);
		browser = await chromium.launch({
			executablePath: CHROMIUM,
			headless: true,
			args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
		});
		page = await (await browser.newContext({ viewport: { width: 1440, height: 620 }, colorScheme: 'light' })).newPage();
		mkdirSync(SCREENSHOTS, { recursive: true });
	});

	afterAll(async () => {
		await browser?.close();
		await mock?.close();
	});

	it('lists the batch newest first, with status, prompt, faults and results', async () => {
		await page.goto(`${mock.filesUrl}/`);
		await page.locator('tr[data-task-id]').nth(2).waitFor();
		const rows = page.locator('tr[data-task-id]');
		expect(await rows.evaluateAll((trs: Array<{ dataset: Record<string, string> }>) => trs.map((tr) => [tr.dataset.taskId, tr.dataset.status]))).toEqual([
			[ids.owl, 'failed'],
			[ids.boat, 'succeeded'],
			[ids.fox, 'succeeded'],
		]);
		const owl = page.locator(`tr[data-task-id="${ids.owl}"]`);
		expect(await owl.innerText()).toContain('NSFW_CONTENT');
		expect(await owl.locator('.fault').allInnerTexts()).toEqual(['fail=NSFW_CONTENT', 'poll1=502']);
		const fox = page.locator(`tr[data-task-id="${ids.fox}"]`);
		expect(await fox.innerText()).toContain('a red fox in fresh snow, golden hour');
		expect(await fox.innerText()).toContain('google/nano-banana-pro');
		expect(await fox.innerText()).toMatch(/settled .* after 6\.0 s/);
		const boat = page.locator(`tr[data-task-id="${ids.boat}"]`);
		expect(await boat.locator('a').getAttribute('href')).toBe(`${mock.filesUrl}/files/${ids.boat}/0.mp4`);
		expect(await boat.innerText()).toContain('play video (1280×720 · 3 s)');

		// Thumbnails: the picture and the video's cover, loaded and decoded by the browser.
		const images = page.locator('.results img');
		await page.waitForFunction(`[...document.querySelectorAll('.results img')].every((img) => img.complete && img.naturalWidth > 0)`);
		expect(await images.evaluateAll((imgs: PageImage[]) => imgs.map((img) => img.naturalWidth))).toEqual([1280, 1024]);
		await page.screenshot({ path: join(SCREENSHOTS, 'mock-console.png') });
	});

	it("plays the video in Chromium's player: it has the task's size and length, and time advances", async () => {
		const played = await page.evaluate(`new Promise((resolve, reject) => {
			const video = document.createElement('video');
			video.muted = true;
			video.src = ${JSON.stringify(`${mock.filesUrl}/files/${ids.boat}/0.mp4`)};
			video.onerror = () => reject(new Error('video error ' + (video.error && video.error.message)));
			video.ontimeupdate = () => {
				if (video.currentTime > 0.5) resolve({ width: video.videoWidth, height: video.videoHeight, duration: video.duration });
			};
			video.play().catch(reject);
		})`);
		expect(played).toEqual({ width: 1280, height: 720, duration: 3 });
	});

	it('shows a new task without a reload', async () => {
		const id = await submit('images', { model: 'google/nano-banana', prompt: 'a lighthouse in a storm' });
		await page.locator(`tr[data-task-id="${id}"][data-status="queued"]`).waitFor({ timeout: 10_000 });
		expect(await page.locator('tr[data-task-id]').first().getAttribute('data-task-id')).toBe(id);
	});
});
