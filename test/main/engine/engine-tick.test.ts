// The heartbeat tick's cost must not grow with the items or files a workspace holds: it reads
// what the project model and live project keep up to date as files are applied. Measured by
// counting work, not time: calls to the full-list methods, and steps through any Map or Set
// while one tick runs (a tick is synchronous, so nothing else is counted).
import { rmSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, test, vi } from 'vitest';
import { createEngine, type Engine } from '../../../main/engine/engine';
import type { HealthMonitor } from '../../../main/engine/health';
import { LiveProject } from '../../../main/engine/live-project';
import { ProjectModel } from '../../../main/engine/project-model';
import { ProjectScope } from '../../../main/engine/scope';
import { ADAPTERS } from '../../../main/sources/index';
import { tempDir, writeFiles } from './live-helpers';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  vi.restoreAllMocks();
  for (const clean of cleanups.splice(0).reverse()) await clean();
});

const MIN = 60_000;
const pad = (n: number) => String(n).padStart(3, '0');
const halfDone = (i: number) => `# Tasks: Feature ${i}\n\n## Phase 1\n\n- [x] T001 Set up ${i}\n- [ ] T002 Build ${i}\n`;
const allDone = (i: number) => `# Tasks: Feature ${i}\n\n## Phase 1\n\n- [x] T001 Set up ${i}\n- [x] T002 Build ${i}\n`;

/** A spec-kit project of `features` features, each one in progress (a plan and two files). */
function workspace(features: number): string {
  const dir = tempDir();
  cleanups.push(dir.remove);
  const files: Record<string, string> = {};
  for (let i = 1; i <= features; i++) {
    files[`specs/${pad(i)}-feature-${i}/tasks.md`] = halfDone(i);
    files[`specs/${pad(i)}-feature-${i}/spec.md`] = `# Feature ${i}\n`;
  }
  writeFiles(dir.path, files);
  return dir.path;
}

interface Internals {
  tick(): void;
  health: HealthMonitor;
}
const internals = (engine: Engine) => engine as unknown as Internals;

async function engineOn(root: string, options: { now?: () => number } = {}): Promise<Engine> {
  // Not running: no watcher and no heartbeat timer, so the test decides when a tick happens.
  const engine = await createEngine({ roots: [root], running: false, driftSweepMs: 0, stallMinutes: 30, ...options });
  cleanups.push(() => engine.close());
  return engine;
}

/** Steps taken through any Map or Set (for…of, keys, values, entries, forEach, spread) while `fn` runs. */
function collectionSteps(fn: () => void): number {
  let steps = 0;
  const patched: [object, PropertyKey, unknown][] = [];
  const counting = <T>(iterator: Iterator<T>): IterableIterator<T> => ({
    next: () => {
      steps += 1;
      return iterator.next();
    },
    [Symbol.iterator]() {
      return this;
    },
  });
  for (const proto of [Map.prototype, Set.prototype] as unknown as Record<PropertyKey, unknown>[]) {
    for (const name of ['keys', 'values', 'entries', Symbol.iterator] as PropertyKey[]) {
      const original = proto[name] as (this: unknown) => Iterator<unknown>;
      patched.push([proto, name, original]);
      proto[name] = function (this: unknown) {
        return counting(original.call(this));
      };
    }
    const forEach = proto.forEach as (this: unknown, cb: (...args: unknown[]) => void) => void;
    patched.push([proto, 'forEach', forEach]);
    proto.forEach = function (this: unknown, cb: (...args: unknown[]) => void) {
      forEach.call(this, (...args: unknown[]) => {
        steps += 1;
        cb(...args);
      });
    };
  }
  try {
    fn();
  } finally {
    for (const [proto, name, original] of patched) (proto as Record<PropertyKey, unknown>)[name] = original;
  }
  return steps;
}

describe('heartbeat tick cost', () => {
  test('a tick never lists every item or issue, and walks no map per item or per file', async () => {
    const steps: Record<number, number[]> = {};
    for (const features of [5, 300]) {
      const root = workspace(features);
      const engine = await engineOn(root);
      expect(engine.snapshot().plans.filter((p) => p.status === 'in_progress')).toHaveLength(features);
      const full = (['plans', 'stubs', 'workorders', 'issues'] as const).map((name) => vi.spyOn(ProjectModel.prototype, name));
      const tick = () => internals(engine).tick();
      const counts = [collectionSteps(tick), collectionSteps(tick)];
      // After a change: one feature done, one file gone (a new newest mtime, then an old one forgotten).
      writeFileSync(join(root, `specs/001-feature-1/tasks.md`), allDone(1));
      rmSync(join(root, `specs/002-feature-2/spec.md`));
      await engine.refresh();
      counts.push(collectionSteps(tick), collectionSteps(tick));
      for (const spy of full) expect(spy, spy.getMockName()).not.toHaveBeenCalled();
      steps[features] = counts;
      vi.restoreAllMocks();
    }
    // The same work with 5 items and 10 files as with 300 items and 600 files.
    expect(steps[300]).toEqual(steps[5]);
    for (const n of steps[300] ?? []) expect(n).toBeLessThan(20);
  });

  test('idle ticks skip the health evaluation, and stalled work still shows the moment it stalls', async () => {
    const root = workspace(3);
    let now = Date.now();
    const engine = await engineOn(root, { now: () => now });
    const { health } = internals(engine);
    const tick = () => internals(engine).tick();
    const stalled = () => engine.snapshot().health.conditions.filter((c) => c.key.startsWith('stalled:'));

    tick();
    const evaluations = health.evaluations;
    for (let i = 0; i < 10; i++) {
      now += MIN;
      tick();
    }
    expect(health.evaluations).toBe(evaluations);
    expect(stalled()).toEqual([]);

    now += 19 * MIN; // 29 minutes since the files were written: not stalled yet
    tick();
    expect(stalled()).toEqual([]);
    expect(health.evaluations).toBe(evaluations);

    now += MIN + 1000; // a little over 30
    tick();
    expect(stalled()).toHaveLength(1);
    expect(stalled()[0]?.message).toContain('3 items in progress');

    // The work finishes: a change, so evaluated again at once, and the stall is gone.
    writeFileSync(join(root, 'specs/001-feature-1/tasks.md'), allDone(1));
    writeFileSync(join(root, 'specs/002-feature-2/tasks.md'), allDone(2));
    writeFileSync(join(root, 'specs/003-feature-3/tasks.md'), allDone(3));
    await engine.refresh();
    tick();
    expect(stalled()).toEqual([]);
  });
});

describe('LiveProject.lastActivityAt', () => {
  test('follows the newest file read, also when that file goes back in time or goes away', async () => {
    const root = workspace(2);
    /** Both files of feature i modified `minutesAgo`; returns that time as the file system keeps it (whole seconds). */
    const touch = (i: number, minutesAgo: number) => {
      const when = new Date(Math.floor((Date.now() - minutesAgo * MIN) / 1000) * 1000);
      for (const name of ['tasks.md', 'spec.md']) utimesSync(join(root, `specs/${pad(i)}-feature-${i}`, name), when, when);
      return when.getTime();
    };
    touch(1, 50);
    const quiet = touch(2, 40);
    const live = new LiveProject({ id: 'p1', root, name: 'p1', scope: new ProjectScope(ADAPTERS), publish: () => undefined });
    cleanups.push(() => live.close());
    await live.open({ paused: false, running: false });
    // Not watching, so the only activity is what the files say; open() notes the newest.
    expect(live.lastActivityAt()).toBe(quiet);
    expect(live.model.watch.lastEventAt).toBe(quiet);

    const recent = touch(1, 10);
    await live.refresh();
    expect(live.lastActivityAt()).toBe(recent);

    touch(1, 45); // the newest file goes back in time: the next newest is the answer
    await live.refresh();
    expect(live.lastActivityAt()).toBe(quiet);

    expect(touch(1, 5)).toBeGreaterThan(recent);
    await live.refresh();
    rmSync(join(root, 'specs/001-feature-1'), { recursive: true }); // the newest file goes away
    await live.refresh();
    expect(live.lastActivityAt()).toBe(quiet);
  });
});
