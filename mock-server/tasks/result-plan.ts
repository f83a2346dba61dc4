// What a submitted task will produce, decided from the request as imini would: the size of each
// file (the ratio asked for, or inferred from the reference images when it is omitted; the
// resolution rendered, after imini's downgrades), how many files, and whether the video has sound.
import type { Contract, TaskKind } from '../contract/validator.ts';
import { dataUrlImageSize } from '../../openapi/rules/reference-rules.ts';
import { imageSize, videoSize } from '../media/sizes.ts';
import type { Task } from './simulated-task.ts';

type Params = Record<string, unknown>;

/** The allowed ratio nearest (on a log scale) to width:height. */
export function nearestRatio(width: number, height: number, ratios: string[]): string | null {
	let best: string | null = null;
	let bestDistance = Number.POSITIVE_INFINITY;
	for (const ratio of ratios) {
		const [a, b] = ratio.split(':').map(Number);
		if (!(a > 0 && b > 0)) continue;
		const distance = Math.abs(Math.log(width / height) - Math.log(a / b));
		if (distance < bestDistance) [best, bestDistance] = [ratio, distance];
	}
	return best;
}

/**
 * imini infers the ratio from the reference images when none is asked for (documented for the
 * Nano Banana models); how is not documented **(inferred)**: the first reference whose size can
 * be read (a data URL) decides, and the model's ratio nearest to its own is taken. References
 * given as public URLs are not fetched, so they leave the default.
 */
function inferredRatio(references: unknown, ratios: string[] | null): string | null {
	if (!Array.isArray(references) || !ratios) return null;
	for (const reference of references as Array<{ url?: string }>) {
		const size = dataUrlImageSize(reference?.url);
		if (size && size.width > 0 && size.height > 0) return nearestRatio(size.width, size.height, ratios);
	}
	return null;
}

/** Audio is asked for with generate_audio (Kling, Seedance) or, for HappyHorse, any extra_params.audio_setting **(inferred)**. */
function wantsAudio(params: Params): boolean {
	if (typeof params.generate_audio === 'boolean') return params.generate_audio;
	const extra = params.extra_params as { audio_setting?: unknown } | undefined;
	return typeof extra?.audio_setting === 'string' && !/^(none|off|mute|silent)$/i.test(extra.audio_setting);
}

export function planResults(
	contract: Contract,
	kind: TaskKind,
	id: string,
	model: string,
	body: Params,
): Pick<Task, 'files' | 'covers'> {
	const rules = contract[kind];
	const params: Params = { ...rules.defaults(model), ...body };
	const prompt = typeof params.prompt === 'string' ? params.prompt : '';
	if (kind === 'image') {
		const ratio =
			(body.aspect_ratio as string | undefined) ??
			inferredRatio(body.images, rules.allowed(model, 'aspect_ratio')) ??
			String(params.aspect_ratio ?? '1:1');
		const rendered = rules.rendered(model, 'resolution');
		const asked = String(params.resolution ?? '1K');
		const resolution = rendered && !rendered.includes(asked) ? rendered[0] : asked;
		const size = imageSize(ratio, resolution);
		const count = Number(params.num ?? 1);
		return {
			files: Array.from({ length: count }, (_, i) => ({
				kind: 'png' as const,
				...size,
				seed: `${id}/${i}`,
				caption: { prompt, model, taskId: count > 1 ? `${id} · ${i + 1}/${count}` : id },
			})),
			covers: [],
		};
	}
	// `adaptive` follows the first frame when its size is readable **(inferred)**, else 16:9;
	// motion control and edit modes follow the reference video, which is assumed 16:9.
	const asked = String(params.aspect_ratio ?? '16:9');
	const ratios = (rules.allowed(model, 'aspect_ratio') ?? []).filter((r) => r !== 'adaptive');
	const aspect = asked === 'adaptive' ? (inferredRatio(body.reference_images, ratios) ?? '16:9') : asked;
	const size = videoSize(aspect, String(params.resolution ?? '720P'));
	const duration = Number(params.duration ?? 5);
	const caption = { prompt, model, taskId: id, durationSeconds: duration };
	return {
		files: [{ kind: 'mp4', ...size, duration, audio: wantsAudio(params), seed: `${id}/0`, caption }],
		// The cover is the video's first frame.
		covers: [{ kind: 'png', ...size, seed: `${id}/0`, caption }],
	};
}
