// What one result file is, before it is drawn: a PNG or an MP4, its size, and what it shows. A
// task carries these from its submit (tasks/), and render/ draws them with the encoders here.
import type { Caption } from './caption.ts';

export type ResultFile =
	| { kind: 'png'; width: number; height: number; seed: string; caption: Caption }
	| { kind: 'mp4'; width: number; height: number; duration: number; audio: boolean; seed: string; caption: Caption };
