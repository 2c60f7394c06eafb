// A burst as a branch switch or a generator makes it: 5,000 Backlog.md tasks written at once
// into a project a real `vigil serve` watches, then deleted at once. The server must converge
// to the new state quickly, keep answering /healthz throughout, and send a connected client
// the burst in batches, not one frame per file. The bounds are generous for a busy CI machine;
// before the model was applied in batches this took minutes with /healthz timing out.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { io } from 'socket.io-client';
import { afterEach, expect, test } from 'vitest';
import type { EngineEvent } from '../../../shared/protocol';
import { killChildren, splitUrl, urlOf, vigil } from './serve-process';

const FILES = 5000;
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
  killChildren();
});

/** Poll /healthz every 50 ms until stopped; the slowest answer wins, a failed one is thrown by stop(). */
function watchHealth(origin: string): { stop: () => Promise<number> } {
  let slowest = 0;
  let running = true;
  let failure: unknown = null;
  const loop = (async () => {
    while (running) {
      const started = performance.now();
      try {
        const res = await fetch(`${origin}healthz`, { signal: AbortSignal.timeout(10_000) });
        await res.arrayBuffer();
        if (res.status !== 200) throw new Error(`/healthz answered ${res.status}`);
      } catch (err) {
        failure ??= err;
      }
      slowest = Math.max(slowest, performance.now() - started);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  })();
  const stop = async (): Promise<number> => {
    running = false;
    await loop;
    if (failure) throw failure;
    return slowest;
  };
  cleanups.push(async () => {
    running = false;
    await loop;
  });
  return { stop };
}

async function writeAll(paths: string[], text: (i: number) => string): Promise<void> {
  // 64 at a time, as a generator would: the burst is the server's to absorb, not the writer's.
  let next = 0;
  await Promise.all(
    Array.from({ length: 64 }, async () => {
      while (next < paths.length) {
        const i = next++;
        await writeFile(paths[i]!, text(i));
      }
    }),
  );
}

test('5,000 files created and then deleted at once converge fast, /healthz answers throughout, and a client gets batches', async () => {
  const base = await mkdtemp(join(tmpdir(), 'vigil-burst-'));
  cleanups.push(() => rm(base, { recursive: true, force: true }));
  const root = join(base, 'board');
  const tasks = join(root, 'backlog', 'tasks');
  await mkdir(tasks, { recursive: true });
  await writeFile(join(root, 'backlog', 'config.yml'), 'project_name: board\nstatuses: ["To Do", "In Progress", "Done"]\n');
  const served = vigil(['serve', root, '--port', '0', '--config-dir', join(base, 'config')]);
  const { origin, token } = splitUrl(await urlOf(served));

  const client = io(origin, { auth: { token }, transports: ['websocket'], reconnection: false, forceNew: true });
  cleanups.push(() => void client.close());
  let frames = 0;
  const plans = new Set<string>();
  client.on('events', (batch: EngineEvent[]) => {
    frames += 1;
    for (const event of batch) {
      if (event.type === 'plan:added') plans.add(event.payload.plan.id);
      if (event.type === 'plan:removed') plans.delete(event.payload.id);
    }
  });
  await new Promise((resolve) => client.once('hello', resolve));

  const until = async (check: () => boolean, what: string, timeoutMs: number): Promise<number> => {
    const started = performance.now();
    while (!check()) {
      if (performance.now() - started > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what} (${plans.size} plans, ${frames} frames)`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    return performance.now() - started;
  };

  const paths = Array.from({ length: FILES }, (_, i) => join(tasks, `task-${i + 1} - Task ${i + 1}.md`));
  const health = watchHealth(origin);
  await writeAll(paths, (i) => `---\nid: task-${i + 1}\ntitle: Task ${i + 1}\nstatus: To Do\n---\n\nDo thing ${i + 1}.\n`);
  await until(() => plans.size === FILES, 'every task on the client', 40_000);
  const framesForCreate = frames;
  await rm(tasks, { recursive: true });
  await until(() => plans.size === 0, 'every task gone on the client', 40_000);
  const slowestHealth = await health.stop();

  expect(slowestHealth, 'slowest /healthz answer (ms)').toBeLessThan(1500);
  // One frame per file would be 5,000 for the creation alone.
  expect(framesForCreate).toBeLessThan(1000);
  expect(frames - framesForCreate).toBeLessThan(1000);
}, 120_000);
