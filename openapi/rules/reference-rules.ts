// The contract's rules that JSON Schema cannot state: which reference combinations each video
// model accepts, how many asset images an edit takes, the size limits on reference images
// (imini-api.md, video models table; openapi/imini.yaml repeats them in each model's
// description). They live with the contract because two parties read them: the n8n node checks
// them before submitting (no credit spent on a sure 400) and the offline imini answers a breach
// with the 400 the API gives. No imports and no Node globals: Node runs this file as is for the
// mock (this folder's package.json has no "type", so Node reads its syntax), and tsc compiles
// it to CommonJS for the node.

type Ref = { reference_type?: string; refer_type?: string; url?: string };
type VideoBody = {
	model: string;
	reference_images?: Ref[];
	reference_videos?: Ref[];
	reference_audios?: Ref[];
};

const SEEDANCE_MAX_IMAGE_BYTES = 30 * 1024 * 1024;
/** Seedance: reference images of 300–6000 px per side. */
const SEEDANCE_IMAGE_PX = { min: 300, max: 6000 } as const;
/** HappyHorse video edit: "exactly 1 video + 0–5 asset images" (imini's model guide). */
export const HAPPYHORSE_EDIT_IMAGES_MAX = 5;

function types(refs: Ref[] | undefined): string[] {
	return (refs ?? []).map((ref) => ref.reference_type ?? '');
}

function klingFrames(images: string[]): string | null {
	if (images.length === 0) return null;
	if (images.every((t) => t === 'asset')) return null;
	if (images.length === 1 && images[0] === 'first_frame') return null;
	if (images.length === 2 && images.includes('first_frame') && images.includes('last_frame')) return null;
	if (images.includes('last_frame') && !images.includes('first_frame')) return 'a last_frame reference needs a first_frame reference';
	return 'reference_images must be one first_frame, a first_frame and a last_frame, or only asset images';
}

function dataUrlBytes(url: string | undefined): number {
	const comma = url?.startsWith('data:') ? url.indexOf(',') : -1;
	return comma < 0 ? 0 : Math.floor(((url as string).length - comma - 1) * 0.75);
}

// ---- the pixel size of a data-URL image, read from its header (PNG, JPEG, GIF, WebP) --------
// A data URL is the one kind of reference whose size can be known without downloading it; the
// size of a public URL's image is not checked (imini fetches it; we cannot here).

export type ImageSize = { width: number; height: number };

const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** A JPEG's size marker can sit after an embedded EXIF thumbnail: look this far, no further. */
const MAX_HEADER_BYTES = 512 * 1024;

function decodeBase64Prefix(text: string, maxBytes: number): Uint8Array {
	const clean = text.slice(0, Math.ceil((maxBytes * 4) / 3) + 4).replace(/[^A-Za-z0-9+/]/g, '');
	const out = new Uint8Array(Math.floor((clean.length * 3) / 4));
	let bits = 0;
	let value = 0;
	let o = 0;
	for (let i = 0; i < clean.length; i++) {
		value = (value << 6) | BASE64.indexOf(clean[i]);
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			out[o++] = (value >> bits) & 0xff;
		}
	}
	return out.subarray(0, o);
}

const u16be = (b: Uint8Array, o: number) => (b[o] << 8) | b[o + 1];
const u16le = (b: Uint8Array, o: number) => b[o] | (b[o + 1] << 8);
const u24le = (b: Uint8Array, o: number) => b[o] | (b[o + 1] << 8) | (b[o + 2] << 16);
const u32be = (b: Uint8Array, o: number) => ((b[o] << 24) >>> 0) + (b[o + 1] << 16) + (b[o + 2] << 8) + b[o + 3];
const ascii = (b: Uint8Array, o: number, n: number) => String.fromCharCode(...b.subarray(o, o + n));

function jpegSize(b: Uint8Array): ImageSize | null {
	let o = 2;
	while (o + 9 < b.length) {
		if (b[o] !== 0xff) return null;
		const marker = b[o + 1];
		if (marker === 0xff) {
			o++;
			continue;
		}
		// SOF0–SOF15 carry the frame size, except DHT (C4), JPG (C8) and DAC (CC).
		if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
			return { height: u16be(b, o + 5), width: u16be(b, o + 7) };
		}
		o += 2 + u16be(b, o + 2);
	}
	return null;
}

function webpSize(b: Uint8Array): ImageSize | null {
	const chunk = ascii(b, 12, 4);
	if (chunk === 'VP8X') return { width: u24le(b, 24) + 1, height: u24le(b, 27) + 1 };
	if (chunk === 'VP8 ') return { width: u16le(b, 26) & 0x3fff, height: u16le(b, 28) & 0x3fff };
	if (chunk === 'VP8L') {
		const bits = b[21] | (b[22] << 8) | (b[23] << 16) | (b[24] << 24);
		return { width: (bits & 0x3fff) + 1, height: ((bits >> 14) & 0x3fff) + 1 };
	}
	return null;
}

/** The size of a data-URL image, or null when the URL is not a data URL or its header is unreadable. */
export function dataUrlImageSize(url: string | undefined): ImageSize | null {
	if (!url || !url.startsWith('data:')) return null;
	const comma = url.indexOf(',');
	if (comma < 0 || !url.slice(0, comma).endsWith(';base64')) return null;
	const b = decodeBase64Prefix(url.slice(comma + 1), MAX_HEADER_BYTES);
	if (b.length < 30) return null;
	if (b[0] === 0x89 && ascii(b, 1, 3) === 'PNG' && ascii(b, 12, 4) === 'IHDR') return { width: u32be(b, 16), height: u32be(b, 20) };
	if (b[0] === 0xff && b[1] === 0xd8) return jpegSize(b);
	if (ascii(b, 0, 3) === 'GIF') return { width: u16le(b, 6), height: u16le(b, 8) };
	if (ascii(b, 0, 4) === 'RIFF' && ascii(b, 8, 4) === 'WEBP') return webpSize(b);
	return null;
}


export function checkVideoReferences(body: VideoBody): string | null {
	const images = types(body.reference_images);
	const videos = body.reference_videos ?? [];
	switch (body.model) {
		case 'kling/kling-v3':
			return klingFrames(images);
		case 'kling/kling-v3-omni':
			if (videos.some((v) => v.refer_type === 'base') && images.some((t) => t !== 'asset')) {
				return 'when editing a video (refer_type base) only asset images are allowed';
			}
			return klingFrames(images);
		case 'doubao/seedance-2.0':
		case 'doubao/seedance-2.0-fast':
			if ((body.reference_audios ?? []).length > 0 && images.length === 0 && videos.length === 0) {
				return 'reference_audios cannot be used alone: add a reference image or video';
			}
			if ((body.reference_images ?? []).some((ref) => dataUrlBytes(ref.url) > SEEDANCE_MAX_IMAGE_BYTES)) {
				return 'each reference image must be at most 30 MB';
			}
			for (const [i, ref] of (body.reference_images ?? []).entries()) {
				const size = dataUrlImageSize(ref.url);
				if (size && (Math.min(size.width, size.height) < SEEDANCE_IMAGE_PX.min || Math.max(size.width, size.height) > SEEDANCE_IMAGE_PX.max)) {
					return `reference_images.${i} is ${size.width}×${size.height} px: each side must be ${SEEDANCE_IMAGE_PX.min}–${SEEDANCE_IMAGE_PX.max} px`;
				}
			}
			return null;
		case 'dashscope/happyhorse-1.0':
			if (videos.length > 0) {
				if (!images.every((t) => t === 'asset')) return 'when editing a video only asset images are allowed';
				if (images.length > HAPPYHORSE_EDIT_IMAGES_MAX) {
					return `when editing a video at most ${HAPPYHORSE_EDIT_IMAGES_MAX} asset images are allowed`;
				}
				return null;
			}
			if (images.length === 0 || images.every((t) => t === 'asset')) return null;
			if (images.length === 1 && images[0] === 'first_frame') return null;
			return 'reference_images must be one first_frame or only asset images';
		default:
			return null;
	}
}
