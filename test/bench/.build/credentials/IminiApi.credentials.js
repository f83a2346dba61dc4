"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.IminiApi = void 0;
class IminiApi {
    name = 'iminiApi';
    displayName = 'Imini API';
    icon = { light: 'file:../nodes/shared/icons/imini.svg', dark: 'file:../nodes/shared/icons/imini.dark.svg' };
    documentationUrl = 'https://docs.imini.ai';
    properties = [
        {
            displayName: 'API Key',
            name: 'apiKey',
            type: 'string',
            typeOptions: { password: true },
            required: true,
            default: '',
            description: 'Create a key on imini\'s API Keys page. For the offline mock (npm run mock) use imini-mock-key.',
        },
        {
            displayName: 'Base URL',
            name: 'baseUrl',
            type: 'string',
            required: true,
            default: 'https://openapi.imini.ai/imini/router',
            description: 'Leave as is for imini. For the offline mock that ships with this package use http://127.0.0.1:4010.',
        },
    ];
    authenticate = {
        type: 'generic',
        properties: {
            headers: {
                Authorization: '=Bearer {{$credentials.apiKey}}',
            },
        },
    };
    // imini has no account endpoint. Asking for a task that cannot exist costs no credits:
    // 404 means the key was accepted, 401/403 that it was not.
    test = {
        request: {
            baseURL: '={{$credentials.baseUrl.replace(/\\/+$/, "")}}',
            url: '/v1/images/tasks/task_credential_check',
            method: 'GET',
            ignoreHttpStatusErrors: { ignore: true, except: [401, 403] },
        },
        rules: [
            {
                type: 'responseCode',
                properties: { value: 401, message: 'imini rejected this API key (401). Check it on imini\'s API Keys page.' },
            },
            {
                type: 'responseCode',
                properties: { value: 403, message: 'imini refused this API key (403).' },
            },
        ],
    };
}
exports.IminiApi = IminiApi;
