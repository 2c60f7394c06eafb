// The words the dashboard uses for numbers, requests and kinds of items: "1 plan", "Could not
// add the project: …", "phase" for a GSD phase. Internal names (request events, kind ids) never
// reach a person through here.
import type { ItemKind, PlanKind } from '../../shared/model';
import type { RequestError, RequestName } from '../../shared/protocol';

const IRREGULAR: Record<string, string> = { 'work order': 'work orders', 'parse issue': 'parse issues', 'file with issues': 'files with issues' };

/** "plans", "work orders", "stories". */
export function pluralOf(singular: string): string {
  return IRREGULAR[singular] ?? (/[^aeiou]y$/.test(singular) ? `${singular.slice(0, -1)}ies` : `${singular}s`);
}

/** "1 plan", "0 plans", "3 work orders". */
export function count(n: number, singular: string, pluralForm: string = pluralOf(singular)): string {
  return `${n.toLocaleString('en')} ${n === 1 ? singular : pluralForm}`;
}

/** What each request does, as the end of "Could not …". Keyed by every request, so a new one needs its words here. */
export const REQUEST_ACTIONS: Record<RequestName, string> = {
  subscribe: 'follow the live updates',
  resync: 'catch up with the server',
  'project:add': 'add the project',
  'project:remove': 'remove the project',
  'project:pause': 'pause or resume the project',
  'engine:start': 'start watching',
  'engine:stop': 'stop watching',
  refresh: 'refresh',
  'projects:discover': 'look for projects',
  'demo:start': 'open the demo workspace',
  'run:start': 'start the run',
  'run:cancel': 'cancel the run',
  'run:retry': 'retry the run',
  'batch:start': 'start the batch',
  'batch:stop': 'stop the batch',
  'runs:list': 'list the runs',
  'actions:list': 'list the actions',
  'history:query': 'read the history',
  'history:burnup': 'read the burn-up',
  'history:throughput': 'read the throughput',
  'history:digest': 'read what happened while you were away',
};

const REQUEST_NAMES = Object.keys(REQUEST_ACTIONS) as RequestName[];

/**
 * The server's message in words a person reads: a validation error names the field, not the
 * request; any request name left in a message becomes what it does.
 */
export function plainMessage(error: Pick<RequestError, 'code' | 'message'>): string {
  const invalid = /^Invalid (\S+) request(?: at ([^:]+))?: (.*)$/s.exec(error.message);
  if (invalid) return invalid[2] ? `The ${invalid[2]} was not accepted: ${invalid[3]}` : `The request was not accepted: ${invalid[3]}`;
  let text = error.message;
  for (const name of REQUEST_NAMES) text = text.split(name).join(`"${REQUEST_ACTIONS[name]}"`);
  if (error.code === 'rate_limited') return 'Too many requests at once; wait a moment and try again.';
  return text;
}

/** "Could not add the project". */
export function failureTitle(name: RequestName): string {
  return `Could not ${REQUEST_ACTIONS[name]}`;
}

export const PLAN_KIND_LABELS: Record<PlanKind, string> = {
  feature: 'feature',
  phase: 'phase',
  plan: 'plan',
  quick: 'quick task',
  epic: 'epic',
  story: 'story',
  task: 'task',
  spec: 'spec',
  change: 'change',
};

const PLAN_KINDS = Object.keys(PLAN_KIND_LABELS) as PlanKind[];

/** Plan ids start with their source and kind (`gsd:phase:02`), so an activity line knows it was a phase. */
export function planKindOfId(id: string): PlanKind | null {
  const kind = id.split(':')[1];
  return kind && (PLAN_KINDS as string[]).includes(kind) ? (kind as PlanKind) : null;
}

/** The word for an item: "phase", "epic", "story", "stub", "work order". */
export function itemNoun(kind: ItemKind, id: string): string {
  if (kind === 'stub') return 'stub';
  if (kind === 'workorder') return 'work order';
  const planKind = planKindOfId(id);
  return planKind ? PLAN_KIND_LABELS[planKind] : 'plan';
}

/** Kinds that hold other plans: shown as their own word, and counted apart from the plans inside them. */
export const CONTAINER_KINDS: readonly PlanKind[] = ['phase', 'epic'];
