// A config document under bad edits and concurrent writers: a damaged file is moved aside and
// the last good content written back (never a silent reset); updates from two stores (as two
// processes would) both survive, because each re-reads under the lock.
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { z } from 'zod';
import { JsonFile } from '../../../main/engine/json-file';

const Schema = z.object({ items: z.array(z.string()) });
let dir: string;
let path: string;
const file = (): JsonFile<typeof Schema> => new JsonFile(path, Schema, () => ({ items: [] }));

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'vigil-json-'));
  path = join(dir, 'list.json');
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('JsonFile', () => {
  test('a file damaged after a good read is moved aside and its last good content written back', async () => {
    const doc = file();
    await writeFile(path, JSON.stringify({ items: ['a', 'b'] }));
    expect((await doc.load()).value.items).toEqual(['a', 'b']);
    await writeFile(path, '{"items": [ oops');
    const loaded = await doc.load();
    expect(loaded.value.items).toEqual(['a', 'b']);
    expect(loaded.warning).toMatch(/moved to .*list\.json\.corrupt-.*last good content was written back/);
    expect(JSON.parse(await readFile(path, 'utf8'))).toEqual({ items: ['a', 'b'] });
    const aside = (await readdir(dir)).find((name) => name.startsWith('list.json.corrupt-'))!;
    expect(await readFile(join(dir, aside), 'utf8')).toBe('{"items": [ oops');
  });

  test('a save read between its truncation and its write is read again, not moved aside', async () => {
    let saves = 0;
    // The editor's write lands while Vigil waits to see whether the empty file stays empty.
    const finishSave = async (): Promise<void> => {
      if (saves++ === 0) await writeFile(path, JSON.stringify({ items: ['edited'] }));
    };
    const doc = new JsonFile(path, Schema, () => ({ items: [] }), finishSave);
    await writeFile(path, JSON.stringify({ items: ['a'] }));
    expect((await doc.load()).value.items).toEqual(['a']);
    await writeFile(path, '');
    const loaded = await doc.load();
    expect(loaded).toEqual({ value: { items: ['edited'] }, warning: null });
    expect(await readdir(dir)).toEqual(['list.json']);
    expect(JSON.parse(await readFile(path, 'utf8'))).toEqual({ items: ['edited'] });
  });

  test('an update of a damaged file starts from the last good content, not from nothing', async () => {
    const doc = file();
    await doc.save({ items: ['kept'] });
    await writeFile(path, 'not json');
    const { value, warning } = await doc.update((v) => void v.items.push('added'));
    expect(value.items).toEqual(['kept', 'added']);
    expect(warning).toMatch(/last good content/);
  });

  test('a file damaged before anything good was read falls back to the defaults, with a warning', async () => {
    await writeFile(path, '[]');
    const loaded = await file().load();
    expect(loaded.value).toEqual({ items: [] });
    expect(loaded.warning).toMatch(/defaults are in use/);
  });

  test('concurrent updates through two documents (two processes) all survive', async () => {
    const a = file();
    const b = file();
    await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 ? a : b).update((v) => void v.items.push(`item ${i}`))));
    const { items } = JSON.parse(await readFile(path, 'utf8')) as { items: string[] };
    expect(items.sort()).toEqual(Array.from({ length: 20 }, (_, i) => `item ${i}`).sort());
    expect((await readdir(dir)).filter((name) => name.endsWith('.lock'))).toEqual([]);
  });
});
