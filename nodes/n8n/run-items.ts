// The per-item loop the three nodes share. Items run concurrently (at most `maxInFlight` at a
// time) against one client and one poller, so a batch takes about as long as its slowest task.
// runItems owns pairedItem, Continue On Fail, cancellation and the task ledger: whatever goes
// wrong, every task id created in this run reaches the output or the error message.
import { NodeApiError, NodeOperationError } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { normalizeBaseUrl, PRODUCTION_BASE_URL } from '../imini/base-url';
import type { TaskKind } from '../imini/task';
import { TaskPoller } from '../engine/poller';
import { accounts } from '../engine/process-state';
import { cancelledError } from './node-errors';
import { readPollBounds } from './parameters';
import { runsAsTool } from './tool-mode';
import { CREDENTIAL_TYPE, createIminiClient } from './transport';
import type { IminiClient } from './transport';

type LedgerEntry = { taskId: string; kind: TaskKind; itemIndex: number; status: string };

/** Every task this run created or watched, with its last known status. */
export class TaskLedger {
	private readonly entries = new Map<string, LedgerEntry>();
	private readonly log: (message: string) => void;

	constructor(log: (message: string) => void = () => undefined) {
		this.log = log;
	}

	/**
	 * A task imini just created (and charged). It goes to n8n's log at once, so that even if the
	 * process dies before the run ends (a worker killed in queue mode), the id can be found and
	 * the result fetched with Imini Get Task.
	 */
	created(itemIndex: number, kind: TaskKind, model: string, taskId: string): void {
		this.record(itemIndex, kind, taskId, 'queued');
		this.log(`imini task ${taskId} created (item ${itemIndex}, ${kind}, ${model})`);
	}

	record(itemIndex: number, kind: TaskKind, taskId: string, status: string): void {
		this.entries.set(taskId, { taskId, kind, itemIndex, status });
	}

	update(taskId: string, status: string): void {
		const entry = this.entries.get(taskId);
		if (entry) entry.status = status;
	}

	forItem(itemIndex: number): LedgerEntry[] {
		return [...this.entries.values()].filter((e) => e.itemIndex === itemIndex);
	}

	unsettled(): string[] {
		return [...this.entries.values()].filter((e) => e.status === 'queued' || e.status === 'processing').map((e) => e.taskId);
	}

	describeOthers(itemIndex: number): string {
		const others = [...this.entries.values()].filter((e) => e.itemIndex !== itemIndex);
		if (others.length === 0) return '';
		return `\nOther tasks of this run (their output is not returned because the node failed; fetch them with Imini Get Task): ${others
			.map((e) => `${e.taskId} (${e.kind}, item ${e.itemIndex}, ${e.status})`)
			.join(', ')}.`;
	}
}

export type RunContext = {
	client: IminiClient;
	poller: TaskPoller;
	ledger: TaskLedger;
};

export type PerItem = (itemIndex: number, run: RunContext) => Promise<INodeExecutionData[]>;

function asNodeError(ctx: IExecuteFunctions, error: unknown, itemIndex: number): NodeApiError | NodeOperationError {
	if (error instanceof NodeApiError || error instanceof NodeOperationError) return error;
	return new NodeOperationError(ctx.getNode(), error as Error, { itemIndex });
}

export async function runItems(ctx: IExecuteFunctions, maxInFlight: number, perItem: PerItem): Promise<INodeExecutionData[][]> {
	const count = ctx.getInputData().length;
	const credentials = await ctx.getCredentials<{ baseUrl?: string; apiKey?: string }>(CREDENTIAL_TYPE);
	// `…/v1/` and `…/imini/router` are one account: the fingerprint is taken of what the calls use.
	const baseUrl = normalizeBaseUrl(credentials.baseUrl || PRODUCTION_BASE_URL);
	// Every execution on this key in this process shares the account's quota, pace and book.
	const account = accounts.account(baseUrl, String(credentials.apiKey ?? ''));
	const node = ctx.getNode().name;
	const executionId = ctx.getExecutionId();
	const ledger = new TaskLedger((message) => ctx.logger.info(`${message} in execution ${executionId}, node "${node}"`, { executionId, node }));

	// One signal for this run: the Stop button, or the first failure when Continue On Fail is off
	// (no further tasks are submitted, so no further credits are spent).
	const cancel = ctx.getExecutionCancelSignal();
	const run = new AbortController();
	const onCancel = () => run.abort();
	cancel?.addEventListener('abort', onCancel, { once: true });
	const detach = account.attach();
	const client = createIminiClient(ctx, account, baseUrl, run.signal);

	const poller = new TaskPoller({
		fetchTask: async (kind, taskId, deadlineAt) => (await client.getTask(kind, taskId, deadlineAt)).value,
		bounds: readPollBounds(ctx),
		// The account's: what other executions learned serves this one (a form's single item is
		// polled like a batch's after a few runs).
		pace: account.pace,
		deliveries: account.deliveries,
		signal: run.signal,
		onCheck: (task) => ledger.update(task.task_id, task.status),
	});
	const context: RunContext = { client, poller, ledger };

	const results: INodeExecutionData[][] = Array.from({ length: count }, () => []);
	let failure: { itemIndex: number; error: NodeApiError | NodeOperationError } | undefined;
	let next = 0;

	const worker = async () => {
		while (!run.signal.aborted && next < count) {
			const itemIndex = next++;
			try {
				const items = await perItem(itemIndex, context);
				results[itemIndex] = items.map((item) => ({ ...item, pairedItem: { item: itemIndex } }));
			} catch (error) {
				if (cancel?.aborted || (run.signal.aborted && failure)) return;
				const nodeError = asNodeError(ctx, error, itemIndex);
				// An agent's model reads an error item; a thrown error would reach it as an empty result.
				if (ctx.continueOnFail() || runsAsTool(ctx)) {
					// Only `error`, `message` and `details` at the top: n8n then routes the item to the
					// error output when the node's On Error setting asks for one.
					const tasks = ledger.forItem(itemIndex);
					const details: IDataObject = {};
					if (tasks.length) details.task_id = tasks.length === 1 ? tasks[0].taskId : tasks.map((t) => t.taskId);
					if (nodeError instanceof NodeApiError && nodeError.httpCode) details.http_code = nodeError.httpCode;
					if (nodeError.description) details.description = nodeError.description;
					results[itemIndex] = [{ json: { error: nodeError.message, details }, pairedItem: { item: itemIndex } }];
				} else {
					failure = { itemIndex, error: nodeError };
					run.abort();
				}
			}
		}
	};

	try {
		await Promise.all(Array.from({ length: Math.max(1, Math.min(maxInFlight, count)) }, worker));
	} finally {
		cancel?.removeEventListener('abort', onCancel);
		// Nothing of this run stays queued in the shared account.
		run.abort();
		detach();
	}

	// A cancel is never an error item, even with Continue On Fail: the run must stop as "canceled".
	if (cancel?.aborted) throw cancelledError(ctx.getNode(), ledger.unsettled());
	if (failure) {
		const others = ledger.describeOthers(failure.itemIndex);
		if (others) failure.error.description = `${failure.error.description ?? ''}${others}`;
		throw failure.error;
	}
	return [results.flat()];
}
