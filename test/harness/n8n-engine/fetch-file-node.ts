// Stand-in nodes that download result files: one the way Imini Generate does (createIminiClient,
// toNodeError), with the limits a test sets, and one the way n8n's own HTTP Request node stores a
// file (no checks), the memory bench's reference.
import type { IExecuteFunctions, INodeExecutionData, INodeType } from 'n8n-workflow';
import { accounts } from '../../../nodes/engine/process-state';
import type { DownloadLimits } from '../../../nodes/engine/result-files';
import { toNodeError } from '../../../nodes/n8n/node-errors';
import { createIminiClient } from '../../../nodes/n8n/transport';
import { passOn } from './stand-in-nodes';

type Download = Awaited<ReturnType<ReturnType<typeof createIminiClient>['download']>>;

/**
 * One result file downloaded as Imini Generate does: the input item's `url`, `task_id`,
 * `base_url` and `kind` in, the download (or the error naming the task) out, shaped by the test.
 */
export function fetchFileNode(options: {
	/** Read at each run, so a test can change them between runs. */
	limits: () => DownloadLimits;
	/** Name the file from its task and media type (as Imini Generate does), or leave it to n8n. */
	nameFiles: boolean;
	/** The output item made of a download. */
	item: (download: Download) => INodeExecutionData;
}): INodeType {
	return {
		description: {
			...passOn('Fetch File', 'fetchFile').description,
			description: 'Downloads json.url as Imini Generate would, with the limits the test sets',
			credentials: [{ name: 'iminiApi', required: true }],
		},
		async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
			const { url, task_id: taskId, base_url: baseUrl, kind = 'image' } = this.getInputData()[0].json as { url: string; task_id: string; base_url: string; kind?: 'image' | 'video' };
			const client = createIminiClient(this, accounts.account(baseUrl, 'k'), baseUrl, undefined, options.limits());
			try {
				const download = await client.download(url, kind, options.nameFiles ? (mime) => `${taskId}.${mime.split('/')[1]}` : undefined);
				return [[options.item(download)]];
			} catch (error) {
				throw toNodeError(this.getNode(), error, { call: 'download', taskId, url }, 0);
			}
		},
	};
}

/**
 * Every input item's `url` downloaded at once the way n8n's own HTTP Request node stores a file
 * (its response stream handed straight to prepareBinaryData), with none of Imini Generate's
 * checks: what n8n and Node.js themselves cost per byte downloaded.
 */
export function plainDownloadNode(type: string): INodeType {
	return {
		description: { ...passOn('Plain Download', type).description, description: 'Downloads json.url of every item at once, as the HTTP Request node does' },
		async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
			return [
				await Promise.all(
					this.getInputData().map(async (item) => {
						const body = (await this.helpers.httpRequest({ method: 'GET', url: String(item.json.url), encoding: 'stream' })) as Parameters<IExecuteFunctions['helpers']['prepareBinaryData']>[0];
						return { json: item.json, binary: { data: await this.helpers.prepareBinaryData(body) } };
					}),
				),
			];
		},
	};
}
