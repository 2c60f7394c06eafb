// `vigil serve` attacked and misconfigured the way it was: pipelined snapshot requests nobody
// reads, hundreds of idle connections under a small open-file limit, a default token file
// that is a folder, a tiny `ulimit -n`, a SIGTERM during start-up. The built CLI in a child
// process; what is asserted is what a user would see (memory, answers, exit code, one line).
import { connect, type Socket } from 'node:net';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import type { Snapshot } from '../../../shared/model';
import { killChildren, splitUrl, urlOf, vigil } from './serve-process';

let base: string;
let configDir: string;
const sockets: Socket[] = [];

beforeEach(async () => {
  base = await mkdtemp(join(tmpdir(), 'vigil-attack-'));
  configDir = join(base, 'config');
});

afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.destroy();
  killChildren();
  await rm(base, { recursive: true, force: true });
});

async function rssMb(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return kb / 1024;
}

/** A Task Master project with `count` tasks whose titles are `titleChars` long. */
async function bigProject(name: string, count: number, titleChars: number): Promise<string> {
  const dir = join(base, name);
  await mkdir(join(dir, '.taskmaster', 'tasks'), { recursive: true });
  const tasks = Array.from({ length: count }, (_, i) => ({ id: i + 1, title: `${name} task ${i} `.padEnd(titleChars, 'x'), status: 'pending', subtasks: [] }));
  await writeFile(join(dir, '.taskmaster', 'tasks', 'tasks.json'), JSON.stringify({ master: { tasks } }));
  return dir;
}

function openSocket(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect({ port, host: '127.0.0.1' }, () => resolve(socket));
    socket.once('error', reject);
    sockets.push(socket);
  });
}

async function healthzMs(origin: string, timeoutMs = 2000): Promise<number> {
  const started = performance.now();
  const res = await fetch(`${origin}healthz`, { signal: AbortSignal.timeout(timeoutMs) });
  expect(res.status).toBe(200);
  return performance.now() - started;
}

describe('HTTP amplification', () => {
  test('four connections pipelining 400 unread snapshot requests each: memory stays bounded and /healthz answers', async () => {
    const roots = await Promise.all([0, 1, 2, 3].map((i) => bigProject(`big${i}`, 3500, 260)));
    const served = vigil(['serve', ...roots, '--port', '0', '--config-dir', configDir]);
    const { origin, token } = splitUrl(await urlOf(served, 60_000));
    const port = Number(new URL(origin).port);
    const snapshotBytes = (await (await fetch(`${origin}api/snapshot`, { headers: { Authorization: `Bearer ${token}` } })).arrayBuffer()).byteLength;
    expect(snapshotBytes).toBeGreaterThan(5 * 1024 * 1024);

    const request = `GET /api/snapshot HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nAuthorization: Bearer ${token}\r\n\r\n`;
    const attackers = await Promise.all([0, 1, 2, 3].map(() => openSocket(port)));
    for (const socket of attackers) {
      socket.pause(); // never read a byte of the answers
      socket.on('error', () => undefined);
      socket.write(request.repeat(400));
    }
    // A paused client socket never sees the server's close, so the server's log says it.
    const closedByServer = (): number => served.stderr().split('\n').filter((line) => line.includes('closed an HTTP connection')).length;
    let peakRss = 0;
    // Watch the server while the attack runs: memory, and whether it still answers.
    const deadline = Date.now() + 20_000;
    while (closedByServer() < 4) {
      peakRss = Math.max(peakRss, await rssMb(served.child.pid!));
      expect(peakRss, 'server RSS (MB)').toBeLessThanOrEqual(500);
      await healthzMs(origin, 5000);
      if (Date.now() > deadline) throw new Error(`the server kept the attacking connections open; peak RSS ${Math.round(peakRss)} MB`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(served.stderr()).toMatch(/closed an HTTP connection .* requests waiting for answers/);
    expect(await rssMb(served.child.pid!)).toBeLessThanOrEqual(500);
  }, 90_000);
});

describe('file descriptors', () => {
  test('300 idle connections under a 256-file limit: planning changes are still read, and clients get in once they go', async () => {
    const root = await bigProject('shop', 3, 20);
    const served = vigil(['serve', root, '--port', '0', '--config-dir', configDir], { shellPrefix: 'ulimit -n 256' });
    const { origin, token } = splitUrl(await urlOf(served));
    const port = Number(new URL(origin).port);
    const idle: Socket[] = [];
    for (let i = 0; i < 300; i++) {
      const socket = await openSocket(port).catch(() => null);
      socket?.on('error', () => undefined);
      if (socket) idle.push(socket);
    }
    const tasks = { master: { tasks: [{ id: 1, title: 'shop task 0', status: 'done', subtasks: [] }] } };
    await writeFile(join(root, '.taskmaster', 'tasks', 'tasks.json'), JSON.stringify(tasks));
    // Well inside the 30 s drift sweep: the change was read when it happened, not repaired later.
    const deadline = Date.now() + 20_000;
    for (;;) {
      const res = await fetch(`${origin}api/snapshot`, { headers: { Authorization: `Bearer ${token}` }, signal: AbortSignal.timeout(3000) }).catch(() => null);
      const snapshot = res?.ok ? ((await res.json()) as Snapshot) : null;
      if (snapshot && snapshot.plans.length === 1 && snapshot.plans[0]?.status === 'done') break;
      if (Date.now() > deadline) throw new Error(`the change was not seen; stderr: ${served.stderr()}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect(served.stderr()).not.toMatch(/EMFILE|too many open files/i);
  }, 60_000);

  test('start-up under `ulimit -n 64` fails with one clear line and a non-zero exit', async () => {
    const run = vigil(['serve', '--port', '0', '--config-dir', configDir], { shellPrefix: 'ulimit -n 64' });
    const { code } = await run.exited;
    expect(code).not.toBe(0);
    const lines = run.stderr().trim().split('\n');
    expect(lines, run.stderr()).toHaveLength(1);
    expect(lines[0]).toMatch(/Only 64 open files are allowed.*ulimit -n 65536/);
    expect(run.stdout()).toBe('');
  }, 30_000);
});

describe('start-up failures', () => {
  test('a default-read-token that is a folder: one clear line, a non-zero exit, no URL and nothing left listening', async () => {
    await mkdir(join(configDir, 'default-read-token'), { recursive: true });
    const run = vigil(['serve', '--port', '0', '--config-dir', configDir]);
    const exited = await Promise.race([run.exited, new Promise<null>((resolve) => setTimeout(() => resolve(null), 20_000))]);
    if (exited === null) {
      run.child.kill('SIGTERM');
      throw new Error(`serve kept running after failing to store its token; stderr: ${run.stderr()}`);
    }
    expect(exited.code).not.toBe(0);
    expect(run.stdout()).toBe('');
    const lines = run.stderr().trim().split('\n');
    expect(lines, run.stderr()).toHaveLength(1);
    expect(lines[0]).toMatch(/cannot start: .*default-read-token.*it is a folder/);
  }, 30_000);

  test('a project root that is refused stops the start with one line', async () => {
    const run = vigil(['serve', '/', '--port', '0', '--config-dir', configDir]);
    const { code } = await run.exited;
    expect(code).not.toBe(0);
    expect(run.stderr().trim().split('\n')).toEqual([expect.stringMatching(/cannot start: Cannot add \/ is the root of the file system/)]);
  }, 30_000);

  test('SIGTERM while starting and while serving ends the process', async () => {
    const early = vigil(['serve', '--port', '0', '--config-dir', configDir]);
    early.child.kill('SIGTERM');
    expect((await early.exited).signal ?? (await early.exited).code).not.toBeNull();
    const running = vigil(['serve', '--port', '0', '--config-dir', configDir]);
    await urlOf(running);
    running.child.kill('SIGTERM');
    expect((await running.exited).code).toBe(0);
  }, 30_000);
});
