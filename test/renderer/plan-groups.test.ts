import { describe, expect, test, vi } from 'vitest';
import { applyEvents, applyHello, emptyModel, type LiveModel } from '../../renderer/store/live-model';
import { itemKey } from '../../renderer/store/keys';
import { createPlanGrouper, groupPlans, type PlanGroups } from '../../renderer/store/plan-groups';
import type { EngineEvent } from '../../shared/protocol';
import { hello, plan, planUpdated, project } from './fixtures';

/** Every group holds exactly its project's rows of `plans`, the very same objects, and none is empty. */
function expectGroupsToMatch(groups: PlanGroups, state: LiveModel): void {
  const expected = new Map<string, Map<string, unknown>>();
  state.plans.forEach((p, key) => {
    if (!expected.has(p.projectId)) expected.set(p.projectId, new Map());
    expected.get(p.projectId)!.set(key, p);
  });
  expect([...groups.keys()].sort()).toEqual([...expected.keys()].sort());
  for (const [projectId, rows] of expected) {
    const group = groups.get(projectId)!;
    expect(group.size).toBe(rows.size);
    for (const [key, p] of rows) expect(group.get(key)).toBe(p);
  }
}

const projects = ['pa', 'pb', 'pc', 'pd', 'pe'].map((id) => project(id));
const first = Array.from({ length: 300 }, (_, i) => plan(projects[i % 5]!.id, `x${i}`));
const removed = (seq: number, projectId: string): EngineEvent => ({ seq, ts: 1, type: 'project:removed', payload: { projectId } });

/** Twelve batches of updates, removals and new plans, with a project removed and hellos between. */
function* versions(): Generator<LiveModel> {
  let state = applyHello(emptyModel(), hello(1, { projects, plans: first }));
  yield state;
  for (let round = 0; round < 12; round++) {
    const batch: EngineEvent[] = [];
    let seq = state.lastSeq;
    for (let i = round; i < first.length; i += 7) batch.push(planUpdated(++seq, { ...first[i]!, status: round % 2 ? 'done' : 'in_progress' }));
    for (let i = round * 5; i < first.length; i += 41) batch.push({ seq: ++seq, ts: 1, type: 'plan:removed', payload: { projectId: first[i]!.projectId, id: first[i]!.id } });
    batch.push(planUpdated(++seq, plan('pf', `new${round}`)));
    if (round === 4) batch.push(removed(++seq, 'pc'), planUpdated(++seq, plan('pc', 'again')));
    if (round === 6) batch.push(removed(++seq, 'pd'));
    if (round === 8) {
      // A project's last plans go (those the batch itself brought back too).
      const ids = new Set([...state.plans.values()].filter((p) => p.projectId === 'pe').map((p) => p.id));
      for (const e of batch) if (e.type === 'plan:updated' && e.payload.plan.projectId === 'pe') ids.add(e.payload.plan.id);
      for (const id of ids) batch.push({ seq: ++seq, ts: 1, type: 'plan:removed', payload: { projectId: 'pe', id } });
    }
    state = applyEvents(state, batch).state;
    yield state;
    if (round % 4 === 3) {
      // The server restarted: a hello with some plans changed, some gone and one project new.
      const plans = [...state.plans.values()].filter((_, i) => i % 10 !== 0).map((p, i) => (i % 13 === 0 ? { ...p, title: `hello ${round}` } : { ...p }));
      state = applyHello(state, hello(seq + 1, { projects, plans: [...plans, plan('pg', `h${round}`)] }));
      yield state;
    }
  }
}

describe('the plans by project', () => {
  test('followed batch after batch, they hold exactly the plans; every version, or one in three', () => {
    const everyOne = createPlanGrouper();
    const someOnly = createPlanGrouper();
    let n = 0;
    for (const state of versions()) {
      expectGroupsToMatch(everyOne(state.plans, state.planChanges), state);
      if (n++ % 3 === 0) expectGroupsToMatch(someOnly(state.plans, state.planChanges), state);
    }
    expect(n).toBe(16);
  });

  test('a batch is followed without walking the plans, and the projects it did not touch keep their groups', () => {
    const grouper = createPlanGrouper();
    const before = applyHello(emptyModel(), hello(1, { projects, plans: first }));
    const groups = grouper(before.plans, before.planChanges);
    const after = applyEvents(before, [planUpdated(2, { ...first[0]!, status: 'done' }), planUpdated(3, { ...first[1]!, status: 'review' })]).state;
    // Every walk of a persistent map (forEach, values, keys, entries) goes through these two.
    const table = after.plans as unknown as Record<'__iterate' | '__iterator', () => unknown>;
    const walks = [vi.spyOn(table, '__iterate'), vi.spyOn(table, '__iterator')];
    const next = grouper(after.plans, after.planChanges);
    for (const walk of walks) expect(walk).not.toHaveBeenCalled();
    expect(next.get('pa')).not.toBe(groups.get('pa'));
    expect(next.get('pb')).not.toBe(groups.get('pb'));
    for (const id of ['pc', 'pd', 'pe']) expect(next.get(id)).toBe(groups.get(id));
    expectGroupsToMatch(next, after);
    // A project removed by a batch that touched none of its plans takes its group along.
    const gone = applyEvents(after, [removed(4, 'pe')]).state;
    const without = grouper(gone.plans, gone.planChanges);
    expect(without.has('pe')).toBe(false);
    expect(without.get('pd')).toBe(groups.get('pd'));
  });

  test('a hello that changes one project keeps the other projects\u2019 groups', () => {
    const before = applyHello(emptyModel(), hello(1, { projects, plans: first }));
    const groups = groupPlans(before.plans);
    const plans = first.map((p) => (p.id === 'x7' ? { ...p, title: 'renamed' } : { ...p }));
    const after = applyHello(before, hello(2, { projects, plans }));
    expect(after.planChanges).toBeNull();
    const regrouped = groupPlans(after.plans, groups);
    expect(regrouped.get('pc')).not.toBe(groups.get('pc'));
    for (const id of ['pa', 'pb', 'pd', 'pe']) expect(regrouped.get(id)).toBe(groups.get(id));
    expect(groupPlans(applyHello(after, hello(3, { projects, plans: plans.map((p) => ({ ...p })) })).plans, regrouped)).toBe(regrouped);
  });
});

describe('what a batch records about the plans', () => {
  test('the table it started from and each plan it set, deleted or removed with its project', () => {
    const before = applyHello(emptyModel(), hello(1, { projects, plans: first.slice(0, 10) }));
    const { state } = applyEvents(before, [
      planUpdated(2, { ...first[0]!, status: 'done' }),
      { seq: 3, ts: 1, type: 'plan:removed', payload: { projectId: 'pb', id: 'x1' } },
      removed(4, 'pc'),
    ]);
    expect(state.planChanges?.from).toBe(before.plans);
    expect(state.planChanges?.touched.map((t) => t.key).sort()).toEqual([itemKey('pa', 'x0'), itemKey('pb', 'x1'), itemKey('pc', 'x2'), itemKey('pc', 'x7')]);
    // A batch that alters no plan keeps the changes that made the table.
    const quiet = applyEvents(state, [{ seq: 5, ts: 1, type: 'engine:state', payload: { running: false } }]).state;
    expect(quiet.plans).toBe(state.plans);
    expect(quiet.planChanges).toBe(state.planChanges);
  });
});
