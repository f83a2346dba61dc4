// The simulator's result files: sizes from aspect ratio and tier, real PNG and MP4 bytes, and
// the parsers that check downloaded files.
import { inflateSync } from 'node:zlib';

import { wrapText } from '../../mock-server/media/caption.ts';
import { readMp4Info, renderMp4 } from '../../mock-server/media/mp4.ts';
import { readPngSize, renderPng } from '../../mock-server/media/png.ts';
import { imageSize, videoSize } from '../../mock-server/media/sizes.ts';
import type { Caption } from '../../mock-server/media/caption.ts';
import type { PixelSize } from '../../mock-server/media/sizes.ts';
import { createResultFiles } from '../../mock-server/render/render-pool.ts';

// ---- helpers (independent of the module under test) ----------------------------------------

const CRC_TABLE = (() => {
	const table = new Int32Array(256);
	for (let n = 0; n < 256; n++) {
		let c = n;
		for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
		table[n] = c;
	}
	return table;
})();

function crc32(data: Uint8Array): number {
	let c = -1;
	for (let i = 0; i < data.length; i++) c = CRC_TABLE[(c ^ data[i]) & 255] ^ (c >>> 8);
	return (c ^ -1) >>> 0;
}

type PngChunk = { type: string; data: Buffer };

function pngChunks(file: Buffer): PngChunk[] {
	const chunks: PngChunk[] = [];
	let o = 8;
	while (o < file.length) {
		const length = file.readUInt32BE(o);
		const type = file.toString('latin1', o + 4, o + 8);
		const data = file.subarray(o + 8, o + 8 + length);
		expect(file.readUInt32BE(o + 8 + length)).toBe(crc32(file.subarray(o + 4, o + 8 + length)));
		chunks.push({ type, data });
		o += 12 + length;
	}
	expect(o).toBe(file.length);
	return chunks;
}

/** Decodes an 8-bit RGB, non-interlaced PNG into packed RGB rows (all five filter types). */
function decodePng(file: Buffer): { width: number; height: number; rgb: Uint8Array } {
	const chunks = pngChunks(file);
	const ihdr = chunks[0];
	expect(ihdr.type).toBe('IHDR');
	const width = ihdr.data.readUInt32BE(0);
	const height = ihdr.data.readUInt32BE(4);
	expect([...ihdr.data.subarray(8, 13)]).toEqual([8, 2, 0, 0, 0]);
	expect(chunks[chunks.length - 1].type).toBe('IEND');
	const raw = inflateSync(Buffer.concat(chunks.filter((c) => c.type === 'IDAT').map((c) => c.data)));
	const stride = 3 * width;
	expect(raw.length).toBe(height * (1 + stride));
	const rgb = new Uint8Array(stride * height);
	for (let y = 0; y < height; y++) {
		const filter = raw[y * (1 + stride)];
		expect(filter).toBeLessThanOrEqual(4);
		for (let i = 0; i < stride; i++) {
			const x = raw[y * (1 + stride) + 1 + i];
			const a = i >= 3 ? rgb[y * stride + i - 3] : 0;
			const b = y > 0 ? rgb[(y - 1) * stride + i] : 0;
			const c = i >= 3 && y > 0 ? rgb[(y - 1) * stride + i - 3] : 0;
			let predicted = 0;
			if (filter === 1) predicted = a;
			else if (filter === 2) predicted = b;
			else if (filter === 3) predicted = (a + b) >> 1;
			else if (filter === 4) {
				const p = a + b - c;
				const pa = Math.abs(p - a);
				const pb = Math.abs(p - b);
				const pc = Math.abs(p - c);
				predicted = pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
			}
			rgb[y * stride + i] = (x + predicted) & 255;
		}
	}
	return { width, height, rgb };
}

type Box = { type: string; start: number; end: number; children?: Box[] };
const CONTAINERS = new Set(['moov', 'trak', 'mdia', 'minf', 'stbl', 'dinf']);

function boxes(file: Buffer, start: number, end: number): Box[] {
	const out: Box[] = [];
	let o = start;
	while (o < end) {
		const size = file.readUInt32BE(o);
		const type = file.toString('latin1', o + 4, o + 8);
		expect(size).toBeGreaterThanOrEqual(8);
		const box: Box = { type, start: o + 8, end: o + size };
		if (CONTAINERS.has(type)) box.children = boxes(file, o + 8, o + size);
		out.push(box);
		o += size;
	}
	expect(o).toBe(end);
	return out;
}

function path(tree: Box[], ...types: string[]): Box {
	let found: Box | undefined;
	let level = tree;
	for (const type of types) {
		found = level.find((b) => b.type === type);
		if (!found) throw new Error(`no ${types.join('/')}`);
		level = found.children ?? [];
	}
	return found as Box;
}

// ---- sizes -------------------------------------------------------------------------------------

const IMAGE_TABLE: Array<[string, Array<[number, number]>]> = [
	['1:1', [[512, 512], [1024, 1024], [2048, 2048], [4096, 4096]]],
	['2:3', [[344, 512], [680, 1024], [1368, 2048], [2728, 4096]]],
	['3:2', [[512, 344], [1024, 680], [2048, 1368], [4096, 2728]]],
	['3:4', [[384, 512], [768, 1024], [1536, 2048], [3072, 4096]]],
	['4:3', [[512, 384], [1024, 768], [2048, 1536], [4096, 3072]]],
	['4:5', [[408, 512], [816, 1024], [1640, 2048], [3280, 4096]]],
	['5:4', [[512, 408], [1024, 816], [2048, 1640], [4096, 3280]]],
	['9:16', [[288, 512], [576, 1024], [1152, 2048], [2304, 4096]]],
	['16:9', [[512, 288], [1024, 576], [2048, 1152], [4096, 2304]]],
	['21:9', [[512, 216], [1024, 440], [2048, 880], [4096, 1752]]],
	['9:21', [[216, 512], [440, 1024], [880, 2048], [1752, 4096]]],
	['1:4', [[128, 512], [256, 1024], [512, 2048], [1024, 4096]]],
	['1:8', [[64, 512], [128, 1024], [256, 2048], [512, 4096]]],
	['4:1', [[512, 128], [1024, 256], [2048, 512], [4096, 1024]]],
	['8:1', [[512, 64], [1024, 128], [2048, 256], [4096, 512]]],
];
const TIERS: Array<[string, number]> = [
	['512', 512],
	['1K', 1024],
	['2K', 2048],
	['4K', 4096],
];

describe('imageSize', () => {
	describe.each(IMAGE_TABLE)('%s', (aspect, expected) => {
		it.each(TIERS.map(([tier, long], i) => [tier, long, expected[i]] as const))(
			'at %s',
			(tier, long, [width, height]) => {
				const size = imageSize(aspect, tier);
				expect(size).toEqual({ width, height });
				// The rule: long side = tier, short side = nearest multiple of 8 of the exact ratio.
				const [a, b] = aspect.split(':').map(Number);
				expect(Math.max(size.width, size.height)).toBe(long);
				expect(size.width >= size.height).toBe(a >= b);
				const short = Math.min(size.width, size.height);
				expect(short % 8).toBe(0);
				expect(Math.abs(short - (long * Math.min(a, b)) / Math.max(a, b))).toBeLessThanOrEqual(4);
			},
		);
	});

	it('gives the documented examples', () => {
		expect(imageSize('1:1', '1K')).toEqual({ width: 1024, height: 1024 });
		expect(imageSize('16:9', '1K')).toEqual({ width: 1024, height: 576 });
		expect(imageSize('9:16', '2K')).toEqual({ width: 1152, height: 2048 });
	});

	it('rejects unknown tiers and malformed ratios', () => {
		expect(() => imageSize('16:9', '8K')).toThrow();
		expect(() => imageSize('16:9', '720P')).toThrow();
		expect(() => imageSize('wide', '1K')).toThrow();
		expect(() => imageSize('0:9', '1K')).toThrow();
	});
});

describe('videoSize', () => {
	it.each([
		['16:9', '720P', 1280, 720],
		['9:16', '1080P', 1080, 1920],
		['21:9', '480P', 1120, 480],
		['21:9', '1080P', 2520, 1080],
		['16:9', '480P', 854, 480],
		['16:9', '1080P', 1920, 1080],
		['9:16', '720P', 720, 1280],
		['1:1', '720P', 720, 720],
		['4:3', '480P', 640, 480],
		['3:4', '1080P', 1080, 1440],
		['adaptive', '720P', 1280, 720],
	])('%s at %s is %ix%i', (aspect, tier, width, height) => {
		expect(videoSize(aspect, tier)).toEqual({ width, height });
	});

	it('keeps the short side at the tier and both sides even', () => {
		for (const aspect of ['1:1', '3:4', '4:3', '9:16', '16:9', '21:9', '2:3', '3:2']) {
			for (const [tier, short] of [['480P', 480], ['720P', 720], ['1080P', 1080]] as const) {
				const { width, height } = videoSize(aspect, tier);
				expect(Math.min(width, height)).toBe(short);
				expect(width % 2).toBe(0);
				expect(height % 2).toBe(0);
			}
		}
	});

	it('rejects unknown tiers', () => {
		expect(() => videoSize('16:9', '4K')).toThrow();
		expect(() => videoSize('16:9', '1K')).toThrow();
	});
});

// ---- PNG ---------------------------------------------------------------------------------------

const caption: Caption = {
	prompt: 'a red fox in fresh snow, golden hour',
	model: 'google/nano-banana-pro',
	taskId: 'task_1234567890123456789',
};

/** Rows of an RGB picture in which any pixel differs between two pictures of the same size. */
function differingRows(a: Uint8Array, b: Uint8Array, width: number): number[] {
	const rows: number[] = [];
	for (let y = 0, stride = 3 * width; y * stride < a.length; y++) {
		if (!Buffer.from(a.subarray(y * stride, (y + 1) * stride)).equals(Buffer.from(b.subarray(y * stride, (y + 1) * stride)))) rows.push(y);
	}
	return rows;
}

describe('renderPng', () => {
	const sizes: PixelSize[] = [
		{ width: 1, height: 1 },
		{ width: 7, height: 5 },
		{ width: 512, height: 288 },
		{ width: 216, height: 512 },
		{ width: 1024, height: 576 },
		{ width: 1023, height: 777 },
		{ width: 128, height: 1024 },
		{ width: 2048, height: 1152 },
	];

	it.each(sizes)('round-trips $width x $height through readPngSize and inflate', (size) => {
		const file = renderPng(size, `seed-${size.width}x${size.height}`, caption);
		expect(file.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
		expect(readPngSize(file)).toEqual(size);
		const chunks = pngChunks(file);
		expect(chunks.map((c) => c.type)).toEqual(['IHDR', ...chunks.slice(1, -1).map(() => 'IDAT'), 'IEND']);
		const raw = inflateSync(Buffer.concat(chunks.filter((c) => c.type === 'IDAT').map((c) => c.data)));
		expect(raw.length).toBe(size.height * (1 + 3 * size.width));
	});

	it('draws a picture, not a flat colour', () => {
		const { width, height, rgb } = decodePng(renderPng({ width: 512, height: 512 }, 'picture', caption));
		const colours = new Set<number>();
		let sum = 0;
		let sumSq = 0;
		for (let i = 0; i < rgb.length; i += 3) {
			colours.add((rgb[i] << 16) | (rgb[i + 1] << 8) | rgb[i + 2]);
			const luma = (rgb[i] * 299 + rgb[i + 1] * 587 + rgb[i + 2] * 114) / 1000;
			sum += luma;
			sumSq += luma * luma;
		}
		const n = width * height;
		const std = Math.sqrt(sumSq / n - (sum / n) ** 2);
		expect(colours.size).toBeGreaterThan(1000);
		expect(std).toBeGreaterThan(5);
		// Some high-frequency texture: neighbouring pixels differ in many places.
		let differing = 0;
		for (let i = 3; i < rgb.length; i++) if (rgb[i] !== rgb[i - 3]) differing++;
		expect(differing / rgb.length).toBeGreaterThan(0.2);
	});

	it('decodes large pictures completely (1K grid of 2x2 cells)', () => {
		const { rgb, width, height } = decodePng(renderPng({ width: 1024, height: 576 }, 'large', caption));
		expect(rgb.length).toBe(width * height * 3);
		const first = Buffer.from(rgb.subarray(0, 3 * width));
		const last = Buffer.from(rgb.subarray((height - 1) * 3 * width));
		expect(first.equals(last)).toBe(false);
	});

	it('is deterministic for a seed and differs between seeds', () => {
		const size = { width: 640, height: 360 };
		const a = renderPng(size, 'task_1/0', caption);
		expect(renderPng(size, 'task_1/0', caption).equals(a)).toBe(true);
		expect(renderPng(size, 'task_1/1', caption).equals(a)).toBe(false);
		expect(renderPng(size, 'task_2/0', caption).equals(a)).toBe(false);
		const big = { width: 1024, height: 1024 };
		expect(renderPng(big, 'x', caption).equals(renderPng(big, 'x', caption))).toBe(true);
		expect(renderPng(big, 'x', caption).equals(renderPng(big, 'y', caption))).toBe(false);
	});

	it('rejects impossible sizes', () => {
		expect(() => renderPng({ width: 0, height: 10 }, 's', caption)).toThrow();
		expect(() => renderPng({ width: 10.5, height: 10 }, 's', caption)).toThrow();
	});
});

describe('the caption on result pictures', () => {
	const size = { width: 1024, height: 576 };
	const bare = decodePng(renderPng(size, 'seed')).rgb;

	it('is a band across the bottom, with light text on a darkened background', () => {
		const { rgb } = decodePng(renderPng(size, 'seed', caption));
		const rows = differingRows(bare, rgb, size.width);
		// The band: a run of rows down to the bottom edge, about a third of this 16:9 picture.
		expect(rows[rows.length - 1]).toBe(size.height - 1);
		expect(rows.length).toBe(size.height - rows[0]);
		expect(rows.length).toBeGreaterThan(size.height * 0.2);
		expect(rows.length).toBeLessThan(size.height * 0.56);
		// Text: near-white pixels inside the band, none of the background is that bright there.
		let white = 0;
		for (let i = rows[0] * 3 * size.width; i < rgb.length; i += 3) if (rgb[i] > 235 && rgb[i + 1] > 235 && rgb[i + 2] > 235) white++;
		expect(white).toBeGreaterThan(2000);
	});

	it('changes with the prompt, the model and the task id', () => {
		const base = decodePng(renderPng(size, 'seed', caption)).rgb;
		for (const change of [{ prompt: 'a blue whale' }, { model: 'openai/gpt-image-2' }, { taskId: 'task_9999999999999999999' }]) {
			const other = decodePng(renderPng(size, 'seed', { ...caption, ...change })).rgb;
			const rows = differingRows(base, other, size.width);
			expect(rows.length).toBeGreaterThan(5);
			expect(rows[0]).toBeGreaterThan(size.height * 0.44); // only the band differs
		}
	});

	it('scales with the picture: a 4K picture carries the same layout four times larger', () => {
		const small = decodePng(renderPng({ width: 1024, height: 1024 }, 'seed', caption));
		const smallBare = decodePng(renderPng({ width: 1024, height: 1024 }, 'seed'));
		const bandSmall = differingRows(smallBare.rgb, small.rgb, 1024).length;
		const big = renderPng({ width: 4096, height: 4096 }, 'seed', caption);
		const bigBare = renderPng({ width: 4096, height: 4096 }, 'seed');
		const bandBig = differingRows(decodePng(bigBare).rgb, decodePng(big).rgb, 4096).length;
		expect(bandBig / bandSmall).toBeGreaterThan(3.8);
		expect(bandBig / bandSmall).toBeLessThan(4.2);
	});
});

describe('wrapText', () => {
	const byChars = (text: string) => [...text].length; // one unit per character

	it('wraps at word boundaries within the width', () => {
		expect(wrapText('a red fox in fresh snow', 10, 4, byChars)).toEqual(['a red fox', 'in fresh', 'snow']);
	});

	it('cuts a long text with an ellipsis on the last allowed line', () => {
		const lines = wrapText('one two three four five six seven eight nine ten', 9, 2, byChars);
		expect(lines).toEqual(['one two', 'three…']);
		for (const line of lines) expect(byChars(line)).toBeLessThanOrEqual(9);
	});

	it('breaks a word longer than a line and keeps every character when it fits', () => {
		expect(wrapText('task_1234567890', 6, 4, byChars)).toEqual(['task_1', '234567', '890']);
		expect(wrapText('  spaced \n  out  ', 20, 2, byChars)).toEqual(['spaced out']);
	});

	it('measures only what a caption can show of a huge prompt with no spaces, and never cuts an emoji in two', () => {
		let measured = 0;
		const counting = (text: string) => {
			measured++;
			return byChars(text);
		};
		const lines = wrapText('🦊'.repeat(32_000), 40, 4, counting);
		expect(lines.map(byChars)).toEqual([40, 40, 40, 40]);
		expect(lines.join('')).toBe(`${'🦊'.repeat(159)}…`);
		// A character-by-character search would measure tens of thousands of strings.
		expect(measured).toBeLessThan(200);
	});
});

describe('readPngSize', () => {
	it('throws on garbage and on damaged headers', () => {
		expect(() => readPngSize(Buffer.alloc(0))).toThrow();
		expect(() => readPngSize(Buffer.from('hello, this is not a PNG file at all'))).toThrow();
		expect(() => readPngSize(Buffer.from(Array.from({ length: 200 }, (_, i) => (i * 37) & 255)))).toThrow();
		const good = renderPng({ width: 32, height: 16 }, 'crc', caption);
		const badCrc = Buffer.from(good);
		badCrc[17] ^= 1; // width byte inside IHDR
		expect(() => readPngSize(badCrc)).toThrow();
		const badSignature = Buffer.from(good);
		badSignature[1] = 0x51;
		expect(() => readPngSize(badSignature)).toThrow();
	});

	it('throws on an MP4', async () => {
		expect(() => readPngSize(Buffer.alloc(0))).toThrow();
		const video = await renderMp4({ width: 64, height: 64 }, 1, 'mp4', caption);
		expect(() => readPngSize(video)).toThrow();
	});
});

// ---- MP4 ---------------------------------------------------------------------------------------

/** The samples of the video track, each split into its NAL units (type and bytes). */
function videoSamples(file: Buffer): Array<Array<{ type: number; data: Buffer }>> {
	const tree = boxes(file, 0, file.length);
	const stbl = ['moov', 'trak', 'mdia', 'minf', 'stbl'];
	const stsz = path(tree, ...stbl, 'stsz');
	const stco = path(tree, ...stbl, 'stco');
	const count = file.readUInt32BE(stsz.start + 8);
	expect(file.readUInt32BE(stsz.start + 4)).toBe(0); // sizes listed per sample
	// Every sample in one chunk, or one chunk per sample: either way they are back to back here.
	let o = file.readUInt32BE(stco.start + 8);
	const samples: Array<Array<{ type: number; data: Buffer }>> = [];
	for (let i = 0; i < count; i++) {
		const end = o + file.readUInt32BE(stsz.start + 12 + 4 * i);
		const nals: Array<{ type: number; data: Buffer }> = [];
		while (o < end) {
			const length = file.readUInt32BE(o);
			nals.push({ type: file[o + 4] & 31, data: file.subarray(o + 4, o + 4 + length) });
			o += 4 + length;
		}
		expect(o).toBe(end);
		samples.push(nals);
	}
	return samples;
}

describe('renderMp4', () => {
	const cases: Array<[PixelSize, number]> = [
		[{ width: 1280, height: 720 }, 5],
		[{ width: 1080, height: 1920 }, 15],
		[{ width: 720, height: 720 }, 3],
		[{ width: 1120, height: 480 }, 4],
		[{ width: 1920, height: 1080 }, 10],
		[{ width: 854, height: 480 }, 7.5],
		[{ width: 2, height: 2 }, 1],
	];

	it.each(cases)('round-trips %o for %d s through readMp4Info', async (size, duration) => {
		const file = await renderMp4(size, duration, 'video', { ...caption, durationSeconds: duration });
		expect(readMp4Info(file)).toEqual({ ...size, durationSeconds: duration, codec: 'avc1' });
		// The first frame is raw samples (about 1.5 bytes a pixel); the rest changes little.
		expect(file.length).toBeLessThan(size.width * size.height * 1.6 + 50_000 * duration);
	});

	it('lays out ftyp, moov and mdat with one H.264 sample per frame', async () => {
		const file = await renderMp4({ width: 1280, height: 720 }, 5, 'layout', caption);
		const tree = boxes(file, 0, file.length);
		expect(tree.map((b) => b.type)).toEqual(['ftyp', 'moov', 'mdat']);
		const samples = videoSamples(file);
		expect(samples.length).toBe(5 * 24);
		// One IDR picture (with its parameter sets), then non-IDR pictures.
		expect(samples[0].map((n) => n.type).filter((t) => t === 5)).toEqual([5]);
		expect(samples.slice(1).every((nals) => nals.length === 1 && nals[0].type === 1)).toBe(true);
		// The decoder configuration: H.264 Constrained Baseline SPS and PPS.
		const stsd = path(tree, 'moov', 'trak', 'mdia', 'minf', 'stbl', 'stsd');
		expect(file.toString('latin1', stsd.start + 12, stsd.start + 16)).toBe('avc1');
		const avcC = file.indexOf('avcC', stsd.start, 'latin1');
		expect(avcC).toBeGreaterThan(0);
		expect(file[avcC + 4]).toBe(1); // configurationVersion
		expect(file[avcC + 5]).toBe(66); // Baseline
		expect(file[avcC + 12] & 31).toBe(7); // first parameter set is an SPS
		// Track timing adds up to the duration.
		const mdhd = path(tree, 'moov', 'trak', 'mdia', 'mdhd');
		expect(file.readUInt32BE(mdhd.start + 16) / file.readUInt32BE(mdhd.start + 12)).toBe(5);
	});

	it('shows the caption in its first frame and something that moves in every later one', async () => {
		const size = { width: 1280, height: 720 };
		const samples = videoSamples(await renderMp4(size, 2, 'motion', caption));
		const other = videoSamples(await renderMp4(size, 2, 'motion', { ...caption, prompt: 'a blue whale' }));
		const idr = (s: typeof samples) => s[0].find((n) => n.type === 5)!.data;
		// The first picture carries the caption: another prompt, another picture.
		expect(idr(samples).equals(idr(other))).toBe(false);
		// Every later picture codes some macroblocks anew (the progress bar advancing), not just
		// "repeat the previous picture" (a P slice of skips is a dozen bytes).
		for (const [nal] of samples.slice(1)) expect(nal.data.length).toBeGreaterThan(384);
	});

	it('is deterministic for a seed and differs between seeds (the whole file: no muxing time is stamped in)', async () => {
		const size = { width: 1280, height: 720 };
		const a = await renderMp4(size, 5, 'task_1/0', caption);
		expect((await renderMp4(size, 5, 'task_1/0', caption)).equals(a)).toBe(true);
		expect((await renderMp4(size, 5, 'task_9/0', caption)).equals(a)).toBe(false);
	});

	it('rejects sizes H.264 4:2:0 cannot crop to and impossible durations', async () => {
		await expect(renderMp4({ width: 1281, height: 720 }, 5, 's', caption)).rejects.toThrow();
		await expect(renderMp4({ width: 1280, height: 0 }, 5, 's', caption)).rejects.toThrow();
		await expect(renderMp4({ width: 1280, height: 720 }, 0, 's', caption)).rejects.toThrow();
		await expect(renderMp4({ width: 1280, height: 720 }, Number.NaN, 's', caption)).rejects.toThrow();
	});
});

describe('readMp4Info', () => {
	it('throws on garbage, PNGs and truncated files', async () => {
		expect(() => readMp4Info(Buffer.alloc(0))).toThrow();
		expect(() => readMp4Info(Buffer.from('definitely not an mp4 file, just some text'))).toThrow();
		expect(() => readMp4Info(Buffer.from(Array.from({ length: 300 }, (_, i) => (i * 91 + 7) & 255)))).toThrow();
		expect(() => readMp4Info(renderPng({ width: 16, height: 16 }, 'png', caption))).toThrow();
		const file = await renderMp4({ width: 640, height: 480 }, 2, 'cut', caption);
		expect(() => readMp4Info(file.subarray(0, 300))).toThrow();
		const onlyFtyp = file.subarray(0, file.readUInt32BE(0));
		expect(() => readMp4Info(onlyFtyp)).toThrow();
	});
});

describe('renderMp4 with sound (rendered as the simulator renders: on its worker thread)', () => {
	// The MP3 encoder extension is ESM-only; the worker runs under Node's own loader (audio.ts says why).
	const files = createResultFiles();
	afterAll(() => files.close());
	const video = (duration: number, seed: string) =>
		files.bytes({ kind: 'mp4', width: 64, height: 36, duration, audio: true, seed, caption: { ...caption, durationSeconds: duration } });

	it.each([3, 7.5, 15])('adds an MP3 sound track and stays exactly %d s long', async (duration) => {
		const file = await video(duration, `sound-${duration}`);
		expect(readMp4Info(file)).toEqual({ width: 64, height: 36, durationSeconds: duration, codec: 'avc1' });
		const moov = boxes(file, 0, file.length).find((b) => b.type === 'moov')!;
		const handlers = moov.children!.filter((b) => b.type === 'trak').map((trak) => /hdlr[\s\S]{8}(vide|soun)/.exec(file.toString('latin1', trak.start, trak.end))?.[1]);
		expect(handlers).toEqual(['vide', 'soun']);
		// (ffprobe decodes it in test/mock/twin.e2e.test.ts.)
	});

	it('stamps no muxing time in, so a seeded mock serves the same bytes on every run', async () => {
		const file = await video(2, 'stamp');
		const stamped: string[] = [];
		const walk = (list: Box[]) => {
			for (const box of list) {
				// version and flags, then the creation and modification times (32-bit in version 0).
				if (['mvhd', 'tkhd', 'mdhd'].includes(box.type) && file.readUInt32BE(box.start + 4) + file.readUInt32BE(box.start + 8) !== 0) stamped.push(box.type);
				if (box.children) walk(box.children);
			}
		};
		walk(boxes(file, 0, file.length));
		expect(stamped).toEqual([]);
	});
});
