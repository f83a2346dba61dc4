// The task console (GET / on the simulator's port): the offline "task history" the nodes' error
// messages point to. One static page that reads GET /mock/tasks every 2 s and lists the tasks
// newest first, under a line naming the control API (control-api.ts). Prompts are the user's text:
// they reach the page through textContent only.
export const consolePage = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>imini mock · tasks</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
	:root { color-scheme: light dark; --muted: #6b7280; --line: #e5e7eb; --bg: #fff; --chip: #f3f4f6; }
	@media (prefers-color-scheme: dark) { :root { --muted: #9ca3af; --line: #2d333b; --bg: #16191d; --chip: #22272e; } }
	body { font: 14px/1.4 system-ui, sans-serif; margin: 0; background: var(--bg); }
	header { display: flex; gap: 24px; align-items: baseline; padding: 14px 20px; border-bottom: 1px solid var(--line); }
	h1 { font-size: 18px; margin: 0; }
	#summary, #updated { color: var(--muted); }
	table { border-collapse: collapse; width: 100%; }
	th, td { text-align: left; vertical-align: top; padding: 8px 12px; border-bottom: 1px solid var(--line); }
	th { font-weight: 600; color: var(--muted); font-size: 12px; text-transform: uppercase; letter-spacing: .04em; }
	code { font: 12px ui-monospace, monospace; }
	.prompt { max-width: 420px; white-space: pre-wrap; word-break: break-word; }
	.status { display: inline-block; padding: 1px 8px; border-radius: 10px; font-weight: 600; font-size: 12px; background: var(--chip); }
	.succeeded { background: #d1fae5; color: #065f46; } .failed { background: #fee2e2; color: #991b1b; }
	.processing { background: #dbeafe; color: #1e40af; } .queued { background: #fef3c7; color: #92400e; }
	.times, .muted { color: var(--muted); font-size: 12px; }
	.fault { display: inline-block; margin: 0 4px 4px 0; padding: 0 6px; border-radius: 4px; background: #fde68a; color: #78350f; font: 12px ui-monospace, monospace; }
	.results img { height: 72px; margin-right: 6px; border-radius: 4px; border: 1px solid var(--line); }
	.results a { text-decoration: none; }
	.empty { padding: 40px 20px; color: var(--muted); }
	#control { padding: 8px 20px; border-bottom: 1px solid var(--line); }
</style>
</head>
<body>
<header><h1>imini mock · tasks</h1><span id="summary"></span><span id="updated"></span></header>
<nav id="control" class="muted">Control API:
	<a href="/mock/requests"><code>GET /mock/requests</code></a> (journal) ·
	<a href="/mock/violations"><code>GET /mock/violations</code></a> ·
	<a href="/mock/clock"><code>GET /mock/clock</code></a> ·
	<code>POST /mock/clock {"advance": 60}</code> / <code>{"freeze": true}</code> ·
	<code>POST /mock/reset</code>
</nav>
<table>
	<thead><tr><th>Task</th><th>Model</th><th>Kind</th><th>Status</th><th>Prompt</th><th>Faults</th><th>Result</th></tr></thead>
	<tbody id="tasks"></tbody>
</table>
<div id="empty" class="empty" hidden>No tasks yet. Submit one to <code>POST /v1/images/generate</code> or <code>/v1/videos/generate</code>.</div>
<script>
const el = (tag, attrs = {}, ...children) => {
	const node = document.createElement(tag);
	for (const [key, value] of Object.entries(attrs)) node.setAttribute(key, value);
	for (const child of children) node.append(child);
	return node;
};
const time = (iso) => new Date(iso).toLocaleTimeString();
const seconds = (ms) => (ms / 1000).toFixed(1) + ' s';

function timings(task) {
	const lines = ['submitted ' + time(task.created_at)];
	const now = Date.now();
	if (task.status === 'queued') lines.push('processing from ' + time(task.processing_at));
	if (task.status === 'queued' || task.status === 'processing') lines.push('due ' + time(task.completed_at));
	else lines.push(task.status === 'expired' ? 'forgotten (past the task TTL)' : 'settled ' + time(task.completed_at) + ' after ' + seconds(task.duration_ms));
	lines.push(task.polls + (task.polls === 1 ? ' poll' : ' polls'));
	return lines.map((line) => el('div', {}, line));
}

function results(task) {
	if (task.error) return [el('div', {}, el('code', {}, task.error.code)), el('div', { class: 'muted' }, task.error.message)];
	return task.results.map((file) => {
		const picture = file.cover_url ?? file.url;
		const label = file.width + '×' + file.height + (file.duration ? ' · ' + file.duration + ' s' : '');
		return el('a', { href: file.url, target: '_blank', title: label },
			el('img', { src: picture, alt: label, loading: 'lazy' }),
			file.cover_url ? el('div', {}, '▶ play video (' + label + ')') : '');
	});
}

function row(task) {
	return el('tr', { 'data-task-id': task.task_id, 'data-status': task.status },
		el('td', {}, el('code', {}, task.task_id)),
		el('td', {}, task.model),
		el('td', {}, task.kind),
		el('td', {}, el('span', { class: 'status ' + task.status }, task.status), el('div', { class: 'times' }, ...timings(task))),
		el('td', { class: 'prompt' }, task.prompt),
		el('td', {}, ...task.faults.map((fault) => el('span', { class: 'fault' }, fault))),
		el('td', { class: 'results' }, ...results(task)));
}

async function refresh() {
	try {
		const answer = await fetch('/mock/tasks', { cache: 'no-store' });
		const { tasks, stats } = await answer.json();
		document.getElementById('tasks').replaceChildren(...tasks.map(row));
		document.getElementById('empty').hidden = tasks.length > 0;
		document.getElementById('summary').textContent =
			tasks.length + ' tasks · ' + stats.submits + ' submits, ' + stats.polls + ' polls, ' + stats.files + ' downloads, ' + stats.rateLimited + ' rate-limited';
		document.getElementById('updated').textContent = 'updated ' + new Date().toLocaleTimeString();
	} catch (error) {
		document.getElementById('updated').textContent = 'mock not reachable (' + error.message + ')';
	}
}
refresh();
setInterval(refresh, 2000);
</script>
</body>
</html>
`;
