// What imini calls a task, as the contract (openapi/imini.yaml) defines it: the answer to a
// submit, and the task a status check returns. Every layer speaks of tasks in these types.
import type { components } from './generated/imini-api';

/** Image and video tasks are submitted and looked up at different paths. */
export type TaskKind = 'image' | 'video';

export type TaskSubmitted = components['schemas']['TaskSubmitted'];
export type ImageTask = components['schemas']['ImageTask'];
export type VideoTask = components['schemas']['VideoTask'];
export type IminiTask = ImageTask | VideoTask;

/** imini's four statuses: a task that succeeded or failed never changes again. */
export function isSettled(task: Pick<IminiTask, 'status'>): boolean {
	return task.status === 'succeeded' || task.status === 'failed';
}
