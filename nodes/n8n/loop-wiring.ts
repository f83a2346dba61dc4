// Whether a parking Imini Wait's Still Running output can bring its tasks back into its input.
//
// n8n resumes a parked execution without running the parked node again: it sends the node's
// input items out of its first output (Still Running) and goes on from there (handleWaitingState
// in n8n-core's workflow-execute.js). A task is checked again only if a connection brings it back
// into Imini Wait; without one, the execution ends `success` after the park and the task is lost
// to the workflow. So before a run parks anything, the wiring is read and a slip is refused,
// naming the connection to make.
//
// n8n's documented node functions give a node its descendants (getChildNodes), not which output
// they hang on; the execution context's `workflow` (public in n8n-core's NodeExecutionContext,
// 1.x and 2.x) holds the connections per output. When it is missing, only "no loop at all" is
// checked, from getChildNodes.
import type { IExecuteFunctions } from 'n8n-workflow';

/** The node graph as far as the check needs it ("main" connections only). */
export type LoopGraph = {
	/** The targets of each of a node's outputs, by output index. */
	outputs(node: string): string[][];
	/** How many outputs the node has, when its type says so without an expression. */
	outputCount(node: string): number | undefined;
	/** A disabled node passes its input out of its first output only. */
	disabled(node: string): boolean;
	/** An output's name as the canvas shows it ("false" on an If), when the node's type gives one. */
	outputName(node: string, index: number): string | undefined;
	/** The node's type (n8n-nodes-base.filter, ...). */
	type(node: string): string | undefined;
};

export type WiringProblem = { message: string; fix: string };

/** n8n's nodes that drop items by design: inside the loop, a dropped task is no longer waited for. */
const DROPPING_TYPES: readonly string[] = ['n8n-nodes-base.filter', 'n8n-nodes-base.limit', 'n8n-nodes-base.removeDuplicates'];

const CONNECT = "Connect Still Running back into Imini Wait's input (straight back, or through a No Op node)";

const quoted = (names: string[]) => names.map((name) => `"${name}"`).join(', ');

/** What is wrong with the loop of `self` (a parking Imini Wait), or undefined when it is closed. */
export function findLoopProblem(graph: LoopGraph, self: string): WiringProblem | undefined {
	const outputsOf = (node: string): string[][] => {
		const outputs = graph.outputs(node);
		return graph.disabled(node) ? outputs.slice(0, 1) : outputs;
	};
	const comesBack = new Map<string, boolean>();
	/** Whether items that reach `start` can reach self's input. */
	const leadsBack = (start: string): boolean => {
		if (start === self) return true;
		const known = comesBack.get(start);
		if (known !== undefined) return known;
		const seen = new Set([start]);
		const queue = [start];
		let found = false;
		while (queue.length > 0 && !found) {
			for (const target of outputsOf(queue.shift()!).flat()) {
				if (target === self) found = true;
				else if (!seen.has(target)) {
					seen.add(target);
					queue.push(target);
				}
			}
		}
		comesBack.set(start, found);
		return found;
	};

	const [stillRunning = [], done = []] = graph.outputs(self);
	if (!stillRunning.some(leadsBack)) {
		if (stillRunning.length === 0 && done.some(leadsBack)) {
			return {
				message: 'Done leads back into Imini Wait, and Still Running is not connected',
				fix: `The two outputs are swapped. ${CONNECT}, and connect Done to the next step.`,
			};
		}
		if (stillRunning.length === 0) {
			return { message: "Still Running is not connected back into Imini Wait's input", fix: `${CONNECT}.` };
		}
		if (done.length === 0) {
			return {
				message: `Still Running leads to ${quoted(stillRunning)}, which does not come back into Imini Wait`,
				fix: `With parking on, Imini Wait's first output is Still Running and its second is Done. Move the connection to ${quoted(stillRunning)} onto Done. ${CONNECT}.`,
			};
		}
		return { message: `Still Running leads to ${quoted(stillRunning)}, which does not come back into Imini Wait`, fix: `${CONNECT}.` };
	}

	// Finished tasks go out of Done: led back, they would come round again (and so would the
	// error items of Continue On Fail).
	if (done.some(leadsBack)) {
		return {
			message: 'Done leads back into Imini Wait',
			fix: "Done is for finished tasks: connect it to the next step. Only Still Running may lead back into Imini Wait's input.",
		};
	}

	// Every node on the way back must pass each task on: an output of it that does not lead back
	// would take tasks out of the wait. (A node reached only as a copy, whose own way back is
	// elsewhere, takes nothing away: n8n sends an output's items to each of its connections.)
	const onTheWay = new Set<string>();
	const queue = stillRunning.filter((node) => node !== self);
	while (queue.length > 0) {
		const node = queue.shift()!;
		if (onTheWay.has(node) || !leadsBack(node)) continue;
		onTheWay.add(node);
		for (const target of outputsOf(node).flat()) if (target !== self) queue.push(target);
	}
	for (const node of onTheWay) {
		if (DROPPING_TYPES.includes(graph.type(node) ?? '')) {
			return {
				message: `"${node}" is between Still Running and Imini Wait's input, and it can drop tasks`,
				fix: `A task it drops would no longer be waited for, and the workflow would end without it. Move "${node}" after Done. ${CONNECT}.`,
			};
		}
		const outputs = outputsOf(node);
		const count = graph.disabled(node) ? 1 : Math.max(outputs.length, graph.outputCount(node) ?? 0);
		for (let index = 0; index < count; index++) {
			const targets = outputs[index] ?? [];
			if (targets.some(leadsBack)) continue;
			const name = graph.outputName(node, index);
			const which = name ? `its "${name}" output` : `its output ${index + 1}`;
			const where = targets.length === 0 ? 'is not connected' : `goes to ${quoted(targets)}, which does not come back into Imini Wait`;
			return {
				message: `"${node}" can send tasks out of the loop: ${which} ${where}`,
				fix: `Every node between Still Running and Imini Wait's input must pass each task back into Imini Wait: a task sent elsewhere would no longer be waited for, and the workflow would end without it. Connect that output back into Imini Wait's input too, or move "${node}" after Done.`,
			};
		}
	}
	return undefined;
}

type Connection = { node: string; type: string };
type EngineWorkflow = {
	connectionsBySourceNode?: Record<string, Record<string, Array<Connection[] | null> | undefined> | undefined>;
	nodes?: Record<string, { type?: string; typeVersion?: number; disabled?: boolean } | undefined>;
	nodeTypes?: { getByNameAndVersion(type: string, version?: number): { description?: { outputs?: unknown; outputNames?: unknown } } | undefined };
};

function graphOf(workflow: EngineWorkflow): LoopGraph {
	const connections = workflow.connectionsBySourceNode ?? {};
	const nodes = workflow.nodes ?? {};
	const descriptionOf = (node: string) => {
		const { type, typeVersion } = nodes[node] ?? {};
		if (!type) return undefined;
		try {
			return workflow.nodeTypes?.getByNameAndVersion(type, typeVersion)?.description;
		} catch {
			return undefined; // a type this n8n does not know: the count stays unknown
		}
	};
	return {
		outputs: (node) => (connections[node]?.main ?? []).map((targets) => (targets ?? []).filter((c) => c.type === 'main').map((c) => c.node)),
		outputCount: (node) => {
			const outputs = descriptionOf(node)?.outputs;
			if (!Array.isArray(outputs)) return undefined; // an expression: it depends on the parameters
			return outputs.filter((o) => o === 'main' || (typeof o === 'object' && o !== null && (o as { type?: string }).type === 'main')).length;
		},
		outputName: (node, index) => {
			const names = descriptionOf(node)?.outputNames;
			return Array.isArray(names) && typeof names[index] === 'string' ? names[index] : undefined;
		},
		disabled: (node) => nodes[node]?.disabled === true,
		type: (node) => nodes[node]?.type,
	};
}

/** The wiring of this (parking) Imini Wait, read from the running workflow. */
export function loopWiringProblem(ctx: IExecuteFunctions): WiringProblem | undefined {
	const self = ctx.getNode().name;
	const workflow = (ctx as unknown as { workflow?: EngineWorkflow }).workflow;
	if (workflow?.connectionsBySourceNode) return findLoopProblem(graphOf(workflow), self);
	if (ctx.getChildNodes(self).some((child) => child.name === self)) return undefined;
	return { message: "Still Running is not connected back into Imini Wait's input", fix: `${CONNECT}.` };
}

/**
 * Whether this run tests Imini Wait alone (the editor's "Execute step" on it): n8n then stops
 * after this node, so a parked run would never come back round the loop. Read from the run's
 * start data (public in n8n-core's NodeExecutionContext, as `workflow` is): a string in n8n 1.x,
 * `{ nodeName, mode }` in 2.x.
 */
export function testsThisStepAlone(ctx: IExecuteFunctions): boolean {
	const startData = (ctx as unknown as { runExecutionData?: { startData?: { destinationNode?: unknown } } | null }).runExecutionData?.startData;
	const destination = startData?.destinationNode;
	const name = typeof destination === 'string' ? destination : (destination as { nodeName?: string } | undefined)?.nodeName;
	return name !== undefined && name === ctx.getNode().name;
}
