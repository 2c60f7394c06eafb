// What a bench client holds: the model a browser would show, built from hello + events.
// Backed by the renderer store's pure apply functions (what users run); the minimal apply
// beside this file stays as a cross-check (`BENCH_CLIENT_MODEL=minimal`).
import type { Plan, Project } from '../../../shared/model';
import type { EngineEvent, Hello } from '../../../shared/protocol';
import { MinimalModel } from './minimal-model';
import { StoreModel } from './store-model';

export interface ClientModel {
  readonly name: string;
  readonly seq: number;
  hello(msg: Hello): void;
  /** Apply a batch in order; 'gap' when events are missing and a resync is due. */
  apply(batch: EngineEvent[]): 'applied' | 'gap';
  plan(projectId: string, id: string): Plan | undefined;
  plansOf(projectId: string): ReadonlyMap<string, Plan>;
  projectList(): Project[];
}

export async function createClientModelFactory(): Promise<() => ClientModel> {
  if (process.env.BENCH_CLIENT_MODEL === 'minimal') return () => new MinimalModel();
  return () => new StoreModel();
}
