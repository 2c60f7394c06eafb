// `vigil serve` stopped and started again on the same config folder, as a person runs it, and
// `vigil history` reading what it recorded: the built CLI in child processes, a real project
// folder, a real vigil.db, real socket.io clients.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { io, type Socket } from 'socket.io-client';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import type { EngineEvent, Hello } from '../../../shared/protocol';

const CLI = fileURLToPath(new URL('../../../dist/cli.js', import.meta.url));

let base: string;
let project: string;
let configDir: string;
const children: ChildProcess[] = [];
const sockets: Socket[] = [];

function vigil(args: string[]): { child: ChildProcess; out: () => string; err: () => string; exited: Promise<number | null> } {
  const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, VIGIL_CONFIG_DIR: configDir } });
  children.push(child);
  let out = '';
  let err = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
  const exited = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)));
  return { child, out: () => out, err: () => err, exited };
}

async function waitFor(condition: () => boolean | Promise<boolean>, what: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** `vigil serve` on `port` (0: any); resolves with the process, its origin and token once it prints the URL. */
async function serve(port: number): Promise<{ stop: () => Promise<number | null>; origin: string; token: string; port: number; err: () => string }> {
  const run = vigil(['serve', project, '--port', String(port), '--config-dir', configDir]);
  await waitFor(() => run.out().includes('\n') || run.child.exitCode !== null, 'the URL');
  const url = run.out().split('\n')[0] ?? '';
  if (!url.startsWith('http')) throw new Error(`vigil serve printed no URL: ${run.err()}`);
  const origin = url.slice(0, url.indexOf('#'));
  return {
    origin,
    token: decodeURIComponent(url.slice(url.indexOf('#token=') + 7)),
    port: Number(new URL(origin).port),
    err: run.err,
    stop: async () => {
      run.child.kill('SIGTERM');
      return run.exited;
    },
  };
}

async function tasks(list: { id: number; title: string; status: string }[]): Promise<void> {
  await writeFile(join(project, '.taskmaster', 'tasks', 'tasks.json'), JSON.stringify({ master: { tasks: list.map((t) => ({ ...t, subtasks: [] })) } }));
}

beforeEach(async () => {
  base = await mkdtemp(join(tmpdir(), 'vigil-history-'));
  project = join(base, 'shop');
  configDir = join(base, 'config');
  await mkdir(join(project, '.taskmaster', 'tasks'), { recursive: true });
  await tasks([
    { id: 1, title: 'Build the cart', status: 'pending' },
    { id: 2, title: 'Checkout', status: 'pending' },
  ]);
});

afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.close();
  for (const child of children.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  await rm(base, { recursive: true, force: true });
});

describe('across a restart of vigil serve', () => {
  test('Activity and seq survive, a connected client resyncs with no gap and no duplicate, and changes made meanwhile appear once', async () => {
    const first = await serve(0);
    const hellos: Hello[] = [];
    const events: EngineEvent[] = [];
    const lastSeq = (): number | null => (hellos.length === 0 ? null : Math.max(hellos.at(-1)!.seq, ...events.map((e) => e.seq)));
    // As a careful client does: on every (re)connect, say which seq it saw last.
    const socket = io(first.origin, {
      auth: (cb) => cb({ token: first.token, ...(lastSeq() === null ? {} : { sinceSeq: lastSeq() }) }),
      transports: ['websocket'],
      reconnectionDelay: 50,
      reconnectionDelayMax: 200,
    });
    sockets.push(socket);
    socket.on('hello', (hello) => hellos.push(hello));
    socket.on('events', (batch: EngineEvent[]) => events.push(...batch));
    await waitFor(() => hellos.length === 1, 'the first hello');

    await tasks([
      { id: 1, title: 'Build the cart', status: 'in-progress' },
      { id: 2, title: 'Checkout', status: 'pending' },
    ]);
    await waitFor(() => events.some((e) => e.type === 'item:status' && e.payload.to === 'in_progress'), 'the first transition');
    // Everything the server published before it stops has reached the client.
    const serverSeq = async (): Promise<number> =>
      ((await (await fetch(new URL('/api/snapshot', first.origin), { headers: { authorization: `Bearer ${first.token}` } })).json()) as { seq: number }).seq;
    await waitFor(async () => lastSeq() === (await serverSeq()), 'the client to hold every event published so far');
    const lastSeen = lastSeq() as number;
    const eventsBefore = events.length;
    expect(await first.stop()).toBe(0);
    await waitFor(() => !socket.connected, 'the disconnect');

    // While Vigil is stopped, work goes on.
    await tasks([
      { id: 1, title: 'Build the cart', status: 'done' },
      { id: 2, title: 'Checkout', status: 'in-progress' },
    ]);

    const second = await serve(first.port);
    await waitFor(() => socket.connected && events.length > eventsBefore, 'the reconnect and the missed events');
    // No fresh hello: the events it missed, from the journal, in order, each once.
    expect(hellos).toHaveLength(1);
    const missed = events.slice(eventsBefore);
    expect(missed.map((e) => e.seq)).toEqual(Array.from({ length: missed.length }, (_, i) => lastSeen + 1 + i));
    expect(missed.filter((e) => e.type === 'item:status').map((e) => (e.type === 'item:status' ? `${e.payload.title}:${e.payload.to}` : ''))).toEqual([
      'Build the cart:done',
      'Checkout:in_progress',
    ]);
    expect(missed.every((e) => e.foundOnStart)).toBe(true);

    // A client that asks again gets nothing twice; a new client's hello carries the feed and recent events from before.
    const again = (await socket.timeout(5000).emitWithAck('resync', { sinceSeq: lastSeq() })) as { ok: true; data: { events?: EngineEvent[]; hello?: Hello } };
    expect(again.data.hello).toBeUndefined();
    expect(again.data.events).toEqual([]);
    const fresh = io(second.origin, { auth: { token: second.token }, transports: ['websocket'] });
    sockets.push(fresh);
    const hello = await new Promise<Hello>((resolve) => fresh.once('hello', resolve));
    expect(hello.seq).toBe(lastSeq());
    expect(hello.snapshot.activity.map((t) => `${t.title}:${t.to}${t.foundOnStart ? '*' : ''}`)).toEqual([
      'Build the cart:in_progress',
      'Build the cart:done*',
      'Checkout:in_progress*',
    ]);
    expect(hello.recent.map((e) => e.seq)).toEqual(Array.from({ length: hello.recent.length }, (_, i) => hello.seq - hello.recent.length + 1 + i));
    expect(hello.recent.some((e) => e.seq <= lastSeen)).toBe(true);
    expect(await second.stop()).toBe(0);

    // A third start finds nothing new: what was found is not found again.
    const third = await serve(0);
    const history = vigil(['history', project, '--json', '--config-dir', configDir]);
    expect(await history.exited).toBe(0);
    const lines = history.out().trim().split('\n').map((l) => JSON.parse(l) as EngineEvent);
    const seqs = lines.map((e) => e.seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    expect(new Set(seqs).size).toBe(seqs.length);
    expect(lines.filter((e) => e.type === 'item:status' && e.foundOnStart)).toHaveLength(2);
    expect(await third.stop()).toBe(0);
  }, 60_000);
});

describe('vigil history', () => {
  test('prints readable lines oldest first, and says so when there is no history yet', async () => {
    const empty = vigil(['history', '--config-dir', configDir]);
    expect(await empty.exited).toBe(1);
    expect(empty.err()).toMatch(/no history in .*config yet/);

    const served = await serve(0);
    await tasks([
      { id: 1, title: 'Build the cart', status: 'done' },
      { id: 2, title: 'Checkout', status: 'pending' },
    ]);
    // Read while serve is running: WAL lets a reader in beside the writer.
    const deadline = Date.now() + 15_000;
    let text = '';
    while (!text.includes('→ done')) {
      if (Date.now() > deadline) throw new Error(`no transition in vigil history: ${text}`);
      const run = vigil(['history', '--since', '1h', '--config-dir', configDir]);
      expect(await run.exited).toBe(0);
      text = run.out();
    }
    expect(text).toMatch(/#1 {2}shop {2}project:added \(0\/2 done\) {2}\(found on start\)/);
    expect(text).toMatch(/shop {2}plan "Build the cart": todo → done/);
    expect(await served.stop()).toBe(0);

    // --since keeps to its window: nothing was recorded in the future.
    const later = vigil(['history', '--since', new Date(Date.now() + 3_600_000).toISOString(), '--config-dir', configDir]);
    expect(await later.exited).toBe(0);
    expect(later.out()).toBe('');
    expect(later.err()).toMatch(/nothing recorded since/);

    const bad = vigil(['history', '--since', 'yesterday-ish', '--config-dir', configDir]);
    expect(await bad.exited).toBe(2);
    expect(bad.err()).toMatch(/--since must be like 30m, 24h, 7d or a date/);
  }, 40_000);

  test('folders limit it to those projects', async () => {
    const api = join(base, 'api');
    await mkdir(join(api, '.taskmaster', 'tasks'), { recursive: true });
    await writeFile(join(api, '.taskmaster', 'tasks', 'tasks.json'), JSON.stringify({ master: { tasks: [{ id: 1, title: 'Rate limits', status: 'done', subtasks: [] }] } }));
    const run = vigil(['serve', project, api, '--port', '0', '--config-dir', configDir]);
    await waitFor(() => run.out().includes('\n') || run.child.exitCode !== null, 'the URL');
    const read = async (args: string[]): Promise<EngineEvent[]> => {
      const history = vigil(['history', ...args, '--json', '--config-dir', configDir]);
      expect(await history.exited).toBe(0);
      return history.out().trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as EngineEvent);
    };
    const titles = (events: EngineEvent[]) => events.flatMap((e) => (e.type === 'plan:added' ? [e.payload.plan.title] : [])).sort();
    let all: EngineEvent[] = [];
    await waitFor(async () => titles((all = await read([]))).length === 3, 'both projects in the journal');
    expect(titles(all)).toEqual(['Build the cart', 'Checkout', 'Rate limits']);
    expect(titles(await read([api]))).toEqual(['Rate limits']);
    expect(titles(await read([project]))).toEqual(['Build the cart', 'Checkout']);
    run.child.kill('SIGTERM');
    expect(await run.exited).toBe(0);
  }, 40_000);
});
