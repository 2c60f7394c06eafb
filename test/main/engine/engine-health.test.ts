// Health as the live engine computes it on its heartbeat, from real files.
import { utimesSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { createEngine, type Engine } from '../../../main/engine/engine';
import { tempDir, waitUntil, writeFiles } from './live-helpers';

let engine: Engine | null = null;
const cleanups: (() => void)[] = [];
afterEach(async () => {
  await engine?.close();
  engine = null;
  for (const clean of cleanups.splice(0)) clean();
});

const TASKS_HALF_DONE = '# Tasks\n\n## Phase 1\n\n- [x] T001 Set up project\n- [ ] T002 Build the login form\n';

describe('engine health', () => {
  test('work in progress whose files went quiet before Vigil started shows as stalled', async () => {
    const dir = tempDir();
    cleanups.push(dir.remove);
    writeFiles(dir.path, { 'specs/001-login/tasks.md': TASKS_HALF_DONE, 'specs/001-login/spec.md': '# Login\n' });
    const twoHoursAgo = new Date(Date.now() - 2 * 60 * 60 * 1000);
    for (const rel of ['specs/001-login/tasks.md', 'specs/001-login/spec.md']) utimesSync(join(dir.path, rel), twoHoursAgo, twoHoursAgo);

    engine = await createEngine({ roots: [dir.path], heartbeatMs: 20, stallMinutes: 30, driftSweepMs: 0 });
    expect(engine.snapshot().plans.find((p) => p.source === 'speckit')?.status).toBe('in_progress');
    await waitUntil(() => engine!.snapshot().health.conditions.some((c) => c.key.startsWith('stalled:')), 5000, 'a stalled condition');
    expect(engine.snapshot().health.level).toBe('warning');
  });

  test('recent files are not stalled', async () => {
    const dir = tempDir();
    cleanups.push(dir.remove);
    writeFiles(dir.path, { 'specs/001-login/tasks.md': TASKS_HALF_DONE, 'specs/001-login/spec.md': '# Login\n' });
    engine = await createEngine({ roots: [dir.path], heartbeatMs: 20, stallMinutes: 30, driftSweepMs: 0 });
    const ticks = engine.snapshot().heartbeat?.tick ?? 0;
    await waitUntil(() => (engine!.snapshot().heartbeat?.tick ?? 0) >= ticks + 5, 5000, 'five heartbeats');
    expect(engine.snapshot().health.conditions.filter((c) => c.key.startsWith('stalled:'))).toEqual([]);
  });
});
