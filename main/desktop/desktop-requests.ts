// The desktop-only requests of shared/desktop-protocol.ts (settings, LAN server, tokens, folder picker,
// reveal/open), served over IPC to our own window. Electron-free: the shell passes in the
// folder dialog and the two shell calls, everything else is the engine's config and tokens.
import type { ChannelInfo, DeliveryEntry, ProjectHooks } from '../../shared/alerts';
import { DesktopRequestSchemas, type ActionsSettings, type DesktopRequestName, type DesktopRequestPayload, type DesktopResults } from '../../shared/desktop-protocol';
import type { Settings } from '../../shared/settings';
import type { TokenInfo, TokenScope } from '../../shared/tokens';
import type { Project } from '../../shared/model';
import type { ActionsConfig } from '../../shared/runs';
import { actionInfo, actionProblem } from '../runs/catalog';
import { PRESETS } from '../runs/presets';
import { readProjectActions } from '../runs/project-actions';
import type { Reply } from '../../shared/protocol';
import { openItem, revealItem, type ItemShell } from './item-paths';
import type { LanController } from './lan-controller';
import { fail, replyFrom, RequestFailure } from './replies';

export interface SettingsAccess {
  get(): Settings;
  update(patch: Partial<Settings>): Promise<Settings>;
}

export interface TokenAccess {
  list(): TokenInfo[];
  create(scope: TokenScope, label?: string): Promise<{ token: TokenInfo; secret: string }>;
  revoke(id: string): Promise<boolean>;
}

/** The outbound alert channels: never their secrets, except a new webhook's, once. */
export interface ChannelAccess {
  state(): Promise<{ channels: ChannelInfo[]; log: DeliveryEntry[] }>;
  add(input: DesktopRequestPayload<'channels:add'>): Promise<{ channel: ChannelInfo; secret: string | null }>;
  update(id: string, patch: Omit<DesktopRequestPayload<'channels:update'>, 'id'>): Promise<ChannelInfo>;
  remove(id: string): Promise<boolean>;
  test(id: string): Promise<DeliveryEntry>;
}

/** Vigil's hooks in a project's agent settings (`vigil hooks` from a project's card). */
export interface HooksAccess {
  status(projectId: string): Promise<ProjectHooks>;
  install(projectId: string, agent: 'claude' | 'codex'): Promise<ProjectHooks>;
  uninstall(projectId: string, agent: 'claude' | 'codex'): Promise<ProjectHooks>;
}

export interface DesktopRequestDeps {
  channels: ChannelAccess;
  hooks: HooksAccess;
  settings: SettingsAccess;
  lan: LanController;
  tokens: TokenAccess;
  shell: ItemShell;
  pickFolder: () => Promise<string | null>;
  projects: () => readonly Project[];
  /** Record the local user's trust in a project's actions file. */
  trustProjectActions?: (root: string) => Promise<{ root: string; sha256: string; count: number }>;
  /** The user's action config (actions.json), read and changed through the config store. */
  actions?: ActionsAccess;
}

export interface ActionsAccess {
  get(): Promise<ActionsConfig>;
  update(change: (current: ActionsConfig) => ActionsConfig): Promise<ActionsConfig>;
}

function actionsSettings(config: ActionsConfig): ActionsSettings {
  return {
    actions: config.actions,
    presets: PRESETS.map((spec) => ({ ...actionInfo({ spec, origin: 'preset' }), enabled: config.presets.includes(spec.id) })),
  };
}

export type DesktopRequestHandler = <R extends DesktopRequestName>(name: R, payload: unknown) => Promise<Reply<DesktopResults[R]>>;

export function parseDesktopRequest<R extends DesktopRequestName>(
  name: R,
  payload: unknown,
): { ok: true; value: DesktopRequestPayload<R> } | { ok: false; reply: Reply<never> } {
  const schema = DesktopRequestSchemas[name];
  if (!schema) return { ok: false, reply: fail(String(name), 'unknown', `Unknown desktop request ${String(name)}`) };
  const result = schema.safeParse(payload ?? {});
  if (result.success) return { ok: true, value: result.data as DesktopRequestPayload<R> };
  const first = result.error.issues[0];
  const where = first && first.path.length > 0 ? ` at ${first.path.join('.')}` : '';
  return { ok: false, reply: fail(name, 'invalid', `Invalid ${name} request${where}: ${first?.message ?? 'bad payload'}`) };
}

export function createDesktopRequests(deps: DesktopRequestDeps): DesktopRequestHandler {
  const { settings, lan, tokens, shell } = deps;

  /** Bring the running server in line with the LAN settings, and remember what happened. */
  async function applyLan(wanted: Settings['lan']): Promise<DesktopResults['lan:set']> {
    const running = lan.state().enabled;
    const before = settings.get().lan;
    const moved = before.host !== wanted.host || before.port !== wanted.port;
    if (running && (!wanted.enabled || moved)) await lan.setEnabled(false, before);
    const state = wanted.enabled ? await lan.setEnabled(true, wanted) : lan.state();
    await settings.update({ lan: { ...wanted, enabled: state.enabled } });
    return state;
  }

  const handlers: { [R in DesktopRequestName]: (payload: DesktopRequestPayload<R>) => Promise<DesktopResults[R]> } = {
    'dialog:pickFolder': async () => ({ path: await deps.pickFolder() }),
    'item:reveal': async ({ projectId, path }) => (await revealItem(shell, deps.projects(), projectId, path), {}),
    'item:open': async ({ projectId, path }) => (await openItem(shell, deps.projects(), projectId, path), {}),
    'settings:get': async () => settings.get(),
    'settings:set': async (patch) => {
      const { lan: lanPatch, ...rest } = patch;
      await settings.update(rest);
      if (lanPatch) await applyLan(lanPatch);
      return settings.get();
    },
    'lan:get': async () => lan.state(),
    'lan:set': async ({ enabled }) => applyLan({ ...settings.get().lan, enabled }),
    'tokens:list': async () => tokens.list(),
    'tokens:create': async ({ scope, label }) => tokens.create(scope, label),
    'tokens:revoke': async ({ id }) => {
      if (!(await tokens.revoke(id))) {
        throw new RequestFailure('not_found', `No token has the id "${id}"; list the tokens to see which exist.`);
      }
      return {};
    },
    'actions:trust': async ({ projectId }) => {
      const project = deps.projects().find((p) => p.id === projectId);
      if (!project) throw new RequestFailure('not_found', `No project with id ${projectId}.`);
      if (!deps.trustProjectActions) throw new RequestFailure('failed', 'Runs are not available in this window.');
      const { root, sha256, count } = await deps.trustProjectActions(project.root);
      return { root, sha256, count };
    },
    'actions:file': async ({ projectId }) => {
      const project = deps.projects().find((p) => p.id === projectId);
      if (!project) throw new RequestFailure('not_found', `No project with id ${projectId}.`);
      const read = await readProjectActions(project.root, deps.actions ? (await deps.actions.get()).trusted : []);
      return { state: read.state, actions: read.defined };
    },
    'actions:get': async () => {
      if (!deps.actions) throw new RequestFailure('failed', 'Actions are not available in this window.');
      return actionsSettings(await deps.actions.get());
    },
    'actions:set': async ({ actions, presets }) => {
      if (!deps.actions) throw new RequestFailure('failed', 'Actions are not available in this window.');
      for (const spec of actions ?? []) {
        const problem = actionProblem(spec);
        if (problem) throw new RequestFailure('invalid', problem);
      }
      const ids = (actions ?? []).map((a) => a.id);
      const twice = ids.find((id, i) => ids.indexOf(id) !== i);
      if (twice) throw new RequestFailure('invalid', `Two actions have the id "${twice}"; ids must be unique.`);
      const unknown = (presets ?? []).find((id) => !PRESETS.some((p) => p.id === id));
      if (unknown) throw new RequestFailure('invalid', `There is no preset "${unknown}".`);
      const saved = await deps.actions.update((current) => ({ ...current, ...(actions ? { actions } : {}), ...(presets ? { presets } : {}) }));
      return actionsSettings(saved);
    },
    'channels:list': async () => deps.channels.state(),
    'channels:add': async (input) => deps.channels.add(input),
    'channels:update': async ({ id, ...patch }) => deps.channels.update(id, patch),
    'channels:remove': async ({ id }) => {
      if (!(await deps.channels.remove(id))) throw new RequestFailure('not_found', `No alert channel has the id "${id}".`);
      return {};
    },
    'channels:test': async ({ id }) => deps.channels.test(id),
    'hooks:status': async ({ projectId }) => deps.hooks.status(projectId),
    'hooks:install': async ({ projectId, agent }) => deps.hooks.install(projectId, agent),
    'hooks:uninstall': async ({ projectId, agent }) => deps.hooks.uninstall(projectId, agent),
  };

  return async (name, payload) => {
    const parsed = parseDesktopRequest(name, payload);
    if (!parsed.ok) return parsed.reply;
    const handler = handlers[name] as (p: DesktopRequestPayload<typeof name>) => Promise<DesktopResults[typeof name]>;
    const value = parsed.value;
    return replyFrom(name, () => handler(value));
  };
}
