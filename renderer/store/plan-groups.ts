// The plans by project, for what is computed per project (the Plans tab's tree and its status
// counts): a project whose plans did not change keeps its group object, so those computations
// skip it. Plain maps, never changed once made; a grouper follows the store's plans table
// through the changes each batch records, so a frame costs the plans it touched.
import type { Plan } from '../../shared/model';
import type { PlanChanges, Table } from './live-model';

export type PlanGroup = ReadonlyMap<string, Plan>;
/** Plans by project id, each project's plans by itemKey. */
export type PlanGroups = ReadonlyMap<string, PlanGroup>;

const NO_GROUPS: PlanGroups = new Map();

/**
 * The plans grouped by project, walking the whole table, reusing each group of `old` that holds
 * the very same rows (the store keeps a row's identity while it does not change), and giving
 * back `old` itself when no group changed.
 */
export function groupPlans(plans: Table<Plan>, old: PlanGroups = NO_GROUPS): PlanGroups {
  const fresh = new Map<string, Map<string, Plan>>();
  plans.forEach((plan, key) => {
    let group = fresh.get(plan.projectId);
    if (!group) fresh.set(plan.projectId, (group = new Map()));
    group.set(key, plan);
  });
  const out = new Map<string, PlanGroup>();
  let same = fresh.size === old.size;
  for (const [projectId, group] of fresh) {
    const had = old.get(projectId);
    const keep = had !== undefined && sameRows(had, group);
    out.set(projectId, keep ? had : group);
    same &&= keep;
  }
  return same ? old : out;
}

function sameRows(a: PlanGroup, b: PlanGroup): boolean {
  if (a.size !== b.size) return false;
  for (const [key, plan] of b) if (a.get(key) !== plan) return false;
  return true;
}

/** The groups after one batch: only the groups of the plans it touched are copied and edited. */
function applyPlanChanges(groups: PlanGroups, plans: Table<Plan>, touched: PlanChanges['touched']): PlanGroups {
  const edits = new Map<string, Map<string, Plan>>();
  for (const { projectId, key } of touched) {
    let edit = edits.get(projectId);
    if (!edit) edits.set(projectId, (edit = new Map(groups.get(projectId))));
    const plan = plans.get(key);
    if (plan) edit.set(key, plan);
    else edit.delete(key);
  }
  const out = new Map(groups);
  for (const [projectId, edit] of edits) {
    const had = groups.get(projectId);
    if (edit.size === 0) out.delete(projectId);
    else if (!had || !sameRows(had, edit)) out.set(projectId, edit);
  }
  return out;
}

/**
 * A grouper with a memory: given the store's plans and the changes that made them, it edits the
 * groups it gave last when those changes start from the table it saw last, and groups the whole
 * table otherwise (the first call, after a hello, or when a version went by unseen).
 */
export function createPlanGrouper(): (plans: Table<Plan>, changes: PlanChanges | null) => PlanGroups {
  let seen: Table<Plan> | null = null;
  let groups = NO_GROUPS;
  return (plans, changes) => {
    if (plans === seen) return groups;
    groups = seen !== null && changes !== null && changes.from === seen ? applyPlanChanges(groups, plans, changes.touched) : groupPlans(plans, groups);
    seen = plans;
    return groups;
  };
}
