import { describe, expect, test } from 'vitest';
import { DEFAULT_SETTINGS, type NotificationRules } from '../../../shared/settings';
import type { Health, HealthCondition, Status } from '../../../shared/model';
import type { EngineEvent } from '../../../shared/protocol';
import { applyRules, isQuietTime, noticesFromEvents, type Notice } from '../../../main/notify/rules';

let seq = 0;
const statusEvent = (projectId: string, id: string, from: Status | null, to: Status, title = `Task ${id}`): EngineEvent => ({
  seq: ++seq,
  ts: 0,
  type: 'item:status',
  payload: { projectId, kind: 'plan', id, title, from, to },
});
const condition = (key: string, level: HealthCondition['level'], projectId: string | null, message = key): HealthCondition => ({
  key,
  level,
  message,
  hint: null,
  projectId,
  since: 0,
});
const health = (level: Health['level'], conditions: HealthCondition[] = []): Health => ({ level, since: 0, conditions });
const healthEvent = (h: Health): EngineEvent => ({ seq: ++seq, ts: 0, type: 'health:changed', payload: { health: h } });
const names: Record<string, string> = { p1: 'alpha', p2: 'beta' };
const projectName = (id: string): string | undefined => names[id];

const rules = (over: Partial<NotificationRules> = {}): NotificationRules => ({ ...DEFAULT_SETTINGS.notifications, ...over });
/** A local time on some day; quiet hours are local. */
const at = (hh: number, mm = 0): Date => new Date(2025, 5, 14, hh, mm);

describe('which events become notices', () => {
  test('an item moving to done or failed notifies, with a target to focus', () => {
    const { notices } = noticesFromEvents(
      [statusEvent('p1', 'a', 'in_progress', 'done', 'Login page'), statusEvent('p2', 'b', 'review', 'failed', 'Payments')],
      null,
      projectName,
    );
    expect(notices.map((n) => [n.kind, n.title, n.target])).toEqual([
      ['done', 'Done: Login page', { projectId: 'p1', kind: 'plan', id: 'a' }],
      ['failed', 'Failed: Payments', { projectId: 'p2', kind: 'plan', id: 'b' }],
    ]);
    expect(notices[0]?.body).toContain('alpha');
  });

  test('items first seen already finished (a project just added) and other moves do not notify', () => {
    const { notices } = noticesFromEvents(
      [statusEvent('p1', 'a', null, 'done'), statusEvent('p1', 'b', 'todo', 'in_progress'), statusEvent('p1', 'c', 'done', 'done')],
      null,
      projectName,
    );
    expect(notices).toEqual([]);
  });

  test('health turning critical notifies once, not while it stays critical', () => {
    const critical = health('critical', [condition('failure-rate', 'critical', null, '3 of 4 items failed')]);
    const first = noticesFromEvents([healthEvent(health('warning')), healthEvent(critical)], health('ok'), projectName);
    expect(first.notices).toHaveLength(1);
    expect(first.notices[0]).toMatchObject({ kind: 'critical', projectIds: [], body: '3 of 4 items failed', target: null });
    const again = noticesFromEvents([healthEvent(critical)], first.health, projectName);
    expect(again.notices).toEqual([]);
  });

  test('a stall condition appearing notifies for its project; one already known does not', () => {
    const stalled = health('warning', [condition('stalled:p1', 'warning', 'p1', '1 item in progress in "alpha"…')]);
    const { notices, health: after } = noticesFromEvents([healthEvent(stalled)], health('ok'), projectName);
    expect(notices).toEqual([
      {
        kind: 'stall',
        projectIds: ['p1'],
        title: 'Stalled: alpha',
        body: '1 item in progress in "alpha"…',
        target: { projectId: 'p1', kind: 'project', id: 'p1' },
      },
    ]);
    expect(noticesFromEvents([healthEvent(stalled)], after, projectName).notices).toEqual([]);
  });
});

describe('the rules', () => {
  const done: Notice = { kind: 'done', projectIds: ['p1'], title: 't', body: 'b', target: null };

  test('everything off when notifications are disabled', () => {
    expect(applyRules(done, rules({ enabled: false }), at(12))).toEqual({ show: false, reason: 'disabled' });
  });

  test('each kind has its own switch', () => {
    const kinds = [
      ['critical', 'onCritical'],
      ['done', 'onDone'],
      ['failed', 'onFailed'],
      ['stall', 'onStall'],
    ] as const;
    for (const [kind, toggle] of kinds) {
      const notice = { ...done, kind };
      expect(applyRules(notice, rules(), at(12))).toEqual({ show: true });
      expect(applyRules(notice, rules({ [toggle]: false }), at(12))).toEqual({ show: false, reason: 'kind-off' });
    }
  });

  test('a muted project is silent; a notice about several projects speaks unless all are muted', () => {
    expect(applyRules(done, rules({ mutedProjects: ['p1'] }), at(12))).toEqual({ show: false, reason: 'muted' });
    expect(applyRules(done, rules({ mutedProjects: ['p2'] }), at(12))).toEqual({ show: true });
    const both: Notice = { ...done, kind: 'critical', projectIds: ['p1', 'p2'] };
    expect(applyRules(both, rules({ mutedProjects: ['p1'] }), at(12)).show).toBe(true);
    expect(applyRules(both, rules({ mutedProjects: ['p1', 'p2'] }), at(12)).show).toBe(false);
    const global: Notice = { ...done, kind: 'critical', projectIds: [] };
    expect(applyRules(global, rules({ mutedProjects: ['p1', 'p2'] }), at(12)).show).toBe(true);
  });

  test('quiet hours silence notices inside the window only', () => {
    const quiet = rules({ quietHours: { start: '12:00', end: '13:30' } });
    expect(applyRules(done, quiet, at(12, 15))).toEqual({ show: false, reason: 'quiet-hours' });
    expect(applyRules(done, quiet, at(13, 30)).show).toBe(true);
    expect(applyRules(done, quiet, at(11, 59)).show).toBe(true);
  });

  test('quiet hours that wrap midnight (22:00 → 07:00)', () => {
    const night = { start: '22:00', end: '07:00' };
    expect(isQuietTime(night, at(21, 59))).toBe(false);
    expect(isQuietTime(night, at(22, 0))).toBe(true);
    expect(isQuietTime(night, at(23, 59))).toBe(true);
    expect(isQuietTime(night, at(0, 0))).toBe(true);
    expect(isQuietTime(night, at(6, 59))).toBe(true);
    expect(isQuietTime(night, at(7, 0))).toBe(false);
    expect(isQuietTime(night, at(12, 0))).toBe(false);
  });

  test('no quiet hours, or an empty window, is never quiet', () => {
    expect(isQuietTime(null, at(3))).toBe(false);
    expect(isQuietTime({ start: '08:00', end: '08:00' }, at(8))).toBe(false);
  });
});
