// Pixel sizes of the offline imini's result files: the imini resolution tiers and aspect ratios
// mapped to width x height, and the limits every renderer checks before it draws.

export type PixelSize = { width: number; height: number };

function parseAspect(aspectRatio: string, fallback: [number, number]): [number, number] {
	const text = String(aspectRatio).trim().toLowerCase();
	if (text === 'auto' || text === 'adaptive' || text === '') return fallback;
	const match = /^(\d+(?:\.\d+)?)\s*[:x/]\s*(\d+(?:\.\d+)?)$/.exec(text);
	const a = match ? Number(match[1]) : NaN;
	const b = match ? Number(match[2]) : NaN;
	if (!(a > 0) || !(b > 0) || !Number.isFinite(a) || !Number.isFinite(b)) {
		throw new RangeError(`Unsupported aspect ratio "${aspectRatio}" (expected "W:H", e.g. "16:9").`);
	}
	return [a, b];
}

const IMAGE_TIERS: Record<string, number> = { '512': 512, '0.5k': 512, '1k': 1024, '2k': 2048, '4k': 4096 };
const VIDEO_TIERS: Record<string, number> = { '480p': 480, '720p': 720, '1080p': 1080 };

/**
 * Image size for an aspect ratio and an imini resolution tier ("512" | "1K" | "2K" | "4K"):
 * the long side equals the tier, the short side is rounded to the nearest multiple of 8.
 */
export function imageSize(aspectRatio: string, resolution: string): PixelSize {
	const long = IMAGE_TIERS[String(resolution).trim().toLowerCase()];
	if (!long) throw new RangeError(`Unsupported image resolution "${resolution}" (512, 1K, 2K or 4K).`);
	const [a, b] = parseAspect(aspectRatio, [1, 1]);
	const major = Math.max(a, b);
	const minor = Math.min(a, b);
	const short = Math.max(8, Math.round((long * minor) / major / 8) * 8);
	return a >= b ? { width: long, height: short } : { width: short, height: long };
}

/**
 * Video size for an aspect ratio ("adaptive" counts as 16:9) and a tier ("480P" | "720P" |
 * "1080P"): the short side equals the tier, the long side is rounded to the nearest even number.
 */
export function videoSize(aspectRatio: string, resolution: string): PixelSize {
	const short = VIDEO_TIERS[String(resolution).trim().toLowerCase()];
	if (!short) throw new RangeError(`Unsupported video resolution "${resolution}" (480P, 720P or 1080P).`);
	const [a, b] = parseAspect(aspectRatio, [16, 9]);
	const major = Math.max(a, b);
	const minor = Math.min(a, b);
	const long = Math.max(2, Math.round((short * major) / minor / 2) * 2);
	return a >= b ? { width: long, height: short } : { width: short, height: long };
}

/** Throws a RangeError unless the size is drawable (`even`: both sides even, for H.264 4:2:0). */
export function checkSize(size: PixelSize, what: string, even: boolean): void {
	const { width, height } = size;
	const ok = (n: number) => Number.isInteger(n) && n > 0 && n <= 16384 && (!even || n % 2 === 0);
	if (!ok(width) || !ok(height) || width * height > 8192 * 8192) {
		throw new RangeError(
			`${what}: invalid size ${width}x${height} (positive integers up to 16384${even ? ', even' : ''}, at most 8192x8192 pixels).`,
		);
	}
}
