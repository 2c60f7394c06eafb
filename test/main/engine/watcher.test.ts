import { mkdirSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { ProjectScope } from '../../../main/engine/scope';
import { ProjectWatcher } from '../../../main/engine/watcher';
import { ADAPTERS } from '../../../main/sources/index';
import { speckitFeature, tempDir, waitUntil, writeFiles } from './live-helpers';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const scope = new ProjectScope(ADAPTERS);

async function watch(files: Record<string, string>, options: { pollIntervalMs?: number } = {}) {
  const dir = tempDir();
  cleanups.push(dir.remove);
  writeFiles(dir.path, files);
  const paths: string[] = [];
  let statsChanges = 0;
  const watcher = new ProjectWatcher({
    root: dir.path,
    scope,
    pollIntervalMs: options.pollIntervalMs,
    listener: {
      onPath: (rel) => paths.push(rel),
      onFolder: (rel) => paths.push(`${rel}/`),
      onRootGone: () => paths.push('<root gone>'),
      onStats: () => void (statsChanges += 1),
    },
  });
  cleanups.push(() => watcher.close());
  await watcher.start();
  return { root: dir.path, watcher, paths, statsChanges: () => statsChanges };
}

describe('project watcher', () => {
  test('hands the first load what arming listed, every watched folder once, and only once', async () => {
    const { watcher } = await watch({ ...speckitFeature(), '.planning/phases/01-setup/01-01-PLAN.md': '# Plan\n', 'src/app.ts': 'x' });
    const listing = watcher.takeStartListing();
    expect(listing).not.toBeNull();
    expect([...listing!.keys()].sort()).toEqual(['', '.planning', '.planning/phases', '.planning/phases/01-setup', 'specs', 'specs/001-user-login']);
    expect(listing!.size).toBe(watcher.stats().watchedDirs);
    expect(listing!.get('specs/001-user-login')!.map((entry) => entry.name).sort()).toEqual(['plan.md', 'spec.md', 'tasks.md']);
    expect(watcher.takeStartListing()).toBeNull();
  });

  test('a polling watcher has no listing to hand over', async () => {
    const dir = tempDir();
    cleanups.push(dir.remove);
    writeFiles(dir.path, speckitFeature());
    const watcher = new ProjectWatcher({ root: dir.path, scope, usePolling: true, listener: { onPath: () => undefined, onFolder: () => undefined, onRootGone: () => undefined, onStats: () => undefined } });
    cleanups.push(() => watcher.close());
    await watcher.start();
    expect(watcher.takeStartListing()).toBeNull();
  });

  test('reports a write that follows a reported one at once (chokidar would swallow it for 50 ms)', async () => {
    const { root, paths } = await watch(speckitFeature());
    const rel = 'specs/001-user-login/tasks.md';
    const reports = () => paths.filter((p) => p === rel).length;
    writeFileSync(join(root, rel), 'one');
    await waitUntil(() => reports() >= 1, 5000, 'the first report');
    const after = reports();
    writeFileSync(join(root, rel), 'two');
    await waitUntil(() => reports() > after, 5000, 'a report of the second write');
  });

  test('a file written into a folder created while watching is reported, and the folder is watched', async () => {
    const { root, watcher, paths } = await watch(speckitFeature());
    const before = watcher.stats().watchedDirs;
    mkdirSync(join(root, 'specs/002-search'));
    writeFileSync(join(root, 'specs/002-search/tasks.md'), '- [ ] T001 index\n');
    await waitUntil(() => paths.includes('specs/002-search/tasks.md') && paths.includes('specs/002-search/'), 5000, 'the new folder and its file');
    await waitUntil(() => watcher.stats().watchedDirs === before + 1, 5000, 'one more watched folder');
    paths.length = 0;
    writeFileSync(join(root, 'specs/002-search/tasks.md'), '- [x] T001 index\n');
    await waitUntil(() => paths.includes('specs/002-search/tasks.md'), 5000, 'a change inside the new folder');
  });

  test('a folder tree moved in at once is watched all the way down; removing it stops those watches', async () => {
    const { root, watcher, paths } = await watch({ 'README.md': '# app\n' });
    const staging = tempDir();
    cleanups.push(staging.remove);
    writeFiles(staging.path, { '.planning/ROADMAP.md': '# Roadmap\n', '.planning/phases/01-setup/01-01-PLAN.md': '# Plan\n' });
    renameSync(join(staging.path, '.planning'), join(root, '.planning'));
    await waitUntil(() => paths.includes('.planning/phases/01-setup/01-01-PLAN.md'), 5000, 'the nested plan reported');
    // root, .planning, .planning/phases, .planning/phases/01-setup
    await waitUntil(() => watcher.stats().watchedDirs === 4, 5000, 'four watched folders');
    rmSync(join(root, '.planning'), { recursive: true });
    await waitUntil(() => paths.includes('.planning/') && watcher.stats().watchedDirs === 1, 5000, 'the folder gone and unwatched');
  });

  test('a folder renamed over a watched empty one is watched in its place', async () => {
    const { root, paths } = await watch({ ...speckitFeature(), 'specs/002-search/.keep': '' });
    rmSync(join(root, 'specs/002-search/.keep'));
    const staging = tempDir();
    cleanups.push(staging.remove);
    writeFiles(staging.path, { '002-search/tasks.md': '- [ ] T001 index\n' });
    // rename(2) replaces an empty folder: the old folder's watch dies with it.
    renameSync(join(staging.path, '002-search'), join(root, 'specs/002-search'));
    await waitUntil(() => paths.includes('specs/002-search/tasks.md'), 5000, 'the file of the folder moved in');
    paths.length = 0;
    writeFileSync(join(root, 'specs/002-search/tasks.md'), '- [x] T001 index\n');
    await waitUntil(() => paths.includes('specs/002-search/tasks.md'), 5000, 'a change inside the folder moved in');
  });

  test('a symlinked folder is not entered', async () => {
    const outside = tempDir();
    cleanups.push(outside.remove);
    writeFiles(outside.path, { 'tasks.md': '- [ ] T001 secret\n' });
    const { root, watcher, paths } = await watch({ 'specs/001-user-login/spec.md': '# Login\n' });
    const before = watcher.stats().watchedDirs;
    symlinkSync(outside.path, join(root, 'specs/002-linked'));
    mkdirSync(join(root, 'specs/003-real'));
    // Folder changes are handled in order: once the real folder is in, the link has been looked at.
    await waitUntil(() => paths.includes('specs/003-real/'), 5000, 'the real folder watched');
    expect(watcher.stats().watchedDirs).toBe(before + 1);
    expect(paths).not.toContain('specs/002-linked/');
  });

  test('the root deleted is reported', async () => {
    const { root, paths } = await watch(speckitFeature());
    rmSync(root, { recursive: true });
    await waitUntil(() => paths.includes('<root gone>'), 5000, 'root gone');
  });

  test('watches convention folders and their ancestors only', async () => {
    const { watcher } = await watch({
      ...speckitFeature(),
      'docs/sprint-artifacts/sprint-status.yaml': 'development_status:\n  epic-1: backlog\n',
      'docs/guide/intro.md': '# not ours\n',
      'src/a/b/c.ts': 'x',
      'node_modules/x/specs/001-a/tasks.md': '- [ ] T001\n',
    });
    // root, specs, specs/001-user-login, docs, docs/sprint-artifacts
    expect(watcher.stats().watchedDirs).toBe(5);
    expect(watcher.stats().backend).toBe('native');
  });

  test('files no convention parses cost no watch of their own (a specs/ folder full of test files)', async () => {
    const files: Record<string, string> = { ...speckitFeature() };
    for (let i = 0; i < 200; i++) files[`specs/unit/test${i}.spec.js`] = 'it("works", () => {});\n';
    const fsWatches = (): number => process.getActiveResourcesInfo().filter((k) => k === 'FSEventWrap').length;
    const before = fsWatches();
    const { root, paths } = await watch(files);
    // root, specs, specs/001-user-login, specs/unit, and the three feature files.
    expect(fsWatches() - before).toBeLessThanOrEqual(7);
    // Activity in that folder is still seen through the folder's own watch.
    writeFileSync(join(root, 'specs/unit/test1.spec.js'), 'changed');
    await waitUntil(() => paths.includes('specs/unit/test1.spec.js'), 5000, 'the change through the folder watch');
  });

  test('out of watches (ENOSPC): falls back to polling, says how to fix it, and keeps reporting changes', async () => {
    const { root, watcher, paths } = await watch(speckitFeature(), { pollIntervalMs: 50 });
    const enospc = Object.assign(new Error('ENOSPC: System limit for number of file watchers reached'), { code: 'ENOSPC' });
    watcher.handleError(enospc);
    // Generous bounds: these wait for a condition, and a loaded machine can be slow to poll.
    await waitUntil(() => watcher.stats().backend === 'polling', 15_000, 'the switch to polling');
    expect(watcher.degraded).toBe(true);
    expect(watcher.stats().errors[0]).toMatch(/fs\.inotify\.max_user_watches/);

    paths.length = 0;
    writeFileSync(join(root, 'specs/001-user-login/tasks.md'), '- [X] T001 polled\n');
    await waitUntil(() => paths.includes('specs/001-user-login/tasks.md'), 15_000, 'a change seen by polling');
  }, 40_000);

  test('too many open files (EMFILE) names ulimit', async () => {
    const { watcher } = await watch(speckitFeature(), { pollIntervalMs: 50 });
    watcher.handleError(Object.assign(new Error('EMFILE: too many open files'), { code: 'EMFILE' }));
    // Generous bounds: these wait for a condition, and a loaded machine can be slow to poll.
    await waitUntil(() => watcher.stats().backend === 'polling', 15_000, 'the switch to polling');
    expect(watcher.stats().errors[0]).toMatch(/ulimit -n/);
  });

  test('other errors are recorded and watching goes on', async () => {
    const { watcher } = await watch(speckitFeature());
    watcher.handleError(new Error('EACCES: permission denied, watch'));
    expect(watcher.stats()).toMatchObject({ backend: 'native', errors: [expect.stringMatching(/permission denied/)] });
  });
});
