// n8n's executions over REST, as the editor's Executions list and Stop button use them.
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { request } from 'undici';
import { N8N_DIR } from './paths.ts';
import type { RunningN8n } from './server.ts';

export type ExecutionStatus = 'new' | 'running' | 'success' | 'error' | 'canceled' | 'crashed' | 'waiting' | 'unknown';

export interface ExecutionSummary {
	id: string;
	workflowId: string;
	status: ExecutionStatus;
	mode: string;
	startedAt: string | null;
	stoppedAt: string | null;
}

export interface Execution extends ExecutionSummary {
	/** The run data (`{ resultData: { runData, error?, lastNodeExecuted } }`), decoded. */
	data: any;
}

// n8n stores and sends run data in the `flatted` format (it has cycles); read it with the copy
// n8n itself uses.
function parseFlatted(text: string): unknown {
	const require = createRequire(join(N8N_DIR, 'node_modules', 'n8n', 'package.json'));
	return (require('flatted') as { parse(text: string): unknown }).parse(text);
}

/** `GET /rest/executions?filter=…`: newest first, at most 100 (n8n 2.41 refuses a larger limit). */
export async function listExecutions(n8n: RunningN8n, filter: { workflowId?: string; status?: ExecutionStatus[] } = {}): Promise<ExecutionSummary[]> {
	const query = new URLSearchParams({ filter: JSON.stringify(filter), limit: '100' });
	const answer = await n8n.rest('GET', `/rest/executions?${query}`);
	if (answer.status !== 200) throw new Error(`GET /rest/executions: ${answer.status} ${JSON.stringify(answer.body).slice(0, 300)}`);
	return (answer.body.data.results as ExecutionSummary[]).map((e) => ({ ...e, id: String(e.id) }));
}

/** `GET /rest/executions/:id` with its run data decoded. */
export async function getExecution(n8n: RunningN8n, id: string): Promise<Execution> {
	const answer = await n8n.rest('GET', `/rest/executions/${id}`);
	if (answer.status !== 200) throw new Error(`GET /rest/executions/${id}: ${answer.status} ${JSON.stringify(answer.body).slice(0, 300)}`);
	const execution = answer.body.data;
	return { ...execution, id: String(execution.id), data: typeof execution.data === 'string' ? parseFlatted(execution.data) : execution.data };
}

/** `POST /rest/executions/:id/stop`: the editor's Stop button. */
export async function stopExecution(n8n: RunningN8n, id: string): Promise<void> {
	const answer = await n8n.rest('POST', `/rest/executions/${id}/stop`, {});
	if (answer.status !== 200) throw new Error(`POST /rest/executions/${id}/stop: ${answer.status} ${JSON.stringify(answer.body).slice(0, 300)}`);
}

/** The bytes of a binary data id (`database:…`, `filesystem-v2:…`) through n8n: `GET /rest/binary-data`. */
export async function downloadBinaryData(n8n: RunningN8n, binaryDataId: string): Promise<Buffer> {
	const answer = await request(`${n8n.url}/rest/binary-data?${new URLSearchParams({ id: binaryDataId, action: 'download' })}`, {
		headers: { cookie: `n8n-auth=${n8n.authCookie}` },
		reset: true,
	});
	if (answer.statusCode !== 200) throw new Error(`GET /rest/binary-data?id=${binaryDataId}: ${answer.statusCode} ${(await answer.body.text()).slice(0, 300)}`);
	return Buffer.from(await answer.body.arrayBuffer());
}
