// The smallest correct client: hello replaces everything, events apply in seq order, a gap is
// reported so the caller resyncs. Used only when the renderer store is not there to be used;
// the bench says which one it ran with.
import type { Plan, Project } from '../../../shared/model';
import type { EngineEvent, Hello } from '../../../shared/protocol';
import type { ClientModel } from './client-model';

export class MinimalModel implements ClientModel {
  readonly name = 'minimal apply (test/bench/lib/minimal-model.ts)';
  seq = 0;
  private projects = new Map<string, Project>();
  private plans = new Map<string, Map<string, Plan>>();

  hello(msg: Hello): void {
    this.seq = msg.seq;
    this.projects = new Map(msg.snapshot.projects.map((p) => [p.id, p]));
    this.plans = new Map();
    for (const plan of msg.snapshot.plans) this.plansOf(plan.projectId).set(plan.id, plan);
  }

  apply(batch: EngineEvent[]): 'applied' | 'gap' {
    for (const event of batch) {
      if (event.seq <= this.seq) continue; // a duplicate after a resync
      if (event.seq !== this.seq + 1) return 'gap';
      this.seq = event.seq;
      switch (event.type) {
        case 'plan:added':
        case 'plan:updated':
          this.plansOf(event.payload.plan.projectId).set(event.payload.plan.id, event.payload.plan);
          break;
        case 'plan:removed':
          this.plans.get(event.payload.projectId)?.delete(event.payload.id);
          break;
        case 'project:added':
        case 'project:updated':
          this.projects.set(event.payload.project.id, event.payload.project);
          break;
        case 'project:removed':
          this.projects.delete(event.payload.projectId);
          this.plans.delete(event.payload.projectId);
          break;
        default:
          break;
      }
    }
    return 'applied';
  }

  plansOf(projectId: string): Map<string, Plan> {
    let plans = this.plans.get(projectId);
    if (!plans) this.plans.set(projectId, (plans = new Map()));
    return plans;
  }

  plan(projectId: string, id: string): Plan | undefined {
    return this.plans.get(projectId)?.get(id);
  }

  projectList(): Project[] {
    return [...this.projects.values()];
  }
}
