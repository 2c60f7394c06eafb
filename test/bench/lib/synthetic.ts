// Model objects shaped like the engine's, in bulk, for the benches that feed the renderer store
// or a socket directly: a 10k-plan hello, a 1000-event batch.
import type { Plan, Project, Snapshot, Status } from '../../../shared/model';
import type { EngineEvent, Hello } from '../../../shared/protocol';
import { PROTOCOL_VERSION } from '../../../shared/protocol';

const STATUS_CYCLE: Status[] = ['todo', 'in_progress', 'review', 'done', 'blocked'];

export function makeProject(i: number): Project {
  return {
    id: `p${i}`,
    name: `project-${i}`,
    root: `/home/dev/code/project-${i}`,
    sources: ['gsd', 'speckit'],
    state: 'ok',
    watch: { backend: 'native', watchedDirs: 12, lastEventAt: null, errors: [] },
    progress: { done: 0, total: 0 },
    reported: [],
  };
}

export function makePlan(projectId: string, i: number, version = 0): Plan {
  const total = 4 + (i % 9);
  return {
    id: `speckit:feature:${String(i).padStart(5, '0')}`,
    projectId,
    source: 'speckit',
    kind: 'feature',
    title: `Feature ${i}: make the thing ${version ? `(rev ${version})` : ''}`.trim(),
    status: STATUS_CYCLE[(i + version) % STATUS_CYCLE.length]!,
    rawStatus: 'In Progress',
    progress: { done: (i + version) % (total + 1), total },
    path: `specs/${String(i).padStart(3, '0')}-feature-${i}/tasks.md`,
    parent: null,
    updatedAt: 1_700_000_000_000 + i,
  };
}

export function makeSnapshot(projects: number, plansPerProject: number): Snapshot {
  const projectList = Array.from({ length: projects }, (_, i) => makeProject(i));
  const plans: Plan[] = [];
  for (const p of projectList) for (let i = 0; i < plansPerProject; i++) plans.push(makePlan(p.id, i));
  return {
    seq: 1000,
    running: true,
    projects: projectList,
    plans,
    stubs: [],
    workorders: [],
    issues: [],
    agents: [],
    health: { level: 'ok', since: 1_700_000_000_000, conditions: [] },
    throughput: { finishedLastHour: 0, failedLastHour: 0, meanCycleMs: null },
    activity: [],
    heartbeat: null,
  };
}

export function makeHello(snapshot: Snapshot): Hello {
  return { protocol: PROTOCOL_VERSION, serverTime: Date.now(), seq: snapshot.seq, snapshot, recent: [] };
}

/**
 * A batch the way a busy engine emits it: mostly plan updates, each status move followed by
 * its item:status, a few plans added and removed, parse issues set and cleared.
 */
export function makeBatch(snapshot: Snapshot, size: number, version = 1): EngineEvent[] {
  const events: EngineEvent[] = [];
  let seq = snapshot.seq;
  const ts = 1_700_000_100_000;
  const plans = snapshot.plans;
  for (let k = 0; events.length < size; k++) {
    const base = plans[(k * 7919) % plans.length]!;
    const kind = k % 20;
    if (kind === 18) {
      const plan = makePlan(base.projectId, 100_000 + k, version);
      events.push({ seq: ++seq, ts, type: 'plan:added', payload: { plan } });
    } else if (kind === 19) {
      events.push({ seq: ++seq, ts, type: 'parse:issue', payload: { projectId: base.projectId, path: base.path, issues: k % 40 === 19 ? [] : [{ projectId: base.projectId, path: base.path, line: 3, message: 'bad YAML' }] } });
    } else {
      const plan = makePlan(base.projectId, Number(base.id.slice(-5)), version + k);
      events.push({ seq: ++seq, ts, type: 'plan:updated', payload: { plan } });
      if (kind % 3 === 0 && events.length < size) {
        events.push({ seq: ++seq, ts, type: 'item:status', payload: { projectId: plan.projectId, kind: 'plan', id: plan.id, title: plan.title, from: base.status, to: plan.status } });
      }
    }
  }
  return events;
}
