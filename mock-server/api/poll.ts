// `GET /v1/images/tasks/<id>` and `GET /v1/videos/tasks/<id>`: the task's status as the clock
// has it now, its results once it has succeeded, its error once it has failed, and the faults
// its prompt asked for on the Nth poll (`[mock poll2=500]`) or on every poll.
import type { ServerResponse } from 'node:http';
import { delay, sendJson } from '../core/http.ts';
import type { TaskKind } from '../contract/validator.ts';
import { taskFailure, taskResults, taskStatus } from '../tasks/simulated-task.ts';
import type { MockServices } from './services.ts';

export function createPollHandler(services: MockServices) {
	const { options, store, ids, journal, now, applyFault, stats, filesBaseUrl } = services;
	return async function poll(kind: TaskKind, id: string, res: ServerResponse, key: string): Promise<void> {
		journal.task(res, id);
		const task = store.find(id, kind, key);
		task.polls++;
		stats.polls++;
		if (task.directives.slowMs) await delay(task.directives.slowMs);
		const pollFault = task.directives.pollAt.get(task.polls) ?? task.directives.poll;
		const pollTag = task.directives.pollAt.has(task.polls) ? `prompt: poll${task.polls}` : 'prompt: poll';
		if (await applyFault(pollFault, res, pollTag, key)) return;

		const status = taskStatus(task, now(), options.queuedShare);
		const settled = status === 'succeeded' || status === 'failed';
		const failure = status === 'failed' ? taskFailure(task) : null;
		const rid = ids.requestId();
		sendJson(res, 200, {
			task_id: task.id,
			status,
			model: task.model,
			created_at: new Date(task.createdAt).toISOString(),
			completed_at: settled ? new Date(task.createdAt + task.durationMs).toISOString() : null,
			[kind === 'image' ? 'images' : 'videos']: status === 'succeeded' ? taskResults(task, filesBaseUrl()) : null,
			error: failure ? { ...failure, request_id: rid } : null,
			request_id: rid,
		});
	};
}
