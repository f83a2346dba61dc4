// Binary data: the mode `prepareBinaryData` stores bytes in (inline base64, files under the
// harness's user folder, or n8n's database mode as a stand-in), set on n8n-core's
// BinaryDataService in the DI container, and the bytes of an output item read back. The mode is
// process-global: runs of engines with different `binaryDataMode`s must not overlap in time.
import type * as BackendNetwork from '@n8n/backend-network';
import { randomUUID } from 'node:crypto';
import * as path from 'node:path';
import { Container, core } from './environment';
import type { EngineItem } from './types';

let initializedBinaryMode: string | undefined;

// The copy n8n-core itself uses (it has one of its own, with its own DI container).
/* eslint-disable-next-line @typescript-eslint/no-require-imports */
const { binaryToBuffer } = require(require.resolve('@n8n/backend-network', { paths: [path.dirname(require.resolve('n8n-core'))] })) as typeof BackendNetwork;

/** One file the database stand-in took: what n8n's INSERT would have written, without the bytes. */
export type DatabaseRow = { fileId: string; executionId: string; fileName?: string; mimeType?: string; fileSize: number };

/** The files the database stand-in took, in order (the rows of n8n's binary_data table). */
export const databaseRows: DatabaseRow[] = [];

/**
 * n8n's database binary mode (queue mode's default) lives in the n8n package (its DatabaseManager,
 * n8n 2.41), not in n8n-core. This stand-in stores as it does: the stream read whole with the
 * same `binaryToBuffer`, refused over N8N_BINARY_DATA_DATABASE_MAX_FILE_SIZE, then one INSERT.
 * The bytes go to the database's process there, so here they are dropped after the read and
 * only the row is kept (reading them back is not possible).
 */
const databaseStandIn = {
	async init() {},
	async store(location: { type: string; executionId?: string }, bufferOrStream: Parameters<typeof binaryToBuffer>[0], metadata: { fileName?: string; mimeType?: string }) {
		const fileSize = (await binaryToBuffer(bufferOrStream)).length;
		if (fileSize > Container.get(core.BinaryDataConfig).dbMaxFileSize * 1024 * 1024) throw new Error('file too large for the database');
		const fileId = randomUUID();
		databaseRows.push({ fileId, executionId: location.executionId ?? '', ...metadata, fileSize });
		return { fileId, fileSize };
	},
	getPath: (fileId: string) => `database://${fileId}`,
	async getAsBuffer(): Promise<Buffer> {
		throw new Error('The database stand-in keeps no bytes');
	},
};

export async function initBinaryData(mode: 'default' | 'filesystem' | 'database'): Promise<void> {
	if (initializedBinaryMode === mode) return;
	const service = Container.get(core.BinaryDataService);
	Container.get(core.BinaryDataConfig).mode = mode;
	if (mode === 'database') service.setManager('database', databaseStandIn as unknown as Parameters<typeof service.setManager>[1]);
	await service.init();
	initializedBinaryMode = mode;
}

export async function readBinary(item: EngineItem, property?: string): Promise<Buffer> {
	const keys = Object.keys(item.binary ?? {});
	const key = property ?? (keys.includes('data') || keys.length !== 1 ? 'data' : keys[0]);
	const binaryData = item.binary?.[key];
	if (!binaryData) {
		throw new Error(`Item has no binary property "${key}" (has: ${keys.join(', ') || 'none'})`);
	}
	// Inline (default mode): base64 in `data`; filesystem mode: `id` = 'filesystem-v2:<path>'.
	return await Container.get(core.BinaryDataService).getAsBuffer(binaryData);
}
