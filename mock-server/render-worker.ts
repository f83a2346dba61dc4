// Renders result files off the simulator's event loop, so serving a 4K image never holds up
// the API (or Prism, which shares the process).
import { parentPort } from 'node:worker_threads';
import { renderMp4, renderPng } from './media.ts';

type Job = { id: number; kind: 'png' | 'mp4'; width: number; height: number; duration?: number; seed: string };

parentPort?.on('message', (job: Job) => {
	try {
		const size = { width: job.width, height: job.height };
		const bytes = job.kind === 'mp4' ? renderMp4(size, job.duration ?? 5, job.seed) : renderPng(size, job.seed);
		parentPort?.postMessage({ id: job.id, bytes });
	} catch (error) {
		parentPort?.postMessage({ id: job.id, error: (error as Error).message });
	}
});
