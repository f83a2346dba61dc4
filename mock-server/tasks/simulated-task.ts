// A simulated task and what can be said about it at a given moment: its status (a pure function
// of the clock), its result files, its failure, and the record the task console shows.
import type { TaskKind } from '../contract/validator.ts';
import type { PromptDirectives } from '../faults/grammar.ts';
import type { ResultFile } from '../media/result-file.ts';

export type Task = {
	id: string;
	kind: TaskKind;
	model: string;
	apiKey: string;
	prompt: string;
	createdAt: number;
	durationMs: number;
	directives: PromptDirectives;
	polls: number;
	/** files[i] is result i; for videos, covers[i] is its cover image. */
	files: ResultFile[];
	covers: ResultFile[];
};

export type TaskStatus = 'queued' | 'processing' | 'succeeded' | 'failed';

export function taskStatus(task: Task, now: number, queuedShare: number): TaskStatus {
	const elapsed = now - task.createdAt;
	if (elapsed >= task.durationMs) return task.directives.fail ? 'failed' : 'succeeded';
	return elapsed < task.durationMs * queuedShare ? 'queued' : 'processing';
}

/** The result entries of a succeeded task, as imini lists them (`images` or `videos`). */
export function taskResults(task: Task, filesBaseUrl: string): Array<Record<string, unknown>> {
	return task.files.map((file, i) =>
		file.kind === 'mp4'
			? {
					url: `${filesBaseUrl}/files/${task.id}/${i}.mp4`,
					width: file.width,
					height: file.height,
					duration: file.duration,
					cover_url: `${filesBaseUrl}/files/${task.id}/${i}-cover.png`,
				}
			: { url: `${filesBaseUrl}/files/${task.id}/${i}.png`, width: file.width, height: file.height },
	);
}

export function taskFailure(task: Task): { code: string; message: string } | null {
	const code = task.directives.fail;
	if (!code) return null;
	return {
		code,
		message: code === 'CONTENT_POLICY_VIOLATION' ? 'The generated content was blocked by content safety.' : `Generation failed (${code}).`,
	};
}

/** One task as `GET /mock/tasks` and the task console show it. */
export type TaskRecord = {
	task_id: string;
	kind: TaskKind;
	model: string;
	status: TaskStatus | 'expired';
	prompt: string;
	/** The `[mock ...]` directives of the prompt, as written. */
	faults: string[];
	created_at: string;
	/** When it left `queued` (past or planned). */
	processing_at: string;
	/** When it settled (past or planned). */
	completed_at: string;
	duration_ms: number;
	polls: number;
	error: { code: string; message: string } | null;
	results: Array<Record<string, unknown>>;
};

export function taskRecord(task: Task, now: number, queuedShare: number, expiresAt: number, filesBaseUrl: string): TaskRecord {
	const status = now > expiresAt ? 'expired' : taskStatus(task, now, queuedShare);
	const iso = (ms: number) => new Date(ms).toISOString();
	return {
		task_id: task.id,
		kind: task.kind,
		model: task.model,
		status,
		prompt: task.prompt,
		faults: task.directives.tags,
		created_at: iso(task.createdAt),
		processing_at: iso(task.createdAt + Math.round(task.durationMs * queuedShare)),
		completed_at: iso(task.createdAt + task.durationMs),
		duration_ms: task.durationMs,
		polls: task.polls,
		error: status === 'failed' ? taskFailure(task) : null,
		results: status === 'succeeded' ? taskResults(task, filesBaseUrl) : [],
	};
}
