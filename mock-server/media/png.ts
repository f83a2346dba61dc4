// PNG result files (8-bit RGB), encoded and read by pngjs.
import pngjs from 'pngjs';
import { drawPicture } from './picture.ts';
import type { Caption } from './picture.ts';
import { checkSize } from './sizes.ts';
import type { PixelSize } from './sizes.ts';

// pngjs is CommonJS; Node's ESM loader and ts-jest hand it over differently.
const { PNG } = ((pngjs as unknown as { default?: typeof pngjs }).default ?? pngjs) as typeof pngjs;

const RGB = 2;

/** A PNG of RGB rows (3 bytes per pixel). */
export function encodePng(size: PixelSize, rgb: Uint8Array): Buffer {
	return PNG.sync.write({ width: size.width, height: size.height, data: Buffer.from(rgb.buffer, rgb.byteOffset, rgb.byteLength) } as InstanceType<typeof PNG>, {
		colorType: RGB,
		inputColorType: RGB,
		inputHasAlpha: false,
		bitDepth: 8,
		// Up: the picture's twin rows (2x2 grid) filter to zeros. Level 1 keeps a 4K file at a
		// few hundred milliseconds; a result file is compressed once and downloaded a few times.
		filterType: 2,
		deflateLevel: 1,
		deflateStrategy: 0,
	});
}

/**
 * A real PNG, deterministic for (size, seed, caption): the seeded picture with the caption that
 * names the prompt, model, size and task (a bare picture without one, e.g. a test's input photo).
 */
export function renderPng(size: PixelSize, seed: string, caption?: Caption): Buffer {
	checkSize(size, 'renderPng', false);
	return encodePng(size, drawPicture(size, seed, caption));
}

/** Width and height of a PNG, after decoding it whole (signature, chunk CRCs, image data). */
export function readPngSize(file: Buffer): PixelSize {
	let png: { width: number; height: number };
	try {
		png = PNG.sync.read(file);
	} catch (error) {
		throw new Error(`Not a PNG file: ${(error as Error).message}`);
	}
	if (png.width === 0 || png.height === 0) throw new Error('Not a PNG file: zero width or height.');
	return { width: png.width, height: png.height };
}
