// The n8n `Workflow` a test's nodes become: a start node in front that emits the test's input
// items (binary buffers stored through `prepareBinaryData`, as a trigger would), the nodes with
// their settings and default type versions, connections (a chain unless given), and the node
// types provider n8n asks for each node's class.
import {
	NodeHelpers,
	UnexpectedError,
	Workflow,
	type IConnections,
	type IDataObject,
	type IExecuteFunctions,
	type INode,
	type INodeExecutionData,
	type INodeType,
	type INodeTypes,
	type IVersionedNodeType,
} from 'n8n-workflow';
import type { EngineInputItem, EngineWorkflow } from './types';

/** Name of the start node the harness puts in front of every workflow. */
export const HARNESS_START_NODE = 'Harness Start';
/** Node type name of that start node. */
export const HARNESS_START_TYPE = 'n8n-engine-harness.start';

function createStartNodeType(input: EngineInputItem[]): INodeType {
	return {
		description: {
			displayName: 'Harness Start',
			name: HARNESS_START_TYPE,
			group: ['input'],
			version: 1,
			description: 'Emits the items given to engine.run({ input })',
			defaults: { name: HARNESS_START_NODE },
			inputs: [],
			outputs: ['main'],
			properties: [],
		},
		async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
			const items: INodeExecutionData[] = [];
			for (const [index, entry] of input.entries()) {
				const item: INodeExecutionData = { json: entry.json, pairedItem: { item: index } };
				if (entry.binary) {
					item.binary = {};
					for (const [key, value] of Object.entries(entry.binary)) {
						item.binary[key] = await this.helpers.prepareBinaryData(
							value.data,
							value.fileName,
							value.mimeType,
						);
					}
				}
				items.push(item);
			}
			return [items];
		},
	};
}

class HarnessNodeTypes implements INodeTypes {
	constructor(private readonly types: Record<string, INodeType | IVersionedNodeType>) {}

	getByName(nodeType: string): INodeType | IVersionedNodeType {
		const type = this.types[nodeType];
		if (!type) {
			throw new UnexpectedError(
				`Harness: unknown node type "${nodeType}". Known: ${Object.keys(this.types).join(', ')}`,
			);
		}
		return type;
	}

	getByNameAndVersion(nodeType: string, version?: number): INodeType {
		return NodeHelpers.getVersionedNodeType(this.getByName(nodeType), version);
	}

	getKnownTypes(): IDataObject {
		return {};
	}
}

function defaultTypeVersion(type: INodeType | IVersionedNodeType): number {
	if ('nodeVersions' in type) return type.currentVersion ?? type.description.defaultVersion;
	const { version } = type.description;
	return Array.isArray(version) ? Math.max(...version) : version;
}

export function buildWorkflow(
	wf: EngineWorkflow,
	nodeTypesMap: Record<string, INodeType | IVersionedNodeType>,
): Workflow {
	if (wf.nodes.length === 0) throw new Error('Harness: workflow needs at least one node');
	const nodeTypes = new HarnessNodeTypes({
		...nodeTypesMap,
		[HARNESS_START_TYPE]: createStartNodeType(wf.input ?? [{ json: {} }]),
	});

	const startNode: INode = {
		id: 'harness-start',
		name: HARNESS_START_NODE,
		type: HARNESS_START_TYPE,
		typeVersion: 1,
		position: [0, 0],
		parameters: {},
	};
	const nodes: INode[] = [
		startNode,
		...wf.nodes.map((n, i): INode => {
			const node: INode = {
				id: `harness-node-${i}`,
				name: n.name,
				type: n.type,
				typeVersion: n.typeVersion ?? defaultTypeVersion(nodeTypes.getByName(n.type)),
				position: n.position ?? [(i + 1) * 250, 0],
				parameters: n.parameters ?? {},
			};
			if (n.credentials) node.credentials = n.credentials;
			if (n.continueOnFail !== undefined) node.continueOnFail = n.continueOnFail;
			if (n.onError !== undefined) node.onError = n.onError;
			if (n.disabled !== undefined) node.disabled = n.disabled;
			if (n.retryOnFail !== undefined) node.retryOnFail = n.retryOnFail;
			if (n.maxTries !== undefined) node.maxTries = n.maxTries;
			if (n.waitBetweenTries !== undefined) node.waitBetweenTries = n.waitBetweenTries;
			return node;
		}),
	];

	const link = (to: string) => ({ main: [[{ node: to, type: 'main' as const, index: 0 }]] });
	let connections: IConnections;
	if (wf.connections) {
		connections = { ...wf.connections };
	} else {
		connections = {};
		for (let i = 0; i < wf.nodes.length - 1; i++) {
			connections[wf.nodes[i].name] = link(wf.nodes[i + 1].name);
		}
	}
	if (!connections[HARNESS_START_NODE]) connections[HARNESS_START_NODE] = link(wf.nodes[0].name);

	return new Workflow({
		id: 'harness-workflow',
		name: 'Harness workflow',
		nodes,
		connections,
		active: false,
		nodeTypes,
		staticData: {},
		settings: { executionOrder: 'v1' },
	});
}
