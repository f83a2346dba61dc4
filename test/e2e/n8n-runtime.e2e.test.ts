// Proves the real-n8n harness (n8n-cli.ts) end to end WITHOUT n8n-nodes-imini: a throwaway
// community package (one plain-JS node and one credential type) is packed, installed the way
// n8n installs community packages, and run by the n8n CLI and by `n8n start`.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
	E2E_ENABLED,
	N8N_VERSION,
	createN8nHome,
	executeWorkflow,
	importCredentials,
	importWorkflow,
	installPackageTarball,
	nodeOutput,
	readBinaryData,
	startN8n,
} from '../../.ci/n8n/n8n-cli';
import type { N8nHome, RunningN8n } from '../../.ci/n8n/n8n-cli';

const PACKAGE = 'n8n-nodes-e2e-echo';
const ECHO = `${PACKAGE}.echo`;

const echoNode = `
const { NodeConnectionTypes, NodeOperationError } = require('n8n-workflow');

class Echo {
	constructor() {
		this.description = {
			displayName: 'E2E Echo',
			name: 'echo',
			icon: { light: 'file:echo.svg', dark: 'file:echo.dark.svg' },
			group: ['transform'],
			version: 1,
			description: 'Returns its input plus a field',
			defaults: { name: 'Echo' },
			inputs: [NodeConnectionTypes.Main],
			outputs: [NodeConnectionTypes.Main],
			credentials: [{ name: 'echoApi', required: true }],
			properties: [
				{ displayName: 'Tag', name: 'tag', type: 'string', default: 'echoed' },
				{ displayName: 'Fail', name: 'fail', type: 'boolean', default: false },
				{ displayName: 'With Binary', name: 'withBinary', type: 'boolean', default: false },
			],
		};
	}

	async execute() {
		const items = this.getInputData();
		const credentials = await this.getCredentials('echoApi');
		const out = [];
		for (let i = 0; i < items.length; i++) {
			if (this.getNodeParameter('fail', i)) {
				throw new NodeOperationError(this.getNode(), 'echo was told to fail', { itemIndex: i });
			}
			const item = {
				json: { ...items[i].json, echoed: true, tag: this.getNodeParameter('tag', i), token: credentials.token },
				pairedItem: { item: i },
			};
			if (this.getNodeParameter('withBinary', i)) {
				item.binary = { data: await this.helpers.prepareBinaryData(Buffer.from('hello from echo'), 'echo.txt', 'text/plain') };
			}
			out.push(item);
		}
		return [out];
	}
}
module.exports = { Echo };
`;

const echoCredential = `
class EchoApi {
	constructor() {
		this.name = 'echoApi';
		this.displayName = 'E2E Echo API';
		this.properties = [{ displayName: 'Token', name: 'token', type: 'string', typeOptions: { password: true }, default: '' }];
	}
}
module.exports = { EchoApi };
`;

function packEchoPackage(env: NodeJS.ProcessEnv): { tgz: string; dir: string } {
	const dir = mkdtempSync(join(tmpdir(), 'n8n-e2e-echo-src-'));
	mkdirSync(join(dir, 'dist'));
	writeFileSync(
		join(dir, 'package.json'),
		JSON.stringify(
			{
				name: PACKAGE,
				version: '0.0.1',
				description: 'Throwaway community package for the n8n harness self-check',
				keywords: ['n8n-community-node-package'],
				license: 'MIT',
				main: 'index.js',
				files: ['dist'],
				n8n: { n8nNodesApiVersion: 1, nodes: ['dist/Echo.node.js'], credentials: ['dist/EchoApi.credentials.js'] },
				// Removed by n8n on install, like a real package's.
				peerDependencies: { 'n8n-workflow': '*' },
				devDependencies: { 'n8n-workflow': '*' },
			},
			null,
			2,
		),
	);
	writeFileSync(join(dir, 'dist', 'Echo.node.js'), echoNode);
	writeFileSync(join(dir, 'dist', 'EchoApi.credentials.js'), echoCredential);
	const svg = (fill: string) =>
		`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 60 60"><rect width="60" height="60" rx="8" fill="${fill}"/></svg>`;
	writeFileSync(join(dir, 'dist', 'echo.svg'), svg('#1e90ff'));
	writeFileSync(join(dir, 'dist', 'echo.dark.svg'), svg('#ff6d00'));
	const out = mkdtempSync(join(tmpdir(), 'n8n-e2e-echo-tgz-'));
	const name = execFileSync('npm', ['pack', '--silent', '--pack-destination', out], { cwd: dir, env, encoding: 'utf8' }).trim().split('\n').pop()!;
	return { tgz: join(out, name), dir: out };
}

function workflow(id: string, name: string, echoParameters: Record<string, unknown>) {
	return {
		id,
		name,
		nodes: [
			{
				id: 'b0f1a3c4-0000-4000-8000-000000000001',
				name: 'When clicking ‘Execute workflow’',
				type: 'n8n-nodes-base.manualTrigger',
				typeVersion: 1,
				position: [0, 0],
				parameters: {},
			},
			{
				id: 'b0f1a3c4-0000-4000-8000-000000000002',
				name: 'Echo',
				type: ECHO,
				typeVersion: 1,
				position: [220, 0],
				parameters: echoParameters,
				credentials: { echoApi: { id: 'echoCred0000001', name: 'Echo account' } },
			},
		],
		connections: {
			'When clicking ‘Execute workflow’': { main: [[{ node: 'Echo', type: 'main', index: 0 }]] },
		},
	};
}

const timings: Record<string, number> = {};

// Runs under test/e2e/jest.config.js only (see E2E_ENABLED).
(E2E_ENABLED ? describe : describe.skip)(`real n8n ${N8N_VERSION}: harness self-check with a throwaway package`, () => {
	let home: N8nHome;
	let packed: { tgz: string; dir: string };

	beforeAll(async () => {
		home = await createN8nHome();
		packed = packEchoPackage(home.env);
	});

	afterAll(async () => {
		rmSync(packed?.dir ?? '/nonexistent', { recursive: true, force: true });
		await home?.cleanup();
		process.stdout.write(`[n8n e2e timings] ${JSON.stringify(timings)}\n`);
	});

	it('installs the tarball like n8n does (no peer/dev dependencies, ledger entry)', async () => {
		const installed = await installPackageTarball(home, packed.tgz);
		timings.installPackageMs = installed.durationMs;
		expect(installed).toMatchObject({ name: PACKAGE, version: '0.0.1' });
		const pkg = require(join(installed.dir, 'package.json'));
		expect(pkg.peerDependencies).toBeUndefined();
		expect(pkg.devDependencies).toBeUndefined();
		expect(require(join(home.nodesDir, 'package.json')).dependencies).toEqual({ [PACKAGE]: '0.0.1' });
	});

	it('imports a credential and workflows, executes one and returns the parsed run data', async () => {
		const credentials = await importCredentials(home, [{ id: 'echoCred0000001', name: 'Echo account', type: 'echoApi', data: { token: 'tok-123' } }]);
		timings.importCredentialsMs = credentials.durationMs;
		const ok = await importWorkflow(home, workflow('echoWorkflow0001', 'Echo works', { tag: '={{ "tag-" + (20 + 22) }}', withBinary: true }));
		timings.importWorkflowMs = ok.durationMs;
		expect(ok.id).toBe('echoWorkflow0001');

		const result = await executeWorkflow(home, ok.id);
		timings.executeMs = result.durationMs;
		expect(result.error).toBeNull();
		expect(result.exitCode).toBe(0);
		expect(result.output.status).toBe('success');
		const [item, ...rest] = nodeOutput(result.output, 'Echo');
		expect(rest).toEqual([]);
		expect(item.json).toEqual({ echoed: true, tag: 'tag-42', token: 'tok-123' });
		expect(item.pairedItem).toEqual({ item: 0 });
		// n8n 2.x stores binary data on disk ('filesystem-v2:' ids), not inline.
		expect(item.binary.data).toMatchObject({ mimeType: 'text/plain', fileName: 'echo.txt', id: expect.stringMatching(/^filesystem-v2:/) });
		expect(readBinaryData(home, item.binary.data).toString()).toBe('hello from echo');
	});

	it('reports a failing node: exit 1 and the error text', async () => {
		const failing = await importWorkflow(home, workflow('echoWorkflow0002', 'Echo fails', { fail: true }));
		const result = await executeWorkflow(home, failing.id);
		timings.executeFailingMs = result.durationMs;
		expect(result.exitCode).toBe(1);
		expect(result.error).toContain('echo was told to fail');
	});

	describe('n8n start', () => {
		let n8n: RunningN8n;
		beforeAll(async () => {
			n8n = await startN8n(home);
			timings.startToReadyMs = n8n.readyMs;
		});
		afterAll(async () => {
			const started = Date.now();
			await n8n?.stop();
			timings.stopMs = Date.now() - started;
		});

		it('sets up the owner, logs in and lists the imported workflows over REST', async () => {
			const workflows = await n8n.rest('GET', '/rest/workflows');
			expect(workflows.status).toBe(200);
			expect(workflows.body.data.map((w: { id: string }) => w.id).sort()).toEqual(['echoWorkflow0001', 'echoWorkflow0002']);

			const me = await n8n.rest('GET', '/rest/login');
			expect(me.body.data.email).toBe(n8n.owner.email);
		});

		it('serves the community node type and its light/dark SVG icons to the editor', async () => {
			const types = await n8n.rest('GET', '/types/nodes.json');
			expect(types.status).toBe(200);
			const echo = types.body.find((t: { name: string }) => t.name === ECHO);
			expect(echo).toBeDefined();
			for (const iconUrl of [echo.iconUrl.light, echo.iconUrl.dark]) {
				const icon = await n8n.rest('GET', `/${iconUrl}`);
				expect(icon.status).toBe(200);
				expect(String(icon.headers['content-type'])).toContain('image/svg+xml');
			}
		});

		it('returns one workflow with the community node in it', async () => {
			const wf = await n8n.rest('GET', '/rest/workflows/echoWorkflow0001');
			expect(wf.status).toBe(200);
			expect(wf.body.data.nodes.map((n: { type: string }) => n.type)).toContain(ECHO);
		});
	});
});
