// One valid submission per model: the smallest body each model's contract accepts.
import type { components } from '../../nodes/imini/generated/imini-api';

type ImageRequest = components['schemas']['ImageGenerateRequest'];
type VideoRequest = components['schemas']['VideoGenerateRequest'];

export const imageSubmissions: Record<ImageRequest['model'], ImageRequest> = {
	'google/nano-banana': { model: 'google/nano-banana', prompt: 'A red fox in fresh snow' },
	'google/nano-banana-pro': { model: 'google/nano-banana-pro', prompt: 'A shiba inu astronaut', aspect_ratio: '16:9', resolution: '2K' },
	'google/nano-banana-2': { model: 'google/nano-banana-2', prompt: 'A tall lighthouse', aspect_ratio: '1:4', resolution: '512' },
	'openai/gpt-image-2': {
		model: 'openai/gpt-image-2',
		prompt: 'A watercolor harbour',
		aspect_ratio: '9:21',
		resolution: '1K',
		quality: 'low',
		num: 2,
	},
};

const frame = 'https://example.org/frame.png';
const clip = 'https://example.org/clip.mp4';

export const videoSubmissions: Record<VideoRequest['model'], VideoRequest> = {
	'kling/kling-v3': { model: 'kling/kling-v3', prompt: 'A paper boat on a rainy street', aspect_ratio: '9:16', resolution: '1080P', duration: 3 },
	'kling/kling-v3-omni': {
		model: 'kling/kling-v3-omni',
		prompt: 'Make <<<video_1>>> look like winter',
		reference_videos: [{ url: clip, refer_type: 'base' }],
		reference_images: [{ url: frame, reference_type: 'asset' }],
	},
	'kling/kling-v3-motion-control': {
		model: 'kling/kling-v3-motion-control',
		reference_images: [{ url: frame, reference_type: 'asset' }],
		reference_videos: [{ url: clip }],
	},
	'doubao/seedance-2.0': {
		model: 'doubao/seedance-2.0',
		prompt: 'The cat blinks',
		reference_images: [{ url: frame, reference_type: 'first_frame' }],
	},
	'doubao/seedance-2.0-fast': { model: 'doubao/seedance-2.0-fast', prompt: 'Waves at dusk', resolution: '480P', aspect_ratio: '21:9', duration: 4 },
	'dashscope/happyhorse-1.0': { model: 'dashscope/happyhorse-1.0', prompt: 'A horse galloping on a beach', aspect_ratio: '4:3' },
};
