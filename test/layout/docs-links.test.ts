// The README, CONTRIBUTING, CHANGELOG, docs/ and the mock's README point at each other, at files
// in the repository and at npm scripts. Files move and headings get reworded; a reader who clicks
// a dead link or types a script that no longer exists is stuck. This test reads the pages the way
// GitHub renders them: every relative link must reach a file or folder, every #anchor a heading
// of the page it names, and every `npm run <script>` (or `npm start` / `npm test`) a script of
// the package.json the page belongs to. Web links (http, https, mailto) are not followed.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { IminiApi } from '../../credentials/IminiApi.credentials';
import { IminiGenerate } from '../../nodes/IminiGenerate/IminiGenerate.node';
import { IminiGetTask } from '../../nodes/IminiGetTask/IminiGetTask.node';
import { IminiWait } from '../../nodes/IminiWait/IminiWait.node';

const ROOT = resolve(__dirname, '..', '..');

/** The pages checked, with the package.json files whose scripts they may name. */
const PAGES: Array<{ page: string; scriptsFrom: string[] }> = [
	...['README.md', 'CONTRIBUTING.md', 'CHANGELOG.md'].map((page) => ({ page, scriptsFrom: ['package.json'] })),
	// docs/ and its folders: the node pages (docs/nodes/) and the admin pages (docs/admin/).
	...(readdirSync(join(ROOT, 'docs'), { recursive: true }) as string[])
		.filter((name) => name.endsWith('.md'))
		.sort()
		.map((name) => ({ page: `docs/${name}`, scriptsFrom: ['package.json'] })),
	// The mock's README is read both in its own package and in this repository ("in the
	// repository, npm run mock"), so either package's scripts count.
	{ page: 'mock-server/README.md', scriptsFrom: ['mock-server/package.json', 'package.json'] },
];

/** Markdown with fenced code blocks blanked out (line numbers kept): links and headings there are text. */
function withoutCodeBlocks(markdown: string): string {
	let fence: string | null = null;
	return markdown
		.split('\n')
		.map((line) => {
			const opener = /^\s*(`{3,}|~{3,})/.exec(line);
			if (fence === null && opener) {
				fence = opener[1][0].repeat(opener[1].length);
				return '';
			}
			if (fence !== null) {
				if (line.trim().startsWith(fence)) fence = null;
				return '';
			}
			return line;
		})
		.join('\n');
}

/** GitHub's heading anchor (github-slugger): the rendered text, lower-cased, punctuation dropped, spaces to hyphens. */
function githubSlug(heading: string): string {
	const rendered = heading
		.replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1') // links and images: their text
		.replace(/`/g, '')
		.replace(/(\*\*|__|\*|(?<=\s|^)_|_(?=\s|$))/g, '') // emphasis markers
		.replace(/<[^>]+>/g, '') // inline HTML tags
		.trim();
	return rendered
		.toLowerCase()
		.replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, '')
		.replace(/ /g, '-');
}

/** Every anchor a page offers: one per heading, with GitHub's -1, -2 suffixes for repeats. */
function anchorsOf(file: string): Set<string> {
	const seen = new Map<string, number>();
	const anchors = new Set<string>();
	for (const line of withoutCodeBlocks(readFileSync(file, 'utf8')).split('\n')) {
		const heading = /^ {0,3}#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
		if (!heading) continue;
		const slug = githubSlug(heading[1]);
		const count = seen.get(slug) ?? 0;
		seen.set(slug, count + 1);
		anchors.add(count === 0 ? slug : `${slug}-${count}`);
	}
	return anchors;
}

/** The targets of inline links and images, and of reference definitions, outside code. */
function linkTargets(markdown: string): string[] {
	const text = withoutCodeBlocks(markdown).replace(/`[^`\n]*`/g, '``');
	const targets: string[] = [];
	for (const match of text.matchAll(/!?\[[^\]]*\]\(\s*<?([^)\s>]*)>?(?:\s+"[^"]*")?\s*\)/g)) targets.push(match[1]);
	for (const match of text.matchAll(/^ {0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s+.*)?$/gm)) targets.push(match[1]);
	return targets;
}

/** What is wrong with each relative link of a page (empty when all resolve). */
function brokenLinks(page: string): { checked: number; broken: string[] } {
	const file = join(ROOT, page);
	const broken: string[] = [];
	let checked = 0;
	for (const target of linkTargets(readFileSync(file, 'utf8'))) {
		if (/^(https?:|mailto:)/i.test(target)) continue;
		checked++;
		const hash = target.indexOf('#');
		const pathPart = decodeURIComponent(hash === -1 ? target : target.slice(0, hash));
		const anchor = hash === -1 ? null : decodeURIComponent(target.slice(hash + 1));
		const resolved = pathPart === '' ? file : resolve(dirname(file), pathPart);
		if (!resolved.startsWith(ROOT) || !existsSync(resolved)) {
			broken.push(`${target}: no such file (${relative(ROOT, resolved)})`);
			continue;
		}
		if (anchor !== null && statSync(resolved).isFile() && resolved.endsWith('.md') && !anchorsOf(resolved).has(anchor)) {
			broken.push(`${target}: no heading with the anchor #${anchor} in ${relative(ROOT, resolved)}`);
		}
	}
	return { checked, broken };
}

/** Script names a page tells the reader to run: `npm run <name>`, `npm run-script <name>`, and npm's own shortcuts. */
function namedScripts(markdown: string): string[] {
	const names: string[] = [];
	for (const match of markdown.matchAll(/\bnpm\s+(?:run(?:-script)?\s+([\w:.-]+)|(start|test|stop|restart)\b)/g)) {
		names.push(match[1] ?? match[2]);
	}
	return names;
}

function scriptsOf(packageJson: string): Set<string> {
	return new Set(Object.keys(JSON.parse(readFileSync(join(ROOT, packageJson), 'utf8')).scripts ?? {}));
}

describe('the GitHub heading anchor', () => {
	it.each([
		['Rate limits and many executions', 'rate-limits-and-many-executions'],
		['Checking the contract against the real imini: `imini-mock verify`', 'checking-the-contract-against-the-real-imini-imini-mock-verify'],
		['Everything at once: `npm start`', 'everything-at-once-npm-start'],
		['[0.1.0] - 2026-12-01', '010---2026-12-01'],
		['n8n 3.0', 'n8n-30'],
	])('of "%s" is #%s', (heading, slug) => {
		expect(githubSlug(heading)).toBe(slug);
	});

	it('numbers repeated headings as GitHub does', () => {
		// CHANGELOG.md has "### Added" under two versions.
		const anchors = anchorsOf(join(ROOT, 'CHANGELOG.md'));
		expect(anchors).toContain('added');
		expect(anchors).toContain('added-1');
	});
});

describe.each(PAGES)('$page', ({ page, scriptsFrom }) => {
	it('exists', () => {
		expect(existsSync(join(ROOT, page))).toBe(true);
	});

	it('has every relative link and #anchor resolving', () => {
		const { broken } = brokenLinks(page);
		expect(broken).toEqual([]);
	});

	it('names only npm scripts that exist', () => {
		const scripts = new Set(scriptsFrom.flatMap((packageJson) => [...scriptsOf(packageJson)]));
		const missing = namedScripts(readFileSync(join(ROOT, page), 'utf8')).filter((name) => !scripts.has(name));
		expect(missing).toEqual([]);
	});
});

describe('the pages as a whole', () => {
	it('link to each other: the check is not vacuous', () => {
		const checked = PAGES.reduce((sum, { page }) => sum + brokenLinks(page).checked, 0);
		expect(checked).toBeGreaterThan(50);
		expect(PAGES.map(({ page }) => page)).toEqual(
			expect.arrayContaining(['docs/usage.md', 'docs/common-issues.md', 'docs/installation.md', 'docs/credential.md', 'docs/nodes/imini-generate.md', 'docs/admin/queue-mode.md']),
		);
	});

	it('find a broken link and a wrong anchor when there is one', () => {
		// The same checks on a page written wrong on purpose, so that a checker that finds nothing fails here.
		const page = 'README.md';
		const text = '[gone](docs/no-such-page.md) [bad anchor](CONTRIBUTING.md#no-such-heading) [fine](CONTRIBUTING.md#releasing) `npm run no-such-script`';
		const targets = linkTargets(text);
		expect(targets).toEqual(['docs/no-such-page.md', 'CONTRIBUTING.md#no-such-heading', 'CONTRIBUTING.md#releasing']);
		expect(existsSync(resolve(dirname(join(ROOT, page)), 'docs/no-such-page.md'))).toBe(false);
		expect(anchorsOf(join(ROOT, 'CONTRIBUTING.md')).has('no-such-heading')).toBe(false);
		expect(anchorsOf(join(ROOT, 'CONTRIBUTING.md')).has('releasing')).toBe(true);
		expect(scriptsOf('package.json').has(namedScripts(text)[0])).toBe(false);
	});
});

describe("the editor's Docs links", () => {
	// A node panel's "Docs" opens the node's documentationUrl; n8n's node list reads the codex's
	// primaryDocumentation; the credential dialog's "docs" opens the credential's. Each must be
	// the page of this repository written for it, and that page must exist.
	const BLOB = 'https://github.com/n8n-nodes-imini/n8n-nodes-imini/blob/main/';
	const nodes: Array<[string, string, string]> = [
		['IminiGenerate', new IminiGenerate().description.documentationUrl!, 'docs/nodes/imini-generate.md'],
		['IminiGetTask', new IminiGetTask().description.documentationUrl!, 'docs/nodes/imini-get-task.md'],
		['IminiWait', new IminiWait().description.documentationUrl!, 'docs/nodes/imini-wait.md'],
	];

	it.each(nodes)('%s opens its own page, in the panel and in the codex', (node, documentationUrl, page) => {
		const codex = JSON.parse(readFileSync(join(ROOT, 'nodes', node, `${node}.node.json`), 'utf8'));
		expect(documentationUrl).toBe(BLOB + page);
		expect(codex.resources.primaryDocumentation).toEqual([{ url: BLOB + page }]);
		expect(codex.resources.credentialDocumentation).toEqual([{ url: BLOB + 'docs/credential.md' }]);
		expect(existsSync(join(ROOT, page))).toBe(true);
		// A node page in n8n's shape, and reachable from the README.
		const text = readFileSync(join(ROOT, page), 'utf8');
		expect(text).toMatch(/^## Node parameters$/m);
		expect(text).toMatch(/^## Templates and examples$/m);
		expect(readFileSync(join(ROOT, 'README.md'), 'utf8')).toContain(`](${page})`);
	});

	it('the credential opens docs/credential.md', () => {
		expect(new IminiApi().documentationUrl).toBe(BLOB + 'docs/credential.md');
		expect(existsSync(join(ROOT, 'docs/credential.md'))).toBe(true);
	});
});

describe('the pictures', () => {
	// Every picture in examples/screenshots/ is shown by a page, and each is made by a browser test
	// (the editor suite, or the mock's console test), so `UPDATE_SCREENSHOTS=1` renews them all
	// and none goes stale by hand.
	const DIR = 'examples/screenshots';
	const pictures = readdirSync(join(ROOT, DIR)).filter((name) => name.endsWith('.png'));
	const shown = new Set(PAGES.flatMap(({ page }) => linkTargets(readFileSync(join(ROOT, page), 'utf8')).map((target) => relative(ROOT, resolve(dirname(join(ROOT, page)), target)))));
	const makers = ['test/e2e/editor.e2e.test.ts', 'test/mock/console.e2e.test.ts'].map((file) => readFileSync(join(ROOT, file), 'utf8')).join('\n');

	it('there are pictures, and the editor suite makes the README\'s', () => {
		expect(pictures).toEqual(expect.arrayContaining(['node-panel.png', 'credential.png', 'canvas-example-01.png', 'canvas-example-08.png']));
	});

	it.each(pictures)('%s is shown by a page and made by a browser test', (name) => {
		expect({ name, shown: shown.has(`${DIR}/${name}`), made: makers.includes(`'${name}'`) }).toEqual({ name, shown: true, made: true });
	});
});
