// The pure parts of the history views: a plan's cycle from its status timeline, and the
// journal's pages joined under the live activity feed.
import { describe, expect, test } from 'vitest';
import type { EngineEvent } from '../../shared/protocol';
import { cycleOf } from '../../renderer/history/cycle';
import { pagingStart, toEntries } from '../../renderer/history/older-activity';
import type { ActivityEntry } from '../../renderer/store/live-model';

const H = 60 * 60 * 1000;

describe("a plan's cycle", () => {
  test('runs from the first in_progress through review and blocked to done', () => {
    const cycle = cycleOf([
      { at: 0, from: null, to: 'todo' },
      { at: 1 * H, from: 'todo', to: 'in_progress' },
      { at: 2 * H, from: 'in_progress', to: 'blocked' },
      { at: 3 * H, from: 'blocked', to: 'in_progress' },
      { at: 5 * H, from: 'in_progress', to: 'done' },
    ]);
    expect(cycle).toEqual({ state: 'finished', startedAt: 1 * H, endedAt: 5 * H, to: 'done', ms: 4 * H });
  });

  test('starts again after a move back to todo, and is unknown when the start was never seen', () => {
    expect(cycleOf([{ at: 0, from: 'todo', to: 'in_progress' }, { at: H, from: 'in_progress', to: 'todo' }, { at: 2 * H, from: 'todo', to: 'in_progress' }])).toEqual({
      state: 'running',
      startedAt: 2 * H,
    });
    expect(cycleOf([{ at: H, from: 'review', to: 'failed' }])).toMatchObject({ state: 'finished', to: 'failed', ms: null });
    expect(cycleOf([])).toEqual({ state: 'not-started' });
  });
});

describe('older activity under the live feed', () => {
  const entry = (seq: number | null): ActivityEntry => ({ projectId: 'p', kind: 'plan', id: 'a', title: 'A', from: 'todo', to: 'done', at: 0, key: `k${seq}`, seq });
  const status = (seq: number): EngineEvent => ({ seq, ts: seq * 1000, type: 'item:status', payload: { projectId: 'p', kind: 'plan', id: `i${seq}`, title: `T${seq}`, from: 'todo', to: 'in_progress' } });

  test('pages start below the oldest transition the feed holds, or below everything', () => {
    expect(pagingStart([entry(null), entry(40), entry(45)], 50)).toBe(40);
    expect(pagingStart([], 50)).toBe(51);
  });

  test('a page becomes entries oldest first, without what the feed already shows', () => {
    const page = [status(41), status(39), { ...status(38), foundOnStart: true }, { seq: 37, ts: 0, type: 'engine:state', payload: { running: true } } as EngineEvent];
    const entries = toEntries(page, 40);
    expect(entries.map((e) => e.seq)).toEqual([38, 39]);
    expect(entries[0]).toMatchObject({ key: 'seq:38', at: 38_000, foundOnStart: true, title: 'T38' });
  });
});
