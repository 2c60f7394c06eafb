// What changed while Vigil was not running: the model the journal last recorded against the
// one the engine has just scanned, as the ordinary events that take one to the other. A
// client that replays the journal and then these events holds exactly the scanned model.
import type { Health, ItemKind, Plan, Project, ProjectIssue, Snapshot, Stub, Throughput, Workorder } from '../../shared/model';
import type { DomainEvent } from '../../shared/protocol';

type Item = Plan | Stub | Workorder;

export interface RecordedItem {
  kind: ItemKind;
  item: Item;
}

/** The model as the journal last recorded it (see the model_* tables). */
export interface RecordedModel {
  projects: Project[];
  items: RecordedItem[];
  issues: { projectId: string; path: string; issues: ProjectIssue[] }[];
  running: boolean | null;
  health: Health | null;
  throughput: Throughput | null;
}

const itemKey = (projectId: string, kind: ItemKind, id: string): string => `${projectId}\u0000${kind}\u0000${id}`;

/** Equal but for the times that move without the thing changing (a reload stamps updatedAt anew). */
function sameItem(a: Item, b: Item): boolean {
  return JSON.stringify({ ...a, updatedAt: 0 }) === JSON.stringify({ ...b, updatedAt: 0 });
}

function sameProject(a: Project, b: Project): boolean {
  const strip = (p: Project): Project => ({ ...p, state: 'ok', watch: { ...p.watch, lastEventAt: null } });
  return JSON.stringify(strip(a)) === JSON.stringify(strip(b));
}

function added(kind: ItemKind, item: Item): DomainEvent {
  if (kind === 'plan') return { type: 'plan:added', payload: { plan: item as Plan } };
  if (kind === 'stub') return { type: 'stub:added', payload: { stub: item as Stub } };
  return { type: 'workorder:added', payload: { workorder: item as Workorder } };
}

function updated(kind: ItemKind, item: Item): DomainEvent {
  if (kind === 'plan') return { type: 'plan:updated', payload: { plan: item as Plan } };
  if (kind === 'stub') return { type: 'stub:updated', payload: { stub: item as Stub } };
  return { type: 'workorder:updated', payload: { workorder: item as Workorder } };
}

function removed(kind: ItemKind, projectId: string, id: string): DomainEvent {
  return { type: `${kind}:removed`, payload: { projectId, id } } as DomainEvent;
}

function currentItems(snapshot: Snapshot): RecordedItem[] {
  return [
    ...snapshot.plans.map((item) => ({ kind: 'plan' as const, item })),
    ...snapshot.stubs.map((item) => ({ kind: 'stub' as const, item })),
    ...snapshot.workorders.map((item) => ({ kind: 'workorder' as const, item })),
  ];
}

function issuesByPath(issues: readonly ProjectIssue[]): Map<string, ProjectIssue[]> {
  const out = new Map<string, ProjectIssue[]>();
  for (const issue of issues) {
    const key = `${issue.projectId}\u0000${issue.path}`;
    const list = out.get(key);
    if (list) list.push(issue);
    else out.set(key, [issue]);
  }
  return out;
}

/**
 * The events from `recorded` to `current`. A project the journal never saw arrives whole,
 * as when it is added (its items are not transitions); in a project it knew, every item that
 * appeared, changed status or went is a change like any other.
 */
export function differencesOnStart(recorded: RecordedModel, current: Snapshot): DomainEvent[] {
  const events: DomainEvent[] = [];
  const recordedProjects = new Map(recorded.projects.map((p) => [p.id, p]));
  const currentProjects = new Set(current.projects.map((p) => p.id));
  const recordedItems = new Map(recorded.items.map((r) => [itemKey(r.item.projectId, r.kind, r.item.id), r]));
  const itemsNow = currentItems(current);
  const recordedIssues = new Map(recorded.issues.map((r) => [`${r.projectId}\u0000${r.path}`, r.issues]));
  const issuesNow = issuesByPath(current.issues);

  for (const project of current.projects) {
    const before = recordedProjects.get(project.id);
    if (!before) {
      events.push({ type: 'project:added', payload: { project } });
    } else {
      if (before.state !== project.state) {
        events.push({ type: 'project:state', payload: { projectId: project.id, from: before.state, to: project.state } });
      }
      if (before.state !== project.state || !sameProject(before, project)) events.push({ type: 'project:updated', payload: { project } });
    }
  }

  for (const { kind, item } of itemsNow) {
    const known = recordedProjects.has(item.projectId);
    const before = recordedItems.get(itemKey(item.projectId, kind, item.id));
    if (!before) {
      events.push(added(kind, item));
      if (known) events.push(statusEvent(kind, item, null));
      continue;
    }
    if (sameItem(before.item, item)) continue;
    events.push(updated(kind, item));
    if (before.item.status !== item.status) events.push(statusEvent(kind, item, before.item.status));
  }
  const seen = new Set(itemsNow.map(({ kind, item }) => itemKey(item.projectId, kind, item.id)));
  for (const [key, { kind, item }] of recordedItems) {
    // A project that is gone takes its items with it (project:removed below).
    if (!seen.has(key) && currentProjects.has(item.projectId)) events.push(removed(kind, item.projectId, item.id));
  }

  for (const [key, issues] of issuesNow) {
    const before = recordedIssues.get(key);
    if (before && JSON.stringify(before) === JSON.stringify(issues)) continue;
    const first = issues[0] as ProjectIssue;
    events.push({ type: 'parse:issue', payload: { projectId: first.projectId, path: first.path, issues } });
  }
  for (const [key, before] of recordedIssues) {
    const first = before[0];
    if (!first || issuesNow.has(key) || !currentProjects.has(first.projectId)) continue;
    events.push({ type: 'parse:issue', payload: { projectId: first.projectId, path: first.path, issues: [] } });
  }

  for (const project of recorded.projects) {
    if (!currentProjects.has(project.id)) events.push({ type: 'project:removed', payload: { projectId: project.id } });
  }

  if (recorded.running !== null && recorded.running !== current.running) {
    events.push({ type: 'engine:state', payload: { running: current.running } });
  }
  if (recorded.health !== null && JSON.stringify(recorded.health) !== JSON.stringify(current.health)) {
    events.push({ type: 'health:changed', payload: { health: current.health } });
  }
  if (recorded.throughput !== null && JSON.stringify(recorded.throughput) !== JSON.stringify(current.throughput)) {
    events.push({ type: 'throughput:changed', payload: { throughput: current.throughput } });
  }
  return events;
}

function statusEvent(kind: ItemKind, item: Item, from: Item['status'] | null): DomainEvent {
  return {
    type: 'item:status',
    payload: { projectId: item.projectId, kind, id: item.id, title: item.title, from, to: item.status },
  };
}
