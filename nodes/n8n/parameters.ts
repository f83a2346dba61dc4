// Reading the shared parameters (properties.ts) for one item, with the defaults the editor
// shows: the task's deadline (the user's Timeout or the automatic one), what to do at the
// deadline, where files go, and the polling bounds.
//
// Invariant kept here: bad values are refused before any credit is spent, naming the field and
// the value. The editor's min/max bind only typed-in numbers; an expression can yield "abc", NaN,
// 0 or an object, so every number is checked here, and the nodes read all of an item's
// parameters before its submit (IminiGenerate.node.ts).
import { NodeOperationError } from 'n8n-workflow';
import type { IExecuteFunctions } from 'n8n-workflow';
import { automaticTimeoutSeconds } from '../imini/models';
import type { TaskKind } from '../imini/task';
import type { PollBounds } from '../engine/task-pace';

type NumberRule = { label: string; min: number; max: number; integer?: boolean };

/** Longest Timeout taken: a day (imini keeps tasks for a limited time; a longer wait is a mistake). */
const MAX_TIMEOUT_SECONDS = 86_400;

const rules = {
	timeout: { label: 'Timeout (Seconds)', min: 0, max: MAX_TIMEOUT_SECONDS },
	firstCheckAfter: { label: 'First Check After (Seconds)', min: 0, max: 3_600 },
	maxCheckInterval: { label: 'Longest Check Interval (Seconds)', min: 0.1, max: 3_600 },
	maxTasksInFlight: { label: 'Max Tasks at Once', min: 1, max: 100, integer: true },
} satisfies Record<string, NumberRule>;

function shown(value: unknown): string {
	if (typeof value === 'string') return `"${value.length > 40 ? `${value.slice(0, 40)}…` : value}"`;
	if (typeof value === 'number') return String(value);
	if (value === null) return 'null';
	if (Array.isArray(value)) return 'a list';
	return typeof value === 'object' ? 'an object' : String(value);
}

/**
 * A number parameter's value, or `fallback` when it was left empty (an expression that resolved to
 * nothing means "not given", as elsewhere). Anything else that is not a number in range (text, NaN,
 * an object, 0 where 0.1 is the least) is refused with the field's name and the value.
 */
export function checkNumber(ctx: IExecuteFunctions, value: unknown, rule: NumberRule, itemIndex: number): number | undefined {
	if (value === undefined || value === null || value === '') return undefined;
	const number = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : Number.NaN;
	const inRange = Number.isFinite(number) && number >= rule.min && number <= rule.max && (!rule.integer || Number.isInteger(number));
	if (!inRange) {
		const kind = rule.integer ? 'a whole number' : 'a number';
		throw new NodeOperationError(ctx.getNode(), `${rule.label} must be ${kind} from ${rule.min} to ${rule.max}, not ${shown(value)}`, {
			itemIndex,
			description: 'Nothing was sent to imini and no credits were used. Fix the value (or the expression that gives it) and run again.',
		});
	}
	return number;
}

/** The task's deadline: the user's Timeout, or the automatic one for its kind and settings. */
export function readTimeoutMs(ctx: IExecuteFunctions, itemIndex: number, kind: TaskKind, body?: Record<string, unknown>): number {
	const seconds = checkNumber(ctx, ctx.getNodeParameter('timeout', itemIndex, 0), rules.timeout, itemIndex) ?? 0;
	return (seconds > 0 ? seconds : automaticTimeoutSeconds(kind, body)) * 1000;
}

export function readOnTimeout(ctx: IExecuteFunctions, itemIndex: number): 'error' | 'output' {
	return ctx.getNodeParameter('onTimeout', itemIndex, 'error') === 'output' ? 'output' : 'error';
}

export type FileOptions = { binaryPropertyName: string; fileNamePrefix: string; downloadCover: boolean };

export function readFileOptions(ctx: IExecuteFunctions, itemIndex: number): FileOptions {
	const options = ctx.getNodeParameter('options', itemIndex, {}) as Partial<Record<keyof FileOptions, unknown>>;
	const text = (value: unknown) => (typeof value === 'string' || typeof value === 'number' ? String(value).trim() : undefined);
	return {
		binaryPropertyName: text(options.binaryPropertyName) || 'data',
		fileNamePrefix: text(options.fileNamePrefix) ?? 'imini',
		downloadCover: options.downloadCover === true,
	};
}

/** The polling options are read once per run: one poller serves every item. Unset = automatic. */
export function readPollBounds(ctx: IExecuteFunctions): PollBounds {
	const options = ctx.getNodeParameter('options', 0, {}) as { firstCheckAfter?: unknown; maxCheckInterval?: unknown };
	const first = checkNumber(ctx, options.firstCheckAfter, rules.firstCheckAfter, 0);
	const longest = checkNumber(ctx, options.maxCheckInterval, rules.maxCheckInterval, 0);
	return {
		firstCheckMs: first === undefined ? undefined : first * 1000,
		longestIntervalMs: longest === undefined ? undefined : longest * 1000,
	};
}

/** Imini Generate's Max Tasks In Flight (default 10), read once per run. */
export function readMaxTasksInFlight(ctx: IExecuteFunctions, fallback = 10): number {
	return checkNumber(ctx, ctx.getNodeParameter('options.maxTasksInFlight', 0, fallback), rules.maxTasksInFlight, 0) ?? fallback;
}
