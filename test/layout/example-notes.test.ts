// Each example workflow carries a sticky note that tells the user which fields to look at
// ("*Reference Images → Source: File From the Input Item*"). Fields get renamed; a note that
// names a field the node no longer has sends the user hunting. This test reads every emphasized
// name in every note (*…* and **…**, split at "→" and ":") that is written as a name (Title Case)
// and fails unless it is a node of that workflow, a field, option, output or model of the imini
// nodes as they are now, or one of the few words of n8n's own editor listed below.
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { INodeProperties, INodePropertyOptions, INodeTypeDescription } from 'n8n-workflow';
import { IminiGenerate } from '../../nodes/IminiGenerate/IminiGenerate.node';
import { IminiGetTask } from '../../nodes/IminiGetTask/IminiGetTask.node';
import { IminiWait } from '../../nodes/IminiWait/IminiWait.node';

const ROOT = resolve(__dirname, '..', '..');

/** Names n8n's own editor shows (its settings, tabs and buttons), which a note may point to. */
const N8N_EDITOR_WORDS = ['Binary', 'Settings', 'On Error', 'Continue (using error output)', 'Execution Logic', 'AI Agent 2.2', 'Open chat', 'Workflow settings'];

const SMALL_WORDS = new Set(['a', 'an', 'and', 'as', 'at', 'between', 'by', 'for', 'from', 'in', 'of', 'on', 'or', 'the', 'to', 'with']);

/** Written as a name: every word but the small ones starts with a capital or a digit. */
function looksLikeAName(phrase: string): boolean {
	const words = phrase.replace(/[()]/g, '').split(/\s+/).filter(Boolean);
	return words.length > 0 && words.every((word) => SMALL_WORDS.has(word) || /^[A-Z0-9]/.test(word));
}

/** A name with its trailing "(…)" dropped, as notes shorten "Seedance 2.0 Fast (ByteDance)". */
const short = (name: string): string => name.replace(/\s*\([^)]*\)$/, '');

/** Every name the imini nodes show: fields, options, choices, outputs, the nodes themselves. */
export function iminiNames(descriptions: INodeTypeDescription[]): Set<string> {
	const names = new Set<string>();
	const add = (name: string): void => {
		names.add(name);
		names.add(short(name));
	};
	const walk = (properties: Array<INodeProperties | INodePropertyOptions | { displayName: string; values?: INodeProperties[] }>): void => {
		for (const property of properties) {
			if ('displayName' in property && property.displayName) add(property.displayName);
			if ('name' in property && 'value' in property && typeof property.name === 'string') add(property.name);
			if ('options' in property && Array.isArray(property.options)) walk(property.options as INodeProperties[]);
			if ('values' in property && Array.isArray(property.values)) walk(property.values);
		}
	};
	for (const description of descriptions) {
		add(description.displayName);
		walk(description.properties);
		for (const output of JSON.stringify(description.outputs).matchAll(/\\"displayName\\": \\"([^\\"]+)\\"/g)) add(output[1]);
	}
	return names;
}

/** The emphasized names of a note that are not known; empty when the note is right. */
export function unknownNames(note: string, known: Set<string>, nodeNames: string[]): string[] {
	const nodes = new Set(nodeNames.flatMap((name) => [name, short(name)]));
	const text = note.replace(/```[\s\S]*?```/g, '').replace(/`[^`]*`/g, '');
	const unknown: string[] = [];
	for (const match of text.matchAll(/(\*\*|\*)(?!\s)(.+?)(?<!\s)\1/g)) {
		for (const phrase of match[2].split(/\s*→\s*|:\s+/)) {
			if (!looksLikeAName(phrase) || nodes.has(phrase) || known.has(phrase) || N8N_EDITOR_WORDS.includes(phrase)) continue;
			unknown.push(phrase);
		}
	}
	return unknown;
}

type Workflow = { name: string; nodes: Array<{ name: string; type: string; parameters: { content?: string } }> };

describe('example sticky notes name fields that exist', () => {
	const known = iminiNames([new IminiGenerate().description, new IminiGetTask().description, new IminiWait().description]);
	const examples = readdirSync(join(ROOT, 'examples'))
		.filter((file) => file.endsWith('.json'))
		.map((file) => ({ file, workflow: JSON.parse(readFileSync(join(ROOT, 'examples', file), 'utf8')) as Workflow }));

	it('every example has a note, and the names are read from the nodes as they are', () => {
		expect(examples.length).toBeGreaterThanOrEqual(8);
		for (const { file, workflow } of examples) expect({ file, notes: workflow.nodes.filter((n) => n.type === 'n8n-nodes-base.stickyNote').length }).toEqual({ file, notes: 1 });
		expect([...known]).toEqual(expect.arrayContaining(['File From the Input Item', 'Max Tasks at Once', 'Park the Workflow Between Checks', 'Still Running', 'Done', 'Seedance 2.0 Fast']));
	});

	it.each(readdirSync(join(ROOT, 'examples')).filter((file) => file.endsWith('.json')))('%s', (file) => {
		const { workflow } = examples.find((e) => e.file === file)!;
		const nodeNames = workflow.nodes.map((n) => n.name);
		for (const note of workflow.nodes.filter((n) => n.type === 'n8n-nodes-base.stickyNote')) {
			expect({ note: note.name, unknown: unknownNames(note.parameters.content ?? '', known, nodeNames) }).toEqual({ note: note.name, unknown: [] });
		}
	});

	it('catches a renamed option', () => {
		const old = 'sends it as the first frame (*Reference Images → Binary Data of the Input Item*), *Max Tasks In Flight*: 10';
		expect(unknownNames(old, known, [])).toEqual(['Binary Data of the Input Item', 'Max Tasks In Flight']);
	});
});
