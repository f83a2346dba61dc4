"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.pollingOptions = exports.fileOptions = exports.downloadProperty = exports.taskTypeProperty = exports.taskIdProperty = exports.defaultTimeoutSeconds = void 0;
exports.timeoutProperty = timeoutProperty;
exports.readFileOptions = readFileOptions;
exports.readSchedule = readSchedule;
const poller_1 = require("./poller");
/** imini's advice: give up after about 2 minutes for an image and 10 for a video. */
exports.defaultTimeoutSeconds = { image: 120, video: 600 };
exports.taskIdProperty = {
    displayName: 'Task ID',
    name: 'taskId',
    type: 'string',
    default: '={{ $json.task_id }}',
    required: true,
    placeholder: 'task_2041350318103396352',
    description: 'The task_id returned by Imini Generate (with Wait for Completion off)',
};
exports.taskTypeProperty = {
    displayName: 'Task Type',
    name: 'taskType',
    type: 'options',
    default: 'auto',
    options: [
        { name: 'Auto-Detect', value: 'auto', description: 'Use the kind field of the input item, otherwise ask imini' },
        { name: 'Image', value: 'image' },
        { name: 'Video', value: 'video' },
    ],
    description: 'Image and video tasks are looked up at different addresses',
};
exports.downloadProperty = {
    displayName: 'Download Results',
    name: 'download',
    type: 'boolean',
    default: true,
    description: 'Whether to download finished images and videos as binary data (one item per file). Off returns their URLs only; imini keeps them for a limited time.',
};
function timeoutProperty(kind, show = undefined) {
    const seconds = exports.defaultTimeoutSeconds[kind ?? 'image'];
    return {
        displayName: 'Timeout (Seconds)',
        name: 'timeout',
        type: 'number',
        typeOptions: { minValue: 1 },
        default: seconds,
        description: `How long to wait for the task to finish${kind ? '' : ' (imini suggests 120 for images, 600 for videos)'}`,
        ...(show ? { displayOptions: show } : {}),
    };
}
exports.fileOptions = [
    {
        displayName: 'Put Output File in Field',
        name: 'binaryPropertyName',
        type: 'string',
        default: 'data',
        description: 'Name of the binary property that receives each downloaded file',
    },
    {
        displayName: 'File Name Prefix',
        name: 'fileNamePrefix',
        type: 'string',
        default: 'imini',
        description: 'Files are named prefix-taskID-index.png (or .mp4); leave empty for taskID-index.png',
    },
    {
        displayName: 'Download Video Cover',
        name: 'downloadCover',
        type: 'boolean',
        default: false,
        description: 'Whether to also download the cover image of each video, into the binary property "cover"',
    },
];
exports.pollingOptions = [
    {
        displayName: 'First Check After (Seconds)',
        name: 'firstCheckAfter',
        type: 'number',
        typeOptions: { minValue: 0, numberPrecision: 1 },
        default: 2,
        description: 'Wait this long after submitting before the first status check (imini suggests 2)',
    },
    {
        displayName: 'Longest Check Interval (Seconds)',
        name: 'maxCheckInterval',
        type: 'number',
        typeOptions: { minValue: 0.1, numberPrecision: 1 },
        default: 5,
        description: 'Checks back off 2 s, 3 s, 5 s; this caps the interval (imini suggests 5)',
    },
];
function readFileOptions(ctx, itemIndex) {
    const options = ctx.getNodeParameter('options', itemIndex, {});
    return {
        binaryPropertyName: options.binaryPropertyName?.trim() || 'data',
        fileNamePrefix: options.fileNamePrefix?.trim() ?? 'imini',
        downloadCover: options.downloadCover ?? false,
    };
}
/** The polling schedule is read once per run: one poller serves every item. */
function readSchedule(ctx) {
    const options = ctx.getNodeParameter('options', 0, {});
    return (0, poller_1.scheduleWithin)((options.firstCheckAfter ?? 2) * 1000, (options.maxCheckInterval ?? 5) * 1000);
}
