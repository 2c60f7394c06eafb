import { writeFileSync } from 'node:fs';
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
  test('reports every write, including the ones chokidar throttles', async () => {
    const { root, paths } = await watch(speckitFeature());
    const file = join(root, 'specs/001-user-login/tasks.md');
    writeFileSync(file, 'one');
    writeFileSync(file, 'two'); // chokidar alone would swallow this second change
    await waitUntil(() => paths.filter((p) => p === 'specs/001-user-login/tasks.md').length >= 2, 5000, 'two reports');
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
    await waitUntil(() => watcher.stats().backend === 'polling', 5000, 'the switch to polling');
    expect(watcher.degraded).toBe(true);
    expect(watcher.stats().errors[0]).toMatch(/fs\.inotify\.max_user_watches/);

    paths.length = 0;
    writeFileSync(join(root, 'specs/001-user-login/tasks.md'), '- [X] T001 polled\n');
    await waitUntil(() => paths.includes('specs/001-user-login/tasks.md'), 5000, 'a change seen by polling');
  });

  test('too many open files (EMFILE) names ulimit', async () => {
    const { watcher } = await watch(speckitFeature(), { pollIntervalMs: 50 });
    watcher.handleError(Object.assign(new Error('EMFILE: too many open files'), { code: 'EMFILE' }));
    await waitUntil(() => watcher.stats().backend === 'polling', 5000, 'the switch to polling');
    expect(watcher.stats().errors[0]).toMatch(/ulimit -n/);
  });

  test('other errors are recorded and watching goes on', async () => {
    const { watcher } = await watch(speckitFeature());
    watcher.handleError(new Error('EACCES: permission denied, watch'));
    expect(watcher.stats()).toMatchObject({ backend: 'native', errors: [expect.stringMatching(/permission denied/)] });
  });
});
