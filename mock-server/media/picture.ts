// The picture of a result file, shared by the PNG and the video's frames: a seeded three-colour
// gradient with wavy iso-lines, two diagonal ripples and a fine grain, under the caption that
// says which task made it. Pictures whose long side is 1024 or more are drawn on a 2x2 pixel
// grid (each logical pixel is written twice and every second row is a copy), which halves the
// drawing and keeps a 4096x4096 picture at a few hundred milliseconds.
import { createHash } from 'node:crypto';
import { blendOverlay, renderCaption } from './caption.ts';
import type { Caption } from './caption.ts';
import type { PixelSize } from './sizes.ts';

export type { Caption };

/** 32 deterministic bytes for a seed: sha256(salt, NUL, seed). */
export function seedBytes(seed: string, salt: string): Buffer {
	return createHash('sha256').update(salt).update('\0').update(String(seed)).digest();
}

function hslToRgb(h: number, s: number, l: number): [number, number, number] {
	const c = (1 - Math.abs(2 * l - 1)) * s;
	const hp = (((h % 360) + 360) % 360) / 60;
	const x = c * (1 - Math.abs((hp % 2) - 1));
	const m = l - c / 2;
	const [r, g, b] =
		hp < 1 ? [c, x, 0] : hp < 2 ? [x, c, 0] : hp < 3 ? [0, c, x] : hp < 4 ? [0, x, c] : hp < 5 ? [x, 0, c] : [c, 0, x];
	return [(r + m) * 255, (g + m) * 255, (b + m) * 255];
}

/**
 * A 1024-entry RGB palette running through three seeded colours (hues spread around the wheel,
 * dark to light or light to dark), with values kept inside [lo, hi].
 */
export function seededPalette(bytes: Buffer, lo: number, hi: number): Uint8Array {
	const hue = ((bytes[0] << 8) | bytes[1]) % 360;
	const spread = 50 + (bytes[2] % 100);
	const sat = 0.5 + (bytes[3] % 40) / 100;
	const light = bytes[4] & 1 ? [0.22, 0.55, 0.82] : [0.8, 0.5, 0.2];
	const stops = [0, 1, 2].map((i) => hslToRgb(hue + i * spread, sat, light[i]));
	const pal = new Uint8Array(3 * 1024);
	for (let i = 0; i < 1024; i++) {
		const t = (i / 1023) * 2;
		const k = t < 1 ? 0 : 1;
		let f = t - k;
		f = f * f * (3 - 2 * f);
		for (let c = 0; c < 3; c++) {
			const v = stops[k][c] + (stops[k + 1][c] - stops[k][c]) * f;
			pal[3 * i + c] = lo + Math.round((v * (hi - lo)) / 255);
		}
	}
	return pal;
}

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

/** The seeded background as packed RGB rows (3 bytes per pixel). */
function drawBackground(width: number, height: number, seed: string): Uint8Array {
	const bytes = seedBytes(seed, 'imini-png');
	const cell = Math.max(width, height) >= 1024 ? 2 : 1;
	const lw = Math.ceil(width / cell);
	const lh = Math.ceil(height / cell);
	const long = Math.max(lw, lh);
	const stride = 3 * width;
	const rgb = new Uint8Array(stride * height);

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

	for (let ly = 0; ly < lh; ly++) {
		let acc = g0 + ly * gy + warpY[ly];
		let ph1 = (ly * r1y) | 0;
		let ph2 = (ly * r2y) | 0;
		const grainRow = (ly & 63) << 6;
		const y0 = ly * cell;
		const rowStart = y0 * stride;
		const rowEnd = rowStart + stride;
		let o = rowStart;
		for (let lx = 0; lx < lw; lx++) {
			const pi = ((acc + warpX[lx]) >> 16) * 3;
			acc += gx;
			const t = ripple1[(ph1 >> 16) & 1023] + ripple2[(ph2 >> 16) & 1023] + grain[grainRow | (lx & 63)];
			ph1 = (ph1 + r1x) | 0;
			ph2 = (ph2 + r2x) | 0;
			const r = pal[pi] + t;
			const g = pal[pi + 1] + t;
			const b = pal[pi + 2] + t;
			rgb[o] = r;
			rgb[o + 1] = g;
			rgb[o + 2] = b;
			if (cell === 2 && o + 5 < rowEnd) {
				rgb[o + 3] = r;
				rgb[o + 4] = g;
				rgb[o + 5] = b;
			}
			o += 3 * cell;
		}
		for (let k = 1; k < cell && y0 + k < height; k++) rgb.copyWithin(rowStart + k * stride, rowStart, rowEnd);
	}
	return rgb;
}

/**
 * A result file's picture as packed RGB rows, deterministic for (size, seed, caption): the seeded
 * background with the caption band over its bottom (none without a caption).
 */
export function drawPicture(size: PixelSize, seed: string, caption?: Caption): Uint8Array {
	const rgb = drawBackground(size.width, size.height, seed);
	if (caption) blendOverlay(rgb, size.width, renderCaption(size.width, size.height, caption));
	return rgb;
}
