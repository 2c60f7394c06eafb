// Where the watch hears a writer close a file (inotify, on Linux), the engine reads the file at
// that moment: no quiet window to wait out, and no hold for a text that looks cut — the writer
// has said it is done. While the writer still has the file open, nothing it wrote half-way is
// shown. Real temp folders, the real engine and its real watches.
import { closeSync, openSync, renameSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { createEngine, type Engine, type EngineOptions } from '../../../main/engine/engine';
import { openInotify } from '../../../main/engine/inotify';
import { Recorder, sleep, speckitFeature, tempDir, writeFiles } from './live-helpers';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const TASKS = 'specs/001-user-login/tasks.md';
/** Longer than any test waits: a change shown before it was shown by the writer's close. */
const NEVER_MS = 60_000;

async function start(options: EngineOptions): Promise<{ root: string; engine: Engine; rec: Recorder }> {
  const dir = tempDir();
  cleanups.push(dir.remove);
  writeFiles(dir.path, speckitFeature());
  const engine = await createEngine({ roots: [dir.path], driftSweepMs: 0, missingPollMs: 50, ...options });
  cleanups.push(() => engine.close());
  const rec = new Recorder();
  engine.hub.addSink(rec);
  return { root: engine.projects()[0]?.root ?? dir.path, engine, rec };
}

const progressOf = (engine: Engine): unknown => engine.snapshot().plans.find((p) => p.source === 'speckit')?.progress;

describe.runIf(process.platform === 'linux')('a writer closing a file (inotify)', () => {
  test('Linux watches hear closes here', () => {
    expect(openInotify()).not.toBeNull();
  });

  test('a file its writer closed is read at once, however long the quiet window', async () => {
    const { root, engine, rec } = await start({ quietMs: NEVER_MS, maxWaitMs: NEVER_MS, issueQuietMs: NEVER_MS });
    writeFileSync(join(root, TASKS), speckitFeature([true, false, false])[TASKS] as string);
    await rec.waitFor('plan:updated', (e) => e.payload.plan.progress.done === 1);
    expect(progressOf(engine)).toEqual({ done: 1, total: 3 });
  });

  test('a file renamed into place is read at once, however long the quiet window', async () => {
    const { root, engine, rec } = await start({ quietMs: NEVER_MS, maxWaitMs: NEVER_MS, issueQuietMs: NEVER_MS });
    const temp = join(root, 'specs/001-user-login/.tasks.md.tmp');
    writeFileSync(temp, speckitFeature([true, true, false])[TASKS] as string);
    renameSync(temp, join(root, TASKS));
    await rec.waitFor('plan:updated', (e) => e.payload.plan.progress.done === 2);
    expect(progressOf(engine)).toEqual({ done: 2, total: 3 });
  });

  test('a text that looks cut is shown at once when its writer closed the file like that', async () => {
    const { root, engine, rec } = await start({ issueQuietMs: NEVER_MS });
    const full = speckitFeature()[TASKS] as string;
    // Whole lines, newline-ended, a strict prefix: held while a writer may be at it.
    const prefix = full.slice(0, full.indexOf('\n## Phase 2') + 1);
    writeFileSync(join(root, TASKS), prefix);
    await rec.waitFor('plan:updated', (e) => e.payload.plan.progress.total === 2);
    expect(progressOf(engine)).toEqual({ done: 0, total: 2 });
  });

  test('a write into a file still open is not taken as complete; the close is', async () => {
    // With no quiet window to end, only an event that says the writer is done can start a read.
    const { root, engine, rec } = await start({ quietMs: NEVER_MS, maxWaitMs: NEVER_MS, issueQuietMs: NEVER_MS });
    const afterSeq = rec.lastSeq;
    const text = speckitFeature([true, true, true])[TASKS] as string;
    const lines = text.split(/(?<=\n)/);
    const fd = openSync(join(root, TASKS), 'w');
    let open = true;
    cleanups.push(() => {
      if (open) closeSync(fd);
    });
    // Chunks end at line ends, so each prefix would parse cleanly as a plan with fewer tasks.
    for (let i = 0; i < lines.length; i += 3) {
      writeSync(fd, lines.slice(i, i + 3).join(''));
      await sleep(25);
    }
    expect(rec.of('plan:updated').filter((e) => e.seq > afterSeq)).toEqual([]);
    closeSync(fd);
    open = false;
    await rec.waitFor('plan:updated', (e) => e.payload.plan.progress.done === 3, { afterSeq });
    expect(rec.of('plan:updated').filter((e) => e.seq > afterSeq).map((e) => e.payload.plan.progress)).toEqual([{ done: 3, total: 3 }]);
    expect(progressOf(engine)).toEqual({ done: 3, total: 3 });
  });
});
