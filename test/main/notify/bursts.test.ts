import { afterEach, describe, expect, test, vi } from 'vitest';
import { DEFAULT_SETTINGS } from '../../../shared/settings';
import type { EngineEvent } from '../../../shared/protocol';
import { BurstLimiter } from '../../../main/notify/bursts';
import type { Notice } from '../../../main/notify/rules';
import { createNotifier } from '../../../main/desktop/notifier';

const notice = (n: number, kind: Notice['kind'] = 'done', projectId = 'p1'): Notice => ({
  kind,
  projectIds: [projectId],
  title: `n${n}`,
  body: '',
  target: { projectId, kind: 'plan', id: `i${n}` },
});

describe('burst limiting', () => {
  test('the first three of a 10 s window show; the rest become one summary when it closes', () => {
    const bursts = new BurstLimiter({ max: 3, windowMs: 10_000 });
    const shown = [1, 2, 3, 4, 5, 6].map((n) => bursts.offer(notice(n, n === 6 ? 'failed' : 'done'), 1000 + n));
    expect(shown.map((n) => n?.title ?? null)).toEqual(['n1', 'n2', 'n3', null, null, null]);
    expect(bursts.dueAt()).toBe(11_001);
    expect(bursts.flush(11_000)).toBeNull();
    const summary = bursts.flush(11_001);
    expect(summary).toMatchObject({ kind: 'failed', title: 'Vigil: 3 more updates', body: '2 done, 1 failed' });
    // All held notices were about one project: a click shows that project.
    expect(summary?.target).toEqual({ projectId: 'p1', kind: 'project', id: 'p1' });
    expect(bursts.dueAt()).toBeNull();
  });

  test('notices spread out are never held', () => {
    const bursts = new BurstLimiter({ max: 3, windowMs: 10_000 });
    for (let i = 0; i < 10; i++) expect(bursts.offer(notice(i), i * 11_000)).not.toBeNull();
  });

  test('a summary about several projects focuses no single one', () => {
    const bursts = new BurstLimiter({ max: 1, windowMs: 1000 });
    bursts.offer(notice(1), 0);
    bursts.offer(notice(2, 'done', 'p1'), 1);
    bursts.offer(notice(3, 'done', 'p2'), 2);
    expect(bursts.flush(1000)).toMatchObject({ projectIds: ['p1', 'p2'], target: null });
  });
});

describe('the notifier', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  let seq = 0;
  const done = (id: string): EngineEvent => ({
    seq: ++seq,
    ts: 0,
    type: 'item:status',
    payload: { projectId: 'p1', kind: 'plan', id, title: id, from: 'in_progress', to: 'done' },
  });

  test('ten items finishing at once give three notifications and a summary 10 s later', () => {
    vi.useFakeTimers({ now: new Date(2025, 5, 14, 12, 0) });
    const shown: Notice[] = [];
    const notifier = createNotifier({
      rules: () => DEFAULT_SETTINGS.notifications,
      projectName: () => 'alpha',
      show: (n) => shown.push(n),
      initialHealth: null,
    });
    notifier.handle(Array.from({ length: 10 }, (_, i) => done(`t${i}`)));
    expect(shown.map((n) => n.title)).toEqual(['Done: t0', 'Done: t1', 'Done: t2']);
    vi.advanceTimersByTime(9_999);
    expect(shown).toHaveLength(3);
    vi.advanceTimersByTime(1);
    expect(shown[3]).toMatchObject({ title: 'Vigil: 7 more updates', body: '7 done' });
    notifier.close();
  });

  test('rules are read on every batch, so muting applies at once', () => {
    vi.useFakeTimers({ now: new Date(2025, 5, 14, 12, 0) });
    const shown: Notice[] = [];
    let muted: string[] = [];
    const notifier = createNotifier({
      rules: () => ({ ...DEFAULT_SETTINGS.notifications, mutedProjects: muted }),
      projectName: () => undefined,
      show: (n) => shown.push(n),
      initialHealth: null,
    });
    notifier.handle([done('a')]);
    muted = ['p1'];
    notifier.handle([done('b')]);
    expect(shown.map((n) => n.title)).toEqual(['Done: a']);
    notifier.close();
  });

  test('closing cancels a pending summary', () => {
    vi.useFakeTimers();
    const shown: Notice[] = [];
    const notifier = createNotifier({
      rules: () => DEFAULT_SETTINGS.notifications,
      projectName: () => undefined,
      show: (n) => shown.push(n),
      initialHealth: null,
      burst: { max: 1, windowMs: 1000 },
    });
    notifier.handle([done('a'), done('b')]);
    notifier.close();
    vi.advanceTimersByTime(5000);
    expect(shown).toHaveLength(1);
    expect(vi.getTimerCount()).toBe(0);
  });
});
