import type {
	IAuthenticateGeneric,
	Icon,
	ICredentialTestRequest,
	ICredentialType,
	INodeProperties,
} from 'n8n-workflow';
import { baseUrlExpression, PRODUCTION_BASE_URL } from '../nodes/imini/base-url';

const useBaseUrl = `Use ${PRODUCTION_BASE_URL} (or http://127.0.0.1:4010 for the offline mock).`;

export class IminiApi implements ICredentialType {
	name = 'iminiApi';

	displayName = 'Imini API';

	icon: Icon = { light: 'file:../nodes/icons/imini.svg', dark: 'file:../nodes/icons/imini.dark.svg' };

	documentationUrl = 'https://docs.imini.ai';

	properties: INodeProperties[] = [
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
			default: PRODUCTION_BASE_URL,
			description:
				'Leave as is for imini. For the offline mock that ships with this package use http://127.0.0.1:4010. A trailing / or /v1 is ignored.',
		},
	];

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: {
			headers: {
				Authorization: '=Bearer {{$credentials.apiKey}}',
			},
		},
	};

	// imini has no account endpoint. Asking for a task that cannot exist costs no credits, and
	// imini answers it in its own error body: 404 TASK_NOT_FOUND once the key is accepted, status
	// 401/403 when it is not. Every status is taken as an answer and judged by that body, the same
	// on n8n 1.x and 2.x. No imini error code means no imini API at this Base URL (a 404 page, a
	// website, another API); NOT_FOUND is the offline mock's answer off its routes. n8n reports no
	// answer at all (connection refused, unknown host, TLS failure) with the network error's code.
	// n8n's body rules fail a test when a value is equal, hence the rule on a missing code.
	test: ICredentialTestRequest = {
		request: {
			baseURL: baseUrlExpression,
			url: '/v1/images/tasks/task_credential_check',
			method: 'GET',
			ignoreHttpStatusErrors: true,
		},
		rules: [
			{
				type: 'responseSuccessBody',
				properties: { key: 'error.status', value: 401, message: "imini rejected this API key (401). Check it on imini's API Keys page." },
			},
			{
				type: 'responseSuccessBody',
				properties: { key: 'error.status', value: 403, message: 'imini refused this API key (403).' },
			},
			{
				type: 'responseSuccessBody',
				properties: { key: 'error.code', value: undefined, message: `No imini API at this Base URL: the server answered, but not as imini does. ${useBaseUrl}` },
			},
			{
				type: 'responseSuccessBody',
				properties: { key: 'error.code', value: 'NOT_FOUND', message: `No imini API at this Base URL: the server has no imini task route there. ${useBaseUrl}` },
			},
		],
	};
}
