// A bench client backed by the renderer store's pure functions (renderer/store/live-model.ts):
// the same applyHello/applyEvents a browser tab runs, so the latency includes their cost.
import type { Plan, Project } from '../../../shared/model';
import type { EngineEvent, Hello } from '../../../shared/protocol';
import { applyEvents, applyHello, emptyModel, type LiveModel } from '../../../renderer/store/live-model';
import { itemKey } from '../../../renderer/store/keys';
import type { ClientModel } from './client-model';

export class StoreModel implements ClientModel {
  readonly name = 'renderer store (renderer/store/live-model.ts applyHello/applyEvents)';
  private state: LiveModel = emptyModel();

  get seq(): number {
    return this.state.lastSeq;
  }

  hello(msg: Hello): void {
    this.state = applyHello(this.state, msg);
  }

  apply(batch: EngineEvent[]): 'applied' | 'gap' {
    const { state, gap } = applyEvents(this.state, batch);
    this.state = state;
    return gap ? 'gap' : 'applied';
  }

  plan(projectId: string, id: string): Plan | undefined {
    return this.state.plans.get(itemKey(projectId, id));
  }

  plansOf(projectId: string): ReadonlyMap<string, Plan> {
    const plans = new Map<string, Plan>();
    for (const plan of this.state.plans.values()) if (plan.projectId === projectId) plans.set(plan.id, plan);
    return plans;
  }

  projectList(): Project[] {
    return Object.values(this.state.projects);
  }
}
