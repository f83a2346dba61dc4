import type {
	IAuthenticateGeneric,
	Icon,
	ICredentialTestRequest,
	ICredentialType,
	INodeProperties,
} from 'n8n-workflow';
import { baseUrlExpression, PRODUCTION_BASE_URL } from '../nodes/imini/base-url';

const useBaseUrl = `Set Base URL back to ${PRODUCTION_BASE_URL}.`;
/** Where imini's API Keys page is: imini documents it as "the API Keys management page" of the account, without its address. */
const apiKeysPage = '<a href="https://imini.ai" target="_blank">imini.ai</a>';

export class IminiApi implements ICredentialType {
	name = 'iminiApi';

	displayName = 'Imini API';

	icon: Icon = { light: 'file:../nodes/icons/imini.svg', dark: 'file:../nodes/icons/imini.dark.svg' };

	documentationUrl = 'https://github.com/n8n-nodes-imini/n8n-nodes-imini/blob/main/docs/credential.md';

	properties: INodeProperties[] = [
		{
			displayName: 'API Key',
			name: 'apiKey',
			type: 'string',
			typeOptions: { password: true },
			required: true,
			default: '',
			description: `Your imini API key: sign in at ${apiKeysPage} and open the API Keys page. n8n keeps it encrypted; it never appears in outputs or error messages.`,
		},
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			required: true,
			default: PRODUCTION_BASE_URL,
			description: 'Leave it as it is, unless imini gives you another address',
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
				properties: { key: 'error.status', value: 401, message: "imini does not accept this API key (401). Copy it again from imini's API Keys page (sign in at imini.ai), or create a new one." },
			},
			{
				type: 'responseSuccessBody',
				properties: { key: 'error.status', value: 403, message: "imini knows this API key but does not allow it to make pictures or videos (403). Check the key's permissions on imini's API Keys page." },
			},
			{
				type: 'responseSuccessBody',
				properties: { key: 'error.code', value: undefined, message: `The Base URL does not lead to imini: the server there answered, but not as imini does. ${useBaseUrl}` },
			},
			{
				type: 'responseSuccessBody',
				properties: { key: 'error.code', value: 'NOT_FOUND', message: `The Base URL does not lead to imini's API: nothing there answers for imini tasks. ${useBaseUrl}` },
			},
		],
	};
}
