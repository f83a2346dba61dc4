// H.264 bitstream for the MP4 result files: one Constrained Baseline (CAVLC) stream at 24 fps.
// The IDR picture is a mosaic: I_PCM macroblocks along the top row and the left column (every
// fourth macroblock) carry seeded colours, every other macroblock is I_16x16 DC prediction with
// no residual, so the colours blend across the frame. All later pictures are P slices made of
// P_Skip only. Frame cropping in the SPS gives any even width and height.
import { seedBytes, seededPalette } from './picture.ts';

// ---------------------------------------------------------------------------------------------
// Bit writer and NAL units
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

// ---------------------------------------------------------------------------------------------
// Stream parameters (SPS, PPS)
// ---------------------------------------------------------------------------------------------

export const FPS = 24;
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

export function pickLevel(mbWidth: number, mbHeight: number): number {
	const frame = mbWidth * mbHeight;
	for (const [idc, maxFs, maxMbps] of H264_LEVELS) {
		const side = Math.sqrt(8 * maxFs);
		if (frame <= maxFs && frame * FPS <= maxMbps && mbWidth <= side && mbHeight <= side) return idc;
	}
	return 62;
}

export const PROFILE_BASELINE = 66;
export const CONSTRAINT_FLAGS = 0xc0; // constraint_set0 + constraint_set1: Constrained Baseline

export function writeSps(width: number, height: number, mbWidth: number, mbHeight: number, level: number): Uint8Array {
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

export function writePps(): Uint8Array {
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

// ---------------------------------------------------------------------------------------------
// Slices
// ---------------------------------------------------------------------------------------------

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

export function writeIdrSlice(mbWidth: number, mbHeight: number, seed: string): Uint8Array {
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

export function writeSkipSlice(mbCount: number, frameNum: number): Uint8Array {
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
