// Reading the shared parameters (properties.ts) for one item, with the defaults the editor
// shows: the task's deadline (the user's Timeout or the automatic one), what to do at the
// deadline, where files go, and the polling bounds.
import type { IExecuteFunctions } from 'n8n-workflow';
import { automaticTimeoutSeconds } from '../imini/models';
import type { TaskKind } from '../imini/task';
import type { PollBounds } from '../engine/task-pace';

/** The task's deadline: the user's Timeout, or the automatic one for its kind and settings. */
export function readTimeoutMs(ctx: IExecuteFunctions, itemIndex: number, kind: TaskKind, body?: Record<string, unknown>): number {
	const seconds = Number(ctx.getNodeParameter('timeout', itemIndex, 0)) || 0;
	return (seconds > 0 ? seconds : automaticTimeoutSeconds(kind, body)) * 1000;
}

export function readOnTimeout(ctx: IExecuteFunctions, itemIndex: number): 'error' | 'output' {
	return ctx.getNodeParameter('onTimeout', itemIndex, 'error') === 'output' ? 'output' : 'error';
}

export type FileOptions = { binaryPropertyName: string; fileNamePrefix: string; downloadCover: boolean };

export function readFileOptions(ctx: IExecuteFunctions, itemIndex: number): FileOptions {
	const options = ctx.getNodeParameter('options', itemIndex, {}) as Partial<FileOptions>;
	return {
		binaryPropertyName: options.binaryPropertyName?.trim() || 'data',
		fileNamePrefix: options.fileNamePrefix?.trim() ?? 'imini',
		downloadCover: options.downloadCover ?? false,
	};
}

/** The polling options are read once per run: one poller serves every item. Unset = automatic. */
export function readPollBounds(ctx: IExecuteFunctions): PollBounds {
	const options = ctx.getNodeParameter('options', 0, {}) as { firstCheckAfter?: number; maxCheckInterval?: number };
	return {
		firstCheckMs: options.firstCheckAfter === undefined ? undefined : options.firstCheckAfter * 1000,
		longestIntervalMs: options.maxCheckInterval === undefined ? undefined : options.maxCheckInterval * 1000,
	};
}
