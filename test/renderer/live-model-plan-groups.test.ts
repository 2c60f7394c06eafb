import { describe, expect, test } from 'vitest';
import { applyEvents, applyHello, emptyModel, type LiveModel } from '../../renderer/store/live-model';
import { itemKey } from '../../renderer/store/keys';
import type { Plan } from '../../shared/model';
import type { EngineEvent } from '../../shared/protocol';
import { hello, plan, planUpdated, project } from './fixtures';

/** Every group holds exactly its project's rows of `plans`, the very same objects, and none is empty. */
function expectGroupsToMatchPlans(state: LiveModel): void {
  const expected = new Map<string, Map<string, Plan>>();
  state.plans.forEach((p, key) => {
    if (!expected.has(p.projectId)) expected.set(p.projectId, new Map());
    expected.get(p.projectId)!.set(key, p);
  });
  expect([...state.planGroups.keys()].sort()).toEqual([...expected.keys()].sort());
  for (const [projectId, rows] of expected) {
    const group = state.planGroups.get(projectId)!;
    expect(group.size).toBe(rows.size);
    for (const [key, p] of rows) expect(group.get(key)).toBe(p);
  }
}

const projects = ['pa', 'pb', 'pc', 'pd', 'pe'].map((id) => project(id));
const first = Array.from({ length: 300 }, (_, i) => plan(projects[i % 5]!.id, `x${i}`));

describe('the plans by project', () => {
  test('hold exactly the plans, batch after batch and across hellos', () => {
    let state = applyHello(emptyModel(), hello(1, { projects, plans: first }));
    expectGroupsToMatchPlans(state);
    for (let round = 0; round < 12; round++) {
      const batch: EngineEvent[] = [];
      let seq = state.lastSeq;
      for (let i = round; i < first.length; i += 7) batch.push(planUpdated(++seq, { ...first[i]!, status: round % 2 ? 'done' : 'in_progress' }));
      for (let i = round * 5; i < first.length; i += 41) batch.push({ seq: ++seq, ts: 1, type: 'plan:removed', payload: { projectId: first[i]!.projectId, id: first[i]!.id } });
      batch.push(planUpdated(++seq, plan('pf', `new${round}`)));
      if (round === 4) {
        // A project goes, and in the same batch a plan of it arrives again.
        batch.push({ seq: ++seq, ts: 1, type: 'project:removed', payload: { projectId: 'pc' } });
        batch.push(planUpdated(++seq, plan('pc', 'again')));
      }
      if (round === 6) batch.push({ seq: ++seq, ts: 1, type: 'project:removed', payload: { projectId: 'pd' } });
      if (round === 8) {
        // The last plan of a project goes: so does its group (those the batch itself brought back too).
        const ids = new Set([...state.plans.values()].filter((p) => p.projectId === 'pe').map((p) => p.id));
        for (const e of batch) if (e.type === 'plan:updated' && e.payload.plan.projectId === 'pe') ids.add(e.payload.plan.id);
        for (const id of ids) batch.push({ seq: ++seq, ts: 1, type: 'plan:removed', payload: { projectId: 'pe', id } });
      }
      state = applyEvents(state, batch).state;
      expectGroupsToMatchPlans(state);
      if (round === 4) expect([...state.planGroups.get('pc')!.keys()]).toEqual([itemKey('pc', 'again')]);
      if (round === 6) expect(state.planGroups.has('pd')).toBe(false);
      if (round === 8) expect(state.planGroups.has('pe')).toBe(false);
      if (round % 4 === 3) {
        // The server restarted: a hello with some plans changed, some gone and one project new.
        const plans = [...state.plans.values()].filter((_, i) => i % 10 !== 0).map((p, i) => (i % 13 === 0 ? { ...p, title: `hello ${round}` } : { ...p }));
        state = applyHello(state, hello(seq + 1, { projects, plans: [...plans, plan('pg', `h${round}`)] }));
        expectGroupsToMatchPlans(state);
      }
    }
  });

  test('a batch leaves the groups of the projects it did not touch as they were', () => {
    const before = applyHello(emptyModel(), hello(1, { projects, plans: first }));
    const after = applyEvents(before, [planUpdated(2, { ...first[0]!, status: 'done' }), planUpdated(3, a(1))]).state;
    expect(after.planGroups.get('pa')).not.toBe(before.planGroups.get('pa'));
    expect(after.planGroups.get('pb')).not.toBe(before.planGroups.get('pb'));
    for (const id of ['pc', 'pd', 'pe']) expect(after.planGroups.get(id)).toBe(before.planGroups.get(id));
    // The very row the table holds alters nothing: the groups stay as they are.
    expect(applyEvents(after, [planUpdated(4, after.plans.get(itemKey('pa', 'x0'))!)]).state.planGroups).toBe(after.planGroups);
  });

  test('a hello that changes one project keeps the other projects\u2019 groups', () => {
    const before = applyHello(emptyModel(), hello(1, { projects, plans: first }));
    const plans = first.map((p) => (p.id === 'x7' ? { ...p, title: 'renamed' } : { ...p }));
    const after = applyHello(before, hello(2, { projects, plans }));
    expect(after.planGroups.get('pc')).not.toBe(before.planGroups.get('pc'));
    for (const id of ['pa', 'pb', 'pd', 'pe']) expect(after.planGroups.get(id)).toBe(before.planGroups.get(id));
    expect(applyHello(after, hello(3, { projects, plans: plans.map((p) => ({ ...p })) })).planGroups).toBe(after.planGroups);
  });
});

/** A plan of project pb (the second of each five). */
function a(i: number): Plan {
  return { ...first[i]!, status: 'review' };
}
