// PNG result files: 8-bit RGB, a seeded three-colour gradient with wavy iso-lines, two diagonal
// ripples and a fine grain. Images whose long side is 1024 or more are drawn on a 2x2 pixel grid
// (every second row is an exact copy, filter Up = zeros), which halves the drawing and deflate
// work and keeps a 4096x4096 file at a few MB in a few hundred milliseconds.
import * as zlib from 'node:zlib';
import { seedBytes, seededPalette } from './picture.ts';
import { checkSize } from './sizes.ts';
import type { PixelSize } from './sizes.ts';

// ---------------------------------------------------------------------------------------------
// CRC-32 (zlib.crc32 where Node has it)
// ---------------------------------------------------------------------------------------------

let crcTable: Int32Array | undefined;

function crc32(data: Uint8Array): number {
	const native = (zlib as { crc32?: (data: Uint8Array, value?: number) => number }).crc32;
	if (typeof native === 'function') return native(data) >>> 0;
	if (!crcTable) {
		crcTable = new Int32Array(256);
		for (let n = 0; n < 256; n++) {
			let c = n;
			for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
			crcTable[n] = c;
		}
	}
	let c = -1;
	for (let i = 0; i < data.length; i++) c = crcTable[(c ^ data[i]) & 255] ^ (c >>> 8);
	return (c ^ -1) >>> 0;
}

// ---------------------------------------------------------------------------------------------
// Chunks
// ---------------------------------------------------------------------------------------------

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

function pngChunk(type: string, data: Uint8Array): Buffer {
	const out = Buffer.allocUnsafe(12 + data.length);
	out.writeUInt32BE(data.length, 0);
	out.write(type, 4, 'latin1');
	out.set(data, 8);
	out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
	return out;
}

// ---------------------------------------------------------------------------------------------
// Drawing
// ---------------------------------------------------------------------------------------------

/** Fixed-point (16.16) sine table: round(amplitude * sin(2*pi*i/n) * 65536). */
function sineTable(n: number, amplitude: number, phase: number, scale: number): Int32Array {
	const table = new Int32Array(n);
	for (let i = 0; i < n; i++) table[i] = Math.round(amplitude * Math.sin((2 * Math.PI * i) / n + phase) * scale);
	return table;
}

/** xorshift32 over a seed word; never returns the all-zero state. */
function prng(state: number): () => number {
	let s = state >>> 0 || 0x9e3779b9;
	return () => {
		s ^= s << 13;
		s >>>= 0;
		s ^= s >>> 17;
		s ^= s << 5;
		s >>>= 0;
		return s;
	};
}

/**
 * The filtered scanlines of the picture (filter byte + RGB per row), ready for deflate.
 * Logical pixels are `cell` x `cell` device pixels (1 or 2).
 */
function drawPicture(width: number, height: number, seed: string): Uint8Array {
	const bytes = seedBytes(seed, 'imini-png');
	const cell = Math.max(width, height) >= 1024 ? 2 : 1;
	const lw = Math.ceil(width / cell);
	const lh = Math.ceil(height / cell);
	const long = Math.max(lw, lh);
	const stride = 1 + 3 * width;
	const raw = new Uint8Array(stride * height);

	// Palette values stay in [24, 231]; the texture adds at most +-(12 + 5 + 3), so no clamping.
	const pal = seededPalette(bytes, 24, 231);

	// Gradient: palette index = projection on a seeded direction, mapped to [96, 927], plus two
	// separable sine warps (+-64) that bend the iso-lines. 16.16 fixed point.
	const angle = (bytes[5] / 256) * 2 * Math.PI;
	const dx = Math.cos(angle);
	const dy = Math.sin(angle);
	const corners = [0, dx * lw, dy * lh, dx * lw + dy * lh];
	const pMin = Math.min(...corners);
	const pSpan = Math.max(...corners) - pMin || 1;
	const gScale = (831 * 65536) / pSpan;
	const gx = Math.round(dx * gScale);
	const gy = Math.round(dy * gScale);
	const g0 = Math.round(96 * 65536 - pMin * gScale);
	const warpX = new Int32Array(lw);
	const warpY = new Int32Array(lh);
	const wxCycles = 1 + (bytes[6] % 3);
	const wyCycles = 1 + (bytes[7] % 3);
	for (let x = 0; x < lw; x++) warpX[x] = Math.round(32 * 65536 * Math.sin((2 * Math.PI * wxCycles * x) / lw + bytes[8]));
	for (let y = 0; y < lh; y++) warpY[y] = Math.round(32 * 65536 * Math.sin((2 * Math.PI * wyCycles * y) / lh + bytes[9]));

	// Ripples: two diagonal sine waves (1024-entry tables, phase in 16.16 fixed point).
	const ripple1 = sineTable(1024, 12, 0, 1); // broad soft bands
	const ripple2 = sineTable(1024, 5, bytes[10], 1); // fine ripples
	const r1Angle = (bytes[11] / 256) * 2 * Math.PI;
	const r2Angle = r1Angle + 0.9 + (bytes[12] / 256) * 1.2;
	const r1Freq = ((2 + (bytes[13] % 4)) * 1024 * 65536) / long;
	const r2Freq = ((18 + (bytes[14] % 24)) * 1024 * 65536) / long;
	const r1x = Math.round(Math.cos(r1Angle) * r1Freq);
	const r1y = Math.round(Math.sin(r1Angle) * r1Freq);
	const r2x = Math.round(Math.cos(r2Angle) * r2Freq);
	const r2y = Math.round(Math.sin(r2Angle) * r2Freq);

	// Grain: a seeded 64x64 tile of small offsets.
	const grain = new Int8Array(64 * 64);
	const next = prng(bytes.readUInt32BE(16));
	for (let i = 0; i < grain.length; i++) grain[i] = (next() % 7) - 3;

	// Zero-filled (fresh pages): the twin pixels and twin rows are zero after filtering, so
	// they are never written.
	const step = 3 * cell;
	for (let ly = 0; ly < lh; ly++) {
		let acc = g0 + ly * gy + warpY[ly];
		let ph1 = (ly * r1y) | 0;
		let ph2 = (ly * r2y) | 0;
		const grainRow = (ly & 63) << 6;
		let pr = 0;
		let pg = 0;
		let pb = 0;
		const y0 = ly * cell;
		let o = y0 * stride;
		raw[o++] = 1; // filter Sub (a twin pixel repeats the colour: a difference of zero)
		for (let lx = 0; lx < lw; lx++) {
			const pi = ((acc + warpX[lx]) >> 16) * 3;
			acc += gx;
			const t = ripple1[(ph1 >> 16) & 1023] + ripple2[(ph2 >> 16) & 1023] + grain[grainRow | (lx & 63)];
			ph1 = (ph1 + r1x) | 0;
			ph2 = (ph2 + r2x) | 0;
			const r = pal[pi] + t;
			const g = pal[pi + 1] + t;
			const b = pal[pi + 2] + t;
			raw[o] = r - pr;
			raw[o + 1] = g - pg;
			raw[o + 2] = b - pb;
			o += step;
			pr = r;
			pg = g;
			pb = b;
		}
		for (let k = 1; k < cell && y0 + k < height; k++) raw[(y0 + k) * stride] = 2; // filter Up: a copy
	}
	return raw;
}

// ---------------------------------------------------------------------------------------------
// Files
// ---------------------------------------------------------------------------------------------

/**
 * A real PNG (8-bit truecolour RGB), deterministic for (width, height, seed): a seeded gradient
 * with ripples and grain.
 */
export function renderPng(size: PixelSize, seed: string): Buffer {
	checkSize(size, 'renderPng', false);
	const { width, height } = size;
	const ihdr = Buffer.alloc(13);
	ihdr.writeUInt32BE(width, 0);
	ihdr.writeUInt32BE(height, 4);
	ihdr[8] = 8; // bit depth
	ihdr[9] = 2; // colour type: truecolour
	ihdr[10] = 0; // deflate
	ihdr[11] = 0; // adaptive filtering
	ihdr[12] = 0; // no interlace
	const idat = zlib.deflateSync(drawPicture(width, height, seed), { level: 1, memLevel: 9 });
	return Buffer.concat([PNG_SIGNATURE, pngChunk('IHDR', ihdr), pngChunk('IDAT', idat), pngChunk('IEND', new Uint8Array(0))]);
}

/** Width and height of a PNG; checks the signature and the IHDR chunk (type, length, CRC). */
export function readPngSize(file: Buffer): PixelSize {
	if (!file || file.length < 33 || !PNG_SIGNATURE.equals(file.subarray(0, 8))) {
		throw new Error('Not a PNG file: bad signature.');
	}
	const length = file.readUInt32BE(8);
	if (length !== 13 || file.toString('latin1', 12, 16) !== 'IHDR') {
		throw new Error('Not a PNG file: the first chunk is not IHDR.');
	}
	if (crc32(file.subarray(12, 29)) !== file.readUInt32BE(29)) {
		throw new Error('Not a PNG file: IHDR CRC mismatch.');
	}
	const width = file.readUInt32BE(16);
	const height = file.readUInt32BE(20);
	if (width === 0 || height === 0) throw new Error('Not a PNG file: zero width or height.');
	return { width, height };
}
