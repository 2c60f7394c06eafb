// The built `vigil serve` and its code cache, as a user's two starts of one build meet them:
// the first start writes V8's cache into the cache folder after it is listening, named after
// the build; the second start, with it in place, serves the same project correctly (that the
// cache is used, not compiled past, is code-cache.test.ts's to show: a start cannot tell).
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { io } from 'socket.io-client';
import { afterEach, beforeEach, expect, test } from 'vitest';
import type { Hello } from '../../shared/protocol';
import { CLI, killChildren, splitUrl, urlOf, vigil, type Running } from './commands/serve-process';
import { waitUntil } from './engine/live-helpers';

let base: string;
let project: string;
let cacheDir: string;

beforeEach(async () => {
  base = await mkdtemp(join(tmpdir(), 'vigil-serve-cache-'));
  project = join(base, 'shop');
  cacheDir = join(base, 'cache');
  await mkdir(join(project, '.taskmaster', 'tasks'), { recursive: true });
  await writeFile(
    join(project, '.taskmaster', 'tasks', 'tasks.json'),
    JSON.stringify({ master: { tasks: [{ id: 1, title: 'Build the cart', status: 'in-progress', subtasks: [] }] } }),
  );
});

afterEach(async () => {
  killChildren();
  await rm(base, { recursive: true, force: true });
});

function serve(): Running {
  return vigil(['serve', project, '--port', '0', '--config-dir', join(base, 'config')], { env: { VIGIL_CACHE_DIR: cacheDir } });
}

async function stopped(served: Running): Promise<void> {
  served.child.kill('SIGTERM');
  expect(await served.exited).toEqual({ code: 0, signal: null });
}

test("the first start writes the build's code cache after it is listening; the next start, with it in place, serves the same", async () => {
  const built = await readFile(join(CLI, '..', 'cli-serve.cjs'));
  const name = `serve-${createHash('sha256').update(built).digest('hex').slice(0, 16)}-${process.version}-${process.arch}.v8cache`;

  const first = serve();
  await urlOf(first);
  const file = join(cacheDir, name);
  await waitUntil(async () => (await readdir(cacheDir).catch((): string[] => [])).includes(name), 20_000, 'the code cache');
  expect((await stat(file)).size).toBeGreaterThan(100_000);
  await stopped(first);

  const second = serve();
  const { origin, token } = splitUrl(await urlOf(second));
  const socket = io(origin, { auth: { token }, transports: ['websocket'], reconnection: false, forceNew: true });
  try {
    const hello = await new Promise<Hello>((resolve, reject) => {
      socket.once('hello', resolve);
      socket.once('connect_error', reject);
    });
    expect(hello.snapshot.plans.map((p) => p.title)).toEqual(['Build the cart']);
  } finally {
    socket.disconnect();
  }
  await stopped(second);
  expect(await readdir(cacheDir)).toEqual([name]);
});
