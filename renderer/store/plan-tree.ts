// Plans as their tools keep them: per project, epics holding their stories and phases holding
// their plans, siblings in the tool's own order (roadmap, epic and story numbers, task ids),
// or by status when the person asks for that. Pure, like the other selectors.
import type { Plan, Status } from '../../shared/model';
import type { AppState } from './app-store';
import { itemKey } from './keys';
import type { Table } from './live-model';
import { groupPlans, type PlanGroup, type PlanGroups } from './plan-groups';
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
  return createPlanTree()(groupPlans(plans), projects, filter, order, collapsed);
}

/** What a project's rows were built from, kept while nothing they depend on changes. */
interface ProjectRows {
  group: PlanGroup;
  plans: Plan[];
  name: string;
  rows: PlanTreeRow[];
}

/**
 * planTreeRows with a memory, over the plans by project. A project whose group is the same
 * object is not looked at; one whose plans changed in nothing that places a row (in the tool's
 * order without filters: a plan's status or progress) keeps its rows; and when no project's
 * rows changed the same array comes back, so the list does not re-measure. A frame of events
 * over 10,000 plans then costs the plans of the projects it touched, not a walk of them all.
 */
export function createPlanTree(): (groups: PlanGroups, projects: AppState['projects'], filter: ItemFilter, order: PlanOrder, collapsed: ReadonlySet<string>) => PlanTreeRow[] {
  let settings: { filter: ItemFilter; order: PlanOrder; collapsed: ReadonlySet<string> } | null = null;
  let memory = new Map<string, ProjectRows>();
  let last: PlanTreeRow[] = [];
  /** The projects whose rows make up `last`, in its order. */
  let lastProjects: string[] = [];
  return (groups, projects, filter, order, collapsed) => {
    if (!settings || settings.filter !== filter || settings.order !== order || settings.collapsed !== collapsed) {
      settings = { filter, order, collapsed };
      memory = new Map();
    }
    const samePlace = samePlaceUnder(filter, order);
    const name = (id: string): string => projects[id]?.name ?? id;
    const shown = [...groups.keys()].filter((id) => !filter.projectId || id === filter.projectId).sort((a, b) => name(a).localeCompare(name(b)));
    const next = new Map<string, ProjectRows>();
    for (const projectId of shown) {
      const group = groups.get(projectId)!;
      const had = memory.get(projectId);
      const projectName = name(projectId);
      if (had && had.group === group && had.name === projectName) {
        next.set(projectId, had);
        continue;
      }
      const list = [...group.values()];
      next.set(
        projectId,
        had && had.name === projectName && sameEach(had.plans, list, samePlace)
          ? { ...had, group, plans: list }
          : { group, plans: list, name: projectName, rows: projectRows(projectId, projectName, list, filter, order, collapsed) },
      );
    }
    const sameRows = shown.length === lastProjects.length && shown.every((id, i) => id === lastProjects[i] && next.get(id)!.rows === memory.get(id)?.rows);
    memory = next;
    if (!sameRows) {
      last = shown.flatMap((id) => next.get(id)!.rows);
      lastProjects = shown;
    }
    return last;
  };
}

/** Whether a plan changed in something that decides its row or its place among the rows. */
function samePlaceUnder(filter: ItemFilter, order: PlanOrder): (a: Plan, b: Plan) => boolean {
  const filtering = isFiltering(filter);
  return (a, b) =>
    a === b ||
    (a.id === b.id &&
      a.parent === b.parent &&
      a.path === b.path &&
      (order !== 'status' || a.status === b.status) &&
      (!filtering || matchesFilter(a, filter) === matchesFilter(b, filter)));
}

function sameEach<T>(a: readonly T[], b: readonly T[], same: (x: T, y: T) => boolean): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (!same(a[i]!, b[i]!)) return false;
  return true;
}

/** One project's heading and plan rows; none when no plan of it matches the filters. */
function projectRows(projectId: string, name: string, list: Plan[], filter: ItemFilter, order: PlanOrder, collapsed: ReadonlySet<string>): PlanTreeRow[] {
  const filtering = isFiltering(filter);
  const compare = comparator(order);
  const byId = new Map(list.map((p) => [p.id, p]));
  const children = new Map<string | null, Plan[]>();
  for (const plan of list) {
    // A parent that is not there (filtered out by the file it lives in, or not written yet) makes a root.
    const parent = plan.parent !== null && byId.has(plan.parent) && plan.parent !== plan.id ? plan.parent : null;
    let siblings = children.get(parent);
    if (!siblings) children.set(parent, (siblings = []));
    siblings.push(plan);
  }
  for (const siblings of children.values()) siblings.sort(compare);
  const matched = new Set(filtering ? list.filter((p) => matchesFilter(p, filter)).map((p) => p.id) : byId.keys());
  if (matched.size === 0) return [];
  const visible = new Set(matched);
  if (filtering) {
    for (const id of matched) {
      // Walk up to the root; `seen` guards against a cycle in hand-edited files.
      const seen = new Set<string>();
      for (let up = byId.get(id)?.parent ?? null; up !== null && byId.has(up) && !seen.has(up); up = byId.get(up)!.parent) {
        seen.add(up);
        visible.add(up);
      }
    }
  }
  const rows: PlanTreeRow[] = [{ type: 'group', projectId, name, count: matched.size }];
  const nested = [...children.keys()].some((parent) => parent !== null && visible.has(parent));
  const emitted = new Set<string>();
  // `shown` is false under a collapsed plan: its descendants are accounted for, not listed.
  const walk = (parent: string | null, depth: number, shown: boolean): void => {
    for (const plan of children.get(parent) ?? []) {
      if (!visible.has(plan.id) || emitted.has(plan.id)) continue;
      emitted.add(plan.id);
      const key = itemKey(projectId, plan.id);
      const below = children.get(plan.id) ?? [];
      const kids = filtering ? below.filter((c) => visible.has(c.id)).length : below.length;
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
  return rows;
}
