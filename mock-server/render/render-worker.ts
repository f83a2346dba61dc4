// Renders result files off the simulator's event loop, so serving a 4K image never holds up
// the API (or Prism, which shares the process).
import { parentPort } from 'node:worker_threads';
import { renderMp4 } from '../media/mp4.ts';
import { renderPng } from '../media/png.ts';
import type { ResultFile } from '../media/result-file.ts';

parentPort?.on('message', (job: ResultFile & { id: number }) => {
	const size = { width: job.width, height: job.height };
	const rendering = job.kind === 'mp4' ? renderMp4(size, job.duration, job.seed, job.caption, { audio: job.audio }) : Promise.resolve().then(() => renderPng(size, job.seed, job.caption));
	rendering.then(
		(bytes) => parentPort?.postMessage({ id: job.id, bytes }),
		(error: unknown) => parentPort?.postMessage({ id: job.id, error: (error as Error).message }),
	);
});
