// The fresh-snapshot amplification attack, reproduced against `vigil serve` as it runs: read-token
// clients ask for a fresh hello (a resync from a future seq) 18 times a second, under the
// message rate limit, on a workspace whose snapshot is several megabytes; some read what they
// get, some never do. The server must keep its memory bounded, keep answering /healthz, drop
// the clients that do not read with a reason in its log, and give memory back once they leave.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, expect, test } from 'vitest';
import WebSocket from 'ws';
import { until } from './world';

const CLI = fileURLToPath(new URL('../../../dist/cli.js', import.meta.url));
const MB = 1024 * 1024;

let base: string;
const children: ChildProcess[] = [];
const sockets: WebSocket[] = [];

afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.terminate();
  for (const child of children.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  await rm(base, { recursive: true, force: true });
});

/** A Task Master project whose tasks have long titles: about `megabytes` of snapshot. */
async function bigProject(root: string, megabytes: number): Promise<void> {
  const title = 'Make the checkout survive a flaky payment provider '.repeat(20);
  const count = Math.ceil((megabytes * MB) / (title.length + 250));
  const tasks = Array.from({ length: count }, (_, i) => ({ id: i + 1, title: `${i} ${title}`, status: i % 3 ? 'pending' : 'done', subtasks: [] }));
  await mkdir(join(root, '.taskmaster', 'tasks'), { recursive: true });
  await writeFile(join(root, '.taskmaster', 'tasks', 'tasks.json'), JSON.stringify({ master: { tasks } }));
}

function rssBytes(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? 'NaN');
  return kb * 1024;
}

/** GET /healthz; the time it took, or Infinity when it did not answer within 5 s (the machine may be busy). */
async function healthzMs(origin: string): Promise<number> {
  const started = performance.now();
  try {
    const res = await fetch(`${origin}healthz`, { signal: AbortSignal.timeout(5000) });
    await res.text();
    return res.ok ? performance.now() - started : Number.POSITIVE_INFINITY;
  } catch {
    return Number.POSITIVE_INFINITY;
  }
}

/**
 * A socket.io client spoken by hand over a raw WebSocket, so that it can stop reading: after
 * its namespace is joined it sends `resync` from a future seq, without an ack, 18 times a second.
 */
function attacker(origin: string, token: string, reads: boolean): { stop(): void; received: () => number } {
  const ws = new WebSocket(`${origin.replace('http', 'ws')}socket.io/?EIO=4&transport=websocket`);
  sockets.push(ws);
  let received = 0;
  let timer: NodeJS.Timeout | null = null;
  ws.on('error', () => undefined);
  ws.on('message', (data: Buffer) => {
    received += data.length;
    const text = data.toString('utf8', 0, Math.min(data.length, 64));
    if (text.startsWith('0{')) ws.send(`40${JSON.stringify({ token })}`);
    else if (text === '2') ws.send('3');
    else if (text.startsWith('40{')) {
      timer = setInterval(() => ws.send('42["resync",{"sinceSeq":1000000000000}]'), 1000 / 18);
      // One who does not read: the kernel's buffers fill and the server's writes pile up.
      if (!reads) (ws as unknown as { _socket: { pause(): void } })._socket.pause();
    }
  });
  ws.on('close', () => timer && clearInterval(timer));
  return {
    stop: () => {
      if (timer) clearInterval(timer);
      ws.terminate();
    },
    received: () => received,
  };
}

test('read tokens asking for fresh snapshots cannot exhaust the server', { timeout: 120_000 }, async () => {
  base = await mkdtemp(join(tmpdir(), 'vigil-amplify-'));
  const roots = [join(base, 'shop'), join(base, 'api')];
  for (const root of roots) await bigProject(root, 3);
  const configDir = join(base, 'config');
  const child = spawn(process.execPath, [CLI, 'serve', ...roots, '--port', '0', '--config-dir', configDir], { stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let stdout = '';
  let stderr = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const url = await until(() => stdout.includes('\n') && stdout.split('\n')[0], 'the URL', 30_000);
  const origin = url.slice(0, url.indexOf('#'));
  const token = url.slice(url.indexOf('#token=') + '#token='.length);

  // The snapshot is several megabytes, and the server at rest is the baseline.
  const snapshot = await (await fetch(`${origin}api/snapshot`, { headers: { authorization: `Bearer ${token}` } })).text();
  expect(snapshot.length).toBeGreaterThan(5 * MB);
  const baseline = rssBytes(child.pid!);

  const attackers = [
    ...Array.from({ length: 4 }, () => attacker(origin, token, true)),
    ...Array.from({ length: 4 }, () => attacker(origin, token, false)),
  ];
  let peak = baseline;
  const health: number[] = [];
  const attackEnds = Date.now() + 15_000;
  while (Date.now() < attackEnds) {
    health.push(await healthzMs(origin));
    peak = Math.max(peak, rssBytes(child.pid!));
    if (peak > 500 * MB) break;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  const readers = attackers.slice(0, 4);
  const readBytes = readers.map((a) => a.received());
  for (const a of attackers) a.stop();

  expect(peak, `server RSS peaked at ${Math.round(peak / MB)} MB (baseline ${Math.round(baseline / MB)} MB)`).toBeLessThanOrEqual(500 * MB);
  expect(health.filter((ms) => ms === Number.POSITIVE_INFINITY), `/healthz polls unanswered within 5 s of ${health.length}`).toEqual([]);
  const median = [...health].sort((a, b) => a - b)[Math.floor(health.length / 2)]!;
  expect(median, 'median /healthz time during the attack, ms').toBeLessThan(500);
  // The readers got their first hello and then mostly refusals, not a snapshot 18 times a second.
  for (const bytes of readBytes) expect(bytes).toBeLessThan(15 * snapshot.length);
  // Those that did not read were dropped, and the log says why.
  expect(stderr).toMatch(/disconnected because \d+ bytes wait to be written to it, over the limit of \d+: it is not reading/);

  // Memory comes back once they are gone, and the server still serves.
  await until(() => rssBytes(child.pid!) < baseline + 100 * MB, `RSS back near the baseline of ${Math.round(baseline / MB)} MB`, 60_000);
  expect(await healthzMs(origin)).toBeLessThan(5000);
});
