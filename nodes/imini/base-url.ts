// The Base URL people type into the "Imini API" credential, and the one imini serves. The slips a
// person makes pasting it (a trailing slash, the `/v1` that every path already starts with,
// imini's host without its `/imini/router` prefix) are rewritten rather than refused. The one
// list of rewrites serves both places that read the field: the transport (normalizeBaseUrl) and
// the credential test, which n8n evaluates as an expression (baseUrlExpression).

export const PRODUCTION_BASE_URL = 'https://openapi.imini.ai/imini/router';

const rewrites: ReadonlyArray<{ pattern: RegExp; replacement: string }> = [
	// spaces around a pasted URL
	{ pattern: /^\s+|\s+$/g, replacement: '' },
	// `/`, `/v1`, `/v1/` at the end: the paths (`/v1/images/...`) carry the version themselves
	{ pattern: /(\/v1)?\/*$/i, replacement: '' },
	// imini's host alone: its API lives under /imini/router
	{ pattern: /^(https?:\/\/openapi\.imini\.ai)$/i, replacement: '$1/imini/router' },
];

/** The Base URL the requests go to, from what the credential holds. */
export function normalizeBaseUrl(baseUrl: string): string {
	return rewrites.reduce((url, { pattern, replacement }) => url.replace(pattern, replacement), baseUrl);
}

/** normalizeBaseUrl as an n8n expression over `$credentials.baseUrl` (for the credential test). */
export const baseUrlExpression = `={{ $credentials.baseUrl${rewrites
	.map(({ pattern, replacement }) => `.replace(${pattern.toString()}, ${JSON.stringify(replacement)})`)
	.join('')} }}`;
