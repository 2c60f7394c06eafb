import { Map as ImmutableMap } from 'immutable';
import { describe, expect, test } from 'vitest';
import { childrenOf } from '../../renderer/store/item-detail';
import { itemKey } from '../../renderer/store/keys';
import { applyEvents, applyHello, emptyModel } from '../../renderer/store/live-model';
import { createPlanGrouper } from '../../renderer/store/plan-groups';
import { createPlanTree, planTreeRows, type PlanOrder } from '../../renderer/store/plan-tree';
import { emptyFilter, type ItemFilter } from '../../renderer/store/selectors';
import type { Plan } from '../../shared/model';
import { hello, plan, planUpdated, project, walksOf } from './fixtures';

const table = (plans: Plan[]) => ImmutableMap(plans.map((p) => [itemKey(p.projectId, p.id), p]));
const projects = { pa: project('pa', 'alpha') };
const gsd = table([
  plan('pa', 'gsd:plan:10-01', { kind: 'plan', parent: 'gsd:phase:10', status: 'todo' }),
  plan('pa', 'gsd:phase:2', { kind: 'phase', status: 'in_progress' }),
  plan('pa', 'gsd:plan:02-10', { kind: 'plan', parent: 'gsd:phase:2', status: 'in_progress', title: 'Rate limits' }),
  plan('pa', 'gsd:plan:02-02', { kind: 'plan', parent: 'gsd:phase:2', status: 'done' }),
  plan('pa', 'gsd:phase:10', { kind: 'phase', status: 'todo' }),
  plan('pa', 'gsd:phase:2.1', { kind: 'phase', status: 'done' }),
]);
const ids = (rows: ReturnType<typeof planTreeRows>) => rows.flatMap((r) => (r.type === 'item' ? [`${r.depth} ${r.key.slice(3)}${r.context ? ' (context)' : ''}`] : []));

describe('plans as a tree', () => {
  test('phases hold their plans, in number order (2 before 2.1 before 10; 02-02 before 02-10)', () => {
    expect(ids(planTreeRows(gsd, projects, emptyFilter(), 'tool', new Set()))).toEqual([
      '0 gsd:phase:2',
      '1 gsd:plan:02-02',
      '1 gsd:plan:02-10',
      '0 gsd:phase:2.1',
      '0 gsd:phase:10',
      '1 gsd:plan:10-01',
    ]);
  });

  test('status order is a choice; a collapsed phase hides its plans', () => {
    expect(ids(planTreeRows(gsd, projects, emptyFilter(), 'status', new Set())).slice(0, 3)).toEqual(['0 gsd:phase:2', '1 gsd:plan:02-10', '1 gsd:plan:02-02']);
    expect(ids(planTreeRows(gsd, projects, emptyFilter(), 'tool', new Set(['pa/gsd:phase:2'])))).toEqual(['0 gsd:phase:2', '0 gsd:phase:2.1', '0 gsd:phase:10', '1 gsd:plan:10-01']);
  });

  test('a filter keeps the parents of what matches, as context, and counts only the matches', () => {
    const rows = planTreeRows(gsd, projects, { ...emptyFilter(), search: 'rate limits' }, 'tool', new Set());
    expect(ids(rows)).toEqual(['0 gsd:phase:2 (context)', '1 gsd:plan:02-10']);
    expect(rows[0]).toMatchObject({ type: 'group', count: 1 });
  });

  test('a missing parent makes a root, and plans that name each other are still shown', () => {
    const odd = table([
      plan('pa', 'x:plan:1', { parent: 'x:plan:gone' }),
      plan('pa', 'x:plan:a', { parent: 'x:plan:b' }),
      plan('pa', 'x:plan:b', { parent: 'x:plan:a' }),
    ]);
    expect(ids(planTreeRows(odd, projects, emptyFilter(), 'tool', new Set())).sort()).toEqual(['0 x:plan:1', '0 x:plan:a', '0 x:plan:b']);
  });

  test('an item detail lists children in the same order', () => {
    expect(childrenOf(gsd, { projectId: 'pa', id: 'gsd:phase:2' }).map((p) => p.id)).toEqual(['gsd:plan:02-02', 'gsd:plan:02-10']);
  });
});

describe('the plans list between two models', () => {
  const set = (t: typeof gsd, id: string, over: Partial<Plan>) => t.update(itemKey('pa', id), (p) => ({ ...p!, ...over }));
  const noFilter = emptyFilter();
  const none = new Set<string>();
  /** createPlanTree fed as the Plans tab feeds it, by a grouper (regrouping each table: no recorded changes here). */
  const createTree = () => {
    const tree = createPlanTree();
    const grouper = createPlanGrouper();
    return (plans: typeof gsd, names: typeof projects, filter: ItemFilter, order: PlanOrder, shut: ReadonlySet<string>) => tree(grouper(plans, null), names, filter, order, shut);
  };

  test('a status or progress change in the tool order gives back the very same rows', () => {
    const tree = createTree();
    const before = tree(gsd, projects, noFilter, 'tool', none);
    const after = tree(set(gsd, 'gsd:plan:02-02', { status: 'in_progress', progress: { done: 1, total: 3 } }), projects, noFilter, 'tool', none);
    expect(after).toBe(before);
  });

  test('a plan that moves to another parent, a new plan and a renamed project are placed anew', () => {
    const tree = createTree();
    tree(gsd, projects, noFilter, 'tool', none);
    const moved = set(gsd, 'gsd:plan:10-01', { parent: 'gsd:phase:2' });
    expect(ids(tree(moved, projects, noFilter, 'tool', none))).toEqual(ids(planTreeRows(moved, projects, noFilter, 'tool', none)));
    expect(ids(tree(moved, projects, noFilter, 'tool', none))).toContain('1 gsd:plan:10-01');
    const added = moved.set(itemKey('pa', 'gsd:plan:02-05'), plan('pa', 'gsd:plan:02-05', { parent: 'gsd:phase:2' }));
    expect(ids(tree(added, projects, noFilter, 'tool', none)).slice(0, 4)).toEqual(['0 gsd:phase:2', '1 gsd:plan:02-02', '1 gsd:plan:02-05', '1 gsd:plan:02-10']);
    const renamed = tree(added, { pa: project('pa', 'beta') }, noFilter, 'tool', none);
    expect(renamed[0]).toMatchObject({ type: 'group', name: 'beta' });
  });

  test('in status order, and under a status filter, a status change moves or hides the row', () => {
    const tree = createTree();
    expect(ids(tree(gsd, projects, noFilter, 'status', none)).slice(1, 3)).toEqual(['1 gsd:plan:02-10', '1 gsd:plan:02-02']);
    const reopened = set(gsd, 'gsd:plan:02-02', { status: 'in_progress' });
    expect(ids(tree(reopened, projects, noFilter, 'status', none)).slice(1, 3)).toEqual(['1 gsd:plan:02-02', '1 gsd:plan:02-10']);
    const doneOnly = { ...emptyFilter(), statuses: ['done' as const] };
    expect(ids(tree(gsd, projects, doneOnly, 'tool', none))).toEqual(['0 gsd:phase:2 (context)', '1 gsd:plan:02-02', '0 gsd:phase:2.1']);
    expect(ids(tree(reopened, projects, doneOnly, 'tool', none))).toEqual(['0 gsd:phase:2.1']);
  });

  test('collapsing a plan is a new setting: its rows are built again', () => {
    const tree = createTree();
    const open = tree(gsd, projects, noFilter, 'tool', none);
    const shut = tree(gsd, projects, noFilter, 'tool', new Set(['pa/gsd:phase:2']));
    expect(shut).not.toBe(open);
    expect(ids(shut)).toEqual(['0 gsd:phase:2', '0 gsd:phase:2.1', '0 gsd:phase:10', '1 gsd:plan:10-01']);
  });

  test('a frame walks only the projects it changed; the others keep their rows untouched', () => {
    const names = { pa: project('pa', 'alpha'), pb: project('pb', 'beta') };
    const plans = ['pa', 'pb'].flatMap((p) => Array.from({ length: 20 }, (_, i) => plan(p, `gsd:plan:${i}`)));
    let state = applyHello(emptyModel(), hello(1, { projects: Object.values(names), plans }));
    const tree = createPlanTree();
    const grouper = createPlanGrouper();
    const groups = () => grouper(state.plans, state.planChanges);
    const before = tree(groups(), names, noFilter, 'tool', none);
    state = applyEvents(state, [planUpdated(2, { ...plans[3]!, status: 'done' })]).state;
    const untouched = groups().get('pb')!;
    const walks = walksOf(untouched);
    expect(tree(groups(), names, noFilter, 'tool', none)).toBe(before);
    for (const walk of walks) expect(walk).not.toHaveBeenCalled();
    // A plan of pb that moves under another is placed anew, and pa keeps its rows.
    state = applyEvents(state, [planUpdated(3, { ...plans[25]!, parent: 'gsd:plan:1' })]).state;
    const moved = tree(groups(), names, noFilter, 'tool', none);
    expect(moved).not.toBe(before);
    expect(moved.slice(0, 21)).toEqual(before.slice(0, 21));
    expect(moved[0]).toBe(before[0]);
    expect(ids(moved.slice(21))).toEqual(ids(planTreeRows(state.plans, names, noFilter, 'tool', none).slice(21)));
    expect(ids(moved.slice(21)).slice(0, 3)).toEqual(['0 gsd:plan:0', '0 gsd:plan:1', '1 gsd:plan:5']);
  });
});
