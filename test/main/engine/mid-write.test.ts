// A file rewritten by a writer that pauses between chunks longer than the quiet window: the
// engine must never publish the empty file or a prefix of the new text in place of the last
// whole version, and must still publish a file that really was saved without its final newline.
import { open } from 'node:fs/promises';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { createEngine } from '../../../main/engine/engine';
import { looksMidWrite } from '../../../main/engine/mid-write';
import { Recorder, sleep, speckitFeature, tempDir, waitUntil, writeFiles } from './live-helpers';

const TASKS = 'specs/001-user-login/tasks.md';
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function start() {
  const dir = tempDir();
  cleanups.push(dir.remove);
  writeFiles(dir.path, speckitFeature());
  const engine = await createEngine({ roots: [dir.path], driftSweepMs: 0, issueQuietMs: 300 });
  cleanups.push(() => engine.close());
  const rec = new Recorder();
  engine.hub.addSink(rec);
  const root = engine.projects()[0]!.root;
  const plan = () => engine.snapshot().plans.find((p) => p.source === 'speckit');
  return { root, engine, rec, plan };
}

describe('a file caught mid-write', () => {
  test('looksMidWrite: emptied, or cut mid-line where the last version ended with a newline', () => {
    expect(looksMidWrite('newline', '')).toBe(true);
    expect(looksMidWrite('newline', '- [x] T001 Cre')).toBe(true);
    expect(looksMidWrite('cut', '')).toBe(true);
    expect(looksMidWrite('newline', '- [x] T001\n')).toBe(false);
    // A file that never ended with a newline (JSON.stringify output) is not held for lacking one.
    expect(looksMidWrite('cut', '{"tasks": []}')).toBe(false);
    expect(looksMidWrite('empty', '')).toBe(false);
    expect(looksMidWrite(null, '')).toBe(false);
  });

  test('a writer pausing between chunks never shows the empty file or a prefix of its text', async () => {
    const { root, engine, rec, plan } = await start();
    expect(plan()).toMatchObject({ progress: { done: 0, total: 3 } });
    const text = speckitFeature([true, true, true])[TASKS]!;
    const cuts = [0.25, 0.5, 0.75].map((f) => Math.floor(text.length * f));
    // Every chunk boundary falls mid-line, as most do.
    for (const cut of cuts) expect(text[cut - 1]).not.toBe('\n');
    const handle = await open(join(root, TASKS), 'w');
    let from = 0;
    for (const to of [...cuts, text.length]) {
      // Each pause is six quiet windows long: without the check the engine reads the prefix.
      await sleep(30);
      await handle.write(text.slice(from, to));
      from = to;
    }
    await handle.close();
    await waitUntil(() => plan()?.progress.done === 3, 5000, 'the whole file to be published');
    await engine.whenIdle();
    const shown = rec.of('plan:updated').map((e) => `${e.payload.plan.progress.done}/${e.payload.plan.progress.total}`);
    expect(shown).toEqual(['3/3']);
  });

  test('a file saved without its final newline, or emptied, is still shown once it stays so', async () => {
    const { root, plan } = await start();
    const text = speckitFeature([true, false, false])[TASKS]!.trimEnd();
    writeFileSync(join(root, TASKS), text);
    await waitUntil(() => plan()?.progress.done === 1, 5000, 'the file without a final newline to be published');
    writeFileSync(join(root, TASKS), '');
    await waitUntil(() => plan()?.progress.total === 0, 5000, 'the emptied file to be published');
  });
});
