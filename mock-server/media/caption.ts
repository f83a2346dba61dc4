// The caption every result file carries, so ten outputs of a batch can be told apart: the prompt
// (wrapped, cut with an ellipsis when long), then the model, the pixel size and the task id, on a
// dark band across the bottom of the picture. Text is laid out and drawn by Skia
// (@napi-rs/canvas, a prebuilt binary shipped in a registry package) with the DejaVu fonts of
// `dejavu-fonts-ttf`, loaded from the package: no system font, nothing fetched at run time.
import { readFileSync } from 'node:fs';
import { createCanvas, GlobalFonts } from '@napi-rs/canvas';
import type { SKRSContext2D } from '@napi-rs/canvas';
import { resolveFromPackage } from '../core/package-files.ts';

/** What a result file says about the task that made it. */
export type Caption = {
	prompt: string;
	model: string;
	taskId: string;
	/** Videos add their length to the details line. */
	durationSeconds?: number;
};

/** A rectangle of RGBA pixels (not premultiplied) to lay over the picture at row `top`. */
export type CaptionOverlay = { top: number; height: number; width: number; rgba: Uint8ClampedArray };

const PROMPT_FONT = 'imini mock sans';
const DETAILS_FONT = 'imini mock mono';
const MAX_PROMPT_LINES = 4;
const ELLIPSIS = '…';

let fontsLoaded = false;

function loadFonts(): void {
	if (fontsLoaded) return;
	// Registered under our own names, so a system font of the same family can never stand in.
	for (const [file, family] of [
		['DejaVuSans.ttf', PROMPT_FONT],
		['DejaVuSansMono.ttf', DETAILS_FONT],
	] as const) {
		const path = resolveFromPackage(`dejavu-fonts-ttf/ttf/${file}`);
		if (!GlobalFonts.register(readFileSync(path), family)) throw new Error(`Could not load the font ${path}.`);
	}
	fontsLoaded = true;
}

/**
 * Greedy word wrap to `maxWidth` (a word longer than a line is broken where it overflows); at most
 * `maxLines` lines, the last one ending in an ellipsis when text was left out.
 */
/** More than the longest caption holds at any size (a few lines of a few dozen characters). */
const MAX_CAPTION_CHARS = 1_000;

export function wrapText(text: string, maxWidth: number, maxLines: number, measure: (text: string) => number): string[] {
	// A caption shows a few lines at most, so only the start of a long prompt (imini takes up to
	// 32,000 characters) is ever measured. Counted in code points, so an emoji is never cut in two.
	const shown = Array.from(text.replace(/\s+/g, ' ').trim());
	const words = shown.slice(0, MAX_CAPTION_CHARS).join('').split(' ').filter(Boolean);
	if (shown.length > MAX_CAPTION_CHARS) words.push('…');
	const lines: string[] = [];
	let line = '';
	const fits = (candidate: string) => measure(candidate) <= maxWidth;
	let cut = false;
	for (let i = 0; i < words.length && !cut; i++) {
		let word = words[i];
		while (word) {
			const candidate = line ? `${line} ${word}` : word;
			if (fits(candidate)) {
				line = candidate;
				word = '';
			} else if (line) {
				lines.push(line);
				line = '';
			} else {
				// One word wider than the line: break it at the last character that fits (binary
				// search: a word can be thousands of characters long).
				const chars = Array.from(word);
				let end = 1;
				let tooLong = chars.length - 1;
				while (end < tooLong) {
					const mid = (end + tooLong + 1) >> 1;
					if (fits(chars.slice(0, mid).join(''))) end = mid;
					else tooLong = mid - 1;
				}
				lines.push(chars.slice(0, end).join(''));
				word = chars.slice(end).join('');
			}
			if (lines.length === maxLines) {
				cut = true;
				break;
			}
		}
	}
	if (!cut) {
		if (line) lines.push(line);
		return lines;
	}
	// Text was left out: end the last line with an ellipsis that fits.
	let last = lines[maxLines - 1];
	while (last && !fits(`${last}${ELLIPSIS}`)) last = Array.from(last).slice(0, -1).join('');
	lines[maxLines - 1] = `${last.trimEnd()}${ELLIPSIS}`;
	return lines;
}

/** The details line(s) under the prompt: model, pixel size (and length), task id. */
function detailLines(caption: Caption, width: number, height: number): string[] {
	const size = `${width}×${height}${caption.durationSeconds ? ` · ${caption.durationSeconds} s` : ''}`;
	return [`${caption.model} · ${size}`, caption.taskId];
}

/**
 * The caption band for a picture of width x height: text sized to the picture (the same layout
 * at every resolution tier), at most about half of the picture's height.
 */
export function renderCaption(width: number, height: number, caption: Caption): CaptionOverlay {
	loadFonts();
	const promptPx = Math.max(9, Math.round(Math.min(width / 26, height / 8)));
	const detailsPx = Math.max(8, Math.round(promptPx * 0.62));
	const pad = Math.round(promptPx * 0.6);
	const promptLeading = Math.round(promptPx * 1.22);
	const detailsLeading = Math.round(detailsPx * 1.3);
	const textWidth = Math.max(1, width - 2 * pad);

	const measureCtx = createCanvas(1, 1).getContext('2d');
	measureCtx.font = `${detailsPx}px "${DETAILS_FONT}"`;
	const details = detailLines(caption, width, height).flatMap((line) =>
		wrapText(line, textWidth, 1, (t) => measureCtx.measureText(t).width),
	);
	const detailsHeight = details.length * detailsLeading;
	const roomForPrompt = Math.floor((height * 0.55 - 2 * pad - detailsHeight - promptPx * 0.3) / promptLeading);
	const promptLines = Math.max(1, Math.min(MAX_PROMPT_LINES, roomForPrompt));
	measureCtx.font = `${promptPx}px "${PROMPT_FONT}"`;
	const prompt = wrapText(caption.prompt || '(no prompt)', textWidth, promptLines, (t) => measureCtx.measureText(t).width);

	const bandHeight = Math.min(height, 2 * pad + prompt.length * promptLeading + Math.round(promptPx * 0.3) + detailsHeight);
	const canvas = createCanvas(width, bandHeight);
	const ctx: SKRSContext2D = canvas.getContext('2d');
	ctx.fillStyle = 'rgba(8, 10, 16, 0.62)';
	ctx.fillRect(0, 0, width, bandHeight);
	ctx.textBaseline = 'alphabetic';
	ctx.fillStyle = '#ffffff';
	ctx.font = `${promptPx}px "${PROMPT_FONT}"`;
	let y = pad;
	for (const line of prompt) {
		y += promptLeading;
		ctx.fillText(line, pad, y - Math.round(promptLeading - promptPx) - Math.round(promptPx * 0.05));
	}
	y += Math.round(promptPx * 0.3);
	ctx.fillStyle = '#ffd66b';
	ctx.font = `${detailsPx}px "${DETAILS_FONT}"`;
	for (const line of details) {
		y += detailsLeading;
		ctx.fillText(line, pad, y - Math.round(detailsLeading - detailsPx) - Math.round(detailsPx * 0.05));
	}
	const rgba = ctx.getImageData(0, 0, width, bandHeight).data;
	return { top: height - bandHeight, height: bandHeight, width, rgba };
}

/** Lays the overlay over packed RGB rows (source-over, the overlay's alpha per pixel). */
export function blendOverlay(rgb: Uint8Array, width: number, overlay: CaptionOverlay): void {
	const { rgba, top, height } = overlay;
	let o = top * width * 3;
	const end = width * height * 4;
	for (let i = 0; i < end; i += 4, o += 3) {
		const a = rgba[i + 3];
		if (a === 0) continue;
		const keep = 255 - a;
		rgb[o] = (rgb[o] * keep + rgba[i] * a + 127) / 255;
		rgb[o + 1] = (rgb[o + 1] * keep + rgba[i + 1] * a + 127) / 255;
		rgb[o + 2] = (rgb[o + 2] * keep + rgba[i + 2] * a + 127) / 255;
	}
}
