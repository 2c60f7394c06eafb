// The recorded model as the journal writes it: a batch writes each model row once, with the
// state it ends in, and the start of each item's stretch of work is kept in memory beside
// the file. These check that what reaches vigil.db (read back on a new connection, as a
// restart reads it) is what event-by-event writing would have left.
import { afterEach, describe, expect, test } from 'vitest';
import type { ItemKind, Plan, Project, Status } from '../../../shared/model';
import type { EngineEvent } from '../../../shared/protocol';
import { openJournalDb } from '../../../main/store/database';
import { Journal } from '../../../main/store/journal';
import type { Db } from '../../../main/store/sqlite';
import { tempDir } from '../engine/live-helpers';

const MINUTE = 60_000;
const T0 = Date.UTC(2026, 10, 20, 9, 0, 0);

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0).reverse()) cleanup();
});

function open(dir: string): { journal: Journal; db: Db } {
  const opened = openJournalDb(dir);
  cleanups.push(() => opened.db.close());
  return { journal: new Journal(opened.db, opened.lastSeq, T0), db: opened.db };
}

/** Stamps events as the hub does: seq counting on from the journal's, at the given time. */
function stamper(journal: Journal) {
  let seq = journal.lastSeq;
  return (ts: number, ...events: Omit<EngineEvent, 'seq' | 'ts'>[]): EngineEvent[] => events.map((e) => ({ ...e, seq: ++seq, ts }) as EngineEvent);
}

function plan(projectId: string, id: string, title: string, status: Status): Omit<EngineEvent, 'seq' | 'ts'> {
  const value: Plan = { id, projectId, source: 'taskmaster', kind: 'task', title, status, rawStatus: status, progress: { done: 0, total: 1 }, path: '.taskmaster/tasks/tasks.json', parent: null, updatedAt: 0 };
  return { type: 'plan:updated', payload: { plan: value } } as Omit<EngineEvent, 'seq' | 'ts'>;
}

function status(projectId: string, id: string, from: Status, to: Status, kind: ItemKind = 'plan'): Omit<EngineEvent, 'seq' | 'ts'> {
  return { type: 'item:status', payload: { projectId, kind, id, title: id, from, to } } as Omit<EngineEvent, 'seq' | 'ts'>;
}

function project(id: string, done: number): Omit<EngineEvent, 'seq' | 'ts'> {
  const value = { id, name: id, root: `/work/${id}`, progress: { done, total: 10 } } as unknown as Project;
  return { type: 'project:updated', payload: { project: value } } as Omit<EngineEvent, 'seq' | 'ts'>;
}

const removed = (type: 'plan:removed' | 'project:removed', projectId: string, id?: string): Omit<EngineEvent, 'seq' | 'ts'> =>
  (type === 'project:removed' ? { type, payload: { projectId } } : { type, payload: { projectId, kind: 'plan', id } }) as Omit<EngineEvent, 'seq' | 'ts'>;

function modelRows(db: Db): { items: Record<string, { title: string; started: number | null }>; projects: Record<string, number> } {
  const items: Record<string, { title: string; started: number | null }> = {};
  for (const row of db.prepare('SELECT id, item, started_ts FROM model_items ORDER BY id').all() as { id: string; item: string; started_ts: number | null }[]) {
    items[row.id] = { title: (JSON.parse(row.item) as Plan).title, started: row.started_ts };
  }
  const projects: Record<string, number> = {};
  for (const row of db.prepare('SELECT id, project FROM model_projects ORDER BY id').all() as { id: string; project: string }[]) {
    projects[row.id] = (JSON.parse(row.project) as Project).progress.done;
  }
  return { items, projects };
}

const progressRows = (db: Db): [string, number][] =>
  (db.prepare('SELECT project_id, done FROM progress ORDER BY seq').all() as { project_id: string; done: number }[]).map((r) => [r.project_id, r.done]);

describe('the recorded model', () => {
  test('a batch that changes a row many times leaves its last state, every progress step, and the start of work for a restart', () => {
    const dir = tempDir('vigil-journal-');
    cleanups.push(dir.remove);
    const first = open(dir.path);
    const stamp = stamper(first.journal);
    first.journal.append(
      stamp(
        T0,
        plan('p1', 'a', 'First title', 'in_progress'),
        status('p1', 'a', 'todo', 'in_progress'),
        project('p1', 1),
        plan('p1', 'a', 'Second title', 'in_progress'),
        project('p1', 2),
        plan('p1', 'b', 'Never started', 'todo'),
        project('p1', 3),
      ),
    );
    first.db.close();

    // A restart: a new connection and a new journal read what the file holds.
    const second = open(dir.path);
    expect(modelRows(second.db)).toEqual({
      items: { a: { title: 'Second title', started: T0 }, b: { title: 'Never started', started: null } },
      projects: { p1: 3 },
    });
    expect(progressRows(second.db)).toEqual([
      ['p1', 1],
      ['p1', 2],
      ['p1', 3],
    ]);
    const stampAgain = stamper(second.journal);
    second.journal.append(stampAgain(T0 + 5 * MINUTE, plan('p1', 'a', 'Second title', 'done'), status('p1', 'a', 'in_progress', 'done')));
    expect(second.journal.recentCompletions().map((c) => [c.id, c.cycleMs])).toEqual([['a', 5 * MINUTE]]);
    expect(modelRows(second.db).items.a).toEqual({ title: 'Second title', started: null });
  });

  test('a batch cut at its time limit writes what it applied, whole; the rest follows, and the file ends as one batch would leave it', () => {
    const events = (journal: Journal): EngineEvent[] =>
      stamper(journal)(
        T0,
        plan('p1', 'a', 'First title', 'in_progress'),
        status('p1', 'a', 'todo', 'in_progress'),
        project('p1', 1),
        plan('p1', 'a', 'Second title', 'in_progress'),
        project('p1', 2),
      );
    const whole = tempDir('vigil-journal-');
    const cut = tempDir('vigil-journal-');
    cleanups.push(whole.remove, cut.remove);
    const once = open(whole.path);
    const batch = events(once.journal);
    expect(once.journal.append(batch)).toBe(batch.length);

    // A time limit already passed: one event a transaction, each one whole in the file.
    const sliced = open(cut.path);
    const same = events(sliced.journal);
    expect(sliced.journal.append(same, 0)).toBe(1);
    expect(sliced.journal.lastSeq).toBe(same[0]?.seq);
    expect(modelRows(sliced.db)).toEqual({ items: { a: { title: 'First title', started: null } }, projects: {} });
    // Handed the whole batch again (as the journal's owner does), it skips what is written.
    expect(sliced.journal.append(same, 0)).toBe(2);
    expect(sliced.journal.append(same.slice(2))).toBe(3);
    expect(sliced.journal.append(same)).toBe(same.length);
    expect(modelRows(sliced.db)).toEqual(modelRows(once.db));
    expect(progressRows(sliced.db)).toEqual(progressRows(once.db));
    expect(sliced.journal.since(0, sliced.journal.lastSeq)).toEqual(once.journal.since(0, once.journal.lastSeq));
  });

  test('a start that changes on its own (no item write in the batch) still reaches the file', () => {
    const dir = tempDir('vigil-journal-');
    cleanups.push(dir.remove);
    const { journal, db } = open(dir.path);
    const stamp = stamper(journal);
    journal.append(stamp(T0, plan('p1', 'a', 'Task', 'todo')));
    journal.append(stamp(T0 + MINUTE, status('p1', 'a', 'todo', 'in_progress')));
    expect(modelRows(db).items.a).toEqual({ title: 'Task', started: T0 + MINUTE });
    journal.append(stamp(T0 + 2 * MINUTE, status('p1', 'a', 'in_progress', 'review')));
    expect(modelRows(db).items.a?.started).toBe(T0 + MINUTE);
    journal.append(stamp(T0 + 3 * MINUTE, status('p1', 'a', 'review', 'todo')));
    expect(modelRows(db).items.a?.started).toBeNull();
  });

  test('a removal wins over the writes before it in the same batch, and what is added again after it starts clean', () => {
    const dir = tempDir('vigil-journal-');
    cleanups.push(dir.remove);
    const { journal, db } = open(dir.path);
    const stamp = stamper(journal);
    journal.append(
      stamp(
        T0,
        plan('p1', 'gone', 'Removed later in the batch', 'in_progress'),
        status('p1', 'gone', 'todo', 'in_progress'),
        removed('plan:removed', 'p1', 'gone'),
        plan('p1', 'back', 'Removed and added again', 'in_progress'),
        status('p1', 'back', 'todo', 'in_progress'),
        removed('plan:removed', 'p1', 'back'),
        plan('p1', 'back', 'Removed and added again', 'in_progress'),
        project('p2', 4),
        plan('p2', 'c', 'In a project removed later', 'in_progress'),
        status('p2', 'c', 'todo', 'in_progress'),
        removed('project:removed', 'p2'),
        project('p1', 1),
      ),
    );
    expect(modelRows(db)).toEqual({ items: { back: { title: 'Removed and added again', started: null } }, projects: { p1: 1 } });
    // The start went with the removal: finishing now has no cycle time.
    journal.append(stamp(T0 + MINUTE, status('p1', 'back', 'in_progress', 'done')));
    expect(journal.recentCompletions().map((c) => [c.id, c.cycleMs])).toEqual([['back', null]]);
    // So did the starts of the removed project's items, should it come back.
    journal.append(stamp(T0 + 2 * MINUTE, project('p2', 0), plan('p2', 'c', 'In a project removed later', 'in_progress')));
    expect(modelRows(db).items.c).toEqual({ title: 'In a project removed later', started: null });
    journal.append(stamp(T0 + 3 * MINUTE, status('p2', 'c', 'in_progress', 'done')));
    expect(journal.recentCompletions()[0]).toMatchObject({ id: 'c', cycleMs: null });
  });

  test('a batch that fails leaves the file and the starts the journal knows as they were', () => {
    const dir = tempDir('vigil-journal-');
    cleanups.push(dir.remove);
    const { journal, db } = open(dir.path);
    const stamp = stamper(journal);
    journal.append(stamp(T0, plan('p1', 'a', 'Task', 'in_progress'), status('p1', 'a', 'todo', 'in_progress')));
    const before = modelRows(db);
    // The status change ends the start in memory; the bad event after it (no time) fails the batch.
    const [done, broken] = stamp(T0 + MINUTE, status('p1', 'a', 'in_progress', 'done'), plan('p1', 'a', 'Renamed', 'done'));
    expect(() => journal.append([done as EngineEvent, { ...(broken as EngineEvent), ts: null as unknown as number }])).toThrow();
    expect(modelRows(db)).toEqual(before);
    expect(journal.recentCompletions()).toEqual([]);
    // Written again whole, the done is timed from the start the failed batch had ended.
    journal.append([{ ...(done as EngineEvent), ts: T0 + 2 * MINUTE }, { ...(broken as EngineEvent), ts: T0 + 2 * MINUTE }]);
    expect(journal.recentCompletions().map((c) => [c.id, c.cycleMs])).toEqual([['a', 2 * MINUTE]]);
  });
});
