// What the detail view of one item reads from the model: the item itself, its parent and
// children (plans nest), the issues of its file and the transitions seen.
import type { ItemKind, Plan, ProjectIssue, Stub, Workorder } from '../../shared/model';
import type { AppState } from './app-store';
import { issueKey, itemKey } from './keys';
import type { ActivityEntry, Table } from './live-model';
import { compareInToolOrder } from './plan-tree';

/** An item the detail view shows. */
export interface ItemRef {
  kind: ItemKind;
  projectId: string;
  id: string;
}

export type DetailItem = { kind: 'plan'; item: Plan } | { kind: 'stub'; item: Stub } | { kind: 'workorder'; item: Workorder };

/** The item's row as the model holds it (the same object until it changes, so a selector may return it). */
export function itemRow(state: Pick<AppState, 'plans' | 'stubs' | 'workorders'>, ref: ItemRef): Plan | Stub | Workorder | undefined {
  const key = itemKey(ref.projectId, ref.id);
  if (ref.kind === 'plan') return state.plans.get(key);
  if (ref.kind === 'stub') return state.stubs.get(key);
  return state.workorders.get(key);
}

export function asDetail(kind: ItemRef['kind'], row: Plan | Stub | Workorder | undefined): DetailItem | null {
  if (!row) return null;
  return { kind, item: row } as DetailItem;
}

/** The plans directly under `plan`, in their tool's order. */
export function childrenOf(plans: Table<Plan>, plan: Pick<Plan, 'projectId' | 'id'>): Plan[] {
  const out: Plan[] = [];
  for (const p of plans.values()) if (p.projectId === plan.projectId && p.parent === plan.id && p.id !== plan.id) out.push(p);
  return out.sort(compareInToolOrder);
}

const NO_ISSUES: ProjectIssue[] = [];

/** The issues of one file; the same empty list every time there are none, so a selector may return it. */
export function issuesOfFile(issues: Table<ProjectIssue[]>, projectId: string, path: string): ProjectIssue[] {
  return issues.get(issueKey(projectId, path)) ?? NO_ISSUES;
}

/** Transitions of this item that the page holds, oldest first. */
export function transitionsOf(activity: readonly ActivityEntry[], ref: ItemRef): ActivityEntry[] {
  return activity.filter((e) => e.kind === ref.kind && e.projectId === ref.projectId && e.id === ref.id);
}
