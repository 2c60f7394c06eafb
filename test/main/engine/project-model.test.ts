import { describe, expect, test } from 'vitest';
import type { PlanItem, SourceId } from '../../../shared/model';
import type { DomainEvent } from '../../../shared/protocol';
import { leafProgress, ProjectModel, type FileChange } from '../../../main/engine/project-model';
import { emptyItems, type FileParse, type SourceAdapter } from '../../../main/sources/types';

// A tiny convention: each line `id status [parent]` of a `list/*.txt` file is a plan.
type Facts = { id: string; status: string; parent: string | null }[];

function listAdapter(id: SourceId, derives: { count: number } = { count: 0 }): SourceAdapter<Facts> {
  return {
    id,
    label: id,
    roots: [{ path: id }],
    owns: (rel) => rel.startsWith(`${id}/`),
    parse(rel, text): FileParse<Facts> {
      if (text.startsWith('{')) return { facts: null, issues: [{ path: rel, line: 1, message: 'half-written' }] };
      const facts = text
        .split('\n')
        .filter(Boolean)
        .map((line) => {
          const [itemId = '', status = '', parent] = line.split(' ');
          return { id: itemId, status, parent: parent ?? null };
        });
      return { facts, issues: [] };
    },
    derive(files) {
      derives.count += 1;
      const items = emptyItems();
      for (const [path, facts] of files) {
        for (const f of facts) {
          const plan: PlanItem = {
            id: `${id}:${f.id}`,
            source: id,
            kind: 'task',
            title: f.id.toUpperCase(),
            status: f.status === 'done' ? 'done' : f.status === 'wip' ? 'in_progress' : 'todo',
            rawStatus: f.status,
            progress: { done: f.status === 'done' ? 1 : 0, total: 1 },
            path,
            parent: f.parent ? `${id}:${f.parent}` : null,
          };
          items.plans.push(plan);
        }
      }
      return items;
    },
  };
}

const live = { now: 1000, initial: false };
const parsed = (adapter: SourceAdapter, rel: string, text: string, publishIssues = true): FileChange => ({
  kind: 'parsed',
  results: [{ adapter, parse: adapter.parse(rel, text) as FileParse<unknown> }],
  publishIssues,
});
const types = (events: DomainEvent[]): string[] => events.map((e) => e.type);

describe('project model', () => {
  test('the first load adds items without calling them transitions', () => {
    const a = listAdapter('gsd');
    const model = new ProjectModel('p1', '/x', 'x');
    const events = model.applyFile('gsd/a.txt', parsed(a, 'gsd/a.txt', 'a todo\nb done\n'), { now: 1, initial: true });
    expect(types(events)).toEqual(['plan:added', 'plan:added']);
    expect(model.plans().map((p) => [p.id, p.status, p.projectId])).toEqual([
      ['gsd:a', 'todo', 'p1'],
      ['gsd:b', 'done', 'p1'],
    ]);
    expect(model.project().sources).toEqual(['gsd']);
    expect(model.project().progress).toEqual({ done: 1, total: 2 });
  });

  test('a status change is one plan:updated and one item:status; an unchanged file emits nothing', () => {
    const a = listAdapter('gsd');
    const model = new ProjectModel('p1', '/x', 'x');
    model.applyFile('gsd/a.txt', parsed(a, 'gsd/a.txt', 'a todo\nb todo\n'), { now: 1, initial: true });

    const same = model.applyFile('gsd/a.txt', parsed(a, 'gsd/a.txt', 'a todo\nb todo\n'), live);
    expect(same).toEqual([]);

    const events = model.applyFile('gsd/a.txt', parsed(a, 'gsd/a.txt', 'a wip\nb todo\n'), live);
    expect(types(events)).toEqual(['plan:updated', 'item:status']);
    expect(events[1]).toEqual({
      type: 'item:status',
      payload: { projectId: 'p1', kind: 'plan', id: 'gsd:a', title: 'A', from: 'todo', to: 'in_progress' },
    });
    // Only the changed plan was stamped.
    const [pa, pb] = model.plans();
    expect(pa?.updatedAt).toBe(1000);
    expect(pb?.updatedAt).toBe(1);
  });

  test("updatedAt is the file's modification time: an item is as old as its file, a change as new as the file that changed", () => {
    const a = listAdapter('gsd');
    const model = new ProjectModel('p1', '/x', 'x');
    const june = Date.UTC(2026, 5, 14);
    const july = Date.UTC(2026, 6, 2);
    const withTime = (rel: string, text: string, mtimeMs: number): FileChange => ({ ...parsed(a, rel, text), mtimeMs } as FileChange);
    // Read today, written in June and July: the items say June and July, not "just now".
    model.applyFiles(
      [
        ['gsd/a.txt', withTime('gsd/a.txt', 'a todo\n', june)],
        ['gsd/b.txt', withTime('gsd/b.txt', 'b todo\n', july)],
      ],
      { now: Date.UTC(2026, 10, 1), initial: true },
    );
    expect(model.plans().map((p) => [p.id, p.updatedAt])).toEqual([
      ['gsd:a', june],
      ['gsd:b', july],
    ]);
    // A save changes the item it touches, stamped with that save's time; the other keeps its own.
    const saved = Date.UTC(2026, 10, 1, 12);
    model.applyFile('gsd/a.txt', withTime('gsd/a.txt', 'a wip\n', saved), { now: saved + 5, initial: false });
    expect(model.plans().map((p) => [p.id, p.updatedAt])).toEqual([
      ['gsd:a', saved],
      ['gsd:b', july],
    ]);
  });

  test('a plan added after the first load is a transition from nothing; a removed file removes its plans', () => {
    const a = listAdapter('gsd');
    const model = new ProjectModel('p1', '/x', 'x');
    model.applyFile('gsd/a.txt', parsed(a, 'gsd/a.txt', 'a todo\n'), { now: 1, initial: true });
    const added = model.applyFile('gsd/b.txt', parsed(a, 'gsd/b.txt', 'b done\n'), live);
    expect(types(added)).toEqual(['plan:added', 'item:status', 'project:updated']);
    expect(added[1]?.payload).toMatchObject({ id: 'gsd:b', from: null, to: 'done' });

    const removed = model.applyFile('gsd/b.txt', { kind: 'removed' }, live);
    expect(types(removed)).toEqual(['plan:removed', 'project:updated']);
    expect(model.plans().map((p) => p.id)).toEqual(['gsd:a']);
  });

  test('a file that fails to parse keeps the last good plans; its issue shows only when published', () => {
    const a = listAdapter('gsd');
    const model = new ProjectModel('p1', '/x', 'x');
    model.applyFile('gsd/a.txt', parsed(a, 'gsd/a.txt', 'a done\n'), { now: 1, initial: true });

    const held = model.applyFile('gsd/a.txt', parsed(a, 'gsd/a.txt', '{"half', false), live);
    expect(held).toEqual([]);
    expect(model.plans().map((p) => p.status)).toEqual(['done']);
    expect(model.issues()).toEqual([]);

    const shown = model.applyFile('gsd/a.txt', parsed(a, 'gsd/a.txt', '{"half', true), live);
    expect(shown).toEqual([
      {
        type: 'parse:issue',
        payload: { projectId: 'p1', path: 'gsd/a.txt', issues: [{ projectId: 'p1', path: 'gsd/a.txt', line: 1, message: 'half-written' }] },
      },
    ]);
    expect(model.plans().map((p) => p.status)).toEqual(['done']);

    const fixed = model.applyFile('gsd/a.txt', parsed(a, 'gsd/a.txt', 'a done\n'), live);
    expect(fixed).toEqual([{ type: 'parse:issue', payload: { projectId: 'p1', path: 'gsd/a.txt', issues: [] } }]);
  });

  test('an unreadable file is an issue and keeps its facts', () => {
    const a = listAdapter('gsd');
    const model = new ProjectModel('p1', '/x', 'x');
    model.applyFile('gsd/a.txt', parsed(a, 'gsd/a.txt', 'a done\n'), { now: 1, initial: true });
    const events = model.applyFile('gsd/a.txt', { kind: 'unreadable', message: 'gsd/a.txt is 9 MiB' }, live);
    expect(types(events)).toEqual(['parse:issue']);
    expect(model.plans()).toHaveLength(1);
  });

  test('reordered items emit nothing; a duplicate id keeps the first and never crashes', () => {
    const a = listAdapter('gsd');
    const model = new ProjectModel('p1', '/x', 'x');
    model.applyFile('gsd/a.txt', parsed(a, 'gsd/a.txt', 'a todo\nb done\nc todo\n'), { now: 1, initial: true });
    expect(model.applyFile('gsd/a.txt', parsed(a, 'gsd/a.txt', 'c todo\na todo\nb done\n'), live)).toEqual([]);
    const dup = model.applyFile('gsd/a.txt', parsed(a, 'gsd/a.txt', 'c todo\nc done\nb done\n'), live);
    expect(types(dup)).toEqual(['plan:removed', 'project:updated']);
    expect(model.plans().map((p) => [p.id, p.status])).toEqual([
      ['gsd:c', 'todo'],
      ['gsd:b', 'done'],
    ]);
    expect(model.project().progress).toEqual({ done: 1, total: 2 });
    const moved = model.applyFile('gsd/a.txt', parsed(a, 'gsd/a.txt', 'c wip\nb done\n'), live);
    expect(types(moved)).toEqual(['plan:updated', 'item:status']);
  });

  test('a change re-derives only the source that owns the file', () => {
    const gsdDerives = { count: 0 };
    const kiroDerives = { count: 0 };
    const g = listAdapter('gsd', gsdDerives);
    const k = listAdapter('kiro', kiroDerives);
    const model = new ProjectModel('p1', '/x', 'x');
    const big = Array.from({ length: 10_000 }, (_, i) => `t${i} todo`).join('\n');
    model.applyFiles(
      [
        ['gsd/big.txt', parsed(g, 'gsd/big.txt', big)],
        ['kiro/a.txt', parsed(k, 'kiro/a.txt', 'a todo\n')],
      ],
      { now: 1, initial: true },
    );
    expect(model.plans()).toHaveLength(10_001);
    gsdDerives.count = 0;
    kiroDerives.count = 0;

    const events = model.applyFile('kiro/a.txt', parsed(k, 'kiro/a.txt', 'a done\n'), live);
    expect(types(events)).toEqual(['plan:updated', 'item:status', 'project:updated']);
    expect(gsdDerives.count).toBe(0);
    expect(kiroDerives.count).toBe(1);
  });

  test('progress counts finished leaf plans over leaf plans', () => {
    const plan = (id: string, status: 'done' | 'todo' | 'cancelled', parent: string | null = null) => ({ id, status, parent });
    expect(leafProgress([plan('phase', 'todo'), plan('p1', 'done', 'phase'), plan('p2', 'todo', 'phase'), plan('q', 'cancelled')])).toEqual({
      done: 2,
      total: 3,
    });
    expect(leafProgress([])).toEqual({ done: 0, total: 0 });
  });

  test('state changes are announced with the project; watch stats only when more than lastEventAt moved', () => {
    const model = new ProjectModel('p1', '/x', 'x');
    expect(types(model.setState('missing'))).toEqual(['project:state', 'project:updated']);
    expect(model.setState('missing')).toEqual([]);
    expect(types(model.setWatch({ backend: 'native', watchedDirs: 3, lastEventAt: null, errors: [] }))).toEqual(['project:updated']);
    model.noteActivity(5000);
    expect(model.setWatch({ backend: 'native', watchedDirs: 3, lastEventAt: 5000, errors: [] })).toEqual([]);
    expect(model.project().watch.lastEventAt).toBe(5000);
  });

  test('addedEvents lists the project and everything it holds', () => {
    const a = listAdapter('gsd');
    const model = new ProjectModel('p1', '/x', 'x');
    model.applyFile('gsd/a.txt', parsed(a, 'gsd/a.txt', 'a todo\n'), { now: 1, initial: true });
    model.applyFile('gsd/b.txt', parsed(a, 'gsd/b.txt', '{', true), { now: 1, initial: true });
    expect(types(model.addedEvents())).toEqual(['project:added', 'plan:added', 'parse:issue']);
  });
});

describe('what the heartbeat reads, kept up to date as files are applied', () => {
  // The lists inProgress() and currentIssues() keep must equal what a pass over every item gives.
  const fromScratch = (model: ProjectModel) =>
    [...model.plans(), ...model.stubs(), ...model.workorders()].filter((i) => i.status === 'in_progress').map((i) => [i.id, i.title]);
  const kept = (model: ProjectModel) => model.inProgress().map((i) => [i.id, i.title]);

  test('in-progress items follow status changes, additions, removals, reordering and renames in every source', () => {
    const g = listAdapter('gsd');
    const k = listAdapter('kiro');
    const model = new ProjectModel('p1', '/x', 'x');
    model.applyFiles(
      [
        ['kiro/a.txt', parsed(k, 'kiro/a.txt', 'k1 wip\nk2 todo\n')],
        ['gsd/a.txt', parsed(g, 'gsd/a.txt', 'a wip\nb todo\nc wip\n')],
      ],
      { now: 1, initial: true },
    );
    // Plans of gsd come before those of kiro, as plans() lists them.
    expect(kept(model)).toEqual([
      ['gsd:a', 'A'],
      ['gsd:c', 'C'],
      ['kiro:k1', 'K1'],
    ]);
    const steps: [string, string, SourceAdapter][] = [
      ['gsd/a.txt', 'a wip\nb wip\nc wip\n', g], // in place: b starts (between a and c)
      ['gsd/a.txt', 'a done\nb wip\nc wip\n', g], // in place: a finishes
      ['gsd/a.txt', 'c wip\nb wip\na done\n', g], // reordered
      ['gsd/b.txt', 'd wip\n', g], // added by another file
      ['kiro/a.txt', 'k1 todo\nk2 todo\n', k], // another source: none in progress
      ['gsd/a.txt', 'c wip\nb todo\n', g], // one removed, one back to todo
    ];
    for (const [path, text, adapter] of steps) {
      model.applyFile(path, parsed(adapter, path, text), live);
      expect(kept(model), text).toEqual(fromScratch(model));
    }
    model.applyFile('gsd/b.txt', { kind: 'removed' }, live);
    expect(kept(model)).toEqual(fromScratch(model));
    expect(kept(model)).toEqual([['gsd:c', 'C']]);
  });

  test('the lists are the same arrays until they change, so a tick can tell by identity', () => {
    const g = listAdapter('gsd');
    const model = new ProjectModel('p1', '/x', 'x');
    model.applyFile('gsd/a.txt', parsed(g, 'gsd/a.txt', 'a wip\nb todo\n'), { now: 1, initial: true });
    const inProgress = model.inProgress();
    const issues = model.currentIssues();
    expect(model.inProgress()).toBe(inProgress);
    // b's status changes without touching what is in progress; a file's issue is held back.
    model.applyFile('gsd/a.txt', parsed(g, 'gsd/a.txt', 'a wip\nb done\n'), live);
    model.applyFile('gsd/b.txt', parsed(g, 'gsd/b.txt', '{"half', false), live);
    expect(model.inProgress()).toBe(inProgress);
    expect(model.currentIssues()).toBe(issues);

    model.applyFile('gsd/b.txt', parsed(g, 'gsd/b.txt', '{"half', true), live);
    expect(model.currentIssues()).not.toBe(issues);
    expect(model.currentIssues()).toEqual(model.issues());
    expect(model.issues()).toEqual([{ projectId: 'p1', path: 'gsd/b.txt', line: 1, message: 'half-written' }]);
    // issues() is the caller's own copy; the kept list is not touched through it.
    model.issues().pop();
    expect(model.currentIssues()).toHaveLength(1);
    model.applyFile('gsd/b.txt', { kind: 'removed' }, live);
    expect(model.currentIssues()).toEqual([]);

    model.applyFile('gsd/a.txt', parsed(g, 'gsd/a.txt', 'a done\nb done\n'), live);
    expect(model.inProgress()).not.toBe(inProgress);
    expect(model.inProgress()).toEqual([]);
  });
});
