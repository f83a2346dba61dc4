// Real result files for the offline imini: deterministic PNG pictures and small, decodable MP4
// (H.264) videos, made on demand from a seed, plus the parsers that tests use to check them.
//
// Self-contained on purpose: Node built-ins only (node:zlib, node:crypto), erasable TypeScript
// (runs under Node's type stripping as well as ts-jest), no external encoder.
//
// PNG: 8-bit RGB, a seeded three-colour gradient with wavy iso-lines, two diagonal ripples and
// a fine grain. Images whose long side is 1024 or more are drawn on a 2x2 pixel grid (every
// second row is an exact copy, filter Up = zeros), which halves the drawing and deflate work and
// keeps a 4096x4096 file at a few MB in a few hundred milliseconds.
//
// MP4: ftyp + moov + mdat (faststart), one H.264 Constrained Baseline (CAVLC) track at 24 fps.
// The IDR picture is a mosaic: I_PCM macroblocks along the top row and the left column (every
// fourth macroblock) carry seeded colours, every other macroblock is I_16x16 DC prediction with
// no residual, so the colours blend across the frame. All later pictures are P slices made of
// P_Skip only. Frame cropping in the SPS gives any even width and height.
import { createHash } from 'node:crypto';
import * as zlib from 'node:zlib';

export type PixelSize = { width: number; height: number };

// ---------------------------------------------------------------------------------------------
// Sizes
// ---------------------------------------------------------------------------------------------

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

function checkSize(size: PixelSize, what: string, even: boolean): void {
	const { width, height } = size;
	const ok = (n: number) => Number.isInteger(n) && n > 0 && n <= 16384 && (!even || n % 2 === 0);
	if (!ok(width) || !ok(height) || width * height > 8192 * 8192) {
		throw new RangeError(
			`${what}: invalid size ${width}x${height} (positive integers up to 16384${even ? ', even' : ''}, at most 8192x8192 pixels).`,
		);
	}
}

// ---------------------------------------------------------------------------------------------
// Seeded colours
// ---------------------------------------------------------------------------------------------

function seedBytes(seed: string, salt: string): Buffer {
	return createHash('sha256').update(salt).update('\0').update(String(seed)).digest();
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
function seededPalette(bytes: Buffer, lo: number, hi: number): Uint8Array {
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
// PNG
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

/** Fixed-point (16.16) sine table: round(amplitude * sin(2*pi*i/n) * 65536). */
function sineTable(n: number, amplitude: number, phase: number, scale: number): Int32Array {
	const table = new Int32Array(n);
	for (let i = 0; i < n; i++) table[i] = Math.round(amplitude * Math.sin((2 * Math.PI * i) / n + phase) * scale);
	return table;
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

// ---------------------------------------------------------------------------------------------
// H.264 bitstream
// ---------------------------------------------------------------------------------------------

type BitWriter = {
	/** Appends the low `n` bits of `value` (n <= 32), most significant first. */
	u(n: number, value: number): void;
	ue(value: number): void;
	se(value: number): void;
	/** Appends whole bytes (the writer must be byte aligned). */
	bytes(data: Uint8Array): void;
	aligned(): boolean;
	/** rbsp_trailing_bits(): a stop bit, then zeros to the byte boundary. */
	trailing(): void;
	finish(): Uint8Array;
};

function bitWriter(capacity: number): BitWriter {
	let buf = new Uint8Array(Math.max(16, capacity));
	let len = 0;
	let acc = 0; // pending bits, fewer than 8
	let pending = 0;
	const ensure = (extra: number) => {
		if (len + extra <= buf.length) return;
		const grown = new Uint8Array(Math.max(buf.length * 2, len + extra + 16));
		grown.set(buf.subarray(0, len));
		buf = grown;
	};
	const put = (n: number, value: number) => {
		// n <= 24, so acc never holds more than 31 bits.
		acc = (acc << n) | (value & ((1 << n) - 1));
		pending += n;
		ensure(4);
		while (pending >= 8) {
			pending -= 8;
			buf[len++] = (acc >>> pending) & 255;
		}
		acc &= (1 << pending) - 1;
	};
	const w: BitWriter = {
		u(n, value) {
			if (n > 24) {
				put(n - 16, Math.floor(value / 65536));
				put(16, value & 0xffff);
			} else if (n > 0) put(n, value);
		},
		ue(value) {
			const x = value + 1;
			const bits = 32 - Math.clz32(x);
			w.u(bits - 1, 0);
			w.u(bits, x);
		},
		se(value) {
			w.ue(value <= 0 ? -2 * value : 2 * value - 1);
		},
		bytes(data) {
			if (pending !== 0) throw new Error('bitWriter: bytes() needs byte alignment.');
			ensure(data.length);
			buf.set(data, len);
			len += data.length;
		},
		aligned: () => pending === 0,
		trailing() {
			put(1, 1);
			if (pending) put(8 - pending, 0);
		},
		finish() {
			if (pending !== 0) throw new Error('bitWriter: finish() needs byte alignment.');
			return buf.subarray(0, len);
		},
	};
	return w;
}

/** A NAL unit (header byte + RBSP with emulation-prevention bytes), without start code. */
function nalUnit(refIdc: number, type: number, rbsp: Uint8Array): Uint8Array {
	const out = new Uint8Array(1 + rbsp.length + (rbsp.length >> 1) + 4);
	let o = 0;
	out[o++] = (refIdc << 5) | type;
	let zeros = 0;
	for (let i = 0; i < rbsp.length; i++) {
		const byte = rbsp[i];
		if (zeros >= 2 && byte <= 3) {
			out[o++] = 3;
			zeros = 0;
		}
		out[o++] = byte;
		zeros = byte === 0 ? zeros + 1 : 0;
	}
	return out.subarray(0, o);
}

const FPS = 24;
const LOG2_MAX_FRAME_NUM = 16;

// [level_idc, MaxFS (macroblocks per frame), MaxMBPS (macroblocks per second)]
const H264_LEVELS: Array<[number, number, number]> = [
	[10, 99, 1485],
	[11, 396, 3000],
	[12, 396, 6000],
	[13, 396, 11880],
	[20, 396, 11880],
	[21, 792, 19800],
	[22, 1620, 20250],
	[30, 1620, 40500],
	[31, 3600, 108000],
	[32, 5120, 216000],
	[40, 8192, 245760],
	[42, 8704, 522240],
	[50, 22080, 589824],
	[51, 36864, 983040],
	[52, 36864, 2073600],
	[60, 139264, 4177920],
	[61, 139264, 8355840],
	[62, 139264, 16711680],
];

function pickLevel(mbWidth: number, mbHeight: number): number {
	const frame = mbWidth * mbHeight;
	for (const [idc, maxFs, maxMbps] of H264_LEVELS) {
		const side = Math.sqrt(8 * maxFs);
		if (frame <= maxFs && frame * FPS <= maxMbps && mbWidth <= side && mbHeight <= side) return idc;
	}
	return 62;
}

const PROFILE_BASELINE = 66;
const CONSTRAINT_FLAGS = 0xc0; // constraint_set0 + constraint_set1: Constrained Baseline

function writeSps(width: number, height: number, mbWidth: number, mbHeight: number, level: number): Uint8Array {
	const w = bitWriter(64);
	w.u(8, PROFILE_BASELINE);
	w.u(8, CONSTRAINT_FLAGS);
	w.u(8, level);
	w.ue(0); // seq_parameter_set_id
	w.ue(LOG2_MAX_FRAME_NUM - 4); // log2_max_frame_num_minus4
	w.ue(2); // pic_order_cnt_type: output order = decoding order
	w.ue(1); // max_num_ref_frames
	w.u(1, 0); // gaps_in_frame_num_value_allowed_flag
	w.ue(mbWidth - 1); // pic_width_in_mbs_minus1
	w.ue(mbHeight - 1); // pic_height_in_map_units_minus1
	w.u(1, 1); // frame_mbs_only_flag
	w.u(1, 1); // direct_8x8_inference_flag
	const cropRight = (mbWidth * 16 - width) / 2; // CropUnitX = CropUnitY = 2 (4:2:0, frames)
	const cropBottom = (mbHeight * 16 - height) / 2;
	if (cropRight || cropBottom) {
		w.u(1, 1); // frame_cropping_flag
		w.ue(0);
		w.ue(cropRight);
		w.ue(0);
		w.ue(cropBottom);
	} else {
		w.u(1, 0);
	}
	w.u(1, 1); // vui_parameters_present_flag
	w.u(1, 0); // aspect_ratio_info_present_flag
	w.u(1, 0); // overscan_info_present_flag
	w.u(1, 0); // video_signal_type_present_flag
	w.u(1, 0); // chroma_loc_info_present_flag
	w.u(1, 1); // timing_info_present_flag
	w.u(32, 1); // num_units_in_tick
	w.u(32, 2 * FPS); // time_scale (two ticks per frame)
	w.u(1, 1); // fixed_frame_rate_flag
	w.u(1, 0); // nal_hrd_parameters_present_flag
	w.u(1, 0); // vcl_hrd_parameters_present_flag
	w.u(1, 0); // pic_struct_present_flag
	w.u(1, 1); // bitstream_restriction_flag
	w.u(1, 1); // motion_vectors_over_pic_boundaries_flag
	w.ue(2); // max_bytes_per_pic_denom
	w.ue(1); // max_bits_per_mb_denom
	w.ue(16); // log2_max_mv_length_horizontal
	w.ue(16); // log2_max_mv_length_vertical
	w.ue(0); // max_num_reorder_frames
	w.ue(1); // max_dec_frame_buffering
	w.trailing();
	return nalUnit(3, 7, w.finish());
}

function writePps(): Uint8Array {
	const w = bitWriter(16);
	w.ue(0); // pic_parameter_set_id
	w.ue(0); // seq_parameter_set_id
	w.u(1, 0); // entropy_coding_mode_flag: CAVLC
	w.u(1, 0); // bottom_field_pic_order_in_frame_present_flag
	w.ue(0); // num_slice_groups_minus1
	w.ue(0); // num_ref_idx_l0_default_active_minus1
	w.ue(0); // num_ref_idx_l1_default_active_minus1
	w.u(1, 0); // weighted_pred_flag
	w.u(2, 0); // weighted_bipred_idc
	w.se(0); // pic_init_qp_minus26
	w.se(0); // pic_init_qs_minus26
	w.se(0); // chroma_qp_index_offset
	w.u(1, 1); // deblocking_filter_control_present_flag
	w.u(1, 0); // constrained_intra_pred_flag
	w.u(1, 0); // redundant_pic_cnt_present_flag
	w.trailing();
	return nalUnit(3, 8, w.finish());
}

/** BT.601 limited-range Y'CbCr of an RGB colour, kept inside [16, 235] / [16, 240]. */
function toYuv(r: number, g: number, b: number): [number, number, number] {
	const clamp = (v: number, hi: number) => Math.min(hi, Math.max(16, Math.round(v)));
	return [
		clamp(16 + (65.481 * r + 128.553 * g + 24.966 * b) / 255, 235),
		clamp(128 + (-37.797 * r - 74.203 * g + 112.0 * b) / 255, 240),
		clamp(128 + (112.0 * r - 93.786 * g - 18.214 * b) / 255, 240),
	];
}

/** CAVLC coeff_token for TotalCoeff = 0, TrailingOnes = 0, by nC. */
function writeNoCoefficients(w: BitWriter, nC: number): void {
	if (nC < 2) w.u(1, 1);
	else if (nC < 4) w.u(2, 3);
	else if (nC < 8) w.u(4, 15);
	else w.u(6, 3);
}

function writeIdrSlice(mbWidth: number, mbHeight: number, seed: string): Uint8Array {
	const bytes = seedBytes(seed, 'imini-mp4');
	const pal = seededPalette(bytes, 0, 255);
	const isPcm = (x: number, y: number) => (y === 0 && x % 4 === 0) || (x === 0 && y % 4 === 0);
	const pcmCount = Math.ceil(mbWidth / 4) + Math.ceil(mbHeight / 4) - 1;
	const w = bitWriter(mbWidth * mbHeight + pcmCount * 400 + 64);
	// slice_header()
	w.ue(0); // first_mb_in_slice
	w.ue(7); // slice_type: I (all slices of the picture)
	w.ue(0); // pic_parameter_set_id
	w.u(LOG2_MAX_FRAME_NUM, 0); // frame_num
	w.ue(0); // idr_pic_id
	w.u(1, 0); // no_output_of_prior_pics_flag
	w.u(1, 0); // long_term_reference_flag
	w.se(0); // slice_qp_delta
	w.ue(1); // disable_deblocking_filter_idc: off (flat blocks stay exact)
	// slice_data()
	const pcm = new Uint8Array(384);
	for (let y = 0; y < mbHeight; y++) {
		for (let x = 0; x < mbWidth; x++) {
			if (isPcm(x, y)) {
				const t = Math.min(1, 0.55 * (mbWidth > 1 ? x / (mbWidth - 1) : 0) + 0.55 * (mbHeight > 1 ? y / (mbHeight - 1) : 0));
				const i = Math.round(t * 1023) * 3;
				const [Y, Cb, Cr] = toYuv(pal[i], pal[i + 1], pal[i + 2]);
				pcm.fill(Y, 0, 256);
				pcm.fill(Cb, 256, 320);
				pcm.fill(Cr, 320, 384);
				w.ue(25); // mb_type: I_PCM
				while (!w.aligned()) w.u(1, 0); // pcm_alignment_zero_bit
				w.bytes(pcm);
			} else {
				w.ue(3); // mb_type: I_16x16_2_0_0 (DC prediction, no coded luma AC / chroma)
				w.ue(0); // intra_chroma_pred_mode: DC
				w.se(0); // mb_qp_delta
				// Intra16x16DCLevel: no coefficients. nC from the neighbouring blocks: 16 for an
				// I_PCM macroblock, 0 for the others (no coded coefficients).
				const hasA = x > 0;
				const hasB = y > 0;
				const nA = hasA && isPcm(x - 1, y) ? 16 : 0;
				const nB = hasB && isPcm(x, y - 1) ? 16 : 0;
				writeNoCoefficients(w, hasA && hasB ? (nA + nB + 1) >> 1 : hasA ? nA : hasB ? nB : 0);
			}
		}
	}
	w.trailing();
	return nalUnit(3, 5, w.finish());
}

function writeSkipSlice(mbCount: number, frameNum: number): Uint8Array {
	const w = bitWriter(24);
	w.ue(0); // first_mb_in_slice
	w.ue(5); // slice_type: P (all slices of the picture)
	w.ue(0); // pic_parameter_set_id
	w.u(LOG2_MAX_FRAME_NUM, frameNum % (1 << LOG2_MAX_FRAME_NUM)); // frame_num
	w.u(1, 0); // num_ref_idx_active_override_flag
	w.u(1, 0); // ref_pic_list_modification_flag_l0
	w.u(1, 0); // adaptive_ref_pic_marking_mode_flag
	w.se(0); // slice_qp_delta
	w.ue(1); // disable_deblocking_filter_idc
	w.ue(mbCount); // mb_skip_run: the whole picture is P_Skip
	w.trailing();
	return nalUnit(2, 1, w.finish());
}

// ---------------------------------------------------------------------------------------------
// MP4 (ISO BMFF)
// ---------------------------------------------------------------------------------------------

function box(type: string, ...parts: Uint8Array[]): Buffer {
	let size = 8;
	for (const part of parts) size += part.length;
	const out = Buffer.allocUnsafe(size);
	out.writeUInt32BE(size, 0);
	out.write(type, 4, 'latin1');
	let o = 8;
	for (const part of parts) {
		out.set(part, o);
		o += part.length;
	}
	return out;
}

function fullBox(type: string, version: number, flags: number, ...parts: Uint8Array[]): Buffer {
	const head = Buffer.alloc(4);
	head.writeUInt32BE(((version << 24) | flags) >>> 0, 0);
	return box(type, head, ...parts);
}

function u32s(...values: number[]): Buffer {
	const out = Buffer.alloc(4 * values.length);
	values.forEach((v, i) => out.writeUInt32BE(v >>> 0, 4 * i));
	return out;
}

const UNITY_MATRIX = u32s(0x00010000, 0, 0, 0, 0x00010000, 0, 0, 0, 0x40000000);

/**
 * A small MP4 holding an H.264 stream of exactly size.width x size.height (both even) lasting
 * durationSeconds (24 fps; the last frame absorbs a fractional remainder).
 */
export function renderMp4(size: PixelSize, durationSeconds: number, seed: string): Buffer {
	checkSize(size, 'renderMp4', true);
	if (!(durationSeconds > 0) || !Number.isFinite(durationSeconds) || durationSeconds > 24 * 3600) {
		throw new RangeError(`renderMp4: invalid duration ${durationSeconds} s.`);
	}
	const { width, height } = size;
	const mbWidth = Math.ceil(width / 16);
	const mbHeight = Math.ceil(height / 16);
	const level = pickLevel(mbWidth, mbHeight);

	// Timing: media timescale FPS * 1000, one frame = 1000 ticks, the last one may be shorter.
	const timescale = FPS * 1000;
	const totalTicks = Math.max(1, Math.round(durationSeconds * timescale));
	const frames = Math.ceil(totalTicks / 1000);
	const lastDelta = totalTicks - (frames - 1) * 1000;
	const movieDuration = Math.max(1, Math.round((totalTicks / timescale) * 1000));

	// Samples: 4-byte length-prefixed NAL units.
	const sps = writeSps(width, height, mbWidth, mbHeight, level);
	const pps = writePps();
	const samples: Uint8Array[] = [writeIdrSlice(mbWidth, mbHeight, seed)];
	for (let i = 1; i < frames; i++) samples.push(writeSkipSlice(mbWidth * mbHeight, i));
	const sampleSizes = samples.map((s) => s.length + 4);
	const mdatSize = 8 + sampleSizes.reduce((a, b) => a + b, 0);

	const ftyp = box('ftyp', Buffer.from('isom', 'latin1'), u32s(0x200), Buffer.from('isomiso2avc1mp41', 'latin1'));

	const avcC = box(
		'avcC',
		Buffer.from([1, PROFILE_BASELINE, CONSTRAINT_FLAGS, level, 0xff, 0xe1, sps.length >> 8, sps.length & 255]),
		sps,
		Buffer.from([1, pps.length >> 8, pps.length & 255]),
		pps,
	);
	const visual = Buffer.alloc(78);
	visual.writeUInt16BE(1, 6); // data_reference_index
	visual.writeUInt16BE(width, 24);
	visual.writeUInt16BE(height, 26);
	visual.writeUInt32BE(0x00480000, 28); // 72 dpi
	visual.writeUInt32BE(0x00480000, 32);
	visual.writeUInt16BE(1, 40); // frame_count
	const name = 'imini mock H.264';
	visual[42] = name.length;
	visual.write(name, 43, 'latin1');
	visual.writeUInt16BE(0x0018, 74); // depth
	visual.writeInt16BE(-1, 76);
	const stsd = fullBox('stsd', 0, 0, u32s(1), box('avc1', visual, avcC));

	const sttsEntries = lastDelta === 1000 ? [frames, 1000] : frames > 1 ? [frames - 1, 1000, 1, lastDelta] : [1, lastDelta];
	const stts = fullBox('stts', 0, 0, u32s(sttsEntries.length / 2, ...sttsEntries));
	const stss = fullBox('stss', 0, 0, u32s(1, 1));
	const stsc = fullBox('stsc', 0, 0, u32s(1, 1, frames, 1));
	const stszBody = Buffer.allocUnsafe(8 + 4 * frames);
	stszBody.writeUInt32BE(0, 0);
	stszBody.writeUInt32BE(frames, 4);
	sampleSizes.forEach((s, i) => stszBody.writeUInt32BE(s, 8 + 4 * i));
	const stsz = fullBox('stsz', 0, 0, stszBody);

	const buildMoov = (chunkOffset: number) => {
		const stco = fullBox('stco', 0, 0, u32s(1, chunkOffset));
		const stbl = box('stbl', stsd, stts, stss, stsc, stsz, stco);
		const vmhd = fullBox('vmhd', 0, 1, Buffer.alloc(8));
		const dinf = box('dinf', fullBox('dref', 0, 0, u32s(1), fullBox('url ', 0, 1)));
		const minf = box('minf', vmhd, dinf, stbl);
		const mdhdBody = Buffer.alloc(20);
		mdhdBody.writeUInt32BE(timescale, 8);
		mdhdBody.writeUInt32BE(totalTicks, 12);
		mdhdBody.writeUInt16BE(0x55c4, 16); // language 'und'
		const mdhd = fullBox('mdhd', 0, 0, mdhdBody);
		const hdlr = fullBox('hdlr', 0, 0, u32s(0), Buffer.from('vide', 'latin1'), u32s(0, 0, 0), Buffer.from('VideoHandler\0', 'latin1'));
		const mdia = box('mdia', mdhd, hdlr, minf);
		const tkhd = fullBox(
			'tkhd',
			0,
			3, // enabled, in movie
			u32s(0, 0, 1, 0, movieDuration, 0, 0, 0, 0),
			UNITY_MATRIX,
			u32s(width * 65536, height * 65536),
		);
		const trak = box('trak', tkhd, mdia);
		const mvhd = fullBox(
			'mvhd',
			0,
			0,
			u32s(0, 0, 1000, movieDuration, 0x00010000),
			Buffer.from([1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]), // volume 1.0, reserved
			UNITY_MATRIX,
			u32s(0, 0, 0, 0, 0, 0, 2), // pre_defined, next_track_ID
		);
		return box('moov', mvhd, trak);
	};
	const moovSize = buildMoov(0).length;
	const moov = buildMoov(ftyp.length + moovSize + 8);

	const out = Buffer.allocUnsafe(ftyp.length + moov.length + mdatSize);
	let o = 0;
	out.set(ftyp, o);
	o += ftyp.length;
	out.set(moov, o);
	o += moov.length;
	out.writeUInt32BE(mdatSize, o);
	out.write('mdat', o + 4, 'latin1');
	o += 8;
	for (const sample of samples) {
		out.writeUInt32BE(sample.length, o);
		out.set(sample, o + 4);
		o += 4 + sample.length;
	}
	return out;
}

type Mp4Box = { type: string; start: number; end: number };

function childBoxes(file: Buffer, start: number, end: number): Mp4Box[] {
	const boxes: Mp4Box[] = [];
	let o = start;
	while (o + 8 <= end) {
		let size = file.readUInt32BE(o);
		const type = file.toString('latin1', o + 4, o + 8);
		let header = 8;
		if (size === 1) {
			if (o + 16 > end) throw new Error('Not an MP4 file: truncated box header.');
			size = Number(file.readBigUInt64BE(o + 8));
			header = 16;
		} else if (size === 0) {
			size = end - o;
		}
		if (!/^[\x20-\x7e]{4}$/.test(type) || size < header || o + size > end) {
			throw new Error(`Not an MP4 file: bad box at offset ${o}.`);
		}
		boxes.push({ type, start: o + header, end: o + size });
		o += size;
	}
	return boxes;
}

function findBox(file: Buffer, parent: Mp4Box, type: string): Mp4Box | undefined {
	return childBoxes(file, parent.start, parent.end).find((b) => b.type === type);
}

function readUint64(file: Buffer, offset: number): number {
	return Number(file.readBigUInt64BE(offset));
}

/**
 * Walks an MP4: width/height from the video track's tkhd (16.16 fixed point), duration from
 * mvhd, codec from the first stsd entry (e.g. 'avc1'). Throws if the file is not an MP4.
 */
export function readMp4Info(file: Buffer): PixelSize & { durationSeconds: number; codec: string } {
	if (!file || file.length < 16 || file.toString('latin1', 4, 8) !== 'ftyp') {
		throw new Error('Not an MP4 file: no ftyp box.');
	}
	const top = childBoxes(file, 0, file.length);
	const moov = top.find((b) => b.type === 'moov');
	if (!moov) throw new Error('Not an MP4 file: no moov box.');
	const mvhd = findBox(file, moov, 'mvhd');
	if (!mvhd) throw new Error('Not an MP4 file: no mvhd box.');
	const mvVersion = file[mvhd.start];
	const timescale = file.readUInt32BE(mvhd.start + (mvVersion === 1 ? 20 : 12));
	const duration = mvVersion === 1 ? readUint64(file, mvhd.start + 24) : file.readUInt32BE(mvhd.start + 16);
	if (!timescale) throw new Error('Not an MP4 file: mvhd timescale is zero.');

	const traks = childBoxes(file, moov.start, moov.end).filter((b) => b.type === 'trak');
	let fallback: (PixelSize & { codec: string }) | undefined;
	for (const trak of traks) {
		const tkhd = findBox(file, trak, 'tkhd');
		const mdia = findBox(file, trak, 'mdia');
		if (!tkhd || !mdia) continue;
		const sizeAt = tkhd.start + (file[tkhd.start] === 1 ? 88 : 76);
		const width = file.readUInt32BE(sizeAt) / 65536;
		const height = file.readUInt32BE(sizeAt + 4) / 65536;
		const hdlr = findBox(file, mdia, 'hdlr');
		const handler = hdlr ? file.toString('latin1', hdlr.start + 8, hdlr.start + 12) : '';
		const minf = findBox(file, mdia, 'minf');
		const stbl = minf && findBox(file, minf, 'stbl');
		const stsd = stbl && findBox(file, stbl, 'stsd');
		const entries = stsd ? childBoxes(file, stsd.start + 8, stsd.end) : [];
		const info = { width, height, codec: entries[0]?.type ?? '' };
		if (handler === 'vide') return { ...info, durationSeconds: duration / timescale };
		if (!fallback && width > 0 && height > 0) fallback = info;
	}
	if (!fallback) throw new Error('Not an MP4 file: no video track.');
	return { ...fallback, durationSeconds: duration / timescale };
}
