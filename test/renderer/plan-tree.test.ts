import { Map as ImmutableMap } from 'immutable';
import { describe, expect, test } from 'vitest';
import { childrenOf } from '../../renderer/store/item-detail';
import { itemKey } from '../../renderer/store/keys';
import { planTreeRows } from '../../renderer/store/plan-tree';
import { emptyFilter } from '../../renderer/store/selectors';
import type { Plan } from '../../shared/model';
import { plan, project } from './fixtures';

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
