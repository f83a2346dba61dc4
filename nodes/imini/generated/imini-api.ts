/**
 * Generated from openapi/imini.yaml by openapi-typescript (npm run generate). Do not edit.
 */

export interface paths {
    "/v1/images/generate": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Submit an image generation task
         * @description Text-to-image when `images` is absent or empty; image-to-image or style reference
         *     otherwise. Use a 30 s client timeout. The task is charged once accepted.
         */
        post: operations["submitImageTask"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/images/tasks/{task_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Get an image task
         * @description Poll until `status` is `succeeded` or `failed`. Unknown and expired ids answer 404.
         */
        get: operations["getImageTask"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/videos/generate": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Submit a video generation task
         * @description Text-to-video without references; image-to-video with `reference_images`
         *     (`first_frame`, `last_frame`, `asset`); some models also take `reference_videos`
         *     and `reference_audios`. Model-specific knobs go in `extra_params`.
         *     The whole request body is capped at 64 MB. Use a 30 s client timeout.
         */
        post: operations["submitVideoTask"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/videos/tasks/{task_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Get a video task
         * @description Poll until `status` is `succeeded` or `failed`. Unknown and expired ids answer 404.
         */
        get: operations["getVideoTask"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export type webhooks = Record<string, never>;
export interface components {
    schemas: {
        /** @description The one error body every endpoint uses. */
        Error: {
            error: {
                /**
                 * @description Machine-readable code. Known: INVALID_PROMPT, INVALID_PARAMETER, INSUFFICIENT_CREDITS,
                 *     RATE_LIMITED, TASK_NOT_FOUND. The list may grow: clients must not switch on an exhaustive set.
                 *     The codes in the 401, 403, 500 and 502 examples (UNAUTHORIZED, FORBIDDEN, INTERNAL_ERROR,
                 *     UPSTREAM_ERROR) are **(inferred)**.
                 * @example INVALID_PARAMETER
                 */
                code: string;
                /** @description Human-readable explanation. */
                message: string;
                /** @description The HTTP status repeated in the body. */
                status?: number;
                /** @description Opaque request id for support. */
                request_id?: string;
            };
        };
        TaskSubmitted: {
            /** @description Id to poll. Looks like `task_<digits>`. */
            task_id: string;
            /** @description Model name. One docs example echoes a different model than the one sent, so clients should not rely on it. */
            model?: string;
            /** Format: date-time */
            created_at: string;
            /** @description Opaque (a UUID in submit examples, `req_...` elsewhere). */
            request_id: string;
        };
        /** @description Why a task failed. */
        TaskError: {
            /** @description Machine-readable failure code (open set). */
            code: string;
            message: string;
            /** @description Present in some examples. */
            request_id?: string;
        };
        ImageResult: {
            /**
             * Format: uri
             * @description Result file on imini's CDN. Lifetime undocumented (download promptly).
             */
            url: string;
            width: number;
            height: number;
        };
        VideoResult: {
            /**
             * Format: uri
             * @description MP4 on imini's CDN. Lifetime undocumented (download promptly).
             */
            url: string;
            width: number;
            height: number;
            /** @description Seconds. */
            duration: number;
            /**
             * Format: uri
             * @description A still image of the video.
             */
            cover_url: string;
        };
        /**
         * @description A polled image task. The result list is present only when `succeeded` and the error only
         *     when `failed`; other states carry `null` there (the split into three shapes is how this
         *     contract states that rule).
         */
        ImageTask: components["schemas"]["ImageTaskPending"] | components["schemas"]["ImageTaskSucceeded"] | components["schemas"]["ImageTaskFailed"];
        ImageTaskPending: {
            task_id: string;
            /** @enum {string} */
            status: "queued" | "processing";
            model: string;
            /** Format: date-time */
            created_at: string;
            completed_at?: null;
            images?: null;
            error?: null;
            request_id: string;
        };
        ImageTaskSucceeded: {
            task_id: string;
            /** @constant */
            status: "succeeded";
            model: string;
            /** Format: date-time */
            created_at: string;
            /** Format: date-time */
            completed_at?: string | null;
            images: components["schemas"]["ImageResult"][];
            error?: null;
            request_id: string;
        };
        ImageTaskFailed: {
            task_id: string;
            /** @constant */
            status: "failed";
            model: string;
            /** Format: date-time */
            created_at: string;
            /** Format: date-time */
            completed_at?: string | null;
            images?: null;
            error: components["schemas"]["TaskError"];
            request_id: string;
        };
        /** @description A polled video task; same rules as ImageTask with `videos` for `images`. */
        VideoTask: components["schemas"]["VideoTaskPending"] | components["schemas"]["VideoTaskSucceeded"] | components["schemas"]["VideoTaskFailed"];
        VideoTaskPending: {
            task_id: string;
            /** @enum {string} */
            status: "queued" | "processing";
            model: string;
            /** Format: date-time */
            created_at: string;
            completed_at?: null;
            videos?: null;
            error?: null;
            request_id: string;
        };
        VideoTaskSucceeded: {
            task_id: string;
            /** @constant */
            status: "succeeded";
            model: string;
            /** Format: date-time */
            created_at: string;
            /** Format: date-time */
            completed_at?: string | null;
            videos: components["schemas"]["VideoResult"][];
            error?: null;
            request_id: string;
        };
        VideoTaskFailed: {
            task_id: string;
            /** @constant */
            status: "failed";
            model: string;
            /** Format: date-time */
            created_at: string;
            /** Format: date-time */
            completed_at?: string | null;
            videos?: null;
            error: components["schemas"]["TaskError"];
            request_id: string;
        };
        /** @description A public `http(s)` URL, or a `data:<mime>;base64,<data>` URL. */
        MediaUrl: string;
        /** @description A public `http(s)` URL (videos and audio cannot be sent as data URLs). */
        PublicUrl: string;
        ImageReference: {
            url: components["schemas"]["MediaUrl"];
            /**
             * @description `asset`: use the image's content; `style`: use its style. Default when omitted is undocumented.
             * @enum {string}
             */
            reference_type?: "asset" | "style";
        };
        VideoImageReference: {
            url: components["schemas"]["MediaUrl"];
            /** @enum {string} */
            reference_type: "first_frame" | "last_frame" | "asset";
        };
        VideoReference: {
            url: components["schemas"]["PublicUrl"];
            /**
             * @description kling/kling-v3-omni only. `base`: edit this video (then `duration` is ignored and only
             *     `asset` images are allowed). `feature` (use it as a reference) is **(inferred)** from
             *     Kling's own API; imini documents only `base`.
             * @enum {string}
             */
            refer_type?: "base" | "feature";
        };
        AudioReference: {
            url: components["schemas"]["PublicUrl"];
        };
        /** @enum {string} */
        ImageAspectRatio: "1:1" | "2:3" | "3:2" | "3:4" | "4:3" | "4:5" | "5:4" | "9:16" | "16:9" | "21:9";
        /** @description Kling-specific knobs. Keys beyond those listed pass through to Kling **(inferred)**. */
        KlingExtraParams: {
            multi_shot?: boolean;
            /** @enum {string} */
            shot_type?: "customize" | "intelligence";
            multi_prompt?: {
                index: number;
                prompt: string;
                duration: number;
            }[];
            negative_prompt?: string;
            /** @description Range 0–1 **(inferred)** from Kling's own API. */
            cfg_scale?: number;
            /** @description Kling camera control object, passed through as is. */
            camera_control?: {
                [key: string]: unknown;
            };
        } & {
            [key: string]: unknown;
        };
        /**
         * @description One schema per model; `model` selects it. A field the model does not document is refused
         *     with a 400 **(inferred)**: imini does not say whether it refuses or ignores such fields.
         *     (The offline mock's `--accept-unknown-fields` ignores them instead.)
         */
        ImageGenerateRequest: components["schemas"]["NanoBananaRequest"] | components["schemas"]["NanoBananaProRequest"] | components["schemas"]["NanoBanana2Request"] | components["schemas"]["GptImage2Request"];
        NanoBananaRequest: {
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            model: "google/nano-banana";
            prompt: string;
            images?: components["schemas"]["ImageReference"][];
            /**
             * @description When omitted with reference images, inferred from them as for nano-banana-pro
             *     **(inferred)**; otherwise 1:1 **(inferred)**.
             */
            aspect_ratio?: components["schemas"]["ImageAspectRatio"];
            /**
             * @description Only 1K is rendered: imini downgrades other values to 1K (documented), so a request
             *     with `2K` succeeds with a 1K image. Which other values it accepts is not listed; this
             *     contract takes the tiers of the other Nano Banana models, `512`, `2K` and `4K`
             *     **(inferred)**: "other resolutions are downgraded", not refused. `x-rendered` lists
             *     what is actually rendered: the n8n node offers only that.
             * @default 1K
             * @enum {string}
             */
            resolution?: "512" | "1K" | "2K" | "4K";
        };
        NanoBananaProRequest: {
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            model: "google/nano-banana-pro";
            prompt: string;
            images?: components["schemas"]["ImageReference"][];
            /**
             * @description When omitted with reference images, inferred from them (documented). How is not
             *     documented: the offline mock reads the pixel size of references sent as data URLs and
             *     takes the ratio nearest to the first one's **(inferred)**; references given as public
             *     URLs leave the default.
             * @default 1:1
             */
            aspect_ratio?: components["schemas"]["ImageAspectRatio"];
            /**
             * @default 1K
             * @enum {string}
             */
            resolution?: "1K" | "2K" | "4K";
        };
        NanoBanana2Request: {
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            model: "google/nano-banana-2";
            /** @description Limit documented for nano-banana-pro; assumed equal here **(inferred)**. */
            prompt: string;
            images?: components["schemas"]["ImageReference"][];
            /**
             * @description Default and inference from reference images assumed equal to nano-banana-pro's
             *     **(inferred)**.
             * @default 1:1
             * @enum {string}
             */
            aspect_ratio?: "1:1" | "2:3" | "3:2" | "3:4" | "4:3" | "4:5" | "5:4" | "9:16" | "16:9" | "21:9" | "1:4" | "1:8" | "4:1" | "8:1";
            /**
             * @description Default assumed equal to nano-banana-pro's **(inferred)**.
             * @default 1K
             * @enum {string}
             */
            resolution?: "512" | "1K" | "2K" | "4K";
        };
        GptImage2Request: {
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            model: "openai/gpt-image-2";
            prompt: string;
            /** @description One docs summary says 6; the model page says 3, which this contract keeps **(inferred choice)**. */
            images?: components["schemas"]["ImageReference"][];
            /** @enum {string} */
            aspect_ratio: "1:1" | "2:3" | "3:2" | "3:4" | "4:3" | "4:5" | "5:4" | "9:16" | "16:9" | "21:9" | "9:21";
            /** @enum {string} */
            resolution: "1K" | "2K" | "4K";
            /** @enum {string} */
            quality: "low" | "medium" | "high";
            /**
             * @description Number of images to generate.
             * @default 1
             */
            num?: number;
        };
        /**
         * @description One schema per model; `model` selects it. Rules that JSON Schema cannot state (which
         *     reference combinations a model accepts, the pixel limits of reference images) are in each
         *     model's description and are enforced by the API with a 400; they are written once, for
         *     every reader of this contract, in `openapi/rules/reference-rules.ts`. A field the model
         *     does not document is refused with a 400 **(inferred)**, as for images (the offline mock's
         *     `--accept-unknown-fields` ignores them instead).
         */
        VideoGenerateRequest: components["schemas"]["KlingV3Request"] | components["schemas"]["KlingV3OmniRequest"] | components["schemas"]["KlingV3MotionControlRequest"] | components["schemas"]["SeedanceRequest"] | components["schemas"]["HappyHorseRequest"];
        /**
         * @description References: none (text-to-video); exactly one `first_frame`; a `first_frame` plus a
         *     `last_frame`; or one or more `asset` images.
         */
        KlingV3Request: {
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            model: "kling/kling-v3";
            /** @description Required. That an empty prompt is refused is **(inferred)**; the docs list the field as required and say no more. */
            prompt: string;
            /**
             * @default 720P
             * @enum {string}
             */
            resolution?: "720P" | "1080P";
            /**
             * @default 16:9
             * @enum {string}
             */
            aspect_ratio?: "16:9" | "9:16" | "1:1";
            /** @default 5 */
            duration?: number;
            /** @default false */
            generate_audio?: boolean;
            reference_images?: components["schemas"]["VideoImageReference"][];
            extra_params?: components["schemas"]["KlingExtraParams"];
        };
        /**
         * @description As kling/kling-v3, plus `reference_videos`. With a `base` video the video is edited:
         *     `duration` is ignored and only `asset` images are allowed. `last_frame` needs a
         *     `first_frame`. The prompt may cite references as `<<<image_1>>>`, `<<<video_1>>>`.
         */
        KlingV3OmniRequest: {
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            model: "kling/kling-v3-omni";
            /** @description Required. That an empty prompt is refused is **(inferred)**; the docs list the field as required and say no more. */
            prompt: string;
            /**
             * @default 720P
             * @enum {string}
             */
            resolution?: "720P" | "1080P";
            /**
             * @default 16:9
             * @enum {string}
             */
            aspect_ratio?: "16:9" | "9:16" | "1:1";
            /** @default 5 */
            duration?: number;
            /** @default false */
            generate_audio?: boolean;
            reference_images?: components["schemas"]["VideoImageReference"][];
            /** @description One video **(inferred)**. */
            reference_videos?: components["schemas"]["VideoReference"][];
            extra_params?: components["schemas"]["KlingExtraParams"];
        };
        /**
         * @description Transfers the motion of one reference video onto one character image: exactly one
         *     reference image and exactly one reference video. No aspect ratio or duration (they
         *     follow the video). The prompt is optional here **(inferred)**.
         */
        KlingV3MotionControlRequest: {
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            model: "kling/kling-v3-motion-control";
            prompt?: string;
            /**
             * @default 720P
             * @enum {string}
             */
            resolution?: "720P" | "1080P";
            /** @default false */
            generate_audio?: boolean;
            reference_images: components["schemas"]["VideoImageReference"][];
            reference_videos: {
                url: components["schemas"]["PublicUrl"];
            }[];
            extra_params?: {
                /**
                 * @description Whose orientation the character keeps. Values **(inferred)** from Kling's own API.
                 * @enum {string}
                 */
                character_orientation?: "image" | "video";
            } & {
                [key: string]: unknown;
            };
        };
        /**
         * @description Up to 9 images (each ≤ 30 MB, 300–6000 px per side), up to 3 videos (mp4/mov, ≤ 15 s in
         *     total) and up to 3 audios (wav/mp3, ≤ 15 s; never audio alone, it needs an image or a
         *     video). The prompt length limit is undocumented; 5000 is assumed **(inferred)**. The size
         *     and pixel limits can be checked before sending only for images sent as data URLs.
         */
        SeedanceRequest: {
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            model: "doubao/seedance-2.0" | "doubao/seedance-2.0-fast";
            prompt: string;
            /**
             * @default 720P
             * @enum {string}
             */
            resolution?: "480P" | "720P";
            /**
             * @default adaptive
             * @enum {string}
             */
            aspect_ratio?: "16:9" | "4:3" | "1:1" | "3:4" | "9:16" | "21:9" | "adaptive";
            /** @default 5 */
            duration?: number;
            /** @default true */
            generate_audio?: boolean;
            reference_images?: components["schemas"]["VideoImageReference"][];
            reference_videos?: {
                url: components["schemas"]["PublicUrl"];
            }[];
            reference_audios?: components["schemas"]["AudioReference"][];
            /** @description Passed through to the model **(inferred)**. */
            extra_params?: {
                [key: string]: unknown;
            };
        };
        /**
         * @description Modes: text-to-video; one `first_frame` image; up to 9 `asset` images
         *     (reference-to-video); or exactly one video plus 0–5 `asset` images (edit mode, where
         *     `aspect_ratio` and `duration` do not apply).
         */
        HappyHorseRequest: {
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            model: "dashscope/happyhorse-1.0";
            prompt: string;
            /**
             * @description Only the 1080P default is documented; 720P is **(inferred)**.
             * @default 1080P
             * @enum {string}
             */
            resolution?: "720P" | "1080P";
            /**
             * @default 16:9
             * @enum {string}
             */
            aspect_ratio?: "16:9" | "9:16" | "1:1" | "4:3" | "3:4";
            /** @default 5 */
            duration?: number;
            reference_images?: components["schemas"]["VideoImageReference"][];
            reference_videos?: {
                url: components["schemas"]["PublicUrl"];
            }[];
            extra_params?: {
                /** @description Audio behaviour; values undocumented, passed through **(inferred)**. */
                audio_setting?: string;
            } & {
                [key: string]: unknown;
            };
        };
    };
    responses: {
        /** @description Task accepted. Record `task_id` and `request_id` to reconcile later. */
        TaskSubmitted: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["TaskSubmitted"];
            };
        };
        /** @description Invalid parameters, or the prompt or a reference image was flagged by content safety. Never retry. */
        BadRequest: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["Error"];
            };
        };
        /** @description The API key is missing, invalid or revoked. Never retry. */
        Unauthorized: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["Error"];
            };
        };
        /** @description The account's credits cannot cover this call. Never retry. */
        InsufficientCredits: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["Error"];
            };
        };
        /** @description Forbidden (listed once in imini's error tables; cause undocumented). Never retry. */
        Forbidden: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["Error"];
            };
        };
        /** @description The task id does not exist or the task has expired (its TTL is undocumented). Never retry. */
        TaskNotFound: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["Error"];
            };
        };
        /** @description The account's rate quota is exceeded. Retry 2–3 times with random jitter, waiting at least 5 s. */
        RateLimited: {
            headers: {
                "Retry-After": components["headers"]["RetryAfter"];
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["Error"];
            };
        };
        /** @description Platform error. Retry 2–3 times with random jitter. */
        InternalError: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["Error"];
            };
        };
        /** @description The underlying model service is unavailable. Usually safe to retry at once. */
        UpstreamError: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["Error"];
            };
        };
    };
    parameters: {
        /**
         * @description The `task_id` returned by the submit call.
         * @example task_2041350318103396352
         */
        TaskId: string;
    };
    requestBodies: never;
    headers: {
        /**
         * @description Seconds to wait before retrying. Not documented by imini **(inferred)**; clients honour it
         *     when present and otherwise wait at least 5 s after a 429.
         */
        RetryAfter: number;
    };
    pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
    submitImageTask: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ImageGenerateRequest"];
            };
        };
        responses: {
            200: components["responses"]["TaskSubmitted"];
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            402: components["responses"]["InsufficientCredits"];
            403: components["responses"]["Forbidden"];
            429: components["responses"]["RateLimited"];
            500: components["responses"]["InternalError"];
            502: components["responses"]["UpstreamError"];
        };
    };
    getImageTask: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /**
                 * @description The `task_id` returned by the submit call.
                 * @example task_2041350318103396352
                 */
                task_id: components["parameters"]["TaskId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The task */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ImageTask"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["TaskNotFound"];
            429: components["responses"]["RateLimited"];
            500: components["responses"]["InternalError"];
            502: components["responses"]["UpstreamError"];
        };
    };
    submitVideoTask: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["VideoGenerateRequest"];
            };
        };
        responses: {
            200: components["responses"]["TaskSubmitted"];
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            402: components["responses"]["InsufficientCredits"];
            403: components["responses"]["Forbidden"];
            429: components["responses"]["RateLimited"];
            500: components["responses"]["InternalError"];
            502: components["responses"]["UpstreamError"];
        };
    };
    getVideoTask: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /**
                 * @description The `task_id` returned by the submit call.
                 * @example task_2041350318103396352
                 */
                task_id: components["parameters"]["TaskId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The task */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["VideoTask"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["TaskNotFound"];
            429: components["responses"]["RateLimited"];
            500: components["responses"]["InternalError"];
            502: components["responses"]["UpstreamError"];
        };
    };
}
