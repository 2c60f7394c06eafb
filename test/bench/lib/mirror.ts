// What the model must hold after a write, computed by Vigil's own pure source adapters from
// the text the bench put on disk. The bench judges delivery (watch → engine → socket → client
// store), not parsing: a parser's semantics are the adapters' business and their tests'.
import type { PlanItem } from '../../../shared/model';
import type { SourceAdapter } from '../../../main/sources/types';

/** The parts of a plan that come from its files (not projectId or updatedAt, which the engine adds). */
export type PlanFields = Pick<PlanItem, 'id' | 'source' | 'kind' | 'title' | 'status' | 'rawStatus' | 'progress' | 'path' | 'parent'>;

export function fieldsOf(plan: PlanItem): PlanFields {
  const { id, source, kind, title, status, rawStatus, progress, path, parent } = plan;
  return { id, source, kind, title, status, rawStatus, progress: { done: progress.done, total: progress.total }, path, parent };
}

export function samePlan(held: PlanItem | undefined, want: PlanFields | null): boolean {
  if (want === null) return held === undefined;
  if (held === undefined) return false;
  return (
    held.title === want.title &&
    held.status === want.status &&
    held.rawStatus === want.rawStatus &&
    held.progress.done === want.progress.done &&
    held.progress.total === want.progress.total &&
    held.path === want.path &&
    held.parent === want.parent &&
    held.kind === want.kind &&
    held.source === want.source
  );
}

function underRoot(adapter: SourceAdapter, rel: string): boolean {
  return adapter.roots.some((root) => rel === root.path || rel.startsWith(`${root.path}/`) || root.path === '' || root.path === '.');
}

/** Every plan of a project, by id, as the adapters derive it from `files`. */
export function expectedPlans(adapters: readonly SourceAdapter[], files: ReadonlyMap<string, string>): Map<string, PlanFields> {
  const plans = new Map<string, PlanFields>();
  for (const adapter of adapters) {
    const facts = new Map<string, unknown>();
    for (const [rel, text] of files) {
      if (!underRoot(adapter, rel) || !adapter.owns(rel)) continue;
      const parsed = adapter.parse(rel, text);
      if (parsed.facts !== null) facts.set(rel, parsed.facts);
    }
    if (facts.size === 0) continue;
    for (const plan of adapter.derive(facts).plans) plans.set(plan.id, fieldsOf(plan));
  }
  return plans;
}

/** Plans that differ between two states: id → the new fields, or null when it went away. */
export function changedPlans(before: ReadonlyMap<string, PlanFields>, after: ReadonlyMap<string, PlanFields>): Map<string, PlanFields | null> {
  const changes = new Map<string, PlanFields | null>();
  for (const [id, want] of after) {
    const had = before.get(id);
    if (!had || JSON.stringify(had) !== JSON.stringify(want)) changes.set(id, want);
  }
  for (const id of before.keys()) if (!after.has(id)) changes.set(id, null);
  return changes;
}
