// A project's `.vigil/actions.json` as a hostile repository might ship it: a symlink out of the
// project, a named pipe, a huge file, broken JSON, duplicate ids. None of it runs, none of it
// hangs or crashes Vigil, and each says what is wrong.
import { execFileSync } from 'node:child_process';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, expect, test } from 'vitest';
import { MAX_ACTIONS_FILE_BYTES, readProjectActions, sha256Hex, trustRecordFor } from '../../../main/runs/project-actions';
import { tempDir } from '../engine/live-helpers';

const dirs: { remove: () => void }[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) d.remove();
});

function project(): { root: string; outside: string; write(text: string): void } {
  const base = tempDir('vigil-project-actions-');
  dirs.push(base);
  const root = join(base.path, 'repo');
  mkdirSync(join(root, '.vigil'), { recursive: true });
  return { root, outside: base.path, write: (text) => writeFileSync(join(root, '.vigil', 'actions.json'), text) };
}

const FILE = JSON.stringify({ actions: [{ id: 'test', argv: ['npm', 'test'] }] });

test('a trusted file runs only while its bytes are the ones trusted', async () => {
  const p = project();
  p.write(FILE);
  const record = await trustRecordFor(p.root, 1);
  expect(record).toMatchObject({ sha256: sha256Hex(Buffer.from(FILE)), count: 1 });
  expect((await readProjectActions(p.root, [record])).state.state).toBe('trusted');
  p.write(`${FILE}\n`);
  const changed = await readProjectActions(p.root, [record]);
  expect(changed.state.state).toBe('changed');
  expect(changed.actions).toEqual([]);
  expect(changed.defined.map((a) => a.id)).toEqual(['test']);
});

test('a symlink to a file outside the project is not read, whatever it holds', async () => {
  const p = project();
  writeFileSync(join(p.outside, 'elsewhere.json'), FILE);
  symlinkSync(join(p.outside, 'elsewhere.json'), join(p.root, '.vigil', 'actions.json'));
  const read = await readProjectActions(p.root, []);
  expect(read.state.state).toBe('invalid');
  expect(read.state.message).toMatch(/cannot be read/);
  await expect(trustRecordFor(p.root, 1)).rejects.toThrow(/cannot be read/);
});

test('a .vigil folder that is a symlink out of the project is refused too', async () => {
  const base = tempDir('vigil-project-actions-');
  dirs.push(base);
  const root = join(base.path, 'repo');
  mkdirSync(root);
  mkdirSync(join(base.path, 'other', '.vigil'), { recursive: true });
  writeFileSync(join(base.path, 'other', '.vigil', 'actions.json'), FILE);
  symlinkSync(join(base.path, 'other', '.vigil'), join(root, '.vigil'));
  expect((await readProjectActions(root, [])).state.state).toBe('invalid');
});

test('a named pipe is refused without blocking', async () => {
  const p = project();
  execFileSync('mkfifo', [join(p.root, '.vigil', 'actions.json')]);
  const read = await readProjectActions(p.root, []);
  expect(read.state).toMatchObject({ state: 'invalid', message: expect.stringMatching(/not a regular file/) });
});

test('a huge file, broken JSON and duplicate ids are each reported, and nothing of them is offered', async () => {
  const p = project();
  p.write(`{"actions": [${'"x",'.repeat(MAX_ACTIONS_FILE_BYTES / 4)}]}`);
  expect((await readProjectActions(p.root, [])).state.message).toMatch(/larger than/);
  p.write('{"actions": [');
  expect((await readProjectActions(p.root, [])).state.message).toMatch(/not valid JSON/);
  p.write(JSON.stringify({ actions: [{ id: 'a', argv: ['x'] }, { id: 'a', argv: ['y'] }] }));
  expect((await readProjectActions(p.root, [])).state.message).toMatch(/"a" appears twice/);
  p.write(JSON.stringify({ actions: [{ id: 'no argv' }] }));
  const bad = await readProjectActions(p.root, []);
  expect(bad.state.state).toBe('invalid');
  expect(bad.defined).toEqual([]);
});

test('a project without the file has none, and nothing to trust', async () => {
  const base = tempDir('vigil-project-actions-');
  dirs.push(base);
  expect((await readProjectActions(base.path, [])).state.state).toBe('none');
  await expect(trustRecordFor(base.path, 1)).rejects.toThrow(/has no \.vigil\/actions\.json/);
});
