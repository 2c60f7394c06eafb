// Bench — hooks: what an agent's hook costs and how fast its news travels.
// 1. A hook post (what `vigil hook` sends) → every one of 20 socket.io clients has the
//    session's new state; baseline: a bare HTTP + socket.io server that re-emits the body.
// 2. The `vigil hook` process itself (dist/hook.cjs), with no Vigil running, with one, and
//    with one that accepts the post and never answers; baseline: `node -e 0`, the floor of any
//    Node program on this machine right now.
// 3. File-change latency (a plan edited on disk → a client has it) while 200 hook posts per
//    second arrive, against the same measure without them, in the same run.
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { io, type Socket } from 'socket.io-client';
import type { EngineEvent } from '../../shared/protocol';
import { REPO_DIR } from './lib/children';
import { nowMs, sleep, waitFor } from './lib/clock';
import { ownChild, tempDir, watchdog } from './lib/lifetime';
import { machine } from './lib/proc';
import { report, type Row } from './lib/report';
import { summarize } from './lib/stats';
import { serverProfileArgs, serveUnavailable, startServe } from './lib/vigil';

const CLIENTS = 20;
const POSTS = Number(process.env.BENCH_HOOK_POSTS ?? 300);
const POST_PACE_MS = 20;
const HOOK_RUNS = 15;
const WRITES = Number(process.env.BENCH_HOOK_WRITES ?? 150);
const WRITE_PACE_MS = 40;
const LOAD_RATE = 200;
const HOOK_JS = join(REPO_DIR, 'dist', 'hook.cjs');
/** Listens on a free loopback port, prints it, and holds every connection without a word. */
const HUNG_SERVER = `const held = []; const s = require('node:net').createServer((c) => held.push(c)); s.listen(0, '127.0.0.1', () => console.log(s.address().port));`;

watchdog('hooks', 300_000);
const notes: string[] = [];
const unavailable = serveUnavailable();
if (unavailable) throw new Error(unavailable);

const ws = tempDir('hooks').path;
const project = join(ws, 'shop');
mkdirSync(join(project, '.taskmaster', 'tasks'), { recursive: true });
const tasksFile = join(project, '.taskmaster', 'tasks', 'tasks.json');
const writeTasks = (title: string): void =>
  writeFileSync(tasksFile, JSON.stringify({ master: { tasks: [{ id: 1, title, status: 'in-progress', subtasks: [] }, { id: 2, title: 'Second', status: 'pending', subtasks: [] }] } }));
writeTasks('start');

/** Clients that note when each message (a session's message, or a plan's title) first reached them. */
interface Clients {
  sockets: Socket[];
  /** message or title → arrival time per client. */
  seen: Map<string, number[]>;
  close(): void;
}

async function connect(url: string, token: string | null, n: number): Promise<Clients> {
  const seen = new Map<string, number[]>();
  const sockets: Socket[] = [];
  for (let i = 0; i < n; i++) {
    const socket = io(url, { auth: token ? { token } : {}, transports: ['websocket'], reconnection: false, forceNew: true });
    socket.on('events', (batch: EngineEvent[]) => {
      const at = nowMs();
      for (const e of batch) {
        const p = e.payload as { session?: { message?: string }; plan?: { title: string } };
        const key = p.session?.message ?? p.plan?.title;
        if (!key) continue;
        const list = seen.get(key) ?? [];
        list.push(at);
        seen.set(key, list);
      }
    });
    sockets.push(socket);
  }
  await Promise.all(sockets.map((s) => new Promise<void>((resolve, reject) => (s.connected ? resolve() : (s.once('connect', () => resolve()), s.once('connect_error', reject))))));
  return { sockets, seen, close: () => sockets.forEach((s) => s.close()) };
}

async function postHook(url: string, token: string | null, body: string): Promise<number> {
  const res = await fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}) }, body });
  await res.arrayBuffer();
  return res.status;
}

/** POSTS hook posts, one at a time: ms from sending each until every client had it. */
async function postToAll(url: string, token: string | null, clients: Clients, label: string): Promise<{ latencies: number[]; lost: number }> {
  const latencies: number[] = [];
  let lost = 0;
  for (let i = 0; i < POSTS; i++) {
    const message = `${label} question ${i}`;
    const body = JSON.stringify({ agent: 'claude', cwd: project, payload: { session_id: `bench-${i % 5}`, cwd: project, hook_event_name: 'Notification', message, notification_type: 'permission_prompt' } });
    const t0 = nowMs();
    const status = await postHook(url, token, body);
    if (status !== 200) throw new Error(`${label}: hook post answered ${status}`);
    const all = await waitFor(() => (clients.seen.get(message)?.length ?? 0) >= CLIENTS, 3000, 1);
    if (!all) lost += 1;
    else latencies.push(Math.max(...(clients.seen.get(message) as number[])) - t0);
    clients.seen.delete(message);
    await sleep(POST_PACE_MS);
  }
  return { latencies, lost };
}

function timeProcess(argv: string[], cwd: string): number {
  const t0 = nowMs();
  spawnSync(process.execPath, argv, { cwd, input: JSON.stringify({ session_id: 'proc', cwd, hook_event_name: 'Stop', stop_hook_active: false }), stdio: ['pipe', 'ignore', 'ignore'] });
  return nowMs() - t0;
}

/** File-change latency: a title written to tasks.json → the first client has the plan with it. */
async function fileLatencies(clients: Clients, label: string): Promise<{ latencies: number[]; lost: number }> {
  const latencies: number[] = [];
  let lost = 0;
  for (let i = 0; i < WRITES; i++) {
    const title = `${label} write ${i}`;
    const t0 = nowMs();
    writeTasks(title);
    const ok = await waitFor(() => (clients.seen.get(title)?.length ?? 0) >= 1, 3000, 1);
    if (!ok) lost += 1;
    else latencies.push((clients.seen.get(title) as number[])[0]! - t0);
    clients.seen.delete(title);
    await sleep(WRITE_PACE_MS);
  }
  return { latencies, lost };
}

// ---- Vigil ----
const serve = await startServe([project], { clients: CLIENTS + 2, execArgv: serverProfileArgs() });
const endpoint = JSON.parse(readFileSync(join(serve.configDir, 'hook-endpoint.json'), 'utf8')) as { url: string; token: string };
const vigilClients = await connect(serve.url, serve.token, CLIENTS);
await postToAll(endpoint.url, endpoint.token, vigilClients, 'warm-up').catch(() => undefined);
const vigilPosts = await postToAll(endpoint.url, endpoint.token, vigilClients, 'vigil');

// ---- bare HTTP + socket.io ----
const bare = spawn(process.execPath, [join(REPO_DIR, 'test', 'bench', 'procs', 'bare-hook.mjs')], { cwd: REPO_DIR, stdio: ['ignore', 'pipe', 'inherit'] });
ownChild(bare);
const bareUrl = await new Promise<string>((resolve) => bare.stdout!.once('data', (c: Buffer) => resolve((JSON.parse(c.toString()) as { url: string }).url)));
const bareClients = await connect(bareUrl, null, CLIENTS);
await postToAll(`${bareUrl}/api/hook`, null, bareClients, 'bare warm-up');
const barePosts = await postToAll(`${bareUrl}/api/hook`, null, bareClients, 'bare');
bareClients.close();
bare.kill('SIGTERM');

// ---- the hook process ----
const emptyConfig = tempDir('no-vigil').path;
// A Vigil that takes the connection and never answers (a hung process): it runs in a child,
// since spawnSync below blocks this process's event loop.
const hungConfig = tempDir('hung-vigil').path;
const hung = spawn(process.execPath, ['-e', HUNG_SERVER], { stdio: ['ignore', 'pipe', 'inherit'] });
ownChild(hung);
const hungPort = await new Promise<number>((resolve) => hung.stdout!.once('data', (c: Buffer) => resolve(Number(c.toString().trim()))));
writeFileSync(join(hungConfig, 'hook-endpoint.json'), JSON.stringify({ version: 1, url: `http://127.0.0.1:${hungPort}/api/hook`, token: 'vigil_hung', pid: hung.pid }));
const nodeFloor: number[] = [];
const hookAlone: number[] = [];
const hookPosting: number[] = [];
const hookHung: number[] = [];
for (let i = 0; i < HOOK_RUNS; i++) {
  nodeFloor.push(timeProcess(['-e', '0'], project));
  hookAlone.push(timeProcess([HOOK_JS, 'claude', '--config-dir', emptyConfig], project));
  hookPosting.push(timeProcess([HOOK_JS, 'claude', '--config-dir', serve.configDir], project));
  hookHung.push(timeProcess([HOOK_JS, 'claude', '--config-dir', hungConfig], project));
}
hung.kill('SIGTERM');

// ---- file-change latency, quiet and under 200 hook posts/s ----
const quietBefore = await fileLatencies(vigilClients, 'quiet-a');
const loadSeconds = Math.ceil((WRITES * (WRITE_PACE_MS + 15)) / 1000) + 3;
const poster = spawn(process.execPath, [join(REPO_DIR, 'test', 'bench', 'procs', 'hook-poster.mjs'), endpoint.url, endpoint.token, project, String(LOAD_RATE), String(loadSeconds)], { cwd: REPO_DIR, stdio: ['ignore', 'pipe', 'inherit'] });
ownChild(poster);
let posterOut = '';
poster.stdout!.on('data', (c: Buffer) => (posterOut += c.toString()));
const posterDone = new Promise<void>((resolve) => poster.once('close', () => resolve()));
await sleep(1000);
const loaded = await fileLatencies(vigilClients, 'loaded');
await posterDone;
const quietAfter = await fileLatencies(vigilClients, 'quiet-b');
const posterResult = JSON.parse(posterOut.trim() || '{}') as { sent?: number; ok?: number; failed?: number; seconds?: number };

vigilClients.close();
await serve.stop();

const vp = summarize(vigilPosts.latencies);
const bp = summarize(barePosts.latencies);
const quiet = summarize([...quietBefore.latencies, ...quietAfter.latencies]);
const load = summarize(loaded.latencies);
const alone = summarize(hookAlone);
const posting = summarize(hookPosting);
const stuck = summarize(hookHung);
const floor = summarize(nodeFloor);
const postsPerSecond = posterResult.ok && posterResult.seconds ? posterResult.ok / posterResult.seconds : null;
if (posterResult.failed) notes.push(`${posterResult.failed} of ${posterResult.sent} load posts were not answered 200`);
const bareName = 'bare HTTP + socket.io re-emit';

const rows: Row[] = [
  { metric: `hook post → all ${CLIENTS} clients, p50`, unit: 'ms', vigil: vp.p50, baselines: [{ name: bareName, value: bp.p50 }] },
  { metric: `hook post → all ${CLIENTS} clients, p99`, unit: 'ms', vigil: vp.p99, baselines: [{ name: bareName, value: bp.p99 }], target: { op: '<=', value: 50 } },
  { metric: 'hook posts lost (a client never had it)', unit: '', vigil: vigilPosts.lost, baselines: [{ name: bareName, value: barePosts.lost }], target: { op: '==', value: 0 } },
  { metric: '`vigil hook` with no Vigil running, median', unit: 'ms', vigil: alone.p50, baselines: [{ name: 'node -e 0', value: floor.p50 }], target: { op: '<', value: 200 } },
  { metric: '`vigil hook` with no Vigil running, max', unit: 'ms', vigil: alone.max, baselines: [{ name: 'node -e 0', value: floor.max }] },
  { metric: '`vigil hook` posting to Vigil, median', unit: 'ms', vigil: posting.p50, baselines: [{ name: 'node -e 0', value: floor.p50 }], target: { op: '<', value: 200 } },
  { metric: '`vigil hook` with a Vigil that never answers, median', unit: 'ms', vigil: stuck.p50, baselines: [{ name: 'node -e 0', value: floor.p50 }], target: { op: '<', value: 200 } },
  { metric: '`vigil hook` with a Vigil that never answers, max', unit: 'ms', vigil: stuck.max, baselines: [{ name: 'node -e 0', value: floor.max }] },
  { metric: 'hook posts per second sustained during the load', unit: '/s', vigil: postsPerSecond, target: { op: '>=', value: LOAD_RATE * 0.95 } },
  { metric: `file change → client p50, under ${LOAD_RATE} hook posts/s`, unit: 'ms', vigil: load.p50, baselines: [{ name: 'no hook posts (same run)', value: quiet.p50 }] },
  { metric: `file change → client p99, under ${LOAD_RATE} hook posts/s`, unit: 'ms', vigil: load.p99, baselines: [{ name: 'no hook posts (same run)', value: quiet.p99 }] },
  { metric: 'file-change p50 under load ÷ without', unit: '×', vigil: quiet.p50 > 0 ? load.p50 / quiet.p50 : null, target: { op: '<=', value: 1.1 } },
  { metric: 'file changes lost', unit: '', vigil: quietBefore.lost + loaded.lost + quietAfter.lost, target: { op: '==', value: 0 } },
];

report({
  bench: 'hooks',
  rows,
  notes,
  setup: {
    machine: machine(),
    posts: `${POSTS} hook posts one at a time, ${POST_PACE_MS} ms apart, to ${CLIENTS} clients (after as many warm-up posts)`,
    hookProcess: `${HOOK_RUNS} runs each of dist/hook.cjs (Claude Stop payload on stdin: no Vigil, a Vigil, a Vigil that never answers) and node -e 0, interleaved`,
    fileChanges: `${WRITES} writes of tasks.json ${WRITE_PACE_MS} ms apart, before, during and after ${LOAD_RATE} hook posts/s from another process (baseline: before and after together)`,
    load: posterResult,
    via: serve.via,
  },
  ok: vigilPosts.lost === 0 && quietBefore.lost + loaded.lost + quietAfter.lost === 0,
});
process.exit(process.exitCode ?? 0);
