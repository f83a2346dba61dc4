// Reading back the files a workflow produced, from n8n's binary data store.
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { N8nHome } from './home.ts';

/** What n8n puts in `item.binary[key]`. */
export interface BinaryRef {
	id?: string;
	data?: string;
	mimeType?: string;
	fileName?: string;
	fileSize?: string;
	[key: string]: unknown;
}

/**
 * The bytes of a binary property from run data. n8n 2.x keeps binary data in 'filesystem' mode by
 * default: the item carries `id: 'filesystem-v2:<fileId>'` and the bytes are in
 * `<userFolder>/.n8n/storage/<fileId>` (`.n8n/binaryData` on folders n8n 1.x created). Inline
 * base64 `data` (memory mode) is decoded as is.
 */
export function readBinaryData(home: N8nHome, binary: BinaryRef): Buffer {
	if (binary.id) {
		const colon = binary.id.indexOf(':');
		const mode = binary.id.slice(0, colon);
		const fileId = binary.id.slice(colon + 1);
		if (mode !== 'filesystem' && mode !== 'filesystem-v2') throw new Error(`readBinaryData: cannot read ${mode} binary data (${binary.id})`);
		for (const base of [join(home.dataDir, 'storage'), join(home.dataDir, 'binaryData')]) {
			const file = resolve(base, fileId);
			if (file.startsWith(base + '/') && existsSync(file)) return readFileSync(file);
		}
		throw new Error(`readBinaryData: no file for ${binary.id} under ${home.dataDir}/storage`);
	}
	if (typeof binary.data === 'string') return Buffer.from(binary.data, 'base64');
	throw new Error(`readBinaryData: neither id nor data in ${JSON.stringify(binary)}`);
}
