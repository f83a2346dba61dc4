// Every text the editor shows (field names, descriptions, hints, notices, option names, node
// descriptions, error messages, the credential's test answers) is read by someone who builds
// workflows, not by us. This test reads every sentence written in shipped code (`nodes/`,
// `credentials/`: each string or template literal with a space in it; comments are not shipped
// to the editor), and the pages of docs/ written for users, and fails on a word from our own trade that the reader does not know, unless
// the same sentence explains it. The codex search words are checked apart (they are not sentences).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import ts from 'typescript';

const ROOT = resolve(__dirname, '..', '..');

/** A word users do not know, why it is out, and (when there is one) the explanation that lets it stand. */
type BannedWord = { word: RegExp; why: string; explainedBy?: RegExp };

export const BANNED_WORDS: BannedWord[] = [
	{ word: /\bsettl(e|es|ed|ing)\b/i, why: 'say "finishes" or "is done"' },
	{ word: /\bpoll(s|er|ers|ing|ed)?\b/i, why: 'say "checks" or "asks imini whether the task is done"' },
	{ word: /\bin[ -]flight\b/i, why: 'say "running on imini" or "at once"' },
	{ word: /\b(free|frees|holds?) (its|no|a) worker\b/i, why: 'a worker is queue-mode plumbing; say what the user gains (a restart loses nothing)' },
	{ word: /\bthe submit\b/i, why: 'say "when the task is sent to imini"' },
	{ word: /\bbinary (property|data)\b/i, why: 'n8n shows files in the Binary tab; say "file" or "file field"' },
	{ word: /\bupstream\b/i, why: 'say "the model\'s own service behind imini"' },
	{ word: /\bend-?points?\b/i, why: 'say what the request does' },
	{ word: /\bretry-after\b/i, why: 'a header name; say "the wait imini asks for"' },
	{ word: /\bidempoten(t|cy)\b/i, why: 'say "a request sent twice could be charged twice"' },
	{ word: /\bresubmit/i, why: 'say "sent again"' },
	{ word: /\bHTTP (\d{3}\b|…)/, why: 'a status code goes after the sentence that says what happened, in parentheses' },
	{ word: /\bSSRF\b/, why: 'n8n\'s setting, named for an administrator', explainedBy: /N8N_SSRF_\w+/ },
];

/** Where a banned word is in a text, with its reason; empty when the text is clean. */
export function jargonIn(text: string): string[] {
	return BANNED_WORDS.filter(({ word, explainedBy }) => word.test(text) && !(explainedBy && explainedBy.test(text))).map(
		({ word, why }) => `"${word.exec(text)![0]}" (${why})`,
	);
}

function shippedFiles(dir: string): string[] {
	return readdirSync(join(ROOT, dir)).flatMap((name) => {
		const path = join(dir, name);
		if (statSync(join(ROOT, path)).isDirectory()) return name === 'generated' ? [] : shippedFiles(path);
		return path.endsWith('.ts') ? [path] : [];
	});
}

/** The sentences of a source file: its string and template literals that contain a space, `${…}` written as "…". */
export function sentencesOf(source: string, fileName = 'file.ts'): string[] {
	const file = ts.createSourceFile(fileName, source, ts.ScriptTarget.Latest, true);
	const found: string[] = [];
	const visit = (node: ts.Node): void => {
		if (ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) return;
		let text: string | undefined;
		if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) text = node.text;
		else if (ts.isTemplateExpression(node)) text = node.head.text + node.templateSpans.map((span) => '…' + span.literal.text).join('');
		if (text !== undefined && / /.test(text) && /[a-z]{2}/i.test(text)) found.push(text);
		ts.forEachChild(node, visit);
	};
	visit(file);
	return found;
}

describe('words in the editor', () => {
	const files = [...shippedFiles('nodes'), ...shippedFiles('credentials')];

	it('reads the shipped code: every node, the engine and the credential', () => {
		expect(files).toEqual(expect.arrayContaining(['nodes/IminiGenerate/IminiGenerate.node.ts', 'nodes/n8n/node-errors.ts', 'credentials/IminiApi.credentials.ts']));
		const sentences = files.flatMap((file) => sentencesOf(readFileSync(join(ROOT, file), 'utf8')));
		expect(sentences).toEqual(expect.arrayContaining(['Wait for Completion', expect.stringContaining('Not enough imini credits')]));
	});

	it.each(files)('%s: no jargon in what the user reads', (file) => {
		const found = sentencesOf(readFileSync(join(ROOT, file), 'utf8'))
			.map((sentence) => ({ sentence, words: jargonIn(sentence) }))
			.filter(({ words }) => words.length);
		expect(found).toEqual([]);
	});

	// The pages a user reads (the README, docs/ and docs/nodes/; not docs/admin/, which is for
	// whoever runs n8n), outside code blocks.
	const userPages = ['README.md', ...readdirSync(join(ROOT, 'docs')).filter((name) => name.endsWith('.md')).map((name) => `docs/${name}`),
		...readdirSync(join(ROOT, 'docs', 'nodes')).map((name) => `docs/nodes/${name}`)];

	it.each(userPages)('%s: no jargon in what the user reads', (page) => {
		const prose = readFileSync(join(ROOT, page), 'utf8').replace(/```[\s\S]*?```/g, '').replace(/`[^`\n]*`/g, '``');
		const found = prose.split('\n').map((line, index) => ({ line: index + 1, words: jargonIn(line) })).filter(({ words }) => words.length);
		expect(found).toEqual([]);
	});

	it('finds the words when they are there, and lets an explained one stand', () => {
		const sample = [
			"const hint = 'The poller settles each task in flight';",
			'throw new Error(`imini answered HTTP ${status} for the submit`);',
			"const ok = 'Check the Binary tab: the file is in the field data';",
			"const admin = 'its SSRF protection (N8N_SSRF_PROTECTION_ENABLED) blocks this address';",
			"import { x } from '../engine/poller';",
		].join('\n');
		const sentences = sentencesOf(sample);
		expect(sentences.map(jargonIn)).toEqual([
			[expect.stringContaining('settles'), expect.stringContaining('poller'), expect.stringContaining('in flight')],
			[expect.stringContaining('the submit'), expect.stringContaining('HTTP')],
			[],
			[],
		]);
	});

	it('codex search words of Get Task and Wait do not compete with Imini Generate for model names', () => {
		const codex = (node: string): { alias: string[] } => {
			const { alias } = JSON.parse(readFileSync(join(ROOT, 'nodes', node, `${node}.node.json`), 'utf8')) as { alias: string[] };
			return { alias: alias.map((word) => word.toLowerCase()) };
		};
		const models = ['nano banana', 'nano banana pro', 'nano banana 2', 'gpt image 2', 'kling 3', 'kling 3 omni', 'seedance 2.0', 'seedance 2.0 fast', 'happyhorse', 'image generation', 'video generation', 'text to image'];
		expect(codex('IminiGenerate').alias).toEqual(expect.arrayContaining(models));
		for (const node of ['IminiGetTask', 'IminiWait']) {
			expect({ node, models: codex(node).alias.filter((word) => models.some((m) => word.includes(m)) || /^(image|video)$/.test(word)) }).toEqual({ node, models: [] });
		}
	});
});

