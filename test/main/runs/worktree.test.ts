// `cwd: worktree`: a fresh git worktree per run, on a branch named after the item, in Vigil's
// own folder; a project that is not a git repository gets a clear refusal.
import { execFileSync } from 'node:child_process';
import { readFileSync, realpathSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, expect, test } from 'vitest';
import { branchNameFor } from '../../../main/runs/workdir';
import { supervisorWorld, type SupervisorWorld } from './harness';

let world: SupervisorWorld;

afterEach(async () => {
  await world?.close();
});

const git = (cwd: string, ...args: string[]): string =>
  execFileSync('git', args, { cwd, encoding: 'utf8', env: { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@t', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@t' } });

test('each run gets its own worktree and branch; the second run on the same item a new branch', async () => {
  world = supervisorWorld();
  git(world.root, 'init', '-q');
  writeFileSync(join(world.root, 'README.md'), 'shop\n');
  git(world.root, 'add', '.');
  git(world.root, 'commit', '-qm', 'first');
  const item = { id: 'gsd:plan:02-01', path: 'x', title: 'Login form' };
  const spec = { argv: [process.execPath, '-e', 'console.log("cwd=" + process.cwd())'], cwd: 'worktree' as const };
  const first = world.supervisor.enqueue(world.request(spec, { item }));
  const done1 = await world.recorder.waitFor('run:succeeded', (e) => e.payload.run.id === first.id);
  const second = world.supervisor.enqueue(world.request(spec, { item }));
  const done2 = await world.recorder.waitFor('run:succeeded', (e) => e.payload.run.id === second.id);

  expect(done1.payload.run.branch).toBe('vigil/02-01');
  expect(done2.payload.run.branch).toBe('vigil/02-01-2');
  const worktrees = realpathSync(join(world.configDir, 'worktrees'));
  expect(done1.payload.run.cwd).toBe(join(worktrees, 'p1', first.id));
  expect(readFileSync(first.logPath, 'utf8')).toContain(`cwd=${done1.payload.run.cwd}`);
  expect(git(world.root, 'worktree', 'list')).toContain(first.id);
});

test('a worktree action in a folder that is not a git repository fails before anything starts', async () => {
  world = supervisorWorld();
  const run = world.supervisor.enqueue(world.request({ argv: [process.execPath, '-e', ''], cwd: 'worktree' }));
  const failed = await world.recorder.waitFor('run:failed', (e) => e.payload.run.id === run.id);
  expect(failed.payload.run.reason).toMatch(/not a git repository.*"cwd": "root"/);
  expect(failed.payload.run.startedAt).toBeNull();
});

test('branch names are safe for git', () => {
  expect(branchNameFor('bmad:story:1-2-Cart Checkout!')).toBe('vigil/1-2-cart-checkout');
  expect(branchNameFor('../../etc')).toBe('vigil/etc');
  expect(branchNameFor(':::')).toBe('vigil/run');
});
