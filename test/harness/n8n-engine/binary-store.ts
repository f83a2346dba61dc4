// Binary data: the mode `prepareBinaryData` stores bytes in (inline base64, or files under the
// harness's user folder), set on n8n-core's BinaryDataService in the DI container, and the bytes
// of an output item read back in either mode. The mode is process-global: runs of engines with
// different `binaryDataMode`s must not overlap in time.
import { Container, core } from './environment';
import type { EngineItem } from './types';

let initializedBinaryMode: string | undefined;

export async function initBinaryData(mode: 'default' | 'filesystem'): Promise<void> {
	if (initializedBinaryMode === mode) return;
	Container.get(core.BinaryDataConfig).mode = mode;
	await Container.get(core.BinaryDataService).init();
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
