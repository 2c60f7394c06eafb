// Reveal in folder / open in editor go through the path guard: only files inside a registered
// project root, with real folders and real symlinks.
import { mkdir, mkdtemp, realpath, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import type { Project } from '../../../shared/model';
import { openItem, revealItem, type ItemShell } from '../../../main/desktop/item-paths';
import { PathGuardError } from '../../../main/engine/path-guard';

let base: string;
let root: string;
let outside: string;
let projects: Project[];

function recordingShell(openResult = '') {
  const calls: [string, string][] = [];
  const shell: ItemShell = {
    showItemInFolder: (path) => void calls.push(['reveal', path]),
    openPath: async (path) => (calls.push(['open', path]), openResult),
  };
  return { shell, calls };
}

beforeEach(async () => {
  base = await realpath(await mkdtemp(join(tmpdir(), 'vigil-items-')));
  root = join(base, 'project');
  outside = join(base, 'secret');
  await mkdir(join(root, '.planning'), { recursive: true });
  await mkdir(outside, { recursive: true });
  await writeFile(join(root, '.planning', 'PLAN.md'), '# plan\n');
  await writeFile(join(outside, 'key.txt'), 'secret\n');
  await symlink(join(outside, 'key.txt'), join(root, '.planning', 'escape.md'));
  await symlink(outside, join(root, 'linked-dir'));
  projects = [{ id: 'p1', root } as Project];
});

afterEach(async () => {
  await rm(base, { recursive: true, force: true });
});

describe('reveal and open only inside registered roots', () => {
  test('a file inside the project is revealed and opened by its real path', async () => {
    const { shell, calls } = recordingShell();
    await revealItem(shell, projects, 'p1', '.planning/PLAN.md');
    await openItem(shell, projects, 'p1', '.planning/PLAN.md');
    expect(calls).toEqual([
      ['reveal', join(root, '.planning', 'PLAN.md')],
      ['open', join(root, '.planning', 'PLAN.md')],
    ]);
  });

  test.each([
    ['../secret/key.txt', 'climbs out'],
    ['.planning/../../secret/key.txt', 'climbs out'],
    ['/etc/passwd', 'absolute path'],
    ['C:\\Windows\\win.ini', 'absolute path'],
    ['.planning/escape.md', 'symbolic link'],
    ['linked-dir/key.txt', 'symbolic link'],
  ])('%s is refused (%s) and nothing is shown', async (relPath, why) => {
    const { shell, calls } = recordingShell();
    const reveal = revealItem(shell, projects, 'p1', relPath);
    await expect(reveal).rejects.toBeInstanceOf(PathGuardError);
    await expect(reveal).rejects.toThrow(why);
    await expect(openItem(shell, projects, 'p1', relPath)).rejects.toThrow(why);
    expect(calls).toEqual([]);
  });

  test('an unknown project or a missing file is a clear not-found', async () => {
    const { shell, calls } = recordingShell();
    await expect(revealItem(shell, projects, 'nope', 'PLAN.md')).rejects.toThrow('No registered project has the id "nope"');
    await expect(openItem(shell, projects, 'p1', '.planning/GONE.md')).rejects.toThrow('does not exist');
    expect(calls).toEqual([]);
  });

  test('when the OS cannot open a file, the error says which file and why', async () => {
    const { shell } = recordingShell('No application is associated with this file');
    await expect(openItem(shell, projects, 'p1', '.planning/PLAN.md')).rejects.toThrow(
      `Could not open ${join(root, '.planning', 'PLAN.md')}: No application is associated with this file`,
    );
  });
});
