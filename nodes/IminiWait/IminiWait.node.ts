import { NodeConnectionTypes } from 'n8n-workflow';
import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { readOnTimeout, readPollBounds, readTimeoutMs } from '../n8n/parameters';
import { alreadyReported, failedRunAsErrorItems, parkWhenAllStillRunning, readInMemoryMs, refuseFinishedTasksBack, refuseParkingIntoNothing } from '../n8n/park';
import {
	downloadProperty,
	fileOptions,
	onTimeoutProperty,
	pollingOptions,
	taskIdProperty,
	taskSubtitle,
	nodeDocsUrl,
	taskTypeProperty,
	timeoutProperty,
} from '../n8n/properties';
import { runItems } from '../n8n/run-items';
import { outputsFor, settle, settleOrPark } from '../n8n/settle';
import { readTaskId, resolveTask } from '../n8n/task-lookup';
import { readDownload, runsAsTool } from '../n8n/tool-mode';

/** Waiting costs no credits, so every item's task is watched at once (up to this many). */
const MAX_WATCHED = 100;

/**
 * With parking on, the outputs are Still Running (first) and Done. Still Running must be the
 * first: when n8n resumes a parked execution it does not run the parked node again but passes
 * the node's input items out of its first output, so that output, wired back into the node's
 * input, is what runs the next check.
 */
const outputs = '={{ $parameter.parkBetweenChecks ? [{ "type": "main", "displayName": "Still Running" }, { "type": "main", "displayName": "Done" }] : ["main"] }}' as const;

/** Parking is for workflows: an agent's tool call waits in memory. */
const notAsTool = { hide: { '@tool': [true] } };

export class IminiWait implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Imini Wait',
		name: 'iminiWait',
		icon: { light: 'file:../icons/imini-wait.svg', dark: 'file:../icons/imini-wait.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: taskSubtitle('wait'),
		description:
			// Also the description an AI agent reads of the tool variant (n8n uses the node's own at run time).
			'Wait until an imini task is done and get its pictures or video (their links when an AI agent uses it as a tool)',
		documentationUrl: nodeDocsUrl('imini-wait'),
		defaults: { name: 'Imini Wait' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs,
		credentials: [{ name: 'iminiApi', required: true }],
		properties: [
			taskIdProperty,
			taskTypeProperty,
			timeoutProperty,
			onTimeoutProperty,
			downloadProperty,
			{
				displayName: 'Park the Workflow Between Checks (Survives Restarts)',
				name: 'parkBetweenChecks',
				type: 'boolean',
				default: false,
				description:
					"Whether to save the workflow's progress in n8n's database while a long task runs, checking again a minute or more later. A restart or a crash of n8n then loses nothing. Wire the Still Running output back into this node's input.",
				displayOptions: notAsTool,
			},
			{
				displayName:
					"Connect <b>Still Running</b> back into this node's input (straight back, or through a No Op node), and <b>Done</b> to the next step. After each park, n8n sends the tasks still running out of Still Running; only that connection brings them back to be checked again, so without it the node stops with an error before parking. A park lasts at least 65 s: a finished video can come out up to a minute later than without parking (about half a minute on average).",
				name: 'parkNotice',
				type: 'notice',
				default: '',
				displayOptions: { show: { parkBetweenChecks: [true] }, ...notAsTool },
			},
			{
				displayName: 'Check Pictures in Memory First (Seconds)',
				name: 'inMemoryFor',
				type: 'number',
				typeOptions: { minValue: 0 },
				default: 60, // DEFAULT_IN_MEMORY_MS
				description:
					'A picture is usually ready within a minute: until it is this old (counted from when imini created it) it is checked without parking, and one ready sooner never parks. If n8n restarts during this time, the execution is lost (the picture can still be fetched with Imini Get Task).',
				displayOptions: { show: { parkBetweenChecks: [true] }, ...notAsTool },
			},
			{
				displayName: 'Check Videos in Memory First (Seconds)',
				name: 'videoInMemoryFor',
				type: 'number',
				typeOptions: { minValue: 0 },
				default: 0, // DEFAULT_VIDEO_IN_MEMORY_MS
				description:
					'0: a video parks from its first check, so a restart of n8n at any time loses nothing. Above 0, a video ready within this time comes out sooner, without parking, but a restart during it loses the execution.',
				displayOptions: { show: { parkBetweenChecks: [true] }, ...notAsTool },
			},
			{
				displayName: 'Options',
				name: 'options',
				type: 'collection',
				placeholder: 'Add Option',
				default: {},
				options: [...fileOptions, ...pollingOptions],
			},
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const parking = !runsAsTool(this) && (this.getNodeParameter('parkBetweenChecks', 0, false) as boolean);
		if (!parking) {
			refuseFinishedTasksBack(this, false);
			return await runItems(this, MAX_WATCHED, async (itemIndex, run) => {
				const taskId = readTaskId(this, itemIndex);
				const { kind, task } = await resolveTask(this, run, itemIndex, taskId);
				run.ledger.record(itemIndex, kind, taskId, 'processing');
				return await settle(this, run, kind, taskId, itemIndex, {
					timeoutMs: readTimeoutMs(this, itemIndex, kind),
					download: readDownload(this, itemIndex),
					onTimeout: readOnTimeout(this, itemIndex),
					seen: task,
					nextStep: "Raise this node's Timeout, or turn on Park the Workflow Between Checks to wait for long tasks.",
				});
			});
		}
		try {
			// Error items go out of Done (or the error output), never round the loop.
			const refused = await refuseParkingIntoNothing(this, MAX_WATCHED);
			if (refused) return outputsFor(this, refused, new Set(), 'running-first');
			refuseFinishedTasksBack(this, true);
			const parkUntil = new Map<number, number>();
			const { longestIntervalMs } = readPollBounds(this);
			const [items] = await runItems(this, MAX_WATCHED, async (itemIndex, run) => {
				if (alreadyReported(this, itemIndex)) return [];
				const taskId = readTaskId(this, itemIndex);
				const { kind, task } = await resolveTask(this, run, itemIndex, taskId);
				run.ledger.record(itemIndex, kind, taskId, 'processing');
				const outcome = await settleOrPark(this, run, kind, taskId, itemIndex, {
					timeoutMs: readTimeoutMs(this, itemIndex, kind),
					inMemoryMs: readInMemoryMs(this, itemIndex, kind),
					longestIntervalMs,
					seen: task,
					download: readDownload(this, itemIndex),
					onTimeout: readOnTimeout(this, itemIndex),
					nextStep: "Raise this node's Timeout to keep waiting: the task keeps running on imini.",
				});
				if (outcome.parkUntil !== undefined) parkUntil.set(itemIndex, outcome.parkUntil);
				return outcome.items;
			});
			await parkWhenAllStillRunning(this, items, parkUntil);
			return outputsFor(this, items, new Set(parkUntil.keys()), 'running-first');
		} catch (error) {
			return outputsFor(this, failedRunAsErrorItems(this, error), new Set(), 'running-first');
		}
	}
}
