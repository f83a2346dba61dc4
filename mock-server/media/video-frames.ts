// The frames of a result video: the first is the picture (the same as the video's cover PNG,
// caption included), and a progress bar along the bottom edge fills from left to right over the
// video's length, so a player visibly plays something. Frames are H.264 access units (NAL units
// without start codes); only the bar's macroblocks change from one frame to the next.
import { codecString, FPS, PCM_MACROBLOCK_BYTES, pickLevel, writeIdrSlice, writePps, writePSlice, writeSps } from './h264.ts';
import { drawPicture } from './picture.ts';
import type { Caption } from './picture.ts';
import type { PixelSize } from './sizes.ts';

export type VideoFrame = { nalUnits: Uint8Array[]; key: boolean; timestamp: number; duration: number };

const BAR_RGB: [number, number, number] = [255, 214, 107];

/**
 * I_PCM samples (BT.601 limited range, 4:2:0) of the macroblocks in rows [fromRow, toRow) of a
 * packed RGB picture; samples beyond the picture's edge repeat its last row and column.
 */
function pcmSamples(rgb: Uint8Array, size: PixelSize, mbWidth: number, fromRow: number, toRow: number): Uint8Array {
	const { width, height } = size;
	const out = new Uint8Array((toRow - fromRow) * mbWidth * PCM_MACROBLOCK_BYTES);
	const at = (x: number, y: number) => 3 * (Math.min(y, height - 1) * width + Math.min(x, width - 1));
	let o = 0;
	for (let mby = fromRow; mby < toRow; mby++) {
		for (let mbx = 0; mbx < mbWidth; mbx++) {
			const x0 = mbx * 16;
			const y0 = mby * 16;
			for (let y = 0; y < 16; y++) {
				for (let x = 0; x < 16; x++) {
					const p = at(x0 + x, y0 + y);
					out[o++] = (16 * 256 + 65.738 * rgb[p] + 129.057 * rgb[p + 1] + 25.064 * rgb[p + 2] + 128) >> 8;
				}
			}
			for (const [kr, kg, kb] of [
				[-37.945, -74.494, 112.439],
				[112.439, -94.154, -18.285],
			]) {
				for (let y = 0; y < 16; y += 2) {
					for (let x = 0; x < 16; x += 2) {
						let r = 0;
						let g = 0;
						let b = 0;
						for (const [dx, dy] of [[0, 0], [1, 0], [0, 1], [1, 1]]) {
							const p = at(x0 + x + dx, y0 + y + dy);
							r += rgb[p];
							g += rgb[p + 1];
							b += rgb[p + 2];
						}
						out[o++] = (128 * 256 + (kr * r + kg * g + kb * b) / 4 + 128) >> 8;
					}
				}
			}
		}
	}
	return out;
}

/**
 * Every frame of a video of `size` (both sides even) lasting `durationSeconds` at 24 fps, and the
 * stream's codec string.
 */
export function videoFrames(size: PixelSize, durationSeconds: number, seed: string, caption: Caption): { codec: string; frames: VideoFrame[] } {
	const { width, height } = size;
	const mbWidth = Math.ceil(width / 16);
	const mbHeight = Math.ceil(height / 16);
	const frameCount = Math.max(1, Math.ceil(durationSeconds * FPS - 1e-9));

	const picture = drawPicture(size, seed, caption);
	const barHeight = Math.min(height, Math.max(4, 2 * Math.round(height / 90)));
	const barTop = height - barHeight;
	const filled = picture.slice();
	for (let y = barTop; y < height; y++) {
		for (let x = 0, o = 3 * y * width; x < width; x++, o += 3) filled.set(BAR_RGB, o);
	}
	const barRow = Math.floor(barTop / 16);
	const base = pcmSamples(picture, size, mbWidth, 0, mbHeight);
	const full = pcmSamples(filled, size, mbWidth, barRow, mbHeight);

	/** A bar macroblock filled up to x = edge (even): filled samples left of it, the picture right. */
	const barMacroblock = (mbx: number, mby: number, edge: number): Uint8Array => {
		const address = mby * mbWidth + mbx;
		const from = base.subarray(address * PCM_MACROBLOCK_BYTES, (address + 1) * PCM_MACROBLOCK_BYTES);
		const fullAddress = (mby - barRow) * mbWidth + mbx;
		const to = full.subarray(fullAddress * PCM_MACROBLOCK_BYTES, (fullAddress + 1) * PCM_MACROBLOCK_BYTES);
		const samples = from.slice();
		const lumaCols = Math.max(0, Math.min(16, edge - mbx * 16));
		for (let y = 0; y < 16; y++) samples.set(to.subarray(16 * y, 16 * y + lumaCols), 16 * y);
		const chromaCols = lumaCols >> 1;
		for (let plane = 256; plane < PCM_MACROBLOCK_BYTES; plane += 64) {
			for (let y = 0; y < 8; y++) samples.set(to.subarray(plane + 8 * y, plane + 8 * y + chromaCols), plane + 8 * y);
		}
		return samples;
	};

	const level = pickLevel(mbWidth, mbHeight);
	const frames: VideoFrame[] = [];
	const frameTime = (i: number) => Math.min(durationSeconds, i / FPS);
	const edgeAt = (i: number) => (frameCount > 1 ? 2 * Math.round((width * i) / (frameCount - 1) / 2) : width);
	frames.push({
		nalUnits: [writeSps(width, height, mbWidth, mbHeight, level), writePps(), writeIdrSlice(mbWidth * mbHeight, base)],
		key: true,
		timestamp: 0,
		duration: frameTime(1),
	});
	for (let i = 1; i < frameCount; i++) {
		const before = edgeAt(i - 1);
		const edge = edgeAt(i);
		const changed: Array<{ address: number; samples: Uint8Array }> = [];
		for (let mbx = Math.floor(before / 16); mbx < Math.ceil(edge / 16); mbx++) {
			for (let mby = barRow; mby < mbHeight; mby++) {
				changed.push({ address: mby * mbWidth + mbx, samples: barMacroblock(mbx, mby, edge) });
			}
		}
		frames.push({
			nalUnits: [writePSlice(mbWidth * mbHeight, i, changed)],
			key: false,
			timestamp: frameTime(i),
			duration: frameTime(i + 1) - frameTime(i),
		});
	}
	return { codec: codecString(level), frames };
}
