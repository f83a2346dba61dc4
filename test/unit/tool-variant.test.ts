// The tool variant n8n makes of each node (`<name>Tool`, see nodes/n8n/tool-mode.ts) hides
// Download Results: an agent's model gets file URLs, never files. Checked with n8n-workflow's own
// parameter resolution, which drops what a node's display options hide.
import { NodeHelpers } from 'n8n-workflow';
import type { INodeType, INodeTypeDescription } from 'n8n-workflow';
import { IminiGenerate } from '../../nodes/IminiGenerate/IminiGenerate.node';
import { IminiGetTask } from '../../nodes/IminiGetTask/IminiGetTask.node';
import { IminiWait } from '../../nodes/IminiWait/IminiWait.node';

function shownParameters(description: INodeTypeDescription): string[] {
	const node = { typeVersion: 1, parameters: {} } as never;
	const parameters = NodeHelpers.getNodeParameters(description.properties, {}, true, false, node, description) ?? {};
	return Object.keys(parameters);
}

describe.each<[string, INodeType]>([
	['Imini Generate', new IminiGenerate()],
	['Imini Get Task', new IminiGetTask()],
	['Imini Wait', new IminiWait()],
])('%s', (_name, nodeType) => {
	it('is usable as a tool, and tells an agent it gets links, not files', () => {
		expect(nodeType.description.usableAsTool).toBe(true);
		expect(nodeType.description.description).toContain('links when an AI agent uses it as a tool');
	});

	it('shows Download Results on the node and hides it on the tool', () => {
		const { description } = nodeType;
		expect(shownParameters(description)).toContain('download');
		expect(shownParameters({ ...description, name: `${description.name}Tool` })).not.toContain('download');
	});
});
