// A natively watched project reads a changed file with blocking calls on the engine's own
// thread: a thread pool kept busy by other work (a slow disk, a long hash, a reader waiting on
// a pipe) does not hold a plan's change back. Real temp folders, the real engine and its
// watches; the pool is filled with real work (pbkdf2) until the change has been shown.
import { pbkdf2 } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, expect, test } from 'vitest';
import { createEngine } from '../../../main/engine/engine';
import { Recorder, speckitFeature, tempDir, writeFiles } from './live-helpers';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const TASKS = 'specs/001-user-login/tasks.md';

/** How many hash jobs are queued at once: three times the pool's threads. */
const JOBS = Number(process.env.UV_THREADPOOL_SIZE ?? 4) * 3;

/**
 * Queue JOBS hash jobs on libuv's pool (about half a second each here), more than it has
 * threads: work queued after them waits until all but the last few have ended.
 */
function fillThreadPool(): { ended(): number; allEnded: Promise<void> } {
  let ended = 0;
  let resolveAll: () => void = () => undefined;
  const allEnded = new Promise<void>((resolve) => (resolveAll = resolve));
  for (let i = 0; i < JOBS; i++) {
    pbkdf2('vigil', 'salt', 1_000_000, 32, 'sha256', () => {
      ended++;
      if (ended === JOBS) resolveAll();
    });
  }
  return { ended: () => ended, allEnded };
}

test('a changed plan file is read while the thread pool is busy with other work', async () => {
  const dir = tempDir();
  cleanups.push(dir.remove);
  writeFiles(dir.path, speckitFeature());
  const engine = await createEngine({ roots: [dir.path], driftSweepMs: 0, quietMs: 1 });
  cleanups.push(() => engine.close());
  const rec = new Recorder();
  engine.hub.addSink(rec);
  const root = engine.projects()[0]?.root ?? dir.path;

  const pool = fillThreadPool();
  cleanups.push(() => pool.allEnded);
  writeFileSync(join(root, TASKS), speckitFeature([true, true, false])[TASKS] as string);
  await rec.waitFor('plan:updated', (e) => e.payload.plan.progress.done === 2);
  // A read through the pool would have come after at least JOBS − threads jobs had ended (the
  // pool takes work in order); read on the engine's thread, it comes before most have.
  expect(pool.ended()).toBeLessThan(Number(process.env.UV_THREADPOOL_SIZE ?? 4));
});
