// The simulator's stand-in for imini's CDN: result files drawn and compressed on a worker thread
// (a 4K PNG takes a few hundred ms), so serving them never holds up the API, nor Prism when it
// shares the process; rendered as soon as a task is submitted, so they are ready when it
// succeeds, as imini's would be.
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { ResultFile } from '../media/result-file.ts';
import { mockDir, moduleExtension } from '../core/package-files.ts';

/** Rendered files are kept (oldest dropped first) up to this many bytes, not files: a batch's
 * files are rendered while its tasks run and must still be there when they are downloaded. */
const CACHE_BYTES = 128 * 1024 * 1024;
/** Renders ahead of a download only while the worker has fewer than this many to do. */
const PRERENDER_QUEUE = 64;

export function createResultFiles() {
	let renderer: Worker | undefined;
	const renders = new Map<number, { resolve: (bytes: Buffer) => void; reject: (error: Error) => void }>();
	let nextRender = 0;
	const cache = new Map<string, Promise<Buffer>>();
	const sizes = new Map<string, number>();
	let cachedBytes = 0;

	function render(file: ResultFile): Promise<Buffer> {
		if (!renderer) {
			const worker = new Worker(join(mockDir, 'render', `render-worker${moduleExtension}`));
			worker.unref();
			worker.on('message', (answer: { id: number; bytes?: Uint8Array; error?: string }) => {
				const pending = renders.get(answer.id);
				renders.delete(answer.id);
				if (answer.bytes) pending?.resolve(Buffer.from(answer.bytes.buffer, answer.bytes.byteOffset, answer.bytes.byteLength));
				else pending?.reject(new Error(answer.error));
			});
			worker.on('error', (error) => {
				for (const pending of renders.values()) pending.reject(error);
				renders.clear();
				renderer = undefined;
			});
			renderer = worker;
		}
		const worker = renderer;
		const id = nextRender++;
		return new Promise<Buffer>((resolve, reject) => {
			renders.set(id, { resolve, reject });
			worker.postMessage({ id, ...file });
		});
	}

	/** A file's bytes, rendered once and kept while the cache has room. */
	function bytes(file: ResultFile): Promise<Buffer> {
		const key = JSON.stringify(file);
		const cached = cache.get(key);
		if (cached) return cached;
		const rendering = render(file);
		cache.set(key, rendering);
		rendering.then(
			(buffer) => {
				if (!cache.has(key)) return;
				sizes.set(key, buffer.length);
				cachedBytes += buffer.length;
				for (const oldest of cache.keys()) {
					if (cachedBytes <= CACHE_BYTES || oldest === key) break;
					cache.delete(oldest);
					cachedBytes -= sizes.get(oldest) ?? 0;
					sizes.delete(oldest);
				}
			},
			() => cache.delete(key),
		);
		return rendering;
	}

	return {
		bytes,
		/** Starts rendering files ahead of their download (skipped while a flood of submits has
		 * already queued more renders than a batch needs). */
		prerender(files: ResultFile[]): void {
			if (renders.size >= PRERENDER_QUEUE) return;
			for (const file of files) bytes(file).catch(() => undefined);
		},
		close: async (): Promise<void> => {
			await renderer?.terminate();
		},
	};
}
