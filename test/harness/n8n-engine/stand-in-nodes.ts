// Stand-ins for n8n's own No Op, If and Filter (n8n-nodes-base is not a dependency of the
// package), for workflows run in n8n's engine in-process: the same outputs, the same way of
// passing items on, narrowed to an item's `status`. Registered under n8n's real type names, they
// are what Imini Wait's wiring check takes them for (it knows which of n8n's nodes drop items).
import type { IExecuteFunctions, INodeExecutionData, INodeType } from 'n8n-workflow';

export const NO_OP = 'n8n-nodes-base.noOp';
export const IF = 'n8n-nodes-base.if';
export const FILTER = 'n8n-nodes-base.filter';

const statusesProperty = (statuses: string) => ({ displayName: 'Statuses', name: 'statuses', type: 'string' as const, default: statuses });

/** A node that passes its input items on unchanged, out of its one output. */
export function passOn(name: string, type: string): INodeType {
	return {
		description: { displayName: name, name: type, group: ['transform'], version: 1, description: '', defaults: { name }, inputs: ['main'], outputs: ['main'], properties: [] },
		async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
			return [this.getInputData()];
		},
	};
}

/** An If: items whose status is in the `statuses` parameter go out of "true", the others out of "false". */
export function statusIf(defaultStatuses = ''): INodeType {
	return {
		description: {
			displayName: 'If',
			name: IF,
			group: ['transform'],
			version: 1,
			description: '',
			defaults: { name: 'If' },
			inputs: ['main'],
			outputs: ['main', 'main'],
			outputNames: ['true', 'false'],
			properties: [statusesProperty(defaultStatuses)],
		},
		async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
			const statuses = String(this.getNodeParameter('statuses', 0)).split(',');
			const items = this.getInputData();
			return [items.filter((i) => statuses.includes(String(i.json.status))), items.filter((i) => !statuses.includes(String(i.json.status)))];
		},
	};
}

/** A Filter: keeps the items whose status is in `statuses`; the others are dropped. */
export function statusFilter(): INodeType {
	const base = passOn('Filter', FILTER);
	return {
		description: { ...base.description, properties: [statusesProperty('')] },
		async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
			const statuses = String(this.getNodeParameter('statuses', 0)).split(',');
			return [this.getInputData().filter((i) => statuses.includes(String(i.json.status)))];
		},
	};
}
