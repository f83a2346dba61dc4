// The engine's \`IRun\` as a test reads it: status (a cancelled run always 'canceled'), the run's
// error, and each node's last output, error and binary data.
import { ManualExecutionCancelledError, type IRun } from 'n8n-workflow';
import { readBinary } from './binary-store';
import type { EngineError, EngineItem, EngineResult } from './types';

/**
 * `canceledExecutionId` is set when `cancel()` was called while the run was pending.
 *
 * Engine quirk: n8n-core aborts the cancel signal WITHOUT a reason, so a node awaiting
 * `sleep(ms, signal)` rejects with an AbortError (under jest: a plain Error "Error that was not an
 * instance of Error was thrown", because the DOMException comes from another realm), the engine
 * records that as the node's error and the IRun ends with status 'error'. Only a cancel that lands
 * between nodes gives status 'canceled' + ManualExecutionCancelledError. The n8n CLI reports both as
 * cancelled (ActiveExecutions.stopExecution rejects with ExecutionCancelledError), so the harness
 * normalises the former to the latter. The untouched engine output stays in `result.run`.
 */
export function toResult(run: IRun, canceledExecutionId?: string): EngineResult {
	const runData = run.data.resultData.runData;
	const lastTask = (nodeName: string) => {
		const tasks = runData[nodeName];
		if (!tasks || tasks.length === 0) {
			throw new Error(
				`Harness: node "${nodeName}" did not run. Nodes that ran: ${Object.keys(runData).join(', ') || 'none'}` +
					(run.data.resultData.error ? ` (run error: ${run.data.resultData.error.message})` : ''),
			);
		}
		return tasks[tasks.length - 1];
	};
	let status: string = run.status;
	let error = run.data.resultData.error as unknown as EngineError | undefined;
	if (canceledExecutionId !== undefined && status === 'error') {
		const cancelled = new ManualExecutionCancelledError(canceledExecutionId);
		status = 'canceled';
		// Same plain-copy shape the engine itself produces for a cancel between nodes.
		error = {
			...(cancelled as unknown as Record<string, unknown>),
			name: cancelled.name,
			message: cancelled.message,
			stack: cancelled.stack,
			cause: error,
		};
	}

	return {
		status,
		error,
		runData,
		run,
		output(nodeName, outputIndex = 0) {
			return (lastTask(nodeName).data?.main?.[outputIndex] ?? []) as EngineItem[];
		},
		nodeError(nodeName) {
			return lastTask(nodeName).error as unknown as EngineError | undefined;
		},
		binary: readBinary,
	};
}
