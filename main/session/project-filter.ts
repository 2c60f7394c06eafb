// Which events a client subscribed to some projects receives: those of its projects, plus the
// global ones (health, throughput, engine state) that everyone needs.
import { createHash } from 'node:crypto';
import type { EngineEvent } from '../../shared/protocol';

/** `all`, or the ids of the projects a client follows. */
export type ProjectFilter = 'all' | ReadonlySet<string>;

/** The project an event is about, or null for a global event. */
export function projectOf(event: EngineEvent): string | null {
  switch (event.type) {
    case 'project:added':
    case 'project:updated':
      return event.payload.project.id;
    case 'plan:added':
    case 'plan:updated':
      return event.payload.plan.projectId;
    case 'stub:added':
    case 'stub:updated':
      return event.payload.stub.projectId;
    case 'workorder:added':
    case 'workorder:updated':
      return event.payload.workorder.projectId;
    case 'project:removed':
    case 'project:state':
    case 'plan:removed':
    case 'stub:removed':
    case 'workorder:removed':
    case 'item:status':
    case 'parse:issue':
    case 'run:position':
    case 'batch:start':
    case 'batch:end':
    case 'cycle:start':
    case 'cycle:end':
    case 'command:start':
    case 'command:progress':
    case 'command:end':
      return event.payload.projectId;
    case 'run:queued':
    case 'run:started':
    case 'run:succeeded':
    case 'run:failed':
    case 'run:cancelled':
    case 'run:lost':
      return event.payload.run.projectId;
    case 'agent:started':
    case 'agent:updated':
    case 'agent:needs-input':
    case 'agent:ended':
      // A session outside every registered project concerns everyone.
      return event.payload.session.projectId;
    case 'health:changed':
    case 'throughput:changed':
    case 'engine:state':
      return null;
  }
}

export function applyFilter(events: EngineEvent[], filter: ProjectFilter): EngineEvent[] {
  if (filter === 'all') return events;
  return events.filter((event) => {
    const projectId = projectOf(event);
    return projectId === null || filter.has(projectId);
  });
}

/**
 * One key per distinct filter. Clients with the same subscription share a group, so a batch is
 * filtered and serialized once per distinct subscription, not per client.
 */
export function filterKey(filter: ProjectFilter): string {
  if (filter === 'all') return 'all';
  const ids = [...filter].sort().join('\n');
  return createHash('sha256').update(ids).digest('hex').slice(0, 16);
}
