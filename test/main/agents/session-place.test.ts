// Placing a session by its cwd, in real folders: a project root, a symlink to it, a git
// worktree of it (as `git worktree add` lays one out), and a folder outside every project.
import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, realpath, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { itemForSession } from '../../../main/agents/session-item';
import { placeOfCwd } from '../../../main/agents/session-place';

let base: string;
let repo: string;

beforeEach(async () => {
  base = await realpath(await mkdtemp(join(tmpdir(), 'vigil-place-')));
  repo = join(base, 'shop');
  await mkdir(join(repo, '.git', 'worktrees', 'WO-CART-002'), { recursive: true });
  await mkdir(join(repo, 'apps', 'web', 'src'), { recursive: true });
  // A linked worktree: a .git file pointing into the main repository's worktrees folder.
  const wt = join(base, 'shop-WO-CART-002');
  await mkdir(join(wt, 'apps', 'web', 'src'), { recursive: true });
  await writeFile(join(wt, '.git'), `gitdir: ${join(repo, '.git', 'worktrees', 'WO-CART-002')}\n`);
  await writeFile(join(repo, '.git', 'worktrees', 'WO-CART-002', 'HEAD'), 'ref: refs/heads/feature/cart-checkout\n');
});

afterEach(async () => {
  await rm(base, { recursive: true, force: true });
});

describe('placing a session by its cwd', () => {
  test('a cwd inside a root, or reached through a symlink, is that project', async () => {
    const roots = [{ id: 'shop', root: repo }];
    expect(await placeOfCwd(join(repo, 'apps', 'web'), roots)).toEqual({ projectId: 'shop', worktree: null });
    await symlink(repo, join(base, 'link'));
    expect((await placeOfCwd(join(base, 'link', 'apps'), roots)).projectId).toBe('shop');
  });

  test('a cwd in a linked worktree belongs to the project of its main checkout, also for a subfolder project', async () => {
    const wt = join(base, 'shop-WO-CART-002');
    expect(await placeOfCwd(join(wt, 'apps'), [{ id: 'shop', root: repo }])).toEqual({
      projectId: 'shop',
      worktree: { top: wt, branch: 'feature/cart-checkout' },
    });
    const web = [{ id: 'web', root: join(repo, 'apps', 'web') }];
    expect((await placeOfCwd(join(wt, 'apps', 'web', 'src'), web)).projectId).toBe('web');
    expect((await placeOfCwd(join(wt, 'apps'), web)).projectId).toBeNull();
  });

  test('a named pipe where git keeps HEAD or the .git file cannot hold the placing up', async () => {
    // What a hostile repository (or an agent with write access to it) can lay out: a worktree
    // whose HEAD is a FIFO, and a .git "file" that is a FIFO. Reading either must not block.
    const hostile = join(base, 'hostile');
    await mkdir(join(hostile, '.git', 'worktrees', 'trap'), { recursive: true });
    execFileSync('mkfifo', [join(hostile, '.git', 'worktrees', 'trap', 'HEAD')]);
    const wt = join(base, 'hostile-trap');
    await mkdir(wt);
    await writeFile(join(wt, '.git'), `gitdir: ${join(hostile, '.git', 'worktrees', 'trap')}\n`);
    const piped = join(base, 'piped');
    await mkdir(piped);
    execFileSync('mkfifo', [join(piped, '.git')]);
    const roots = [{ id: 'hostile', root: hostile }];
    expect(await placeOfCwd(wt, roots)).toEqual({ projectId: 'hostile', worktree: { top: wt, branch: null } });
    expect(await placeOfCwd(piped, roots)).toEqual({ projectId: null, worktree: null });
  });

  test('a folder outside every project, or one that is gone, belongs to none', async () => {
    expect(await placeOfCwd(base, [{ id: 'shop', root: repo }])).toEqual({ projectId: null, worktree: null });
    expect(await placeOfCwd(join(base, 'gone'), [{ id: 'shop', root: repo }])).toEqual({ projectId: null, worktree: null });
  });
});

describe('the item a session works on', () => {
  const ids = ['WO-CART-002', 'WO-CART-010', 'gsd:plan:02-01', 'taskmaster:task:1'];
  test('named by the hook, by id or by the id a person writes', () => {
    expect(itemForSession('gsd:plan:02-01', null, ids)).toBe('gsd:plan:02-01');
    expect(itemForSession('02-01', null, ids)).toBe('gsd:plan:02-01');
    expect(itemForSession('nope', null, ids)).toBeUndefined();
  });

  test('named by the worktree folder or branch, never by a short id matching by chance', () => {
    expect(itemForSession(undefined, { top: '/x/shop-WO-CART-002', branch: null }, ids)).toBe('WO-CART-002');
    expect(itemForSession(undefined, { top: '/x/wt', branch: 'feat/02-01-login' }, ids)).toBe('gsd:plan:02-01');
    expect(itemForSession(undefined, { top: '/x/task-1', branch: 'main' }, ids)).toBeUndefined();
  });
});
