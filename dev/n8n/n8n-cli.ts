// Drives a real, headless n8n (the version pinned in dev/n8n/versions.json, or N8N_VERSION;
// installed by `dev/n8n/install.sh`): one import for the end-to-end tests and `npm start`. Each part lives in a file named for its job:
//   paths.ts            where the repository, n8n and Node 24 are
//   processes.ts        child processes in their own groups: commands, services, free ports
//   home.ts             an n8n user folder and the environment n8n runs with
//   package-install.ts  the package's tarball installed the way n8n installs community packages
//   cli.ts              n8n's CLI: import credentials and workflows, execute, read run data
//   binary-data.ts      the files a run produced, read back from n8n's binary data store
//   server.ts           `n8n start` with a logged-in owner, REST calls, publishing a workflow
//   executions.ts       executions over REST: list, read, stop, and their files
//   postgres.ts, redis.ts  the servers queue mode needs, started on free ports
//   queue-mode.ts       n8n's scaling mode: PostgreSQL, Redis, n8n main and workers
export { N8N_VERSION, N8N_VERSIONS, N8N_MAJOR, REPO_ROOT, N8N_DIR, N8N_BIN, NODE_BIN, assertN8nInstalled, versionedToolsDir } from './paths.ts';
export { freePort } from './processes.ts';
export type { CliResult, RunOptions, Service } from './processes.ts';
export { N8N_ENCRYPTION_KEY, createN8nHome } from './home.ts';
export type { N8nHome, CreateHomeOptions } from './home.ts';
export { installPackageTarball } from './package-install.ts';
export type { InstalledPackage } from './package-install.ts';
export { runN8n, importCredentials, importWorkflow, importWorkflows, parseJsonFromOutput, executeWorkflow, nodeOutput } from './cli.ts';
export type { CredentialToImport, WorkflowToImport, ExecuteResult } from './cli.ts';
export { readBinaryData } from './binary-data.ts';
export type { BinaryRef } from './binary-data.ts';
export { OWNER, activateWorkflow, startN8n } from './server.ts';
export type { RestResponse, RunningN8n, StartOptions } from './server.ts';
export { startQueueMode } from './queue-mode.ts';
export type { QueueMode, QueueModeOptions, QueueWorker } from './queue-mode.ts';
export { startPostgres } from './postgres.ts';
export type { Postgres } from './postgres.ts';
export { startRedis } from './redis.ts';
export type { Redis } from './redis.ts';
export { listExecutions, getExecution, stopExecution, downloadBinaryData } from './executions.ts';
export type { Execution, ExecutionStatus, ExecutionSummary } from './executions.ts';
