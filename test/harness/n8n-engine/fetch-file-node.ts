// A stand-in node that downloads one result file the way Imini Generate does (createIminiClient,
// toNodeError), with the limits a test sets: the input item's `url`, `task_id`, `base_url` and
// `kind` in, the download (or the error naming the task) out, shaped by the test.
import { NodeConnectionTypes } from 'n8n-workflow';
import type { IExecuteFunctions, INodeExecutionData, INodeType } from 'n8n-workflow';
import { accounts } from '../../../nodes/engine/process-state';
import type { DownloadLimits } from '../../../nodes/engine/result-files';
import { toNodeError } from '../../../nodes/n8n/node-errors';
import { createIminiClient } from '../../../nodes/n8n/transport';

type Download = Awaited<ReturnType<ReturnType<typeof createIminiClient>['download']>>;

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
			displayName: 'Fetch File',
			name: 'fetchFile',
			group: ['transform'],
			version: 1,
			description: 'Downloads json.url as Imini Generate would, with the limits the test sets',
			defaults: { name: 'Fetch File' },
			inputs: [NodeConnectionTypes.Main],
			outputs: [NodeConnectionTypes.Main],
			credentials: [{ name: 'iminiApi', required: true }],
			properties: [],
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
