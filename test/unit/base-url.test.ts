// The credential's Base URL as typed, and where requests go: the transport and the credential test
// (an n8n expression, evaluated here by n8n-workflow's own expression engine, which takes it
// without the leading `=`) must agree.
import { Expression } from 'n8n-workflow';
import { baseUrlExpression, normalizeBaseUrl, PRODUCTION_BASE_URL } from '../../nodes/imini/base-url';

const typed: Array<[string, string]> = [
	[PRODUCTION_BASE_URL, PRODUCTION_BASE_URL],
	[`${PRODUCTION_BASE_URL}/`, PRODUCTION_BASE_URL],
	[`${PRODUCTION_BASE_URL}/v1`, PRODUCTION_BASE_URL],
	[`${PRODUCTION_BASE_URL}/v1/`, PRODUCTION_BASE_URL],
	[` ${PRODUCTION_BASE_URL} `, PRODUCTION_BASE_URL],
	['https://openapi.imini.ai', PRODUCTION_BASE_URL],
	['https://openapi.imini.ai/', PRODUCTION_BASE_URL],
	['https://OpenAPI.imini.ai/v1', 'https://OpenAPI.imini.ai/imini/router'],
	['http://127.0.0.1:4010', 'http://127.0.0.1:4010'],
	['http://127.0.0.1:4010/v1/', 'http://127.0.0.1:4010'],
	// Left as typed: the credential test says there is no imini API there.
	['http://127.0.0.1:4010/wrong-prefix', 'http://127.0.0.1:4010/wrong-prefix'],
	['https://example.com/v10', 'https://example.com/v10'],
];

describe('the Base URL of the "Imini API" credential', () => {
	it.each(typed)('%j is sent to %j', (input, expected) => {
		expect(normalizeBaseUrl(input)).toBe(expected);
	});

	it.each(typed)('the credential test sends %j to %j too', (input, expected) => {
		const resolved = Expression.resolveWithoutWorkflow(baseUrlExpression.slice(1), { $credentials: { baseUrl: input } });
		expect(resolved).toBe(expected);
	});
});
