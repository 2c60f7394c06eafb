// Plans as their tools keep them: per project, epics holding their stories and phases holding
// their plans, siblings in the tool's own order (roadmap, epic and story numbers, task ids),
// or by status when the person asks for that. Pure, like the other selectors.
import type { Plan, Status } from '../../shared/model';
import type { AppState } from './app-store';
import { itemKey } from './keys';
import type { Table } from './live-model';
import { matchesFilter, type ItemFilter } from './selectors';

/** A row of the plans list: a project heading, or a plan at a depth in its tree. */
export type PlanTreeRow =
  | { type: 'group'; projectId: string; name: string; count: number }
  | {
      type: 'item';
      key: string;
      depth: number;
      /** How many plans sit directly under it (0 for a leaf). */
      children: number;
      collapsed: boolean;
      /** Shown only to place a matching child: it does not match the filters itself. */
      context: boolean;
      /** Its project's plans nest (phases, epics): rows keep room for the expander. */
      nested: boolean;
    };

/** Siblings in the order their tool keeps them (roadmap, epic and story numbers), or by status. */
export type PlanOrder = 'tool' | 'status';

/** "02" before "02.1" before "10", "1-3" before "1-12": numbers compare as numbers. */
const natural = new Intl.Collator('en', { numeric: true, sensitivity: 'base' });

const STATUS_ORDER: Record<Status, number> = {
  in_progress: 0, blocked: 1, review: 2, failed: 3, todo: 4, backlog: 5, unknown: 6, done: 7, cancelled: 8,
};

export function compareInToolOrder(a: Plan, b: Plan): number {
  return natural.compare(a.id, b.id) || natural.compare(a.path, b.path);
}

function comparator(order: PlanOrder): (a: Plan, b: Plan) => number {
  return order === 'status' ? (a, b) => STATUS_ORDER[a.status] - STATUS_ORDER[b.status] || compareInToolOrder(a, b) : compareInToolOrder;
}

export function isFiltering(filter: ItemFilter): boolean {
  return filter.search.trim() !== '' || filter.statuses.length > 0 || filter.sources.length > 0 || filter.projectId !== null;
}

/**
 * The rows to show. With filters on, a plan that matches brings its parents along (as context)
 * so it is never shown out of place; collapsed plans hide their children either way.
 */
export function planTreeRows(plans: Table<Plan>, projects: AppState['projects'], filter: ItemFilter, order: PlanOrder, collapsed: ReadonlySet<string>): PlanTreeRow[] {
  const byProject = new Map<string, Plan[]>();
  for (const plan of plans.values()) {
    if (filter.projectId && plan.projectId !== filter.projectId) continue;
    let list = byProject.get(plan.projectId);
    if (!list) byProject.set(plan.projectId, (list = []));
    list.push(plan);
  }
  const filtering = isFiltering(filter);
  const compare = comparator(order);
  const name = (id: string): string => projects[id]?.name ?? id;
  const rows: PlanTreeRow[] = [];

  for (const projectId of [...byProject.keys()].sort((a, b) => name(a).localeCompare(name(b)))) {
    const list = byProject.get(projectId)!;
    const byId = new Map(list.map((p) => [p.id, p]));
    const children = new Map<string | null, Plan[]>();
    for (const plan of list) {
      // A parent that is not there (filtered out by the file it lives in, or not written yet) makes a root.
      const parent = plan.parent !== null && byId.has(plan.parent) && plan.parent !== plan.id ? plan.parent : null;
      let siblings = children.get(parent);
      if (!siblings) children.set(parent, (siblings = []));
      siblings.push(plan);
    }
    const matched = new Set(list.filter((p) => !filtering || matchesFilter(p, filter)).map((p) => p.id));
    if (matched.size === 0) continue;
    const visible = new Set(matched);
    for (const id of matched) {
      // Walk up to the root; `seen` guards against a cycle in hand-edited files.
      const seen = new Set<string>();
      for (let up = byId.get(id)?.parent ?? null; up !== null && byId.has(up) && !seen.has(up); up = byId.get(up)!.parent) {
        seen.add(up);
        visible.add(up);
      }
    }
    rows.push({ type: 'group', projectId, name: name(projectId), count: matched.size });
    const nested = [...children.keys()].some((parent) => parent !== null && visible.has(parent));
    const emitted = new Set<string>();
    // `shown` is false under a collapsed plan: its descendants are accounted for, not listed.
    const walk = (parent: string | null, depth: number, shown: boolean): void => {
      for (const plan of [...(children.get(parent) ?? [])].sort(compare)) {
        if (!visible.has(plan.id) || emitted.has(plan.id)) continue;
        emitted.add(plan.id);
        const key = itemKey(projectId, plan.id);
        const kids = (children.get(plan.id) ?? []).filter((c) => visible.has(c.id)).length;
        const isCollapsed = collapsed.has(key);
        if (shown) rows.push({ type: 'item', key, depth, children: kids, collapsed: isCollapsed, context: !matched.has(plan.id), nested });
        walk(plan.id, depth + 1, shown && !isCollapsed);
      }
    };
    walk(null, 0, true);
    // Plans that name each other as parents (a hand-edited loop) have no root: show them at the top.
    for (const plan of list.filter((p) => visible.has(p.id) && !emitted.has(p.id)).sort(compare)) {
      emitted.add(plan.id);
      rows.push({ type: 'item', key: itemKey(projectId, plan.id), depth: 0, children: 0, collapsed: false, context: !matched.has(plan.id), nested });
    }
  }
  return rows;
}
