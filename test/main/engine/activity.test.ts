import { describe, expect, test } from 'vitest';
import type { Status, Transition } from '../../../shared/model';
import { ActivityLog } from '../../../main/engine/activity';

const HOUR = 60 * 60 * 1000;
const T0 = Date.UTC(2026, 0, 1, 12, 0, 0);

function tr(id: string, from: Status | null, to: Status, at: number, projectId = 'p1'): Transition {
  return { projectId, kind: 'plan', id, title: `Plan ${id}`, from, to, at };
}

describe('ActivityLog', () => {
  test('keeps a ring of the last 200 transitions, oldest first', () => {
    const log = new ActivityLog();
    for (let i = 0; i < 250; i++) log.record(tr(`p${i}`, 'todo', 'in_progress', T0 + i));
    const recent = log.recent();
    expect(recent).toHaveLength(200);
    expect(recent[0]?.id).toBe('p50');
    expect(recent.at(-1)?.id).toBe('p249');
    expect(log.recent(3).map((t) => t.id)).toEqual(['p247', 'p248', 'p249']);
    expect(log.recent(0)).toEqual([]);
  });

  test('throughput counts done and failed within the last hour only', () => {
    const log = new ActivityLog();
    log.record(tr('old', 'in_progress', 'done', T0 - 2 * HOUR));
    log.record(tr('a', 'in_progress', 'done', T0 - 30 * 60_000));
    log.record(tr('b', 'review', 'done', T0 - 10 * 60_000));
    log.record(tr('c', 'in_progress', 'failed', T0 - 5 * 60_000));
    log.record(tr('d', 'todo', 'cancelled', T0 - 60_000));
    expect(log.throughput(T0)).toEqual({ finishedLastHour: 2, failedLastHour: 1, meanCycleMs: null });
    // An hour later, everything has aged out.
    expect(log.throughput(T0 + HOUR)).toEqual({ finishedLastHour: 0, failedLastHour: 0, meanCycleMs: null });
  });

  test('mean cycle time covers only items seen both entering in_progress and reaching done', () => {
    const log = new ActivityLog();
    log.record(tr('a', 'todo', 'in_progress', T0 - 40 * 60_000));
    log.record(tr('a', 'in_progress', 'done', T0 - 10 * 60_000)); // 30 min
    log.record(tr('b', 'todo', 'in_progress', T0 - 20 * 60_000));
    log.record(tr('b', 'in_progress', 'blocked', T0 - 15 * 60_000));
    log.record(tr('b', 'blocked', 'in_progress', T0 - 12 * 60_000));
    log.record(tr('b', 'in_progress', 'done', T0 - 10 * 60_000)); // 10 min, from its first start
    log.record(tr('c', 'review', 'done', T0 - 5 * 60_000)); // start never seen: not counted
    log.record(tr('d', 'todo', 'in_progress', T0 - 50 * 60_000));
    log.record(tr('d', 'in_progress', 'failed', T0 - 4 * 60_000)); // failed: no cycle
    log.record(tr('d', 'failed', 'done', T0 - 3 * 60_000)); // its start was cleared by failing
    const t = log.throughput(T0);
    expect(t.finishedLastHour).toBe(4);
    expect(t.meanCycleMs).toBe(20 * 60_000);
  });

  test('the same id in two projects is two items', () => {
    const log = new ActivityLog();
    log.record(tr('x', 'todo', 'in_progress', T0 - 10_000, 'p1'));
    log.record(tr('x', 'todo', 'in_progress', T0 - 5_000, 'p2'));
    log.record(tr('x', 'in_progress', 'done', T0, 'p1'));
    log.record(tr('x', 'in_progress', 'done', T0, 'p2'));
    expect(log.throughput(T0).meanCycleMs).toBe(7_500);
  });

  test('failure rate over the last hour counts failed against everything that finished', () => {
    const log = new ActivityLog();
    log.record(tr('a', 'in_progress', 'failed', T0 - 2 * HOUR));
    log.record(tr('b', 'in_progress', 'failed', T0 - 20 * 60_000));
    log.record(tr('c', 'in_progress', 'failed', T0 - 10 * 60_000));
    log.record(tr('d', 'in_progress', 'done', T0 - 5 * 60_000));
    log.record(tr('e', 'todo', 'cancelled', T0 - 60_000));
    log.record(tr('f', 'todo', 'in_progress', T0 - 60_000));
    expect(log.failureRate(T0)).toEqual({ failed: 2, finished: 4, runs: false });
    // Runs that ended on their own count in too (a cancelled run is never recorded).
    log.recordRunEnd(T0 - 1000, true);
    log.recordRunEnd(T0 - 1000, false);
    expect(log.failureRate(T0)).toEqual({ failed: 3, finished: 6, runs: true });
  });

  test('memory stays bounded under a burst', () => {
    const log = new ActivityLog({ maxWindowEntries: 100 });
    for (let i = 0; i < 1000; i++) {
      log.record(tr(`s${i}`, 'todo', 'in_progress', T0));
      log.record(tr(`d${i}`, 'in_progress', 'done', T0));
    }
    expect(log.throughput(T0).finishedLastHour).toBe(100);
    expect(log.recent()).toHaveLength(200);
  });

  test('forgetting a project drops its open in-progress starts', () => {
    const log = new ActivityLog();
    log.record(tr('a', 'todo', 'in_progress', T0 - 60_000));
    log.forgetProject('p1');
    log.record(tr('a', 'in_progress', 'done', T0));
    expect(log.throughput(T0).meanCycleMs).toBeNull();
  });
});
