// What changes when a node runs as an AI agent's tool. n8n makes a tool variant of every
// `usableAsTool` node, typed `<package>.<name>Tool` (createAiTools in n8n's node loader), and runs
// the node's own execute() under that type, whichever way the agent calls it: n8n-core's tool
// wrapper (AI Agent 2.x) or an engine request that runs it as a workflow node (AI Agent 3.x). So the
// type name is the one signal both paths carry. n8n's `@tool` display option reads the same fact,
// and so does n8n's own Airtop node at run time.
//
// A model gets the JSON of the output items and nothing else: n8n drops binary data for agents, so
// downloading would only cost time and memory. And a thrown error reaches the model as an empty
// result under AI Agent 2.x (LangChain's AgentExecutor swallows it), so errors become items.
import type { IExecuteFunctions } from 'n8n-workflow';
import { readFileOptions } from './parameters';
import type { FileOptions } from './parameters';

export function runsAsTool(ctx: IExecuteFunctions): boolean {
	return ctx.getNode().type.endsWith('Tool');
}

/** How to download a finished task's files for this item; null when they are not to be downloaded. */
export function readDownload(ctx: IExecuteFunctions, itemIndex: number): FileOptions | null {
	if (runsAsTool(ctx)) return null;
	return ctx.getNodeParameter('download', itemIndex, true) ? readFileOptions(ctx, itemIndex) : null;
}
