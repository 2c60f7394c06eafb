import { describe, expect, test } from 'vitest';
import type { ProjectIssue, ProjectState, WatchStats } from '../../../shared/model';
import { HealthMonitor, type HealthInputs, type HealthProjectInput } from '../../../main/engine/health';

const T0 = Date.UTC(2026, 0, 1, 12, 0, 0);
const MIN = 60_000;

function project(overrides: Partial<HealthProjectInput> & { state?: ProjectState; watch?: Partial<WatchStats> } = {}): HealthProjectInput {
  const { state = 'ok', watch = {}, ...rest } = overrides;
  return {
    project: {
      id: 'p1',
      name: 'shop',
      root: '/home/dev/shop',
      state,
      watch: { backend: 'native', watchedDirs: 3, lastEventAt: null, errors: [], ...watch },
    },
    inProgress: [],
    lastActivityAt: T0,
    driftRepairsLastHour: 0,
    ...rest,
  };
}

function inputs(overrides: Partial<HealthInputs> = {}): HealthInputs {
  return {
    now: T0,
    projects: [project()],
    issues: [],
    failureRate: { failed: 0, finished: 0 },
    lastTickLatencyMs: 2,
    tickBudgetMs: 100,
    ...overrides,
  };
}

const issue = (path: string, message: string, line: number | null = 3): ProjectIssue => ({ projectId: 'p1', path, line, message });

describe('HealthMonitor conditions', () => {
  test('all quiet is ok with no conditions and nothing changed', () => {
    const m = new HealthMonitor({ startedAt: T0 - MIN });
    const { health, changed } = m.evaluate(inputs());
    expect(changed).toBe(false);
    expect(health).toEqual({ level: 'ok', since: T0 - MIN, conditions: [] });
  });

  test('a missing project warns, says what to check, and clears when it is back', () => {
    const m = new HealthMonitor({ startedAt: T0 });
    const on = m.evaluate(inputs({ projects: [project({ state: 'missing' })] }));
    expect(on.changed).toBe(true);
    expect(on.health.level).toBe('warning');
    expect(on.health.conditions).toHaveLength(1);
    expect(on.health.conditions[0]).toMatchObject({ key: 'project-missing:p1', projectId: 'p1', level: 'warning' });
    expect(on.health.conditions[0]?.message).toContain('/home/dev/shop');
    expect(on.health.conditions[0]?.hint).toMatch(/moved|mounted/);
    const off = m.evaluate(inputs({ now: T0 + MIN }));
    expect(off.changed).toBe(true);
    expect(off.health).toEqual({ level: 'ok', since: T0 + MIN, conditions: [] });
  });

  test('a watcher on polling or with errors warns with a hint on raising the limits', () => {
    const m = new HealthMonitor({ startedAt: T0 });
    const polling = m.evaluate(
      inputs({ projects: [project({ state: 'degraded', watch: { backend: 'polling', errors: ['ENOSPC: System limit for number of file watchers reached'] } })] }),
    );
    const c = polling.health.conditions[0];
    expect(c?.key).toBe('watcher:p1');
    expect(c?.message).toMatch(/polling.*ENOSPC/);
    expect(c?.hint).toContain('fs.inotify.max_user_watches');
    expect(c?.hint).toContain('ulimit -n');
    const erroring = m.evaluate(inputs({ projects: [project({ watch: { errors: ['EMFILE: too many open files'] } })] }));
    expect(erroring.health.conditions[0]?.message).toMatch(/reported an error: EMFILE/);
    expect(m.evaluate(inputs()).health.conditions).toEqual([]);
  });

  test('parse issues warn per project with the count and the first file', () => {
    const m = new HealthMonitor({ startedAt: T0 });
    const on = m.evaluate(
      inputs({ issues: [issue('coderef/working/auth/plan.json', 'Unexpected end of JSON input', 12), issue('coderef/working/auth/plan.json', 'no tasks'), issue('.planning/STATE.md', 'bad frontmatter', null)] }),
    );
    const c = on.health.conditions[0];
    expect(c?.key).toBe('parse-issues:p1');
    expect(c?.message).toBe(
      '3 parse issues in 2 files of "shop"; first in coderef/working/auth/plan.json:12: Unexpected end of JSON input',
    );
    expect(m.evaluate(inputs()).health.level).toBe('ok');
  });

  test('work in progress in a project quiet for longer than stallMinutes is stalled', () => {
    const m = new HealthMonitor({ startedAt: T0 });
    const busy = project({ inProgress: [{ id: 'gsd:plan:02-01', title: 'Login form' }], lastActivityAt: T0 - 29 * MIN });
    expect(m.evaluate(inputs({ projects: [busy] })).health.level).toBe('ok');
    const stalled = m.evaluate(inputs({ projects: [busy], now: T0 + 2 * MIN }));
    expect(stalled.changed).toBe(true);
    expect(stalled.health.conditions[0]).toMatchObject({ key: 'stalled:p1', level: 'warning', hint: expect.stringContaining('`stallMinutes` in settings.json') });
    expect(stalled.health.conditions[0]?.message).toContain('"Login form"');
    expect(stalled.health.conditions[0]?.message).toContain('over 30 minutes');
    // Still stalled a minute later: same message, so nothing changed.
    expect(m.evaluate(inputs({ projects: [busy], now: T0 + 3 * MIN })).changed).toBe(false);
    // A shorter threshold from the settings applies.
    const m2 = new HealthMonitor({ startedAt: T0 });
    expect(m2.evaluate(inputs({ projects: [busy], stallMinutes: 10 })).health.level).toBe('warning');
    // No work in progress, or activity unknown: not stalled.
    expect(m2.evaluate(inputs({ projects: [project({ lastActivityAt: T0 - 600 * MIN })] })).health.level).toBe('ok');
    expect(m2.evaluate(inputs({ projects: [project({ inProgress: busy.inProgress, lastActivityAt: null })] })).health.level).toBe('ok');
  });

  test('more than half of finished items failing in the last hour is critical', () => {
    const m = new HealthMonitor({ startedAt: T0 });
    expect(m.evaluate(inputs({ failureRate: { failed: 2, finished: 4 } })).health.level).toBe('ok');
    const bad = m.evaluate(inputs({ failureRate: { failed: 3, finished: 4 } }));
    expect(bad.health.level).toBe('critical');
    expect(bad.health.conditions[0]).toMatchObject({ key: 'failure-rate', projectId: null });
    expect(bad.health.conditions[0]?.message).toBe('3 of 4 items that finished in the last hour failed.');
    expect(m.evaluate(inputs({ failureRate: { failed: 0, finished: 0 } })).health.level).toBe('ok');
  });

  test('drift repairs warn that the watcher missed changes', () => {
    const m = new HealthMonitor({ startedAt: T0 });
    const on = m.evaluate(inputs({ projects: [project({ driftRepairsLastHour: 3 })] }));
    expect(on.health.conditions[0]?.key).toBe('drift-repairs:p1');
    expect(on.health.conditions[0]?.message).toMatch(/missed 3 changes/);
    expect(m.evaluate(inputs()).health.level).toBe('ok');
  });

  test('a tick over its latency budget warns without changing on every tick', () => {
    const m = new HealthMonitor({ startedAt: T0 });
    const slow = m.evaluate(inputs({ lastTickLatencyMs: 250 }));
    expect(slow.health.conditions[0]).toMatchObject({ key: 'tick-latency', level: 'warning' });
    // The hint names the setting as settings.json spells it: a browser has no Settings screen,
    // and the interval has no control there.
    expect(slow.health.conditions[0]?.hint).toContain('`heartbeatMs` in settings.json');
    expect(m.evaluate(inputs({ lastTickLatencyMs: 400, now: T0 + 1000 })).changed).toBe(false);
    expect(m.evaluate(inputs({ lastTickLatencyMs: 100 })).health.level).toBe('ok');
    expect(m.evaluate(inputs({ lastTickLatencyMs: null })).health.level).toBe('ok');
  });

  test('a paused project raises nothing', () => {
    const m = new HealthMonitor({ startedAt: T0 });
    const paused = project({
      state: 'paused',
      watch: { backend: 'polling', errors: ['EMFILE'] },
      inProgress: [{ id: 'x', title: 'x' }],
      lastActivityAt: T0 - 600 * MIN,
      driftRepairsLastHour: 4,
    });
    const { health, changed } = m.evaluate(inputs({ projects: [paused], issues: [issue('a.json', 'bad')] }));
    expect(changed).toBe(false);
    expect(health.conditions).toEqual([]);
  });
});

describe('HealthMonitor since and changed', () => {
  test('level is the worst condition, and conditions are ordered worst first', () => {
    const m = new HealthMonitor({ startedAt: T0 });
    const { health } = m.evaluate(
      inputs({ projects: [project({ driftRepairsLastHour: 1 })], failureRate: { failed: 1, finished: 1 } }),
    );
    expect(health.level).toBe('critical');
    expect(health.conditions.map((c) => c.key)).toEqual(['failure-rate', 'drift-repairs:p1']);
  });

  test('a condition keeps its since while it lasts; the level keeps its since while it holds', () => {
    const m = new HealthMonitor({ startedAt: T0 });
    const missing = project({ state: 'missing' });
    m.evaluate(inputs({ projects: [missing], now: T0 + 1000 }));
    const later = m.evaluate(inputs({ projects: [missing, { ...project({ driftRepairsLastHour: 2 }), project: { ...project().project, id: 'p2' } }], now: T0 + 5000 }));
    expect(later.changed).toBe(true);
    expect(later.health.since).toBe(T0 + 1000);
    const byKey = Object.fromEntries(later.health.conditions.map((c) => [c.key, c.since]));
    expect(byKey).toEqual({ 'project-missing:p1': T0 + 1000, 'drift-repairs:p2': T0 + 5000 });
    // Going critical moves the level's since; the old condition keeps its own.
    const critical = m.evaluate(inputs({ projects: [missing], failureRate: { failed: 5, finished: 5 }, now: T0 + 9000 }));
    expect(critical.health.since).toBe(T0 + 9000);
    expect(critical.health.conditions.find((c) => c.key === 'project-missing:p1')?.since).toBe(T0 + 1000);
    // A condition that went away and comes back starts a new since.
    m.evaluate(inputs({ now: T0 + 10_000 }));
    const back = m.evaluate(inputs({ projects: [missing], now: T0 + 11_000 }));
    expect(back.health.conditions[0]?.since).toBe(T0 + 11_000);
  });

  test('changed only when the level, the set of conditions or a message changed', () => {
    const m = new HealthMonitor({ startedAt: T0 });
    const one = [issue('a.json', 'bad')];
    expect(m.evaluate(inputs({ issues: one })).changed).toBe(true);
    expect(m.evaluate(inputs({ issues: one, now: T0 + 1000 })).changed).toBe(false);
    // Same level, same key, different message (a second issue): changed.
    expect(m.evaluate(inputs({ issues: [...one, issue('b.json', 'worse')], now: T0 + 2000 })).changed).toBe(true);
    // Same level, one more condition: changed, level since kept.
    const more = m.evaluate(inputs({ issues: one, projects: [project({ driftRepairsLastHour: 1 })], now: T0 + 3000 }));
    expect(more.changed).toBe(true);
    expect(more.health.since).toBe(T0);
    expect(m.current()).toBe(more.health);
  });
});

describe('HealthMonitor skips what cannot have changed', () => {
  // The engine passes the same objects while nothing changed; evaluate compares by identity.
  const busy = project({ inProgress: [{ id: 'gsd:plan:02-01', title: 'Login form' }], lastActivityAt: T0 - 20 * MIN });
  const base = inputs({ projects: [busy] });
  const same = (now: number, overrides: Partial<HealthInputs> = {}): HealthInputs => ({ ...base, now, ...overrides });

  test('the same inputs at a later time are not evaluated again until a stall threshold is crossed', () => {
    const m = new HealthMonitor({ startedAt: T0 });
    m.evaluate(same(T0));
    const done = m.evaluations;
    for (let minute = 1; minute < 10; minute++) expect(m.evaluate(same(T0 + minute * MIN)).changed).toBe(false);
    expect(m.evaluations).toBe(done);
    expect(m.current().conditions).toEqual([]);
    // 30 minutes after the last activity, exactly: stalled, though no input changed.
    const stalled = m.evaluate(same(T0 + 10 * MIN));
    expect(stalled.changed).toBe(true);
    expect(stalled.health.conditions[0]).toMatchObject({ key: 'stalled:p1', since: T0 + 10 * MIN });
    // Stalled stays stalled as time goes on, without evaluating again.
    const after = m.evaluations;
    expect(m.evaluate(same(T0 + 60 * MIN)).changed).toBe(false);
    expect(m.evaluations).toBe(after);
    // The clock going back (a corrected wall clock) is looked at again.
    expect(m.evaluate(same(T0)).health.conditions).toEqual([]);
  });

  test('any input that can change a condition is looked at', () => {
    const m = new HealthMonitor({ startedAt: T0 });
    m.evaluate(same(T0));
    expect(m.evaluate(same(T0 + 1, { failureRate: { failed: 3, finished: 4 } })).health.level).toBe('critical');
    expect(m.evaluate(same(T0 + 2)).health.level).toBe('ok');
    expect(m.evaluate(same(T0 + 3, { lastTickLatencyMs: 500 })).health.conditions[0]?.key).toBe('tick-latency');
    expect(m.evaluate(same(T0 + 4, { lastTickLatencyMs: 600 })).changed).toBe(false);
    expect(m.evaluate(same(T0 + 5)).health.level).toBe('ok');
    expect(m.evaluate(same(T0 + 6, { issues: [issue('a.json', 'bad')] })).health.conditions[0]?.key).toBe('parse-issues:p1');
    expect(m.evaluate(same(T0 + 7)).health.level).toBe('ok');
    expect(m.evaluate(same(T0 + 8, { stallMinutes: 10 })).health.conditions[0]?.key).toBe('stalled:p1');
    expect(m.evaluate(same(T0 + 9)).health.level).toBe('ok');
    const repaired = { ...busy, driftRepairsLastHour: 2 };
    expect(m.evaluate(same(T0 + 10, { projects: [repaired] })).health.conditions[0]?.key).toBe('drift-repairs:p1');
    const missing = { ...busy, project: { ...busy.project, state: 'missing' as const } };
    expect(m.evaluate(same(T0 + 11, { projects: [missing] })).health.conditions[0]?.key).toBe('project-missing:p1');
  });
});

describe('HealthMonitor skips saves that change nothing it shows', () => {
  const item = (title: string) => ({ id: title, title });
  const busy = project({ inProgress: [item('Login form'), item('Signup')], lastActivityAt: T0 - 20 * MIN });
  const at = (now: number, p: HealthProjectInput): HealthInputs => inputs({ now, projects: [p] });

  test('newer activity, a new project object with the same facts, or a rename past the first item is not evaluated', () => {
    const m = new HealthMonitor({ startedAt: T0 });
    m.evaluate(at(T0, busy));
    const done = m.evaluations;
    const saved = {
      ...busy,
      project: { ...busy.project, watch: { ...busy.project.watch, lastEventAt: T0 + 1000, errors: [] } },
      inProgress: [item('Login form'), item('Signup renamed')],
      lastActivityAt: T0 + 1000,
    };
    expect(m.evaluate(at(T0 + 2000, saved)).changed).toBe(false);
    expect(m.evaluations).toBe(done);
    // The stall clock still runs from the activity seen at the last evaluation: early is safe.
    m.evaluate(at(T0 + 10 * MIN, saved));
    expect(m.evaluations).toBe(done + 1);
    expect(m.current().conditions).toEqual([]);
  });

  test('renaming the first item in progress, or finishing one, is looked at only while the project is stalled', () => {
    const m = new HealthMonitor({ startedAt: T0 });
    m.evaluate(at(T0, busy));
    const done = m.evaluations;
    expect(m.evaluate(at(T0 + 1000, { ...busy, inProgress: [item('Login page')] })).changed).toBe(false);
    expect(m.evaluations).toBe(done);
    // No work in progress any more, then some again: a stall can start at once, so evaluated.
    const idle = { ...busy, inProgress: [] };
    m.evaluate(at(T0 + 2000, idle));
    expect(m.evaluations).toBe(done + 1);
    const quiet = { ...idle, lastActivityAt: T0 - 40 * MIN };
    m.evaluate(at(T0 + 3000, quiet));
    expect(m.evaluate(at(T0 + 4000, { ...quiet, inProgress: [item('Login page')] })).health.conditions[0]?.key).toBe('stalled:p1');
  });

  test('what the conditions show is evaluated', () => {
    const m = new HealthMonitor({ startedAt: T0 });
    m.evaluate(at(T0, busy));
    // The first in-progress title is in the stalled message; the count too.
    const renamed = { ...busy, inProgress: [item('Login page'), item('Signup')] };
    expect(m.evaluate(at(T0 + 10 * MIN, renamed)).health.conditions[0]?.message).toContain('"Login page"');
    const fewer = { ...renamed, inProgress: [item('Login page')] };
    expect(m.evaluate(at(T0 + 10 * MIN + 1, fewer)).health.conditions[0]?.message).toContain('1 item in progress');
    // Activity on a stalled project un-stalls it; older activity can stall one.
    expect(m.evaluate(at(T0 + 10 * MIN + 2, { ...fewer, lastActivityAt: T0 + 10 * MIN })).health.conditions).toEqual([]);
    expect(m.evaluate(at(T0 + 10 * MIN + 3, { ...fewer, lastActivityAt: T0 - 40 * MIN })).health.conditions[0]?.key).toBe('stalled:p1');
    expect(m.evaluate(at(T0 + 10 * MIN + 4, { ...fewer, lastActivityAt: null })).health.conditions).toEqual([]);
    // Watch errors and state.
    const erroring = { ...fewer, lastActivityAt: T0 + 10 * MIN, project: { ...fewer.project, watch: { ...fewer.project.watch, errors: ['EMFILE'] } } };
    expect(m.evaluate(at(T0 + 10 * MIN + 5, erroring)).health.conditions[0]?.key).toBe('watcher:p1');
    const paused = { ...erroring, project: { ...erroring.project, state: 'paused' as const } };
    expect(m.evaluate(at(T0 + 10 * MIN + 6, paused)).health.conditions).toEqual([]);
  });
});
