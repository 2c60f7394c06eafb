import { Map as ImmutableMap } from 'immutable';
import { describe, expect, test } from 'vitest';
import { applyConnectionChange, initialConnection } from '../../renderer/store/connection';
import { itemKey } from '../../renderer/store/keys';
import type { ActivityEntry } from '../../renderer/store/live-model';
import { groupPlans } from '../../renderer/store/plan-groups';
import { countByStatus, emptyActivityFilter, emptyFilter, filterActivity, groupByProject, issueCountsByProject, planCountsByProject, statusesAndSources, statusesAndSourcesOfParts } from '../../renderer/store/selectors';
import { plan, project, walksOf } from './fixtures';

const projects = { pa: project('pa', 'alpha'), pb: project('pb', 'beta') };
const plans = ImmutableMap(
  [
    plan('pb', 'b1', { status: 'done', source: 'bmad', title: 'Ship it' }),
    plan('pa', 'a2', { status: 'todo', path: 'b.md' }),
    plan('pa', 'a1', { status: 'in_progress', path: 'a.md', title: 'Login with passkeys' }),
    plan('pa', 'a3', { status: 'blocked', path: 'c.md' }),
  ].map((p) => [itemKey(p.projectId, p.id), p]),
);

describe('selectors', () => {
  test('groups by project name, items in flight first', () => {
    expect(groupByProject(plans, projects, emptyFilter())).toEqual([
      { type: 'group', projectId: 'pa', name: 'alpha', count: 3 },
      { type: 'item', key: 'pa/a1' },
      { type: 'item', key: 'pa/a3' },
      { type: 'item', key: 'pa/a2' },
      { type: 'group', projectId: 'pb', name: 'beta', count: 1 },
      { type: 'item', key: 'pb/b1' },
    ]);
  });

  test('filters by status, source, project and search (title, id or path)', () => {
    const keys = (f: Partial<ReturnType<typeof emptyFilter>>) =>
      groupByProject(plans, projects, { ...emptyFilter(), ...f }).flatMap((r) => (r.type === 'item' ? [r.key] : []));
    expect(keys({ statuses: ['done', 'blocked'] })).toEqual(['pa/a3', 'pb/b1']);
    expect(keys({ sources: ['bmad'] })).toEqual(['pb/b1']);
    expect(keys({ projectId: 'pb' })).toEqual(['pb/b1']);
    expect(keys({ search: 'PASSKEY' })).toEqual(['pa/a1']);
    expect(keys({ search: 'c.md' })).toEqual(['pa/a3']);
  });

  test('counts by status, per project, and the sources present', () => {
    const counts = countByStatus(plans.values());
    expect(counts).toMatchObject({ done: 1, todo: 1, in_progress: 1, blocked: 1, failed: 0 });
    expect(planCountsByProject(plans)['pa']).toEqual({ total: 3, done: 0, active: 1, failed: 1 });
    expect(statusesAndSources(plans)).toEqual({ counts, sources: ['bmad', 'gsd'] });
  });

  test('counted by project, the figures are the whole table’s, and a part that did not change is not walked again', () => {
    const groups = groupPlans(plans);
    expect(statusesAndSourcesOfParts(groups.values())).toEqual(statusesAndSources(plans));
    const changed = plans.set(itemKey('pa', 'a9'), plan('pa', 'a9', { status: 'review', source: 'kiro' }));
    const regrouped = groupPlans(changed, groups);
    expect(regrouped.get('pb')).toBe(groups.get('pb'));
    const walks = walksOf(regrouped.get('pb')!);
    expect(statusesAndSourcesOfParts(regrouped.values())).toEqual(statusesAndSources(changed));
    for (const walk of walks) expect(walk).not.toHaveBeenCalled();
  });

  test('parse issues count per project, over all of its files', () => {
    const issue = (projectId: string, path: string) => ({ projectId, path, line: 1, message: 'bad' });
    const issues = ImmutableMap([
      ['pa/x.md', [issue('pa', 'x.md'), issue('pa', 'x.md')]],
      ['pa/y.md', [issue('pa', 'y.md')]],
      ['pb/z.md', [issue('pb', 'z.md')]],
    ]);
    expect(issueCountsByProject(issues)).toEqual({ pa: 3, pb: 1 });
  });

  test('activity is newest first and filterable', () => {
    const entry = (seq: number, over: Partial<ActivityEntry>): ActivityEntry => ({
      projectId: 'pa', kind: 'plan', id: `x${seq}`, title: `T${seq}`, from: 'todo', to: 'in_progress', at: seq, key: `seq:${seq}`, seq, ...over,
    });
    const activity = [entry(1, {}), entry(2, { to: 'done' }), entry(3, { kind: 'workorder', projectId: 'pb' })];
    expect(filterActivity(activity, emptyActivityFilter()).map((e) => e.seq)).toEqual([3, 2, 1]);
    expect(filterActivity(activity, { ...emptyActivityFilter(), to: 'done' }).map((e) => e.seq)).toEqual([2]);
    expect(filterActivity(activity, { ...emptyActivityFilter(), kind: 'workorder' }).map((e) => e.seq)).toEqual([3]);
    expect(filterActivity(activity, { ...emptyActivityFilter(), projectId: 'pa', search: 't1' }).map((e) => e.seq)).toEqual([1]);
  });
});

describe('connection state', () => {
  const change = (status: 'connecting' | 'connected' | 'reconnecting' | 'disconnected') => ({ status, reason: null, nextRetryAt: null, fatal: false });

  test('down-since starts at the first drop and survives retry attempts; a reconnect clears it and counts', () => {
    let c = initialConnection(0);
    c = applyConnectionChange(c, change('connected'), 10);
    expect(c).toMatchObject({ status: 'connected', since: 10, downSince: null, reconnects: 0 });
    c = applyConnectionChange(c, change('disconnected'), 20);
    c = applyConnectionChange(c, change('reconnecting'), 25);
    c = applyConnectionChange(c, change('disconnected'), 26);
    expect(c).toMatchObject({ status: 'disconnected', since: 26, downSince: 20 });
    c = applyConnectionChange(c, change('connected'), 40);
    expect(c).toMatchObject({ status: 'connected', downSince: null, reconnects: 1 });
  });

  test('failing to connect the first time is not "down since": there was nothing to lose', () => {
    const c = applyConnectionChange(initialConnection(0), change('disconnected'), 5);
    expect(c.downSince).toBeNull();
    expect(c.everConnected).toBe(false);
  });
});
