// The journal in a real vigil.db in a temp config folder, with the real engine watching real
// project folders: what survives a restart, what is found on start, and what the queries say.
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import type { Project } from '../../../shared/model';
import type { EngineEvent } from '../../../shared/protocol';
import { ConfigStore } from '../../../main/engine/config';
import { Engine } from '../../../main/engine/engine';
import { History } from '../../../main/store/history';
import { tempDir } from '../engine/live-helpers';
import { startVigil, writeTaskmaster, type Running } from './store-helpers';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function folders(): { config: string; project: string } {
  const config = tempDir('vigil-config-');
  const project = tempDir('vigil-project-');
  cleanups.push(config.remove, project.remove);
  return { config: config.path, project: project.path };
}

async function start(config: string, project: string, options: Parameters<typeof startVigil>[2] = {}): Promise<Running> {
  const running = await startVigil(config, [project], options);
  let closed = false;
  const close = running.close;
  running.close = async () => {
    if (closed) return;
    closed = true;
    await close();
  };
  cleanups.push(() => running.close());
  return running;
}

const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
const statuses = (events: EngineEvent[]): string[] =>
  events.flatMap((e) => (e.type === 'item:status' ? [`${e.payload.title}:${e.payload.from}->${e.payload.to}${e.foundOnStart ? ' (found on start)' : ''}`] : []));

describe('the journal across restarts', () => {
  test('a restart keeps Activity, seq and the replay of what came before', async () => {
    const { config, project } = folders();
    writeTaskmaster(project, [
      { id: 1, title: 'Login form', status: 'pending' },
      { id: 2, title: 'Session store', status: 'pending' },
    ]);
    const first = await start(config, project);
    writeTaskmaster(project, [
      { id: 1, title: 'Login form', status: 'in-progress' },
      { id: 2, title: 'Session store', status: 'pending' },
    ]);
    await first.rec.waitFor('item:status', (e) => e.payload.to === 'in_progress');
    writeTaskmaster(project, [
      { id: 1, title: 'Login form', status: 'done' },
      { id: 2, title: 'Session store', status: 'pending' },
    ]);
    await first.rec.waitFor('item:status', (e) => e.payload.to === 'done');
    const seqBefore = first.engine.hub.seq;
    const eventsBefore = first.engine.hub.recent(1000);
    await first.close();

    const second = await start(config, project);
    // Nothing changed while it was off: seq goes on where it stopped, nothing is found.
    expect(second.engine.hub.seq).toBe(seqBefore);
    const snapshot = second.engine.snapshot();
    expect(snapshot.activity.map((t) => `${t.title}:${t.from}->${t.to}`)).toEqual(['Login form:todo->in_progress', 'Login form:in_progress->done']);
    expect(snapshot.throughput.finishedLastHour).toBe(1);
    expect(snapshot.recentCompletions).toEqual([
      expect.objectContaining({ title: 'Login form', to: 'done', cycleMs: expect.any(Number) }),
    ]);
    // hello.recent and resync read the journal: the same events, same seqs, same payloads.
    expect(second.engine.hub.recent(1000)).toEqual(eventsBefore);
    expect(second.engine.hub.since(2)).toEqual(eventsBefore.filter((e) => e.seq > 2));

    writeTaskmaster(project, [
      { id: 1, title: 'Login form', status: 'done' },
      { id: 2, title: 'Session store', status: 'in-progress' },
    ]);
    const next = await second.rec.waitFor('item:status', (e) => e.payload.title === 'Session store');
    expect(next.seq).toBeGreaterThan(seqBefore);
  });

  test('what changed while Vigil was stopped is journaled once, marked as found on start', async () => {
    const { config, project } = folders();
    writeTaskmaster(project, [
      { id: 1, title: 'Login form', status: 'in-progress' },
      { id: 2, title: 'Session store', status: 'pending' },
      { id: 3, title: 'Old spike', status: 'pending' },
    ]);
    const first = await start(config, project);
    await first.close();

    writeTaskmaster(project, [
      { id: 1, title: 'Login form', status: 'done' },
      { id: 2, title: 'Session store', status: 'pending' },
      { id: 4, title: 'Password reset', status: 'pending' },
    ]);
    const second = await start(config, project);
    const found = second.rec.events.filter((e) => e.foundOnStart);
    expect(statuses(found)).toEqual(['Login form:in_progress->done (found on start)', 'Password reset:null->todo (found on start)']);
    expect(found.map((e) => e.type)).toEqual(expect.arrayContaining(['plan:updated', 'plan:added', 'plan:removed', 'project:updated']));
    expect(second.engine.snapshot().activity.at(-2)).toMatchObject({ title: 'Login form', to: 'done', foundOnStart: true });
    await second.close();

    const third = await start(config, project);
    expect(third.rec.events.filter((e) => e.foundOnStart)).toEqual([]);
    const page = third.history.page({ types: ['item:status'] });
    expect(statuses(page.events)).toEqual(['Password reset:null->todo (found on start)', 'Login form:in_progress->done (found on start)']);
  });

  test('an event published while the projects are still loading is journaled, so a resync after a restart replays it', async () => {
    const { config, project } = folders();
    writeTaskmaster(project, [{ id: 1, title: 'Login form', status: 'pending' }]);
    // The project as a load announces it (from another Vigil on another config folder).
    const other = await start(folders().config, project);
    const loadedProject = other.engine.projects()[0] as Project;
    await other.close();

    const history = History.open({ dir: config });
    const engine = new Engine({ roots: [project], history, driftSweepMs: 0, heartbeatMs: 60_000 });
    cleanups.push(async () => {
      await engine.close();
      await history.close();
    });
    const loading = engine.start();
    // The load has begun and not finished: a run, or a project's watch stats settling, publishes now.
    engine.publishEvents([
      { type: 'engine:state', payload: { running: true } },
      { type: 'project:updated', payload: { project: loadedProject } },
    ]);
    await loading;
    await nextTurn(); // the hub hands batches to its sinks on the next turn
    const published = engine.hub.recent(1000);
    expect(published.slice(0, 2).map((e) => `${e.seq}:${e.type}`)).toEqual(['1:engine:state', '2:project:updated']);
    expect(collectSeqs(history).reverse()).toEqual(published.map((e) => e.seq));
    // A project first journaled during the load is still one the journal never saw: it arrives whole.
    expect(published.filter((e) => e.foundOnStart).map((e) => e.type)).toEqual(['project:added', 'plan:added']);
    await engine.close();
    await history.close();

    // A client that saw nothing asks to resync from 0 after a restart: replayed, not a fresh hello.
    const second = await start(config, project);
    expect(second.engine.hub.since(0)).toEqual(published);
  });

  test('a project the journal never saw arrives whole, without transitions', async () => {
    const { config, project } = folders();
    writeTaskmaster(project, [{ id: 1, title: 'Login form', status: 'done' }]);
    const first = await start(config, project);
    expect(first.rec.events.map((e) => e.type)).toEqual(['project:added', 'plan:added']);
    expect(first.engine.snapshot().throughput.finishedLastHour).toBe(0);
    expect(first.engine.snapshot().activity).toEqual([]);
  });
});

describe('retention from the settings', () => {
  test('90 days and a million events by default; the limit in settings.json is the one a prune keeps to', async () => {
    const { config, project } = folders();
    const store = new ConfigStore(config);
    await store.load();
    expect(store.settings().history).toEqual({ retentionDays: 90, maxEvents: 1_000_000 });
    await store.updateSettings({ history: { retentionDays: 90, maxEvents: 1000 } });

    const tasks = (status: string) => Array.from({ length: 600 }, (_, i) => ({ id: i + 1, title: `Task ${i + 1}`, status }));
    writeTaskmaster(project, tasks('pending'));
    const running = await start(config, project, { config: store });
    writeTaskmaster(project, tasks('in-progress'));
    await running.rec.waitFor('item:status', (e) => e.payload.title === 'Task 600');
    // 601 events on start (the project and its tasks), then 600 updates and 600 transitions.
    expect(running.engine.hub.seq).toBeGreaterThan(1800);

    const deleted = await running.history.pruneNow();
    // The newest 1000 at the time of the prune are kept, and only they (and any newer).
    expect(deleted).toBeGreaterThan(800);
    const seqs = collectSeqs(running.history);
    expect(seqs.at(-1)).toBe(deleted + 1);
    expect(seqs[0]).toBe(running.engine.hub.seq);
    expect(seqs.length).toBe(running.engine.hub.seq - deleted);
    expect(deleted + 1000).toBeLessThanOrEqual(running.engine.hub.seq);
  });
});

/** Every seq the journal holds, newest first, paged as a client pages. */
function collectSeqs(history: History): number[] {
  const seqs: number[] = [];
  let beforeSeq: number | undefined;
  for (;;) {
    const page = history.page({ limit: 500, ...(beforeSeq === undefined ? {} : { beforeSeq }) });
    seqs.push(...page.events.map((e) => e.seq));
    if (page.nextBeforeSeq === null) return seqs;
    beforeSeq = page.nextBeforeSeq;
  }
}

describe('damage', () => {
  test('a corrupt vigil.db is moved aside with a health warning, and a fresh one is started', async () => {
    const { config, project } = folders();
    writeTaskmaster(project, [{ id: 1, title: 'Login form', status: 'pending' }]);
    const garbage = 'this is not a database\n'.repeat(500);
    writeFileSync(join(config, 'vigil.db'), garbage);

    const running = await start(config, project);
    const aside = readdirSync(config).filter((name) => name.startsWith('vigil.db.corrupt-'));
    expect(aside).toHaveLength(1);
    expect(readFileSync(join(config, aside[0] as string), 'utf8')).toBe(garbage);
    expect(running.history.mode).toBe('writing');
    expect(running.history.conditions()).toEqual([
      expect.objectContaining({ key: 'history-moved-aside', level: 'warning', message: expect.stringContaining(aside[0] as string) }),
    ]);
    // The warning reaches health on the next heartbeat, and the journal works.
    await running.engine.refresh();
    await nextTurn();
    expect(running.history.page({}).events.length).toBeGreaterThan(0);
  });

  test('a health warning names the moved file once the heartbeat runs', async () => {
    const { config, project } = folders();
    writeTaskmaster(project, [{ id: 1, title: 'Login form', status: 'pending' }]);
    writeFileSync(join(config, 'vigil.db'), Buffer.alloc(8192, 7));
    const running = await start(config, project, { heartbeatMs: 100 });
    const changed = await running.rec.waitFor('health:changed', (e) => e.payload.health.conditions.some((c) => c.key === 'history-moved-aside'));
    expect(changed.payload.health.level).toBe('warning');
  });

  test('a second Vigil on the same config folder reads the history but does not write it', async () => {
    const { config, project } = folders();
    writeTaskmaster(project, [{ id: 1, title: 'Login form', status: 'pending' }]);
    const writer = await start(config, project);
    const written = writer.history.page({}).events.map((e) => e.seq);
    const reader = History.open({ dir: config });
    cleanups.push(() => reader.close());
    expect(reader.mode).toBe('reading');
    expect(reader.conditions()[0]?.key).toBe('history-reading');
    expect(reader.page({}).events.map((e) => e.seq)).toEqual(written);
    expect(reader.since(0, 1)).toBeNull();
  });

  test('a config folder that cannot be created leaves history off with a warning, never a crash', async () => {
    const { config, project } = folders();
    writeFileSync(join(config, 'blocker'), 'a file where a folder should be');
    writeTaskmaster(project, [{ id: 1, title: 'Login form', status: 'pending' }]);
    const running = await start(join(config, 'blocker', 'vigil'), project);
    expect(running.history.mode).toBe('off');
    expect(running.history.conditions()[0]).toMatchObject({ key: 'history-off', message: expect.stringContaining('History is off') });
    expect(running.engine.snapshot().plans).toHaveLength(1);
    expect(() => running.history.page({})).toThrow(/History is not available/);
    expect(existsSync(join(config, 'blocker', 'vigil'))).toBe(false);
  });
});
