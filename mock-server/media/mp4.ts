// MP4 result files: one H.264 video track, and an MP3 audio track when the request asked for
// sound, muxed by Mediabunny (ftyp + moov + mdat, moov first), plus the reader that tests use to check them (synchronous, for tests that read many files;
// Mediabunny's own reader is asynchronous).
import { BufferTarget, EncodedPacket, EncodedVideoPacketSource, Mp4OutputFormat, Output } from 'mediabunny';
import type { Caption } from './picture.ts';
import { addAudioTrack } from './audio.ts';
import { checkSize } from './sizes.ts';
import type { PixelSize } from './sizes.ts';
import { videoFrames } from './video-frames.ts';

const START_CODE = Buffer.from([0, 0, 0, 1]);

/**
 * A real MP4 (H.264, 24 fps) of exactly size.width x size.height (both even) lasting
 * durationSeconds, muxed by Mediabunny: the picture with its caption, and a progress bar that
 * fills over the video's length.
 */
export async function renderMp4(
	size: PixelSize,
	durationSeconds: number,
	seed: string,
	caption: Caption,
	options: { audio?: boolean } = {},
): Promise<Buffer> {
	checkSize(size, 'renderMp4', true);
	if (!(durationSeconds > 0) || !Number.isFinite(durationSeconds) || durationSeconds > 24 * 3600) {
		throw new RangeError(`renderMp4: invalid duration ${durationSeconds} s.`);
	}
	const target = new BufferTarget();
	const output = new Output({ format: new Mp4OutputFormat({ fastStart: 'in-memory' }), target });
	const track = new EncodedVideoPacketSource('avc');
	output.addVideoTrack(track);
	const writeAudio = options.audio ? await addAudioTrack(output, durationSeconds, seed) : null;
	await output.start();
	const { codec, frames } = videoFrames(size, durationSeconds, seed, caption);
	for (const frame of frames) {
		// Annex B (start codes): Mediabunny reads the SPS and PPS off the key frame and writes the
		// decoder configuration (avcC) from them.
		const data = Buffer.concat(frame.nalUnits.flatMap((nal) => [START_CODE, nal]));
		const packet = new EncodedPacket(data, frame.key ? 'key' : 'delta', frame.timestamp, frame.duration);
		await track.add(packet, frame.key ? { decoderConfig: { codec, codedWidth: size.width, codedHeight: size.height } } : undefined);
	}
	track.close();
	await writeAudio?.();
	await output.finalize();
	if (!target.buffer) throw new Error('renderMp4: the muxer produced no file.');
	return pinCreationTimes(Buffer.from(target.buffer));
}

/**
 * Mediabunny stamps the muxing time into mvhd, tkhd and mdhd; set those stamps to 0 ("not
 * known", ISO/IEC 14496-12) so that a seeded mock serves the same bytes on every run.
 */
function pinCreationTimes(file: Buffer): Buffer {
	const walk = (start: number, end: number) => {
		for (const box of childBoxes(file, start, end)) {
			if (box.type === 'moov' || box.type === 'trak' || box.type === 'mdia') walk(box.start, box.end);
			if (box.type === 'mvhd' || box.type === 'tkhd' || box.type === 'mdhd') {
				const wide = file[box.start] === 1 ? 8 : 4;
				file.fill(0, box.start + 4, box.start + 4 + 2 * wide);
			}
		}
	};
	walk(0, file.length);
	return file;
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
