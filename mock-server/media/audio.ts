// The sound of a video whose request asked for audio: a seeded two-note chime that repeats once
// a second, encoded to MP3 by LAME (Mediabunny's MP3 encoder extension, WebAssembly) for the
// MP4's audio track. MP3 rather than AAC because no maintained AAC encoder runs in Node without
// WebCodecs; MP3 in MP4 (object type 0x6B) is what every demuxer and decoder reads.
import { AudioSample, AudioSampleSource } from 'mediabunny';
import type { Output } from 'mediabunny';

const SAMPLE_RATE = 44_100;
const BITRATE = 64_000;
/**
 * LAME's priming delay and last-frame padding make an MP3 track about two frames (2 x 1152
 * samples) longer than its PCM: that much less sound keeps the file exactly as long as its video.
 */
const ENCODER_PADDING = 2 * 1152;
/** Five notes of a pentatonic scale (Hz): the seed picks two, so videos sound different. */
const NOTES = [523.25, 587.33, 659.25, 783.99, 880];

let encoderRegistered: Promise<void> | undefined;

/**
 * The extension is ESM-only and registers with the ESM Mediabunny: the simulator renders in a
 * worker thread under Node's own loader, where there is one Mediabunny. (A CommonJS test runner
 * that calls renderMp4 directly loads a second, CommonJS copy, which has no MP3 encoder: such
 * tests render sound through render/render-pool.ts, as the simulator does.)
 */
function registerEncoder(): Promise<void> {
	encoderRegistered ??= import('@mediabunny/mp3-encoder').then(({ registerMp3Encoder }) => registerMp3Encoder());
	return encoderRegistered;
}

function seededNotes(seed: string): [number, number] {
	let hash = 2166136261;
	for (let i = 0; i < seed.length; i++) hash = Math.imul(hash ^ seed.charCodeAt(i), 16777619) >>> 0;
	return [NOTES[hash % NOTES.length], NOTES[(hash >>> 8) % NOTES.length] / 2];
}

/** PCM samples (mono, -1..1) of durationSeconds: each second, a note, a shorter lower one, a rest. */
export function chime(durationSeconds: number, seed: string): Float32Array {
	const [high, low] = seededNotes(seed);
	const samples = new Float32Array(Math.max(0, Math.round(durationSeconds * SAMPLE_RATE) - ENCODER_PADDING));
	for (let i = 0; i < samples.length; i++) {
		const t = (i % SAMPLE_RATE) / SAMPLE_RATE;
		const [frequency, start, length] = t < 0.5 ? [high, 0, 0.45] : [low, 0.5, 0.3];
		const local = t - start;
		if (local > length) continue;
		const envelope = Math.min(1, local / 0.01) * (1 - local / length);
		samples[i] = 0.4 * envelope * Math.sin(2 * Math.PI * frequency * (i / SAMPLE_RATE));
	}
	return samples;
}

/** Adds the audio track to an Output that has not started yet; call the returned function once it has. */
export async function addAudioTrack(output: Output, durationSeconds: number, seed: string): Promise<() => Promise<void>> {
	await registerEncoder();
	const source = new AudioSampleSource({ codec: 'mp3', bitrate: BITRATE });
	output.addAudioTrack(source);
	return async () => {
		const sample = new AudioSample({ data: chime(durationSeconds, seed), format: 'f32', numberOfChannels: 1, sampleRate: SAMPLE_RATE, timestamp: 0 });
		await source.add(sample);
		sample.close();
		source.close();
	};
}
