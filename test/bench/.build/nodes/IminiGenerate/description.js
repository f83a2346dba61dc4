"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.generateProperties = void 0;
const catalog_1 = require("../shared/catalog");
const descriptions_1 = require("../shared/descriptions");
const image = { resource: ['image'] };
const video = { resource: ['video'] };
/** Groups models by a key (e.g. their list of aspect ratios) so each distinct field is declared once. */
function groupBy(models, key) {
    const groups = new Map();
    for (const model of models) {
        const value = key(model);
        if (value === null)
            continue;
        const id = JSON.stringify(value);
        if (!groups.has(id))
            groups.set(id, { key: value, models: [] });
        groups.get(id).models.push(model);
    }
    return [...groups.values()];
}
const choice = (value) => ({ name: value, value });
const modelDefault = { name: 'Model Default', value: '', description: 'Let imini decide (from the reference images when there are some)' };
function referenceCollection(name, types, withUnset, show) {
    const defaultType = withUnset ? '' : types[0][1];
    return {
        displayName: 'Reference Images',
        name,
        type: 'fixedCollection',
        placeholder: 'Add Reference Image',
        typeOptions: { multipleValues: true, sortable: true },
        default: {},
        displayOptions: show,
        description: 'Images to edit or take the subject, style or first/last frame from. Public URLs, or binary data of the input item (sent as a data URL).',
        options: [
            {
                displayName: 'Image',
                name: 'image',
                values: [
                    {
                        displayName: 'Source',
                        name: 'source',
                        type: 'options',
                        default: 'binary',
                        options: [
                            { name: 'Binary Data of the Input Item', value: 'binary' },
                            { name: 'Public URL', value: 'url' },
                        ],
                    },
                    {
                        displayName: 'Input Binary Field',
                        name: 'binaryProperty',
                        type: 'string',
                        default: 'data',
                        displayOptions: { show: { source: ['binary'] } },
                        description: 'Name of the binary property holding the image',
                    },
                    {
                        displayName: 'URL',
                        name: 'url',
                        type: 'string',
                        default: '',
                        placeholder: 'https://example.com/photo.png',
                        displayOptions: { show: { source: ['url'] } },
                    },
                    {
                        displayName: 'Use As',
                        name: 'referenceType',
                        type: 'options',
                        default: defaultType,
                        options: [...(withUnset ? [{ name: 'Not Set', value: '' }] : []), ...types.map(([name, value]) => ({ name, value }))],
                    },
                ],
            },
        ],
    };
}
function imageProperties() {
    const properties = [
        {
            displayName: 'Model',
            name: 'model',
            type: 'options',
            default: 'google/nano-banana',
            displayOptions: { show: image },
            options: catalog_1.imageModelIds.map((id) => ({ name: catalog_1.imageModelCatalog[id].name, value: id, description: catalog_1.imageModelCatalog[id].description })),
        },
    ];
    for (const group of groupBy(catalog_1.imageModelIds, (m) => ({ ratios: catalog_1.imageModelCatalog[m].aspectRatios, required: catalog_1.imageModelCatalog[m].aspectRatioRequired }))) {
        const defaultRatio = group.key.required ? '1:1' : '';
        properties.push({
            displayName: 'Aspect Ratio',
            name: 'aspectRatio',
            type: 'options',
            default: defaultRatio,
            displayOptions: { show: { ...image, model: group.models } },
            options: [...(group.key.required ? [] : [modelDefault]), ...group.key.ratios.map(choice)],
        });
    }
    for (const group of groupBy(catalog_1.imageModelIds, (m) => (catalog_1.imageModelCatalog[m].resolutions.length > 1 ? catalog_1.imageModelCatalog[m].resolutions : null))) {
        const defaultResolution = catalog_1.imageModelCatalog[group.models[0]].defaultResolution;
        properties.push({
            displayName: 'Resolution',
            name: 'resolution',
            type: 'options',
            default: defaultResolution,
            displayOptions: { show: { ...image, model: group.models } },
            options: group.key.map(choice),
            description: 'Size of the longer side: 512 px, 1K (1024), 2K (2048) or 4K (4096)',
        });
    }
    const withQuality = catalog_1.imageModelIds.filter((m) => catalog_1.imageModelCatalog[m].qualities);
    properties.push({
        displayName: 'Quality',
        name: 'quality',
        type: 'options',
        default: 'medium',
        displayOptions: { show: { ...image, model: withQuality } },
        options: [
            { name: 'Low', value: 'low' },
            { name: 'Medium', value: 'medium' },
            { name: 'High', value: 'high' },
        ],
    }, {
        displayName: 'Number of Images',
        name: 'numberOfImages',
        type: 'number',
        default: 1,
        typeOptions: { minValue: 1, maxValue: 10 },
        displayOptions: { show: { ...image, model: catalog_1.imageModelIds.filter((m) => catalog_1.imageModelCatalog[m].numMax) } },
        description: 'How many images this one task returns (each becomes an output item)',
    }, referenceCollection('referenceImages', [['Asset (Content)', 'asset'], ['Style', 'style']], true, { show: image }));
    return properties;
}
function videoProperties() {
    const properties = [
        {
            displayName: 'Model',
            name: 'model',
            type: 'options',
            default: 'kling/kling-v3',
            displayOptions: { show: video },
            options: catalog_1.videoModelIds.map((id) => ({ name: catalog_1.videoModelCatalog[id].name, value: id, description: catalog_1.videoModelCatalog[id].description })),
        },
    ];
    for (const group of groupBy(catalog_1.videoModelIds, (m) => ({ list: catalog_1.videoModelCatalog[m].resolutions, default: catalog_1.videoModelCatalog[m].defaultResolution }))) {
        const defaultResolution = group.key.default;
        properties.push({
            displayName: 'Resolution',
            name: 'resolution',
            type: 'options',
            default: defaultResolution,
            displayOptions: { show: { ...video, model: group.models } },
            options: group.key.list.map(choice),
        });
    }
    for (const group of groupBy(catalog_1.videoModelIds, (m) => {
        const entry = catalog_1.videoModelCatalog[m];
        return entry.aspectRatios ? { list: entry.aspectRatios, default: entry.defaultAspectRatio } : null;
    })) {
        const defaultRatio = group.key.default;
        properties.push({
            displayName: 'Aspect Ratio',
            name: 'aspectRatio',
            type: 'options',
            default: defaultRatio,
            displayOptions: { show: { ...video, model: group.models } },
            options: group.key.list.map((value) => (value === 'adaptive' ? { name: 'Adaptive (From References)', value } : choice(value))),
            description: 'Ignored when a video is being edited',
        });
    }
    for (const group of groupBy(catalog_1.videoModelIds, (m) => catalog_1.videoModelCatalog[m].duration)) {
        const defaultDuration = group.key.default;
        properties.push({
            displayName: 'Duration (Seconds)',
            name: 'duration',
            type: 'number',
            default: defaultDuration,
            typeOptions: { minValue: group.key.min, maxValue: group.key.max },
            displayOptions: { show: { ...video, model: group.models } },
        });
    }
    // Declared twice because the default differs (Kling: off, Seedance: on); lint wants literal booleans.
    const audio = (on) => catalog_1.videoModelIds.filter((m) => catalog_1.videoModelCatalog[m].audio?.default === on);
    properties.push({
        displayName: 'Generate Audio',
        name: 'generateAudio',
        type: 'boolean',
        default: false,
        displayOptions: { show: { ...video, model: audio(false) } },
        description: 'Whether the video gets a generated soundtrack',
    }, {
        displayName: 'Generate Audio',
        name: 'generateAudio',
        type: 'boolean',
        default: true,
        displayOptions: { show: { ...video, model: audio(true) } },
        description: 'Whether the video gets a generated soundtrack',
    });
    const referenceTypes = [
        ['First Frame', 'first_frame'],
        ['Last Frame', 'last_frame'],
        ['Asset (Subject or Style)', 'asset'],
    ];
    properties.push(referenceCollection('videoReferenceImages', referenceTypes, false, { show: video }));
    const withVideos = catalog_1.videoModelIds.filter((m) => catalog_1.videoModelCatalog[m].referenceVideosMax > 0);
    properties.push({
        displayName: 'Reference Videos',
        name: 'referenceVideos',
        type: 'fixedCollection',
        placeholder: 'Add Reference Video',
        typeOptions: { multipleValues: true },
        default: {},
        displayOptions: { show: { ...video, model: withVideos } },
        description: 'Public video URLs (imini cannot take videos as uploaded data)',
        options: [
            {
                displayName: 'Video',
                name: 'video',
                values: [
                    { displayName: 'URL', name: 'url', type: 'string', default: '', placeholder: 'https://example.com/clip.mp4' },
                    {
                        displayName: 'Use As',
                        name: 'referType',
                        type: 'options',
                        default: 'base',
                        displayOptions: { show: { '/model': catalog_1.videoModelIds.filter((m) => catalog_1.videoModelCatalog[m].referTypes) } },
                        options: [
                            { name: 'Base (Edit This Video)', value: 'base' },
                            { name: 'Feature (Borrow From It)', value: 'feature' },
                        ],
                    },
                ],
            },
        ],
    });
    properties.push({
        displayName: 'Reference Audios',
        name: 'referenceAudios',
        type: 'fixedCollection',
        placeholder: 'Add Reference Audio',
        typeOptions: { multipleValues: true },
        default: {},
        displayOptions: { show: { ...video, model: catalog_1.videoModelIds.filter((m) => catalog_1.videoModelCatalog[m].referenceAudiosMax > 0) } },
        description: 'Public WAV or MP3 URLs, 15 s at most in total; needs a reference image or video too',
        options: [{ displayName: 'Audio', name: 'audio', values: [{ displayName: 'URL', name: 'url', type: 'string', default: '' }] }],
    });
    const extra = (param) => catalog_1.videoModelIds.filter((m) => catalog_1.videoModelCatalog[m].extraParams.includes(param));
    properties.push({
        displayName: 'Model Options',
        name: 'modelOptions',
        type: 'collection',
        placeholder: 'Add Option',
        default: {},
        displayOptions: { show: video },
        options: [
            {
                displayName: 'Audio Setting',
                name: 'audioSetting',
                type: 'string',
                default: '',
                displayOptions: { show: { '/model': extra('audio_setting') } },
                description: 'Passed to the model as extra_params.audio_setting',
            },
            {
                displayName: 'CFG Scale',
                name: 'cfgScale',
                type: 'number',
                default: 0.5,
                typeOptions: { minValue: 0, maxValue: 1, numberPrecision: 2 },
                displayOptions: { show: { '/model': extra('cfg_scale') } },
                description: 'How strictly to follow the prompt (0 to 1)',
            },
            {
                displayName: 'Character Orientation',
                name: 'characterOrientation',
                type: 'options',
                default: 'image',
                displayOptions: { show: { '/model': extra('character_orientation') } },
                options: [
                    { name: 'As in the Image', value: 'image' },
                    { name: 'As in the Video', value: 'video' },
                ],
            },
            {
                displayName: 'Extra Parameters (JSON)',
                name: 'extraParams',
                type: 'json',
                default: '{}',
                description: 'Any other model parameter, merged into extra_params (e.g. {"multi_shot": true} for Kling)',
            },
            {
                displayName: 'Negative Prompt',
                name: 'negativePrompt',
                type: 'string',
                default: '',
                displayOptions: { show: { '/model': extra('negative_prompt') } },
                description: 'What the video should not show',
            },
        ],
    });
    return properties;
}
exports.generateProperties = [
    {
        displayName: 'Resource',
        name: 'resource',
        type: 'options',
        noDataExpression: true,
        default: 'image',
        options: [
            { name: 'Image', value: 'image', description: 'Generate or edit images' },
            { name: 'Video', value: 'video', description: 'Generate videos from text, images or a video' },
        ],
    },
    ...imageProperties(),
    ...videoProperties().slice(0, 1),
    {
        displayName: 'Prompt',
        name: 'prompt',
        type: 'string',
        typeOptions: { rows: 4 },
        default: '',
        required: true,
        placeholder: 'e.g. A red fox in fresh snow, golden hour, 35 mm photo',
        displayOptions: { hide: { model: catalog_1.videoModelIds.filter((m) => !catalog_1.videoModelCatalog[m].promptRequired) } },
        description: 'What to generate. Map a field from a form or sheet with an expression.',
    },
    {
        displayName: 'Prompt',
        name: 'prompt',
        type: 'string',
        typeOptions: { rows: 4 },
        default: '',
        displayOptions: { show: { ...video, model: catalog_1.videoModelIds.filter((m) => !catalog_1.videoModelCatalog[m].promptRequired) } },
        description: 'Optional for this model',
    },
    ...videoProperties().slice(1),
    {
        displayName: 'Wait for Completion',
        name: 'waitForCompletion',
        type: 'boolean',
        default: true,
        description: 'Whether to wait until the task finishes and return its files. Off returns the task ID at once (continue with Imini Wait or Imini Get Task).',
    },
    (0, descriptions_1.timeoutProperty)('image', { show: { ...image, waitForCompletion: [true] } }),
    (0, descriptions_1.timeoutProperty)('video', { show: { ...video, waitForCompletion: [true] } }),
    { ...descriptions_1.downloadProperty, displayOptions: { show: { waitForCompletion: [true] } } },
    {
        displayName: 'Options',
        name: 'options',
        type: 'collection',
        placeholder: 'Add Option',
        default: {},
        options: [
            {
                displayName: 'Max Tasks In Flight',
                name: 'maxTasksInFlight',
                type: 'number',
                default: 10,
                typeOptions: { minValue: 1, maxValue: 100 },
                description: 'How many items are submitted and waited for at the same time. Lower it if imini answers 429 (rate limit).',
            },
            ...descriptions_1.fileOptions,
            ...descriptions_1.pollingOptions,
        ],
    },
];
