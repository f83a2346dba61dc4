// Real result files for the offline imini: PNG pictures and H.264 MP4 videos that show the
// prompt, model, size and task that made them, drawn on demand from a seed, plus the readers
// that tests use to check them. Erasable TypeScript (runs under Node's type stripping as well as
// ts-jest).
//
// This file is the public entry; the work is split by job under ./media/:
//   sizes.ts         resolution tiers and aspect ratios to pixel sizes, size checks
//   caption.ts       the caption band (text laid out and drawn by Skia, @napi-rs/canvas)
//   picture.ts       the seeded background under the caption, shared by PNG and video
//   png.ts           PNG encoding and reading (pngjs)
//   h264.ts          H.264 bitstream (SPS/PPS, I_PCM pictures, P pictures of skips)
//   video-frames.ts  the video's frames: the picture, then a progress bar that fills
//   mp4.ts           MP4 muxing (Mediabunny) and reading
export type { PixelSize } from './media/sizes.ts';
export type { Caption } from './media/caption.ts';
export { imageSize, videoSize } from './media/sizes.ts';
export { wrapText } from './media/caption.ts';
export { readPngSize, renderPng } from './media/png.ts';
export { readMp4Info, renderMp4 } from './media/mp4.ts';
