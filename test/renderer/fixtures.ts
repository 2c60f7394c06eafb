// Small builders for the protocol's shapes, so each test says only what it is about.
import { vi } from 'vitest';
import type { Plan, Project, Snapshot } from '../../shared/model';
import type { EngineEvent, Hello } from '../../shared/protocol';

export function project(id: string, name = id): Project {
  return {
    id,
    name,
    root: `/work/${name}`,
    sources: ['gsd'],
    state: 'ok',
    watch: { backend: 'native', watchedDirs: 3, lastEventAt: null, errors: [] },
    progress: { done: 0, total: 0 },
    reported: [],
  };
}

export function plan(projectId: string, id: string, over: Partial<Plan> = {}): Plan {
  return {
    id,
    projectId,
    source: 'gsd',
    kind: 'plan',
    title: `Plan ${id}`,
    status: 'todo',
    rawStatus: 'pending',
    progress: { done: 0, total: 3 },
    path: `.planning/phases/${id}-PLAN.md`,
    parent: null,
    updatedAt: 1,
    ...over,
  };
}

export function snapshot(over: Partial<Snapshot> = {}): Snapshot {
  return {
    seq: 0,
    running: true,
    projects: [],
    plans: [],
    stubs: [],
    workorders: [],
    issues: [],
    health: { level: 'ok', since: 0, conditions: [] },
    throughput: { finishedLastHour: 0, failedLastHour: 0, meanCycleMs: null },
    activity: [],
    heartbeat: null,
    agents: [],
    ...over,
  };
}

export function hello(seq: number, over: Partial<Snapshot> = {}): Hello {
  return { protocol: 1, serverTime: 1000, seq, snapshot: snapshot({ seq, ...over }), recent: [] };
}

export function planUpdated(seq: number, p: Plan): EngineEvent {
  return { seq, ts: 1000 + seq, type: 'plan:updated', payload: { plan: p } };
}

export function statusChanged(seq: number, p: Plan, from: Plan['status'], to: Plan['status']): EngineEvent {
  return { seq, ts: 1000 + seq, type: 'item:status', payload: { projectId: p.projectId, kind: 'plan', id: p.id, title: p.title, from, to } };
}

/** Spies on every way to walk a map's entries, to show that something did not walk it. */
export function walksOf(map: ReadonlyMap<string, unknown>) {
  const walkable = map as Map<string, unknown>;
  return [vi.spyOn(walkable, 'forEach'), vi.spyOn(walkable, 'values'), vi.spyOn(walkable, 'entries'), vi.spyOn(walkable, 'keys'), vi.spyOn(walkable, Symbol.iterator)];
}
