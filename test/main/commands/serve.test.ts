// `vigil serve` as a user runs it: the built CLI in a child process, a real project folder,
// a temp config dir, a real socket.io client.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { io } from 'socket.io-client';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import type { Hello } from '../../../shared/protocol';

const CLI = fileURLToPath(new URL('../../../dist/cli.js', import.meta.url));

interface Served {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

let base: string;
let project: string;
let configDir: string;
const children: ChildProcess[] = [];
const cleanups: (() => unknown)[] = [];

function serve(...args: string[]): Served {
  const child = spawn(process.execPath, [CLI, 'serve', ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, VIGIL_CONFIG_DIR: configDir } });
  children.push(child);
  let out = '';
  let err = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
  // 'close', not 'exit': only then has everything the process wrote been read.
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('close', (code, signal) => resolve({ code, signal })));
  return { child, stdout: () => out, stderr: () => err, exited };
}

/** The first stdout line: the URL. */
async function urlOf(served: Served): Promise<string> {
  const deadline = Date.now() + 15_000;
  while (!served.stdout().includes('\n')) {
    if (served.child.exitCode !== null) throw new Error(`vigil serve exited ${served.child.exitCode}: ${served.stderr()}`);
    if (Date.now() > deadline) throw new Error(`no URL printed; stderr: ${served.stderr()}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return served.stdout().split('\n')[0]!;
}

beforeEach(async () => {
  base = await mkdtemp(join(tmpdir(), 'vigil-serve-'));
  project = join(base, 'shop');
  configDir = join(base, 'config');
  await mkdir(join(project, '.taskmaster', 'tasks'), { recursive: true });
  await writeFile(
    join(project, '.taskmaster', 'tasks', 'tasks.json'),
    JSON.stringify({ master: { tasks: [{ id: 1, title: 'Build the cart', status: 'in-progress', subtasks: [] }] } }),
  );
});

afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
  for (const child of children.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  await rm(base, { recursive: true, force: true });
});

describe('vigil serve', () => {
  test('prints one URL with a read token, serves the UI and the protocol, and exits 0 on SIGTERM', async () => {
    const served = serve(project, '--port', '0', '--config-dir', configDir);
    const url = await urlOf(served);
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/#token=vigil_[A-Za-z0-9_-]{43}$/);
    const origin = url.slice(0, url.indexOf('#'));
    const token = url.slice(url.indexOf('#token=') + '#token='.length);

    const health = (await (await fetch(`${origin}healthz`)).json()) as { ok: boolean };
    expect(health.ok).toBe(true);
    const page = await fetch(origin);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect((await fetch(`${origin}api/snapshot`)).status).toBe(401);

    const socket = io(origin, { auth: { token }, transports: ['websocket'], reconnection: false, forceNew: true });
    cleanups.push(() => socket.disconnect());
    const hello = await new Promise<Hello>((resolve, reject) => {
      socket.once('hello', resolve);
      socket.once('connect_error', reject);
    });
    expect(hello.snapshot.plans.map((p) => p.title)).toEqual(['Build the cart']);
    // A read token may look but not steer.
    const reply = (await socket.timeout(5000).emitWithAck('engine:stop', {})) as { ok: boolean; error?: { code: string } };
    expect(reply).toMatchObject({ ok: false, error: { code: 'forbidden' } });

    const disconnected = new Promise((resolve) => socket.once('disconnect', resolve));
    served.child.kill('SIGTERM');
    expect(await served.exited).toEqual({ code: 0, signal: null });
    await disconnected;
    expect(served.stdout().trim().split('\n')).toHaveLength(1);
  });

  test('SIGINT exits 0 too', async () => {
    const served = serve(project, '--port', '0', '--config-dir', configDir);
    await urlOf(served);
    served.child.kill('SIGINT');
    expect(await served.exited).toEqual({ code: 0, signal: null });
  });

  test('the printed URL survives a restart (the default read token is kept)', async () => {
    const first = serve(project, '--port', '0', '--config-dir', configDir);
    const a = await urlOf(first);
    first.child.kill('SIGTERM');
    await first.exited;
    const second = serve(project, '--port', '0', '--config-dir', configDir);
    const b = await urlOf(second);
    second.child.kill('SIGTERM');
    await second.exited;
    expect(b.slice(b.indexOf('#'))).toBe(a.slice(a.indexOf('#')));
  });

  test('--no-token-print prints the URL without a token', async () => {
    const served = serve(project, '--port', '0', '--no-token-print', '--config-dir', configDir);
    const url = await urlOf(served);
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    served.child.kill('SIGTERM');
    expect((await served.exited).code).toBe(0);
  });

  test('a port in use is a clear error with exit code 2', async () => {
    const blocker: Server = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    cleanups.push(() => new Promise((resolve) => blocker.close(resolve)));
    const port = (blocker.address() as { port: number }).port;
    const served = serve(project, '--port', String(port), '--config-dir', configDir);
    expect(await served.exited).toEqual({ code: 2, signal: null });
    expect(served.stderr()).toContain(`Port ${port} is in use — start with --port 0 to pick a free one`);
    expect(served.stdout()).toBe('');
  });

  test('--max-clients caps the connections; one more is refused with server_full', async () => {
    const served = serve(project, '--port', '0', '--max-clients', '1', '--config-dir', configDir);
    const url = await urlOf(served);
    const origin = url.slice(0, url.indexOf('#'));
    const token = url.slice(url.indexOf('#token=') + '#token='.length);
    const connect = () => {
      const socket = io(origin, { auth: { token }, transports: ['websocket'], reconnection: false, forceNew: true });
      cleanups.push(() => socket.disconnect());
      return socket;
    };
    const first = connect();
    await new Promise((resolve, reject) => {
      first.once('hello', resolve);
      first.once('connect_error', reject);
    });
    const second = connect();
    const refusal = await new Promise<Error & { data?: { code?: string } }>((resolve, reject) => {
      second.once('connect', () => reject(new Error('a second client got in')));
      second.once('connect_error', resolve);
    });
    expect(refusal.data?.code).toBe('server_full');
    served.child.kill('SIGTERM');
    expect((await served.exited).code).toBe(0);
    // Read once the process is gone: its log line may reach us after the refusal does.
    expect(served.stderr()).toContain('1 clients already connected');
  });

  test('a bad --max-clients is refused before anything starts', async () => {
    for (const value of ['0', 'lots', '100001']) {
      const served = serve(`--max-clients=${value}`, '--config-dir', configDir);
      expect((await served.exited).code).toBe(2);
      expect(served.stderr()).toContain(`--max-clients must be a whole number from 1 to 100000, not "${value}"`);
    }
  });

  test('a bad --port is refused before anything starts', async () => {
    const served = serve('--port', 'eighty', '--config-dir', configDir);
    expect((await served.exited).code).toBe(2);
    expect(served.stderr()).toContain('--port must be a number from 0 to 65535');
  });

  test('--control prints a second URL whose token may change things, the same one after a restart', async () => {
    const first = serve(project, '--port', '0', '--control', '--config-dir', configDir);
    await expect.poll(() => first.stdout().split('\n').filter((l) => l.startsWith('http')).length, { timeout: 15_000 }).toBe(2);
    const [readUrl, controlUrl] = first.stdout().trim().split('\n') as [string, string];
    const tokenOf = (url: string) => decodeURIComponent(url.slice(url.indexOf('#token=') + '#token='.length));
    await expect.poll(() => first.stderr(), { timeout: 15_000 }).toContain('the second may also add, pause and remove projects');

    const origin = readUrl.slice(0, readUrl.indexOf('#'));
    const ask = async (token: string) => {
      const socket = io(origin, { auth: { token }, transports: ['websocket'], reconnection: false, forceNew: true });
      cleanups.push(() => socket.disconnect());
      const hello = await new Promise<Hello>((resolve, reject) => {
        socket.once('hello', resolve);
        socket.once('connect_error', reject);
      });
      const projectId = hello.snapshot.projects[0]!.id;
      return (await socket.timeout(5000).emitWithAck('project:pause', { projectId, paused: true })) as { ok: boolean; error?: { code: string } };
    };
    expect(await ask(tokenOf(readUrl))).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await ask(tokenOf(controlUrl))).toMatchObject({ ok: true });
    first.child.kill('SIGTERM');
    await first.exited;

    const second = serve(project, '--port', '0', '--control', '--config-dir', configDir);
    await expect.poll(() => second.stdout().split('\n').filter((l) => l.startsWith('http')).length, { timeout: 15_000 }).toBe(2);
    expect(tokenOf(second.stdout().trim().split('\n')[1]!)).toBe(tokenOf(controlUrl));
    second.child.kill('SIGTERM');
    expect((await second.exited).code).toBe(0);
  });

  test('--control with a host other machines can reach is refused unless --allow-remote-control says so', async () => {
    const refused = serve('--port', '0', '--control', '--host', '0.0.0.0', '--config-dir', configDir);
    expect(await refused.exited).toEqual({ code: 2, signal: null });
    expect(refused.stdout()).toBe('');
    expect(refused.stderr().trim().split('\n')).toHaveLength(1);
    expect(refused.stderr()).toContain('--allow-remote-control');

    const allowed = serve('--port', '0', '--control', '--allow-remote-control', '--host', '0.0.0.0', '--config-dir', configDir);
    await expect.poll(() => allowed.stdout().split('\n').filter((l) => l.startsWith('http')).length, { timeout: 15_000 }).toBe(2);
    allowed.child.kill('SIGTERM');
    expect((await allowed.exited).code).toBe(0);
  });

  test('a folder that does not exist is named on stderr, as scan names it, and the server still starts', async () => {
    const ghost = join(base, 'ghost');
    const served = serve(project, ghost, '--port', '0', '--config-dir', configDir);
    await urlOf(served);
    await expect.poll(() => served.stderr(), { timeout: 15_000 }).toContain(`vigil serve: ${ghost}: no such folder (${ghost}); watching for it to appear`);
    served.child.kill('SIGTERM');
    expect((await served.exited).code).toBe(0);
  });

  test('folders that cannot be used are each named once, in the order they were given', async () => {
    const file = join(base, 'a-file.txt');
    await writeFile(file, 'not a folder\n');
    const ghosts = ['ghost-b', 'ghost-a', 'ghost-c'].map((name) => join(base, name));
    const served = serve(ghosts[0]!, project, file, ghosts[1]!, ghosts[2]!, '--port', '0', '--config-dir', configDir);
    await urlOf(served);
    const named = () =>
      served
        .stderr()
        .split('\n')
        .filter((line) => line.endsWith('watching for it to appear'));
    await expect.poll(() => named().length, { timeout: 15_000 }).toBeGreaterThanOrEqual(4);
    expect(named()).toEqual([
      `vigil serve: ${ghosts[0]}: no such folder (${ghosts[0]}); watching for it to appear`,
      `vigil serve: ${file}: not a folder (give the folder that holds the project); watching for it to appear`,
      `vigil serve: ${ghosts[1]}: no such folder (${ghosts[1]}); watching for it to appear`,
      `vigil serve: ${ghosts[2]}: no such folder (${ghosts[2]}); watching for it to appear`,
    ]);
    served.child.kill('SIGTERM');
    expect((await served.exited).code).toBe(0);
  });

  test('SIGHUP (the terminal closing) stops it cleanly too', async () => {
    const served = serve(project, '--port', '0', '--config-dir', configDir);
    await urlOf(served);
    served.child.kill('SIGHUP');
    expect(await served.exited).toEqual({ code: 0, signal: null });
  });
});
