// MP4 (ISO BMFF) result files: ftyp + moov + mdat (faststart) around one H.264 video track,
// plus the reader that tests use to check them.
import { CONSTRAINT_FLAGS, FPS, PROFILE_BASELINE, pickLevel, writeIdrSlice, writePps, writeSkipSlice, writeSps } from './h264.ts';
import { checkSize } from './sizes.ts';
import type { PixelSize } from './sizes.ts';

// ---------------------------------------------------------------------------------------------
// Writing
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

// ---------------------------------------------------------------------------------------------
// Reading
// ---------------------------------------------------------------------------------------------

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
