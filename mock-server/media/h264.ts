// H.264 bitstream for the MP4 result files: one Constrained Baseline (CAVLC) stream at 24 fps.
// The IDR picture carries every macroblock as raw samples (I_PCM); later pictures repeat it
// (P_Skip) except the macroblocks that change, sent as I_PCM again. Frame cropping in the SPS
// gives any even width and height.
//
// Hand-written because no maintained encoder fits: Node has no WebCodecs (so Mediabunny, which
// muxes our stream, cannot encode), ffmpeg.wasm does not run in Node, and the wasm encoder
// packages on npm (h264-mp4-encoder) are unmaintained since 2020. The mock needs no real
// compression, only a valid stream of an exact size and length that any player decodes, and
// that takes SPS, PPS and two slice types: the few hundred lines below.

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

const PROFILE_BASELINE = 66;
const CONSTRAINT_FLAGS = 0xc0; // constraint_set0 + constraint_set1: Constrained Baseline

/** The RFC 6381 codec string of the stream (`avc1.PPCCLL`), e.g. avc1.42c01f. */
export function codecString(level: number): string {
	return `avc1.${[PROFILE_BASELINE, CONSTRAINT_FLAGS, level].map((b) => b.toString(16).padStart(2, '0')).join('')}`;
}

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

/** Bytes of one I_PCM macroblock: 256 luma, then 64 Cb and 64 Cr samples (4:2:0). */
export const PCM_MACROBLOCK_BYTES = 384;

function writePcmMacroblock(w: BitWriter, mbType: number, samples: Uint8Array): void {
	w.ue(mbType);
	while (!w.aligned()) w.u(1, 0); // pcm_alignment_zero_bit
	w.bytes(samples);
}

/**
 * The IDR picture: every macroblock I_PCM (raw samples, `pcm` holds PCM_MACROBLOCK_BYTES per
 * macroblock in raster order), so the first frame is exactly the picture, caption included.
 */
export function writeIdrSlice(mbCount: number, pcm: Uint8Array): Uint8Array {
	const w = bitWriter(mbCount * (PCM_MACROBLOCK_BYTES + 2) + 64);
	// slice_header()
	w.ue(0); // first_mb_in_slice
	w.ue(7); // slice_type: I (all slices of the picture)
	w.ue(0); // pic_parameter_set_id
	w.u(LOG2_MAX_FRAME_NUM, 0); // frame_num
	w.ue(0); // idr_pic_id
	w.u(1, 0); // no_output_of_prior_pics_flag
	w.u(1, 0); // long_term_reference_flag
	w.se(0); // slice_qp_delta
	w.ue(1); // disable_deblocking_filter_idc: off (raw samples stay exact)
	// slice_data(): mb_type I_PCM (25 in an I slice) for every macroblock
	for (let mb = 0; mb < mbCount; mb++) {
		writePcmMacroblock(w, 25, pcm.subarray(mb * PCM_MACROBLOCK_BYTES, (mb + 1) * PCM_MACROBLOCK_BYTES));
	}
	w.trailing();
	return nalUnit(3, 5, w.finish());
}

/**
 * A P picture that repeats the previous one (P_Skip) except the listed macroblocks, which are
 * sent as I_PCM: how the moving parts of a frame change without a motion search or residuals.
 */
export function writePSlice(
	mbCount: number,
	frameNum: number,
	changed: Array<{ address: number; samples: Uint8Array }>,
): Uint8Array {
	const w = bitWriter(changed.length * (PCM_MACROBLOCK_BYTES + 8) + 32);
	w.ue(0); // first_mb_in_slice
	w.ue(5); // slice_type: P (all slices of the picture)
	w.ue(0); // pic_parameter_set_id
	w.u(LOG2_MAX_FRAME_NUM, frameNum % (1 << LOG2_MAX_FRAME_NUM)); // frame_num
	w.u(1, 0); // num_ref_idx_active_override_flag
	w.u(1, 0); // ref_pic_list_modification_flag_l0
	w.u(1, 0); // adaptive_ref_pic_marking_mode_flag
	w.se(0); // slice_qp_delta
	w.ue(1); // disable_deblocking_filter_idc
	let next = 0;
	for (const { address, samples } of [...changed].sort((a, b) => a.address - b.address)) {
		w.ue(address - next); // mb_skip_run before this macroblock
		writePcmMacroblock(w, 5 + 25, samples); // I_PCM in a P slice: intra types are offset by 5
		next = address + 1;
	}
	if (next < mbCount) w.ue(mbCount - next); // the rest of the picture is P_Skip
	w.trailing();
	return nalUnit(2, 1, w.finish());
}
