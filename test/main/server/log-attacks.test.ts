// Attacks on log following with only a read token and write access inside a project: swap a
// followed log for a symlink out, let a log appear as a symlink, swap the log's folder for a
// link to another tree, follow a file that is no log, and block the thread pool with named
// pipes. Nothing outside the project may reach the client, and the server must keep serving.
import { execFileSync } from 'node:child_process';
import { constants } from 'node:fs';
import { appendFile, mkdir, open, rename, rm, symlink, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { closeWorlds, createWorld, until, writeTasks, type TestClient, type World } from './world';

const SECRET = 'root:x:0:0:root:/root:/bin/bash';
const fifos: string[] = [];

afterEach(async () => {
  // A FIFO opened for reading by a build without O_NONBLOCK holds a thread until a writer
  // comes: be that writer, so a failing run cannot hang the suite.
  for (const fifo of fifos.splice(0)) {
    const writer = await open(fifo, constants.O_WRONLY | constants.O_NONBLOCK).catch(() => null);
    await writer?.close();
  }
  await closeWorlds();
});

const texts = (client: TestClient): string[] => client.logs.flatMap((m) => m.lines.map((l) => l.text));

async function attackWorld(): Promise<{ world: World; errors: string[]; outside: string }> {
  const errors: string[] = [];
  const world = await createWorld({ engine: { onError: (err) => errors.push(err instanceof Error ? err.message : String(err)) } });
  const outside = join(world.base, 'outside');
  await mkdir(outside, { recursive: true });
  await writeFile(join(outside, 'passwd'), `${SECRET}\n`);
  await writeFile(join(outside, 'build.log'), `${SECRET}\n`);
  return { world, errors, outside };
}

async function follow(world: World, client: TestClient, path: string): Promise<void> {
  const reply = await client.request('subscribe', { projects: 'all', logs: [{ projectId: world.ids.alpha!, path }] });
  expect(reply.ok ? 'ok' : reply.error.message).toBe('ok');
}

describe('a followed log is checked on every open (TOCTOU)', () => {
  test('a log replaced by a symlink to /etc/passwd after subscribing streams nothing of it', async () => {
    const { world, errors, outside } = await attackWorld();
    const log = join(world.dirs.alpha!, 'coderef', 'workorder-log.txt');
    await mkdir(join(world.dirs.alpha!, 'coderef'), { recursive: true });
    await writeFile(log, 'WO-A-001 | alpha | started | 2026-01-01T00:00:00Z\n');
    const client = await world.connect();
    await follow(world, client, 'coderef/workorder-log.txt');
    await until(() => texts(client).some((t) => t.includes('started')), 'the backlog');

    await unlink(log);
    await symlink(join(outside, 'passwd'), log);
    await until(() => errors.some((e) => e.includes('workorder-log.txt')), 'the refused reopen reported');
    // The log comes back as a real file: it is followed again, and the secret never came.
    await unlink(log);
    await writeFile(log, 'WO-A-002 | alpha | back | 2026-01-01T00:01:00Z\n');
    await until(() => texts(client).some((t) => t.includes('back')), 'the real log again');
    expect(texts(client).join('\n')).not.toContain('root:x');
  });

  test('a log that does not exist yet and appears as a symlink out is never read', async () => {
    const { world, errors, outside } = await attackWorld();
    await mkdir(join(world.dirs.alpha!, 'coderef'), { recursive: true });
    const log = join(world.dirs.alpha!, 'coderef', 'workorder-log.txt');
    const client = await world.connect();
    await follow(world, client, 'coderef/workorder-log.txt');
    await symlink(join(outside, 'passwd'), log);
    await until(() => errors.some((e) => e.includes('workorder-log.txt')), 'the refused open reported');
    await unlink(log);
    await writeFile(log, 'WO-A-003 | alpha | real | 2026-01-01T00:02:00Z\n');
    await until(() => texts(client).some((t) => t.includes('real')), 'the real log');
    expect(texts(client).join('\n')).not.toContain('root:x');
  });

  test("a log's folder swapped for a symlink to an outside folder streams nothing from there", async () => {
    const { world, errors, outside } = await attackWorld();
    const logs = join(world.dirs.alpha!, 'coderef', 'logs');
    await mkdir(logs, { recursive: true });
    await writeFile(join(logs, 'build.log'), 'compiling\n');
    const client = await world.connect();
    await follow(world, client, 'coderef/logs/build.log');
    await until(() => texts(client).includes('compiling'), 'the backlog');

    await rename(logs, join(world.dirs.alpha!, 'coderef', 'logs-old'));
    await symlink(outside, logs);
    await appendFile(join(outside, 'build.log'), `${SECRET}\n`);
    await until(() => errors.some((e) => e.includes('build.log')), 'the refused reopen reported');
    expect(texts(client).join('\n')).not.toContain('root:x');
  });
});

describe('only files Vigil lists as logs can be followed', () => {
  test('planning files, source files and root-level files are forbidden; work-order logs and *.log in planning folders are not', async () => {
    const { world } = await attackWorld();
    const alpha = world.dirs.alpha!;
    await writeFile(join(alpha, '.env'), 'API_KEY=hunter2\n');
    await writeFile(join(alpha, 'server.log'), 'root-level log\n');
    await mkdir(join(alpha, 'src'), { recursive: true });
    await writeFile(join(alpha, 'src', 'debug.log'), 'source tree log\n');
    await symlink(join(alpha, '.env'), join(alpha, '.taskmaster', 'env.log'));
    const client = await world.connect();
    for (const path of ['.env', '.taskmaster/tasks/tasks.json', 'server.log', 'src/debug.log', '.taskmaster/env.log']) {
      const reply = await client.request('subscribe', { projects: 'all', logs: [{ projectId: world.ids.alpha!, path }] });
      expect(reply.ok ? 'ok' : reply.error.code, path).toBe('forbidden');
    }
    for (const path of ['coderef/workorder-log.txt', '.taskmaster/agent.log']) {
      const reply = await client.request('subscribe', { projects: 'all', logs: [{ projectId: world.ids.alpha!, path }] });
      expect(reply.ok ? 'ok' : reply.error.message, path).toBe('ok');
    }
    expect(texts(client).join('\n')).not.toContain('hunter2');
  });

  test('another module can register its logs (run logs) and take them back', async () => {
    const { world } = await attackWorld();
    await mkdir(join(world.dirs.alpha!, '.vigil', 'runs'), { recursive: true });
    await writeFile(join(world.dirs.alpha!, '.vigil', 'runs', 'r1.log'), 'run output\n');
    const client = await world.connect();
    const ask = async (): Promise<string> => {
      const reply = await client.request('subscribe', { projects: 'all', logs: [{ projectId: world.ids.alpha!, path: '.vigil/runs/r1.log' }] });
      return reply.ok ? 'ok' : reply.error.code;
    };
    expect(await ask()).toBe('forbidden');
    const registration = world.engine.logPaths.register((_project, rel) => rel === '.vigil/runs/r1.log');
    expect(await ask()).toBe('ok');
    await until(() => texts(client).includes('run output'), 'the run log');
    registration.close();
    await client.request('subscribe', { projects: 'all', logs: [] });
    expect(await ask()).toBe('forbidden');
  });
});

describe('named pipes cannot hang the server', () => {
  test('subscribing to FIFOs is refused at once, and logs swapped for FIFOs block nothing', async () => {
    const { world, errors } = await attackWorld();
    const dir = join(world.dirs.alpha!, 'coderef');
    await mkdir(dir, { recursive: true });
    const names = ['a', 'b', 'c', 'd', 'e'].map((n) => `pipe-${n}.log`);
    for (const name of names) {
      fifos.push(join(dir, name));
      execFileSync('mkfifo', [join(dir, name)]);
    }
    const client = await world.connect();
    for (const name of names) {
      const reply = await client.request('subscribe', { projects: 'all', logs: [{ projectId: world.ids.alpha!, path: `coderef/${name}` }] }, 3000);
      expect(reply.ok ? 'ok' : reply.error.code, name).toBe('forbidden');
    }

    // Regular logs while subscribed, then each becomes a FIFO: every reopen meets a pipe.
    const swapped = ['f', 'g', 'h', 'i', 'j'].map((n) => `swap-${n}.log`);
    for (const name of swapped) await writeFile(join(dir, name), `${name} first\n`);
    const reply = await client.request('subscribe', {
      projects: 'all',
      logs: swapped.map((name) => ({ projectId: world.ids.alpha!, path: `coderef/${name}` })),
    });
    expect(reply.ok).toBe(true);
    for (const name of swapped) {
      await rm(join(dir, name));
      fifos.push(join(dir, name));
      execFileSync('mkfifo', [join(dir, name)]);
    }
    await until(() => swapped.every((name) => errors.some((e) => e.includes(name))), 'every pipe refused on reopen');

    // The thread pool is free: planning changes are seen, the snapshot loads, new logs open.
    await writeTasks(world.dirs.alpha!, [{ id: 1, title: 'alpha first task', status: 'done' }]);
    await until(() => client.events.some((e) => e.type === 'item:status'), 'the planning change');
    const res = await fetch(new URL('/api/snapshot', world.server.url), { headers: { Authorization: `Bearer ${world.read}` } });
    expect(res.status).toBe(200);
    await writeFile(join(dir, 'fine.log'), 'still served\n');
    const other = await world.connect();
    const ok = await other.request('subscribe', { projects: 'all', logs: [{ projectId: world.ids.alpha!, path: 'coderef/fine.log' }] }, 3000);
    expect(ok.ok).toBe(true);
    await until(() => texts(other).includes('still served'), 'the new log');
  });
});

describe('project roots', () => {
  test('the file-system root, system folders and the home folder are refused as projects, with the reason', async () => {
    const { world } = await attackWorld();
    const controller = await world.connect({ token: world.control });
    for (const [root, reason] of [
      ['/', /root of the file system/],
      ['/etc', /system folder/],
      ['/proc/self', /system folder/],
      [process.env.HOME ?? '/root', /home folder/],
    ] as const) {
      const reply = await controller.request('project:add', { root });
      expect(reply.ok, root).toBe(false);
      if (!reply.ok) {
        expect(reply.error.code, root).toBe('forbidden');
        expect(reply.error.message, root).toMatch(reason);
      }
    }
    expect(world.engine.projects().map((p) => p.root)).toEqual([world.dirs.alpha]);
  });
});
