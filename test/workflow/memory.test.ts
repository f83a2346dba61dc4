// Issue 23, finding 11: a binary reference image over imini's 64 MB body cap is refused from its
// stored size, before it is read, base64-encoded and stringified (that cost several times the
// file, for up to 10 items at once). n8n's filesystem binary mode, so that the input itself does
// not sit in memory: what is measured is what the node reads.
import { generate, useWorkflows } from './setup';

const h = useWorkflows({}, { binaryDataMode: 'filesystem' });

describe('a reference image over the 64 MB cap', () => {
	it('is refused before it is read', async () => {
		const file = Buffer.alloc(100 * 1024 * 1024, 7);
		const before = h.mock.stats.submits;
		const handle = h.run({
			nodes: [generate({ resource: 'image', model: 'google/nano-banana', prompt: 'a fox', referenceImages: { image: [{ source: 'binary', binaryProperty: 'data' }] } })],
			input: [{ json: {}, binary: { data: { data: file, mimeType: 'image/png', fileName: 'big.png' } } }],
		});
		const base = process.memoryUsage().rss;
		let peak = base;
		const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 5);
		const result = await handle.finally(() => clearInterval(sampler));
		expect(result.error!.message).toBe("The request is larger than imini's 64 MB limit");
		expect(h.mock.stats.submits).toBe(before);
		// Reading it would hold the file, its base64 and the JSON body at once: well over 300 MB.
		expect(peak - base).toBeLessThan(150 * 1024 * 1024);
	});
});
