import { mkdir, mkdtemp, realpath, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { run } from '../../../main/commands/discover';

let base: string;
let out: string;
let err: string;

beforeEach(async () => {
  base = await realpath(await mkdtemp(join(tmpdir(), 'vigil-discover-cli-')));
  await mkdir(join(base, 'code/shop/.planning'), { recursive: true });
  await mkdir(join(base, 'code/blog/coderef'), { recursive: true });
  await mkdir(join(base, 'config'), { recursive: true });
  await writeFile(
    join(base, 'config/projects.json'),
    JSON.stringify({ projects: [{ id: 'x', root: join(base, 'code/blog'), name: 'blog', paused: false, addedAt: 0 }] }),
  );
  out = '';
  err = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => ((out += String(chunk)), true));
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => ((err += String(chunk)), true));
});

afterEach(async () => {
  vi.restoreAllMocks();
  await rm(base, { recursive: true, force: true });
});

describe('vigil discover', () => {
  test('--json prints one document with the projects found and which are registered', async () => {
    expect(await run([join(base, 'code'), '--json', '--config-dir', join(base, 'config')])).toBe(0);
    const doc = JSON.parse(out);
    expect(doc).toMatchObject({ folder: join(base, 'code'), limitReached: false });
    expect(doc.projects).toEqual([
      { root: join(base, 'code/blog'), name: 'blog', sources: ['coderef'], registered: true },
      { root: join(base, 'code/shop'), name: 'shop', sources: ['gsd'], registered: false },
    ]);
  });

  test('prints a readable list by default', async () => {
    expect(await run([join(base, 'code'), '--config-dir', join(base, 'config')])).toBe(0);
    expect(out).toContain(`Found 2 projects under ${join(base, 'code')}:`);
    expect(out).toMatch(/blog\s+coderef\s+\(registered\)/);
  });

  test('a missing folder fails with the reason; no folder is a usage error', async () => {
    expect(await run([join(base, 'nope')])).toBe(1);
    expect(err).toContain('the folder does not exist');
    expect(await run([])).toBe(2);
    expect(await run([base, '--max-depth', 'deep'])).toBe(2);
  });
});
