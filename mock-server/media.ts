// Real result files for the offline imini: deterministic PNG pictures and small, decodable MP4
// (H.264) videos, made on demand from a seed, plus the parsers that tests use to check them.
//
// Self-contained on purpose: Node built-ins only (node:zlib, node:crypto), erasable TypeScript
// (runs under Node's type stripping as well as ts-jest), no external encoder.
//
// This file is the public entry; the work is split by job under ./media/:
//   sizes.ts    resolution tiers and aspect ratios to pixel sizes, size checks
//   picture.ts  seeded colours shared by the PNG and the video's first frame
//   png.ts      PNG drawing, encoding and reading
//   h264.ts     H.264 bitstream (bit writer, NAL units, SPS/PPS, IDR and skip slices)
//   mp4.ts      MP4 (ISO BMFF) muxing and reading
export type { PixelSize } from './media/sizes.ts';
export { imageSize, videoSize } from './media/sizes.ts';
export { readPngSize, renderPng } from './media/png.ts';
export { readMp4Info, renderMp4 } from './media/mp4.ts';
