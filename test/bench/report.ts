// Progress goes to stderr, figures to stdout, one line each; and the units the lines are written in.
export const out = (line: string) => process.stdout.write(`${line}\n`);
export const progress = (line: string) => process.stderr.write(`  .. ${line}\n`);
export const sec = (ms: number) => `${(ms / 1000).toFixed(2)}s`;
export const msf = (ms: number) => `${ms.toFixed(1)}ms`;
export const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)}MB`;
export const verdict = (ok: boolean) => (ok ? 'met' : 'MISSED');
