// Which actions a project offers, and which of them apply to an item. Three places define
// actions: the user's config, the presets the user turned on, and the project's trusted
// `.vigil/actions.json`. On an id defined twice the user's word wins, then the preset's.
import type { Plan, Stub } from '../../shared/model';
import type { ActionOrigin } from '../../shared/model';
import type { ActionInfo, ActionSpec, ActionsConfig, AppliesTo, ProjectActionsState } from '../../shared/runs';
import { checkTemplate, needsItem } from './argv';
import { presetById } from './presets';
import { readProjectActions } from './project-actions';

export interface ResolvedAction {
  spec: ActionSpec;
  origin: ActionOrigin;
}

export interface ProjectCatalog {
  actions: ResolvedAction[];
  projectFile: ProjectActionsState;
}

/** An item an action can run on, as the model has it. */
export type RunnableItem = Pick<Plan, 'id' | 'source' | 'kind' | 'title' | 'path' | 'status'> | (Pick<Stub, 'id' | 'source' | 'title' | 'path' | 'status'> & { kind: 'stub' });

/** The user's own actions and the presets they turned on, in that order, each id once. */
export function configuredActions(config: ActionsConfig): ResolvedAction[] {
  const out: ResolvedAction[] = [];
  const add = (spec: ActionSpec, origin: ActionOrigin): void => {
    if (!out.some((a) => a.spec.id === spec.id)) out.push({ spec, origin });
  };
  for (const spec of config.actions) add(spec, 'user');
  for (const id of config.presets) {
    const preset = presetById(id);
    if (preset) add(preset, 'preset');
  }
  return out;
}

export async function projectCatalog(config: ActionsConfig, root: string): Promise<ProjectCatalog & { untrustedIds: string[] }> {
  const file = await readProjectActions(root, config.trusted);
  const out = configuredActions(config);
  for (const spec of file.actions) if (!out.some((a) => a.spec.id === spec.id)) out.push({ spec, origin: 'project' });
  return { actions: out, projectFile: file.state, untrustedIds: file.actions.length === 0 ? file.defined.map((a) => a.id) : [] };
}

const matches = (selector: AppliesTo, item: RunnableItem): boolean =>
  (selector.source === undefined || selector.source === item.source) && (selector.kind === undefined || selector.kind === item.kind);

/** Does `spec` apply to `item`? An action without `appliesTo` is for the whole project, not for items. */
export function appliesTo(spec: Pick<ActionSpec, 'appliesTo'>, item: RunnableItem): boolean {
  return (spec.appliesTo ?? []).some((selector) => matches(selector, item));
}

/** Can `spec` run on the project as a whole (no item)? Not when its argv names the item. */
export function runsOnProject(spec: ActionSpec): boolean {
  return !needsItem(spec);
}

export function actionInfo({ spec, origin }: ResolvedAction): ActionInfo {
  return {
    id: spec.id,
    label: spec.label ?? spec.id,
    origin,
    argv: [...spec.argv],
    cwd: spec.cwd ?? 'root',
    appliesTo: spec.appliesTo ?? [],
    timeoutMs: spec.timeoutMs ?? null,
    shell: spec.shell ?? false,
    retries: spec.retries ?? 0,
  };
}

/** Every problem with an action that would stop it from ever running, or null. */
export function actionProblem(spec: ActionSpec): string | null {
  try {
    checkTemplate(spec);
    return null;
  } catch (err) {
    return (err as Error).message;
  }
}
