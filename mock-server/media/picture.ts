// Seeded colours, shared by the PNG picture and the first (IDR) frame of the MP4: seed bytes
// (salted per kind of file) and the three-colour palette drawn from them.
import { createHash } from 'node:crypto';

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
