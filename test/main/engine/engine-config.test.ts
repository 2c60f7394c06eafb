// The engine with a ConfigStore: projects added, paused and removed through the engine are
// saved, the next engine starts with them, and settings changes reach the heartbeat.
import { afterEach, describe, expect, test } from 'vitest';
import { ConfigStore } from '../../../main/engine/config';
import { createEngine, type Engine } from '../../../main/engine/engine';
import { speckitFeature, taskmasterTasks, tempDir, waitUntil, writeFiles } from './live-helpers';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function engineWith(config: ConfigStore, roots: string[] = []): Promise<Engine> {
  const engine = await createEngine({ config, roots, driftSweepMs: 0 });
  cleanups.push(() => engine.close());
  return engine;
}

describe('engine with a config store', () => {
  test('added, paused and removed projects are saved and come back on the next start', async () => {
    const configDir = tempDir('vigil-config-');
    const project = tempDir();
    const cliOnly = tempDir();
    cleanups.push(configDir.remove, project.remove, cliOnly.remove);
    writeFiles(project.path, speckitFeature());
    writeFiles(cliOnly.path, { '.taskmaster/tasks/tasks.json': taskmasterTasks(['pending']) });

    const first = await engineWith(new ConfigStore(configDir.path), [cliOnly.path]);
    const added = await first.addProject(project.path);
    await first.pauseProject(added.id, true);
    expect(first.projects().map((p) => p.state).sort()).toEqual(['ok', 'paused']);
    await first.close();

    // A fresh store reads what the first engine saved; command-line roots were not saved.
    const store = new ConfigStore(configDir.path);
    await store.load();
    expect(store.projects().map((p) => [p.id, p.paused])).toEqual([[added.id, true]]);

    const second = await engineWith(store);
    expect(second.projects()).toHaveLength(1);
    expect(second.projects()[0]).toMatchObject({ id: added.id, state: 'paused', sources: ['speckit'] });
    expect(second.snapshot().plans).toHaveLength(1); // read once, even while paused

    await second.pauseProject(added.id, false);
    expect(second.projects()[0]?.state).toBe('ok');
    expect(store.project(added.id)?.paused).toBe(false);

    await second.removeProject(added.id);
    expect(second.projects()).toEqual([]);
    expect(store.projects()).toEqual([]);
    await expect(second.removeProject(added.id)).rejects.toThrow(/No project/);
  });

  test('a heartbeat setting changed in the store reaches the running engine', async () => {
    const configDir = tempDir('vigil-config-');
    cleanups.push(configDir.remove);
    const store = new ConfigStore(configDir.path);
    const engine = await engineWith(store);
    const beats: number[] = [];
    const sub = engine.onHeartbeat((b) => beats.push(b.ts));
    await store.updateSettings({ heartbeatMs: 100 });
    await waitUntil(() => beats.length >= 3, 5000, 'three beats at the new 100 ms interval');
    sub.close();
    // The default is 1 s: beats this close together can only come from the new setting.
    const gaps = beats.slice(1).map((ts, i) => ts - (beats[i] as number));
    expect(Math.min(...gaps)).toBeLessThan(500);
  });
});
