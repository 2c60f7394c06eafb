// A move between folders that means a status change, seen through a real watcher on a temp
// folder: the item keeps its identity and changes status once, with its cycle time measured,
// instead of vanishing and coming back as a new item ("new → done").
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { createEngine, type Engine } from '../../../main/engine/engine';
import { Recorder, tempDir, waitUntil, writeFiles } from './live-helpers';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function watchFolder(files: Record<string, string>, usePolling = false): Promise<{ root: string; engine: Engine; rec: Recorder }> {
  const dir = tempDir('vigil-moves-');
  cleanups.push(dir.remove);
  writeFiles(dir.path, files);
  const engine = await createEngine({ roots: [dir.path], driftSweepMs: 0, missingPollMs: 50, usePolling, pollIntervalMs: 50 });
  cleanups.push(() => engine.close());
  const rec = new Recorder();
  engine.hub.addSink(rec);
  return { root: engine.projects()[0]?.root ?? dir.path, engine, rec };
}

/** Wait until the engine has nothing queued, then write `barrier` and wait for it: every earlier watcher event has been handled. */
async function settled(engine: Engine, root: string, rec: Recorder, barrier: { rel: string; id: string }): Promise<void> {
  await engine.whenIdle();
  const after = rec.lastSeq;
  writeFileSync(join(root, barrier.rel), `- [x] 1. Barrier ${after}\n`);
  await rec.waitFor('plan:updated', (e) => e.payload.plan.id === barrier.id, { afterSeq: after });
  await engine.whenIdle();
}

const BARRIER = { rel: '.kiro/specs/barrier/tasks.md', id: 'kiro:spec:barrier' };
const barrierFile = { [BARRIER.rel]: '- [ ] 1. Barrier\n' };

const proposal = '# Change: Add frost alerts\n\n## Why\nSeedlings die in late frosts.\n';
const tasks = (ticks: [boolean, boolean]): string =>
  `## 1. Implementation\n- [${ticks[0] ? 'x' : ' '}] 1.1 Read the forecast\n- [${ticks[1] ? 'x' : ' '}] 1.2 Send the alert\n`;

describe('a move between folders that means a status change', () => {
  test.each([
    ['native events', false],
    ['polling', true],
  ])('an OpenSpec change renamed into changes/archive/ is one item:status in_progress → done, same id, cycle time measured (%s)', async (_label, usePolling) => {
    const { root, engine, rec } = await watchFolder(
      { 'openspec/changes/add-frost-alerts/proposal.md': proposal, 'openspec/changes/add-frost-alerts/tasks.md': tasks([false, false]), ...barrierFile },
      usePolling,
    );
    const id = 'openspec:change:add-frost-alerts';
    expect(engine.snapshot().plans.find((p) => p.id === id)).toMatchObject({ status: 'todo' });

    // Work starts: a box is ticked (the engine sees the change go in progress).
    writeFileSync(join(root, 'openspec/changes/add-frost-alerts/tasks.md'), tasks([true, false]));
    await rec.waitFor('item:status', (e) => e.payload.id === id && e.payload.to === 'in_progress');
    await engine.whenIdle();
    const start = rec.lastSeq;

    // The tool archives the change by renaming its folder.
    mkdirSync(join(root, 'openspec/changes/archive'));
    renameSync(join(root, 'openspec/changes/add-frost-alerts'), join(root, 'openspec/changes/archive/2026-03-04-add-frost-alerts'));
    await rec.waitFor('item:status', (e) => e.payload.id === id && e.payload.to === 'done', { afterSeq: start });
    await settled(engine, root, rec, BARRIER);

    const moved = rec.events.filter((e) => e.seq > start);
    const statuses = moved.filter((e) => e.type === 'item:status' && e.payload.id !== BARRIER.id);
    expect(statuses.map((e) => e.payload)).toEqual([{ projectId: expect.any(String), kind: 'plan', id, title: 'Add frost alerts', from: 'in_progress', to: 'done' }]);
    expect(moved.filter((e) => e.type === 'plan:removed' || e.type === 'plan:added')).toEqual([]);
    expect(engine.snapshot().plans.filter((p) => p.source === 'openspec')).toEqual([
      expect.objectContaining({ id, status: 'done', path: 'openspec/changes/archive/2026-03-04-add-frost-alerts/tasks.md' }),
    ]);
    await waitUntil(() => engine.snapshot().throughput.meanCycleMs !== null, 5000, 'the cycle time of the archived change');
  });

  test('a coderef feature folder renamed from working/ to archived/ is one status change for the feature and its work order', async () => {
    const plan = JSON.stringify({ META_DOCUMENTATION: { feature_name: 'Frost alerts', workorder_id: 'WO-FROST-ALERTS-001', status: 'in_progress' } });
    const { root, engine, rec } = await watchFolder({ 'coderef/working/frost-alerts/plan.json': plan, 'coderef/archived/.keep': '', ...barrierFile });
    expect(engine.snapshot().plans.find((p) => p.id === 'coderef:feature:frost-alerts')).toMatchObject({ status: 'in_progress' });
    const start = rec.lastSeq;

    renameSync(join(root, 'coderef/working/frost-alerts'), join(root, 'coderef/archived/frost-alerts'));
    await rec.waitFor('item:status', (e) => e.payload.id === 'coderef:feature:frost-alerts' && e.payload.to === 'done', { afterSeq: start });
    await settled(engine, root, rec, BARRIER);

    const moved = rec.events.filter((e) => e.seq > start);
    const statuses = moved.filter((e) => e.type === 'item:status' && e.payload.id !== BARRIER.id).map((e) => e.type === 'item:status' && [e.payload.kind, e.payload.id, e.payload.from, e.payload.to]);
    expect(statuses).toEqual([
      ['plan', 'coderef:feature:frost-alerts', 'in_progress', 'done'],
      ['workorder', 'WO-FROST-ALERTS-001', 'in_progress', 'done'],
    ]);
    expect(moved.filter((e) => e.type.endsWith(':removed') || e.type.endsWith(':added'))).toEqual([]);
  });

  test('a Backlog.md task moved from tasks/ to completed/ is one status change, same id', async () => {
    const task = '---\nid: task-12\ntitle: Mulch the beds\nstatus: In Progress\n---\n';
    const { root, engine, rec } = await watchFolder({ 'backlog/tasks/task-12 - Mulch the beds.md': task, 'backlog/completed/.keep': '', ...barrierFile });
    const start = rec.lastSeq;

    renameSync(join(root, 'backlog/tasks/task-12 - Mulch the beds.md'), join(root, 'backlog/completed/task-12 - Mulch the beds.md'));
    await rec.waitFor('item:status', (e) => e.payload.id === 'backlog:task:task-12' && e.payload.to === 'done', { afterSeq: start });
    await settled(engine, root, rec, BARRIER);

    const moved = rec.events.filter((e) => e.seq > start);
    expect(moved.filter((e) => e.type === 'item:status' && e.payload.id !== BARRIER.id).map((e) => e.payload)).toEqual([
      expect.objectContaining({ id: 'backlog:task:task-12', from: 'in_progress', to: 'done' }),
    ]);
    expect(moved.filter((e) => e.type === 'plan:removed' || e.type === 'plan:added')).toEqual([]);
  });
});
