// The per-item loop the three nodes share. Items run concurrently (at most `maxInFlight` at a
// time) against one client and one poller, so a batch takes about as long as its slowest task.
// runItems owns pairedItem, Continue On Fail, cancellation and the task ledger.
//
// Invariants kept here:
// - Every task created in a run reaches that run's output or its error message, Stop included,
//   each with its status; a submit in flight when the run ends is reported as "may have created
//   a task" (the ledger knows which items have one on the wire).
// - One bad row never costs the others: with Continue On Fail (or the error output) a row's
//   failure is its own item, naming its task; without it, the error names every task of the run.
// - Nothing of a run stays in the shared account: the run is attached only once everything that
//   can fail before the first call has been read, and detached in a `finally`.
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

type LedgerEntry = { taskId: string; kind: TaskKind; itemIndex: number; status: string; delivered: boolean };

/** Every task this run created or watched, with its last known status. */
export class TaskLedger {
	private readonly entries = new Map<string, LedgerEntry>();
	/** Items whose submit has left and not yet been answered: imini may have created a task. */
	private readonly submitsOnTheWire = new Set<number>();
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
		this.submitsOnTheWire.delete(itemIndex);
		this.record(itemIndex, kind, taskId, 'queued');
		this.log(`imini task ${taskId} created (item ${itemIndex}, ${kind}, ${model})`);
	}

	/** The item's submit is on its way (called as each attempt leaves). */
	submitSent(itemIndex: number): void {
		this.submitsOnTheWire.add(itemIndex);
	}

	/** The item's submit was answered without a task (refused, or failed in a way already reported). */
	submitAnswered(itemIndex: number): void {
		this.submitsOnTheWire.delete(itemIndex);
	}

	record(itemIndex: number, kind: TaskKind, taskId: string, status: string): void {
		this.entries.set(taskId, { taskId, kind, itemIndex, status, delivered: false });
	}

	update(taskId: string, status: string): void {
		const entry = this.entries.get(taskId);
		if (entry) entry.status = status;
	}

	/** The item's output is complete: its tasks reached the output (unless the run is then stopped). */
	delivered(itemIndex: number): void {
		for (const entry of this.entries.values()) if (entry.itemIndex === itemIndex) entry.delivered = true;
	}

	forItem(itemIndex: number): LedgerEntry[] {
		return [...this.entries.values()].filter((e) => e.itemIndex === itemIndex);
	}

	describeOthers(itemIndex: number): string {
		const others = [...this.entries.values()].filter((e) => e.itemIndex !== itemIndex);
		const pending = [...this.submitsOnTheWire].filter((i) => i !== itemIndex);
		const lines: string[] = [];
		if (others.length > 0) {
			lines.push(
				`Other tasks of this run (their output is not returned because the node failed; fetch them with Imini Get Task): ${others
					.map((e) => `${e.taskId} (${e.kind}, item ${e.itemIndex}, ${e.status})`)
					.join(', ')}.`,
			);
		}
		if (pending.length > 0) lines.push(this.describePending(pending));
		return lines.length ? `\n${lines.join('\n')}` : '';
	}

	/** The tasks of one item, for its error: "" when it has none. */
	describeItem(itemIndex: number): string {
		const own = this.forItem(itemIndex);
		const pending = this.submitsOnTheWire.has(itemIndex) ? ` ${this.describePending([itemIndex])}` : '';
		if (own.length === 0) return pending.trim();
		return `Task${own.length > 1 ? 's' : ''} of this item: ${own.map((e) => `${e.taskId} (${e.status})`).join(', ')}.${pending}`;
	}

	/**
	 * What a Stop leaves behind: every task of the run with its status (those already finished
	 * were charged too, and their output is discarded), and every submit still on its way.
	 */
	describeStopped(): string {
		const parts: string[] = [];
		const entries = [...this.entries.values()];
		const settled = entries.filter((e) => e.status === 'succeeded' || e.status === 'failed');
		const running = entries.filter((e) => !settled.includes(e));
		if (running.length) parts.push(`Tasks already submitted keep running on imini: ${running.map((e) => `${e.taskId} (item ${e.itemIndex}, ${e.status})`).join(', ')}.`);
		if (settled.length) {
			parts.push(
				`Tasks that finished in this run (their output is discarded by the stop; fetch them with Imini Get Task): ${settled
					.map((e) => `${e.taskId} (item ${e.itemIndex}, ${e.status})`)
					.join(', ')}.`,
			);
		}
		if (this.submitsOnTheWire.size) parts.push(this.describePending([...this.submitsOnTheWire]));
		return parts.join(' ');
	}

	private describePending(items: number[]): string {
		const sorted = [...items].sort((a, b) => a - b);
		return `A submit was on its way for item${sorted.length > 1 ? 's' : ''} ${sorted.join(', ')}: imini may have created a task for ${sorted.length > 1 ? 'each' : 'it'} (check your imini task history before running ${sorted.length > 1 ? 'them' : 'it'} again).`;
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
	// Read before the account is attached: a bad value (or a failing expression) here leaves nothing behind.
	const bounds = readPollBounds(ctx);
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
	const detach = account.attach();
	try {
		cancel?.addEventListener('abort', onCancel, { once: true });
		return await runAttached(ctx, count, maxInFlight, perItem, { account, baseUrl, bounds, ledger, cancel, run });
	} finally {
		cancel?.removeEventListener('abort', onCancel);
		// Nothing of this run stays queued in the shared account.
		run.abort();
		detach();
	}
}

type Attached = {
	account: ReturnType<typeof accounts.account>;
	baseUrl: string;
	bounds: ReturnType<typeof readPollBounds>;
	ledger: TaskLedger;
	cancel: AbortSignal | undefined;
	run: AbortController;
};

async function runAttached(ctx: IExecuteFunctions, count: number, maxInFlight: number, perItem: PerItem, attached: Attached): Promise<INodeExecutionData[][]> {
	const { account, baseUrl, bounds, ledger, cancel, run } = attached;
	const client = createIminiClient(ctx, account, baseUrl, run.signal);

	const poller = new TaskPoller({
		fetchTask: async (kind, taskId, deadlineAt, signal) => (await client.getTask(kind, taskId, deadlineAt, signal)).value,
		bounds,
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
				ledger.delivered(itemIndex);
			} catch (error) {
				if (cancel?.aborted || (run.signal.aborted && failure)) return;
				const nodeError = asNodeError(ctx, error, itemIndex);
				// Whatever failed after a task was created, the error names it (and a submit still
				// in doubt says so).
				const own = ledger.describeItem(itemIndex);
				const ids = ledger.forItem(itemIndex).map((e) => e.taskId);
				const text = `${nodeError.message}\n${nodeError.description ?? ''}`;
				if (own && (ids.some((id) => !text.includes(id)) || (ids.length === 0 && !text.includes('may have created')))) {
					nodeError.description = `${nodeError.description ? `${nodeError.description}\n` : ''}${own}`;
				}
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

	await Promise.all(Array.from({ length: Math.max(1, Math.min(maxInFlight, count)) }, worker));

	// A cancel is never an error item, even with Continue On Fail: the run must stop as "canceled".
	if (cancel?.aborted) throw cancelledError(ctx.getNode(), ledger.describeStopped());
	if (failure) {
		const others = ledger.describeOthers(failure.itemIndex);
		if (others) failure.error.description = `${failure.error.description ?? ''}${others}`;
		throw failure.error;
	}
	return [results.flat()];
}
