// Issue 23, finding 11: a binary reference image over imini's 64 MB body cap is refused from its
// stored size, before it is read, base64-encoded and stringified (that cost several times the
// file, for up to 10 items at once). n8n's filesystem binary mode, as n8n 2.x's default: the node
// learns the size from n8n's metadata, and the bytes are never loaded.
import { generate, useWorkflows } from '../harness/workflow-tests';
import { Container, core } from '../harness/n8n-engine/environment';

const h = useWorkflows({}, { binaryDataMode: 'filesystem' });

describe('a reference image over the 64 MB cap', () => {
	it('is refused before it is read', async () => {
		const binaryData = Container.get(core.BinaryDataService);
		const reads = jest.spyOn(binaryData, 'getAsBuffer');
		const before = h.mock.stats.submits;
		const result = await h.run({
			nodes: [generate({ resource: 'image', model: 'google/nano-banana', prompt: 'a fox', referenceImages: { image: [{ source: 'binary', binaryProperty: 'data' }] } })],
			input: [{ json: {}, binary: { data: { data: Buffer.alloc(70 * 1024 * 1024, 7), mimeType: 'image/png', fileName: 'big.png' } } }],
		});
		expect(result.error!.message).toBe("The request is larger than imini's 64 MB limit");
		expect(h.mock.stats.submits).toBe(before);
		// Reading it would have held the file, its base64 and the JSON body in memory at once.
		expect(reads.mock.calls.filter(([data]) => data.fileName === 'big.png')).toEqual([]);
		reads.mockRestore();
	});
});
