// The journal with a real hub and a real vigil.db, fed events the way the engine publishes
// them, on a clock the test sets: retention, paging while writes go on, the away digest, and
// a disk that fills up.
import { execFileSync, spawn } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readdirSync, rmSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, describe, expect, test } from 'vitest';
import type { ItemKind, Snapshot, Status } from '../../../shared/model';
import type { DomainEvent, EngineEvent } from '../../../shared/protocol';
import { Hub } from '../../../main/engine/hub';
import { openJournalForReading } from '../../../main/store/database';
import { History, WRITE_SLICE_EVENTS, type HistoryOptions } from '../../../main/store/history';
import { HistoryQueries, thin } from '../../../main/store/queries';
import { firstRow, type Db } from '../../../main/store/sqlite';
import { Recorder, tempDir, waitUntil } from '../engine/live-helpers';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

const emptySnapshot = (seq: number): Snapshot => ({
  seq,
  running: true,
  projects: [],
  plans: [],
  stubs: [],
  workorders: [],
  agents: [],
  issues: [],
  health: { level: 'ok', since: 0, conditions: [] },
  throughput: { finishedLastHour: 0, failedLastHour: 0, meanCycleMs: null },
  activity: [],
  heartbeat: null,
});

/** A journal attached to a hub, as the engine attaches it, with a clock the test moves. */
function journalOn(dir: string, options: Partial<HistoryOptions> = {}): { history: History; hub: Hub; clock: { now: number }; live: Recorder } {
  const clock = { now: Date.UTC(2026, 10, 20, 9, 0, 0) };
  const history = History.open({ dir, now: () => clock.now, pruneAfterMs: 3_600_000, ...options });
  const hub = new Hub({ now: () => clock.now, startSeq: history.lastSeq, archive: history });
  history.attach({ hub, snapshot: () => emptySnapshot(hub.seq) });
  const live = new Recorder();
  hub.addSink(live);
  cleanups.push(async () => {
    hub.close();
    await history.close();
  });
  return { history, hub, clock, live };
}

function status(projectId: string, id: string, title: string, from: Status | null, to: Status, kind: ItemKind = 'plan'): DomainEvent {
  return { type: 'item:status', payload: { projectId, kind, id, title, from, to } };
}

function planNow(projectId: string, id: string, title: string, status: Status): DomainEvent {
  const plan = { id, projectId, source: 'taskmaster', kind: 'task', title, status, rawStatus: status, progress: { done: 0, total: 1 }, path: '.taskmaster/tasks/tasks.json', parent: null, updatedAt: 0 } as const;
  return { type: 'plan:added', payload: { plan } };
}

function noise(n: number, projectId = 'p1'): DomainEvent[] {
  return Array.from({ length: n }, (_, i) => ({ type: 'parse:issue', payload: { projectId, path: `notes-${i}.md`, issues: [] } }) as DomainEvent);
}

/** Publish, let the hub deliver (it flushes on the next turn) and the journal commit (it groups batches for a moment). */
function publish(hub: Hub, events: DomainEvent[], history?: History): EngineEvent[] {
  const stamped = hub.publish(events);
  hub.flush();
  history?.writePending();
  return stamped;
}

const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** Another connection to vigil.db, closed after the test: it sees what is committed without making the journal write first. */
function committedEvents(dir: string): { count: () => number; db: Db } {
  const reader = openJournalForReading(dir);
  if (!reader) throw new Error('no vigil.db was created');
  cleanups.push(() => void reader.db.close());
  return { count: () => firstRow<{ n: number }>(reader.db.prepare('SELECT count(*) AS n FROM events'))?.n ?? 0, db: reader.db };
}

/** How many events became visible to another reader on each turn of the event loop, until `total` had. */
async function writtenPerTurn(written: () => number, total: number): Promise<number[]> {
  const seen = [written()];
  const deadline = Date.now() + 10_000;
  while ((seen.at(-1) ?? 0) < total) {
    if (Date.now() > deadline) throw new Error(`the journal stopped at ${seen.at(-1)} of ${total} events`);
    await nextTurn();
    seen.push(written());
  }
  return seen.slice(1).map((n, i) => n - (seen[i] ?? 0));
}

describe('the group commit', () => {
  test('a burst is written a slice a turn of the event loop, in order, and a trickle after it still waits for its group', async () => {
    const dir = tempDir('vigil-config-');
    cleanups.push(dir.remove);
    const { history, hub } = journalOn(dir.path);
    const written = committedEvents(dir.path).count;

    const burst = 5000;
    const stamped = hub.publish(Array.from({ length: burst }, (_, i) => planNow('p1', `t${i}`, `Task ${i}`, 'todo')));
    hub.flush();
    // Another reader of vigil.db sees the burst arrive one slice per turn: the loop is free between.
    const steps = await writtenPerTurn(written, burst);
    expect(Math.max(...steps)).toBeLessThanOrEqual(WRITE_SLICE_EVENTS);
    expect(steps.filter((step) => step > 0).length).toBeGreaterThanOrEqual(Math.ceil(burst / WRITE_SLICE_EVENTS));
    expect(history.since(0, hub.seq)).toEqual(stamped);

    // A few events after the burst are not written on the next turns: they wait for their group.
    hub.publish([planNow('p1', 'late', 'Late task', 'todo')]);
    hub.flush();
    for (let i = 0; i < 20; i++) await nextTurn();
    expect(written()).toBe(burst);
    history.writePending();
    expect(written()).toBe(burst + 1);
  });

  test('a slice of heavy events ends at its time limit, not at its count, and the rest follow on later turns', async () => {
    const dir = tempDir('vigil-config-');
    cleanups.push(dir.remove);
    const { history, hub } = journalOn(dir.path);
    const written = committedEvents(dir.path).count;

    // Plans that each carry 64 KiB: a whole slice of them takes far longer than WRITE_SLICE_MS
    // (history.ts) on any machine.
    const heavy = 200;
    const stamped = hub.publish(Array.from({ length: heavy }, (_, i) => planNow('p1', `t${i}`, `${i} ${'x'.repeat(64 * 1024)}`, 'todo')));
    hub.flush();
    const steps = await writtenPerTurn(written, heavy);
    expect(Math.max(...steps)).toBeLessThan(WRITE_SLICE_EVENTS);
    expect(steps.filter((step) => step > 0).length).toBeGreaterThan(Math.ceil(heavy / WRITE_SLICE_EVENTS));
    expect(history.since(0, hub.seq)).toEqual(stamped);
  });

  test('the differences found on start wait for their group however many they are, then are written in slices', async () => {
    const dir = tempDir('vigil-config-');
    cleanups.push(dir.remove);
    const { history, hub } = journalOn(dir.path);
    const written = committedEvents(dir.path).count;

    // A new journal's start: the whole model arrives as differences, thousands of them.
    const found = 3000;
    const stamped = hub.publish(Array.from({ length: found }, (_, i) => ({ ...planNow('p1', `t${i}`, `Task ${i}`, 'todo'), foundOnStart: true })));
    hub.flush();
    // The turns right after the start are the server's (listening, the first hello), not the journal's.
    for (let i = 0; i < 20; i++) await nextTurn();
    expect(written()).toBe(0);
    // Then the group commit writes them, a slice a turn.
    const steps = await writtenPerTurn(written, found);
    expect(Math.max(...steps)).toBeLessThanOrEqual(WRITE_SLICE_EVENTS);
    expect(history.since(0, hub.seq)).toEqual(stamped);
  });

  test('the slices go on by themselves: a process that has nothing else to do still writes the whole burst', async () => {
    const dir = tempDir('vigil-config-');
    cleanups.push(dir.remove);
    const script = join(dir.path, 'burst.mts');
    const burst = WRITE_SLICE_EVENTS * 20;
    writeFileSync(
      script,
      `
import { Hub } from ${JSON.stringify(fileURLToPath(new URL('../../../main/engine/hub.ts', import.meta.url)))};
import { History } from ${JSON.stringify(fileURLToPath(new URL('../../../main/store/history.ts', import.meta.url)))};
const history = History.open({ dir: ${JSON.stringify(dir.path)} });
const hub = new Hub({ startSeq: history.lastSeq, archive: history });
history.attach({ hub, snapshot: () => ({ seq: hub.seq }) });
const plan = (i) => ({ id: 't' + i, projectId: 'p1', source: 'taskmaster', kind: 'task', title: 'Task ' + i, status: 'todo', rawStatus: 'pending', progress: { done: 0, total: 1 }, path: '.taskmaster/tasks/tasks.json', parent: null, updatedAt: 0 });
hub.publish(Array.from({ length: ${burst} }, (_, i) => ({ type: 'plan:added', payload: { plan: plan(i) } })));
hub.flush();
// Nothing else: no server, no timer, no close(). The journal's own slices must keep the process up.
`,
    );
    const code = await new Promise<number | null>((resolve, reject) => {
      const child = spawn(process.execPath, ['--import', 'tsx', script], { stdio: 'ignore' });
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        reject(new Error('the process did not end within 30 s'));
      }, 30_000);
      child.on('exit', (c) => {
        clearTimeout(timer);
        resolve(c);
      });
    });
    expect(code).toBe(0);
    const { db } = committedEvents(dir.path);
    expect(firstRow<{ n: number; last: number }>(db.prepare('SELECT count(*) AS n, max(seq) AS last FROM events'))).toEqual({ n: burst, last: burst });
  });
});

describe('retention', () => {
  test('keeps the newest maxEvents, in the background, and a resync from before them gets a snapshot', async () => {
    const dir = tempDir('vigil-config-');
    cleanups.push(dir.remove);
    const { history, hub } = journalOn(dir.path, { limits: () => ({ retentionDays: 90, maxEvents: 1000 }) });
    for (let i = 0; i < 5; i++) publish(hub, noise(500));
    expect(history.page({ limit: 500, beforeSeq: 2 }).events.map((e) => e.seq)).toEqual([1]);

    expect(await history.pruneNow()).toBe(1500);
    const oldest = history.page({ limit: 500, beforeSeq: 1502 }).events.at(-1)?.seq;
    expect(oldest).toBe(1501);
    expect(history.page({ limit: 10, beforeSeq: 1501 }).events).toEqual([]);
    // The ring still reaches back a thousand; before that the journal no longer does.
    expect(hub.since(1400)).toBeNull();
    expect(hub.since(1500)?.map((e) => e.seq)).toEqual(Array.from({ length: 1000 }, (_, i) => 1501 + i));
  });

  test('drops events older than the retention period, and keeps each burn-up line its start', async () => {
    const dir = tempDir('vigil-config-');
    cleanups.push(dir.remove);
    const { history, hub, clock } = journalOn(dir.path, { limits: () => ({ retentionDays: 90, maxEvents: 1_000_000 }) });
    const project = (done: number) =>
      ({
        type: 'project:updated',
        payload: {
          project: {
            id: 'p1',
            name: 'shop',
            root: '/code/shop',
            sources: ['taskmaster'],
            state: 'ok',
            watch: { backend: 'native', watchedDirs: 2, lastEventAt: null, errors: [] },
            progress: { done, total: 10 },
            reported: [],
          },
        },
      }) as DomainEvent;
    publish(hub, [project(1), status('p1', 't1', 'Old task', 'in_progress', 'done')]);
    clock.now += 100 * DAY;
    publish(hub, [status('p1', 't2', 'New task', 'todo', 'in_progress')]);

    expect(await history.pruneNow()).toBe(2);
    expect(history.page({}).events.map((e) => e.type)).toEqual(['item:status']);
    const [series] = history.burnup({ projectId: 'p1' });
    expect(series?.points.map((p) => p.done)).toEqual([1, 1]);
  });
});

describe('another module’s table', () => {
  test('is written on the journal’s one connection, after the events handed over, and read back', async () => {
    const dir = tempDir('vigil-config-');
    cleanups.push(dir.remove);
    const { history, hub } = journalOn(dir.path);
    hub.publish(noise(3));
    hub.flush();
    const written = history.write((db) => {
      db.exec('CREATE TABLE IF NOT EXISTS runs_probe (id INTEGER PRIMARY KEY, seq INTEGER)');
      return db.prepare('INSERT INTO runs_probe (seq) SELECT MAX(seq) FROM events').run().changes;
    });
    expect(written).toBe(1);
    expect(history.read((db) => db.prepare('SELECT seq FROM runs_probe').all())).toEqual([{ seq: 3 }]);
    const reader = History.open({ dir: dir.path });
    cleanups.push(() => reader.close());
    expect(reader.write(() => 'written')).toBeNull();
  });
});

describe('queries', () => {
  test('paging back is stable while new events are written', async () => {
    const dir = tempDir('vigil-config-');
    cleanups.push(dir.remove);
    const { history, hub } = journalOn(dir.path);
    publish(hub, noise(250));
    const seen: number[] = [];
    let page = history.page({ limit: 40 });
    const top = page.events[0]?.seq;
    while (true) {
      seen.push(...page.events.map((e) => e.seq));
      // Writes between pages land above the first page; they never shift the pages below.
      publish(hub, noise(17));
      if (page.nextBeforeSeq === null) break;
      page = history.page({ limit: 40, beforeSeq: page.nextBeforeSeq });
    }
    expect(top).toBe(250);
    expect(seen).toEqual(Array.from({ length: 250 }, (_, i) => 250 - i));
  });

  test('a burn-up over a busy range is thinned to a bounded series that keeps its ends and its order', () => {
    const points = Array.from({ length: 5000 }, (_, i) => ({ ts: i * 1000, done: Math.floor(i / 10), total: 600 }));
    const thinned = thin(points, 200);
    expect(thinned.length).toBeLessThanOrEqual(201);
    expect(thinned[0]).toEqual(points[0]);
    expect(thinned.at(-1)).toEqual(points.at(-1));
    expect(thinned.every((p, i) => i === 0 || p.ts > (thinned[i - 1] as { ts: number }).ts)).toBe(true);
    expect(thin(points.slice(0, 50), 200)).toHaveLength(50);
  });

  test('a page with a rare filter stops after a bounded walk and says where to go on', async () => {
    const dir = tempDir('vigil-config-');
    cleanups.push(dir.remove);
    const { history, hub } = journalOn(dir.path);
    publish(hub, [status('p1', 'a', 'Rare', 'todo', 'done')]);
    for (let i = 0; i < 5; i++) publish(hub, noise(1000));
    history.writePending();
    // Small windows, so a few thousand events stand in for a million.
    const queries = new HistoryQueries((history as unknown as { db: Db }).db, { window: 500, maxScan: 2000 });
    let page = queries.page({ types: ['item:status'] });
    const walked: (number | null)[] = [];
    while (page.events.length === 0 && page.nextBeforeSeq !== null) {
      walked.push(page.nextBeforeSeq);
      page = queries.page({ types: ['item:status'], beforeSeq: page.nextBeforeSeq });
    }
    expect(walked).toEqual([3002, 1002]);
    expect(page.events.map((e) => e.seq)).toEqual([1]);
    expect(page.nextBeforeSeq).toBeNull();
  });

  test('filters by project, item, type and time, newest first', async () => {
    const dir = tempDir('vigil-config-');
    cleanups.push(dir.remove);
    const { history, hub, clock } = journalOn(dir.path);
    const start = clock.now;
    // As the engine publishes it: the item as it now is, then its transition.
    publish(hub, [planNow('p1', 'a', 'A', 'in_progress'), status('p1', 'a', 'A', 'todo', 'in_progress'), status('p2', 'a', 'A elsewhere', 'todo', 'in_progress')]);
    clock.now += 10 * MINUTE;
    publish(hub, [status('p1', 'a', 'A', 'in_progress', 'done'), ...noise(3)]);
    clock.now += 10 * MINUTE;
    publish(hub, [status('p1', 'b', 'B', 'todo', 'failed')]);

    const itemA = history.page({ projectId: 'p1', itemId: 'a' }).events;
    expect(itemA.map((e) => (e.type === 'item:status' ? e.payload.to : e.type))).toEqual(['done', 'in_progress', 'plan:added']);
    expect(history.page({ types: ['item:status'], since: start + 5 * MINUTE }).events.map((e) => e.seq)).toEqual([8, 4]);
    expect(history.page({ types: ['item:status'], until: start + 5 * MINUTE }).events.map((e) => e.seq)).toEqual([3, 2]);
    expect(history.page({ projectId: 'p2' }).events).toHaveLength(1);
    expect(() => history.page({ types: ['plan:exploded'] })).toThrow(/Unknown event type "plan:exploded"/);
    expect(() => history.page({ itemId: 'a' })).toThrow(/needs a projectId/);

    // Cycle time from the first in_progress; hourly throughput counts both ends.
    const [failed, done] = history.recentCompletions();
    expect(done).toMatchObject({ id: 'a', to: 'done', cycleMs: 10 * MINUTE });
    expect(failed).toMatchObject({ id: 'b', to: 'failed', cycleMs: null });
    const hours = history.hourlyThroughput(clock.now);
    expect(hours).toHaveLength(24);
    expect(hours.at(-1)).toMatchObject({ finished: 1, failed: 1 });
    const days = history.throughput({ bucket: 'day', since: start - DAY, until: start + DAY });
    // 09:00 a day before to 09:00 a day after: three calendar days, the middle one holding both.
    expect(days.map((d) => [d.finished, d.failed])).toEqual([[0, 0], [1, 1], [0, 0]]);
  });

  test('a snapshot leaves events that finish nothing to the group commit, and writes a finish before answering', async () => {
    const dir = tempDir('vigil-config-');
    cleanups.push(dir.remove);
    const { history, hub } = journalOn(dir.path);
    const committed = committedEvents(dir.path).count;
    // What a start finds in a new journal: a whole model of added items, nothing finishing.
    hub.publish([planNow('p1', 'x', 'Login form', 'todo'), planNow('p1', 'y', 'Session store', 'done'), status('p1', 'x', 'Login form', null, 'todo')]);
    hub.flush();
    expect(history.recentCompletions()).toEqual([]);
    expect(history.hourlyThroughput(Date.now()).every((hour) => hour.finished === 0)).toBe(true);
    expect(committed()).toBe(0);
    await waitUntil(() => committed() === 3, 5000, 'the group commit');

    hub.publish([planNow('p1', 'x', 'Login form', 'done'), status('p1', 'x', 'Login form', 'todo', 'done')]);
    hub.flush();
    expect(history.recentCompletions()).toMatchObject([{ id: 'x', to: 'done' }]);
    expect(committed()).toBe(5);
  });

  test('recent completions are the last 100, newest first, timed from the first in_progress of their stretch, and read back after a reopen', async () => {
    const dir = tempDir('vigil-config-');
    cleanups.push(dir.remove);
    const { history, hub, clock } = journalOn(dir.path);
    // As the engine publishes them: the item as it now is, then its transition. Review and back
    // does not restart the clock; a move back to todo does.
    publish(hub, [
      planNow('p1', 'x', 'Reviewed', 'in_progress'),
      status('p1', 'x', 'Reviewed', 'todo', 'in_progress'),
      planNow('p1', 'y', 'Restarted', 'in_progress'),
      status('p1', 'y', 'Restarted', 'todo', 'in_progress'),
    ]);
    clock.now += 2 * MINUTE;
    publish(hub, [status('p1', 'y', 'Restarted', 'in_progress', 'todo')]);
    clock.now += 3 * MINUTE;
    publish(hub, [status('p1', 'x', 'Reviewed', 'in_progress', 'review')]);
    clock.now += 3 * MINUTE;
    publish(hub, [status('p1', 'x', 'Reviewed', 'review', 'in_progress')]);
    clock.now += 4 * MINUTE;
    publish(hub, [status('p1', 'x', 'Reviewed', 'in_progress', 'done')]);
    clock.now += 8 * MINUTE;
    publish(hub, [status('p1', 'y', 'Restarted', 'todo', 'in_progress')]);
    clock.now += 10 * MINUTE;
    publish(hub, [status('p1', 'y', 'Restarted', 'in_progress', 'failed')]);
    expect(history.recentCompletions().map((c) => [c.id, c.to, c.cycleMs])).toEqual([
      ['y', 'failed', 10 * MINUTE],
      ['x', 'done', 12 * MINUTE],
    ]);

    for (let i = 0; i < 105; i++) {
      publish(hub, [planNow('p2', `t${i}`, `Task ${i}`, 'in_progress'), status('p2', `t${i}`, `Task ${i}`, 'todo', 'in_progress')]);
      clock.now += MINUTE;
      publish(hub, [status('p2', `t${i}`, `Task ${i}`, 'in_progress', i % 10 === 0 ? 'failed' : 'done')]);
    }
    const recent = history.recentCompletions();
    expect(recent).toHaveLength(100);
    expect(recent.map((c) => c.id)).toEqual(Array.from({ length: 100 }, (_, i) => `t${104 - i}`));
    expect(recent.every((c) => c.cycleMs === MINUTE)).toBe(true);
    expect(recent.filter((c) => c.to === 'failed').map((c) => c.id)).toEqual(['t100', 't90', 't80', 't70', 't60', 't50', 't40', 't30', 't20', 't10']);

    // What the snapshot carries after a restart comes from the file.
    await history.close();
    const reopened = History.open({ dir: dir.path, now: () => clock.now });
    cleanups.push(() => reopened.close());
    expect(reopened.recentCompletions()).toEqual(recent);
    const hours = reopened.hourlyThroughput(clock.now);
    expect(hours.reduce((n, h) => n + h.finished, 0)).toBe(94 + 1);
    expect(hours.reduce((n, h) => n + h.failed, 0)).toBe(11 + 1);
  });

  test('the digest for a client away 15 minutes lists failures, stalls, finishes and starts, with counts per project', async () => {
    const dir = tempDir('vigil-config-');
    cleanups.push(dir.remove);
    const { history, hub, clock } = journalOn(dir.path);
    publish(hub, [status('shop', 'cart', 'Cart', 'todo', 'in_progress'), status('shop', 'old', 'Done before', 'in_progress', 'done')]);
    const lastSeen = hub.seq;
    const leftAt = clock.now;

    clock.now += 3 * MINUTE;
    publish(hub, [status('shop', 'cart', 'Cart', 'in_progress', 'done'), status('api', 'auth', 'Auth', 'todo', 'in_progress')]);
    clock.now += 4 * MINUTE;
    publish(hub, [status('api', 'rate', 'Rate limits', 'in_progress', 'failed'), status('shop', 'search', 'Search', 'todo', 'in_progress')]);
    clock.now += 4 * MINUTE;
    publish(hub, [
      {
        type: 'health:changed',
        payload: {
          health: {
            level: 'warning',
            since: clock.now,
            conditions: [
              { key: 'stalled:shop', level: 'warning', message: '1 item in progress in "shop" (e.g. "Search"), but no file there has changed for over 30 minutes.', hint: null, projectId: 'shop', since: clock.now },
              { key: 'stalled:api', level: 'warning', message: 'an old stall', hint: null, projectId: 'api', since: leftAt - 60 * MINUTE },
            ],
          },
        },
      },
      status('api', 'auth', 'Auth', 'in_progress', 'review'),
    ]);
    clock.now += 4 * MINUTE;

    const digest = history.digest({ sinceSeq: lastSeen });
    expect(digest.entries.map((e) => `${e.what} ${e.projectId} ${e.title.slice(0, 12)}`)).toEqual([
      'failed api Rate limits',
      'stalled shop 1 item in pr',
      'finished shop Cart',
      'started shop Search',
    ]);
    expect(digest.perProject).toEqual([
      { projectId: 'api', failed: 1, stalled: 0, finished: 0, started: 0 },
      { projectId: 'shop', failed: 0, stalled: 1, finished: 1, started: 1 },
    ]);
    expect(digest.throughSeq).toBe(hub.seq);
  });
});

describe('damage found while running', () => {
  test('a vigil.db whose pages go bad is moved aside with a warning, and a fresh journal counts on from the live seq', async () => {
    const dir = tempDir('vigil-config-');
    cleanups.push(dir.remove);
    const { history, hub, live } = journalOn(dir.path);
    publish(hub, noise(2000), history);
    const before = hub.seq;

    // The disk returns garbage for every page but the first (the header and the schema stay
    // readable). The connection forgets what it cached, so it reads the garbage.
    history.read((db) => db.exec('PRAGMA wal_checkpoint(TRUNCATE)'));
    const file = join(dir.path, 'vigil.db');
    const size = statSync(file).size;
    expect(size).toBeGreaterThan(8 * 4096);
    const fd = openSync(file, 'r+');
    writeSync(fd, Buffer.alloc(size - 4096, 0xff), 0, size - 4096, 4096);
    closeSync(fd);
    history.read((db) => db.exec('PRAGMA shrink_memory'));

    const stamped = publish(hub, noise(5), history);
    expect(history.mode).toBe('writing');
    const aside = readdirSync(dir.path).filter((name) => /^vigil\.db\.corrupt-[\dT-]+Z$/.test(name));
    expect(aside).toHaveLength(1);
    expect(history.conditions()).toEqual([
      expect.objectContaining({ key: 'history-moved-aside', level: 'warning', message: expect.stringContaining(aside[0] as string) }),
    ]);
    // The batch that met the damage is the first thing in the new journal; seq went on.
    expect(history.page({}).events.map((e) => e.seq)).toEqual(stamped.map((e) => e.seq).reverse());
    expect(stamped[0]?.seq).toBe(before + 1);
    expect(live.lastSeq).toBe(hub.seq);
    // What was before the damage is not in the new journal: a client from then gets a snapshot.
    expect(hub.since(0)).toBeNull();
    publish(hub, noise(3), history);
    expect(history.page({ limit: 3 }).events.map((e) => e.seq)).toEqual([hub.seq, hub.seq - 1, hub.seq - 2]);
  });
});

/** A tmpfs of `size` mounted on a fresh folder, or the reason it cannot be (not root, no permission). */
function mountTmpfs(size: string): { path: string; unmount: () => void } | string {
  const dir = tempDir('vigil-tmpfs-');
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', dir.path], { stdio: 'pipe' });
  } catch (err) {
    dir.remove();
    return `cannot mount a tmpfs here: ${(err as Error).message.split('\n')[0]}`;
  }
  return {
    path: dir.path,
    unmount: () => {
      // Lazily: the driver releases a closed database's file only once its statements are
      // garbage-collected, which this process does not control.
      execFileSync('umount', ['-l', dir.path], { stdio: 'pipe' });
      dir.remove();
    },
  };
}

/** Write a file until the disk refuses (ENOSPC). */
function fillDisk(path: string): void {
  const fd = openSync(path, 'w');
  const chunk = Buffer.alloc(64 * 1024, 1);
  try {
    for (;;) writeSync(fd, chunk);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOSPC') throw err;
  } finally {
    closeSync(fd);
  }
}

const tmpfs = process.platform === 'linux' && process.getuid?.() === 0 ? mountTmpfs('4m') : 'needs root on Linux to mount a tmpfs';

describe.skipIf(typeof tmpfs === 'string')(`a full disk (a real 4 MiB tmpfs${typeof tmpfs === 'string' ? `; skipped: ${tmpfs}` : ''})`, () => {
  afterAll(() => {
    if (typeof tmpfs !== 'string') tmpfs.unmount();
  });

  test('pauses journaling with a health warning, keeps the live view, and resumes when there is room', async () => {
    if (typeof tmpfs === 'string') return;
    const dir = join(tmpfs.path, 'config');
    mkdirSync(dir);
    const { history, hub, live } = journalOn(dir, { retryMs: 20 });
    publish(hub, noise(10));
    const before = hub.seq;

    const filler = join(tmpfs.path, 'filler');
    fillDisk(filler);
    const big = (n: number): DomainEvent[] =>
      Array.from({ length: n }, (_, i) => ({ type: 'parse:issue', payload: { projectId: 'p1', path: `big-${i}.md`, issues: [{ projectId: 'p1', path: `big-${i}.md`, line: 1, message: 'x'.repeat(4000) }] } }) as DomainEvent);
    publish(hub, big(200), history);
    expect(history.mode).toBe('paused');
    expect(history.conditions()).toEqual([expect.objectContaining({ key: 'history-paused', message: expect.stringContaining('disk holding') })]);
    // The live view never noticed.
    expect(live.lastSeq).toBe(hub.seq);
    publish(hub, noise(5));
    expect(live.lastSeq).toBe(hub.seq);

    rmSync(filler);
    await waitUntil(() => history.mode === 'writing', 5000, 'the journal to resume');
    expect(history.conditions()).toEqual([]);
    const resumedAt = hub.seq;
    publish(hub, noise(3));
    expect(history.page({ limit: 3 }).events.map((e) => e.seq)).toEqual([resumedAt + 3, resumedAt + 2, resumedAt + 1]);
    // Across the pause the journal has a hole: a client from before gets a snapshot, not a partial replay.
    expect(history.since(before, resumedAt + 3)).toBeNull();
    expect(history.since(resumedAt, resumedAt + 3)?.map((e) => e.seq)).toEqual([resumedAt + 1, resumedAt + 2, resumedAt + 3]);
  });
});

