// Runs on the engine's projects: what a client asks for (start this action on that item, cancel,
// retry, run a batch, list, follow a log) turned into checked requests to the supervisor. The
// actions come from the user's config, the presets they enabled and trusted project files, read
// again at each request so a trust given or revoked elsewhere counts at once; a client names an
// action and an item, never a command line. Whoever asked is recorded on the run.
import type { Batch, Plan, Project, Run, Snapshot, Stub } from '../../shared/model';
import type { DomainEvent, LogMessage } from '../../shared/protocol';
import type { ActionsList, TrustedActionsFile } from '../../shared/runs';
import type { Closable, LogSubscription } from '../engine/api';
import type { ConfigStore } from '../engine/config';
import type { RunsView } from '../engine/engine';
import type { HealthConditionDraft } from '../engine/health';
import { needsItem, type PlaceholderItem } from './argv';
import { BatchRunner } from './batch';
import { actionInfo, appliesTo, configuredActions, projectCatalog, runsOnProject, type ResolvedAction, type RunnableItem } from './catalog';
import { DEFAULT_RUN_LIST_LIMIT, matchesQuery, type RunJournal, type RunQuery } from './journal';
import { PROJECT_ACTIONS_PATH, trustRecordFor } from './project-actions';
import { RunError } from './run-error';
import { RunHealth } from './run-health';
import { sweepRunLogs } from './run-log-sweep';
import { RunLogTails } from './run-log-tails';
import { runSessionSignals, type RunSessionSink } from './run-sessions';
import { RunSupervisor, type RunLimits, type SupervisorOptions } from './supervisor';

/** What runs need of the engine. */
export interface RunsHost {
  projects(): Project[];
  snapshot(): Snapshot;
  publishEvents(events: DomainEvent[]): void;
  addConditionSource(source: () => readonly HealthConditionDraft[]): Closable;
  setRunsView(view: RunsView | null): void;
  /** The agent sessions: a run is one too. */
  readonly agents: RunSessionSink;
}

export interface RunsOptions {
  engine: RunsHost;
  config: ConfigStore;
  journal: RunJournal;
  /** Where run logs and worktrees go (default: the config folder). */
  dataDir?: string;
  /** Limits over the settings (tests). */
  limits?: Partial<RunLimits>;
  /** First sweep of old run logs after opening, then every `everyMs` (defaults 60 s and 1 h). */
  logSweep?: { afterMs?: number; everyMs?: number };
  supervisor?: Partial<Pick<SupervisorOptions, 'killGraceMs' | 'drainMs' | 'adoptPollMs' | 'env'>>;
  now?: () => number;
  onError?: (err: unknown) => void;
}

export interface StartRunRequest {
  projectId: string;
  action: string;
  itemId?: string;
}

export interface StartBatchRequest {
  projectId: string;
  action: string;
  items: string[] | { next: number };
  concurrency: number;
  stopOnFailure: boolean;
}

/** Statuses an item can be picked from by a batch's `{next: N}`, most ready first. */
const READY_RANK: Record<string, number> = { todo: 0, backlog: 1 };

export class Runs {
  readonly supervisor: RunSupervisor;
  private readonly batches: BatchRunner;
  private readonly tails: RunLogTails;
  private readonly health: RunHealth;
  private readonly closables: Closable[] = [];
  private readonly logDir: string;
  private sweepTimer: NodeJS.Timeout | null = null;
  private sweeping: Promise<unknown> | null = null;
  private closed = false;

  private constructor(private readonly options: RunsOptions) {
    const { engine, config } = options;
    const dataDir = options.dataDir ?? config.dir;
    const settings = config.settings().runs;
    this.logDir = `${dataDir}/runs`;
    this.tails = new RunLogTails((err) => this.report(err));
    this.supervisor = new RunSupervisor({
      logDir: this.logDir,
      worktreesDir: `${dataDir}/worktrees`,
      journal: options.journal,
      publish: (events) => {
        engine.publishEvents(events);
        for (const { signal, place } of runSessionSignals(events, (id) => this.supervisor.get(id) ?? undefined)) engine.agents.applyKnown(signal, place);
      },
      limits: { global: settings.maxConcurrent, perProject: settings.perProject, ...options.limits },
      logFeed: this.tails,
      now: options.now,
      onError: (err) => this.report(err),
      ...options.supervisor,
    });
    this.batches = new BatchRunner(this.supervisor, (events) => engine.publishEvents(events), options.now);
    this.health = new RunHealth({ stuckMinutes: () => config.setting((s) => s.runs.stuckMinutes) });
    engine.setRunsView({ activeRuns: () => this.supervisor.activeRuns(), activeBatches: () => this.batches.activeBatches() });
    this.closables.push(
      engine.addConditionSource(() =>
        this.health.evaluate({ now: (options.now ?? Date.now)(), active: this.supervisor.activeRuns(), queueLength: this.supervisor.queueLength() }),
      ),
      config.onChange((change) => {
        if (change.what !== 'settings' || options.limits) return;
        this.supervisor.setLimits({ global: change.settings.runs.maxConcurrent, perProject: change.settings.runs.perProject });
      }),
    );
  }

  /** Runs on `engine`'s projects; runs left over from a previous process are checked first. */
  static async open(options: RunsOptions): Promise<Runs> {
    const runs = new Runs(options);
    await runs.supervisor.recover();
    runs.scheduleLogSweep(options.logSweep?.afterMs ?? 60_000);
    return runs;
  }

  /** The actions a project offers (or that apply to one of its items); every user action when no project is named. */
  async actions(query: { projectId?: string; itemId?: string; onItems?: boolean }): Promise<ActionsList> {
    const config = await this.options.config.reloadActions();
    if (query.projectId === undefined) {
      if (query.itemId !== undefined) throw new RunError('invalid', 'Name the project of the item too (projectId).');
      return { actions: configuredActions(config).map(actionInfo), projectFile: null };
    }
    const project = this.project(query.projectId);
    const catalog = await projectCatalog(config, project.root);
    let actions = catalog.actions;
    if (query.itemId !== undefined) {
      const item = this.item(project.id, query.itemId);
      actions = actions.filter((a) => appliesTo(a.spec, item));
    } else if (query.onItems) {
      actions = actions.filter((a) => (a.spec.appliesTo ?? []).length > 0);
    } else {
      actions = actions.filter((a) => runsOnProject(a.spec));
    }
    return { actions: actions.map(actionInfo), projectFile: catalog.projectFile };
  }

  async start(request: StartRunRequest, startedBy: string): Promise<Run> {
    this.assertOpen();
    const project = this.project(request.projectId);
    const action = await this.resolve(project, request.action);
    const item = request.itemId === undefined ? null : this.item(project.id, request.itemId);
    this.checkApplies(action, item);
    return this.supervisor.enqueue({ projectId: project.id, root: project.root, action, item: item && placeholderItem(item), startedBy });
  }

  cancel(runId: string, by: string): Run {
    return this.supervisor.cancel(runId, by);
  }

  /** Start a finished run again, as its next attempt; the action is looked up again, so it must still be allowed. */
  async retry(runId: string, startedBy: string): Promise<Run> {
    this.assertOpen();
    const previous = this.supervisor.get(runId) ?? (await this.options.journal.get(runId));
    if (!previous) throw new RunError('not_found', `No run has the id ${runId}.`);
    if (previous.state === 'queued' || previous.state === 'running') {
      throw new RunError('invalid', `Run ${runId} is still ${previous.state}; cancel it first, or wait for it to end.`);
    }
    const project = this.project(previous.projectId);
    const action = await this.resolve(project, previous.action);
    const item = previous.itemId === null ? null : this.item(project.id, previous.itemId);
    this.checkApplies(action, item);
    return this.supervisor.enqueue({
      projectId: project.id,
      root: project.root,
      action,
      item: item && placeholderItem(item),
      startedBy,
      attempt: previous.attempt + 1,
      retryOf: previous.id,
    });
  }

  async startBatch(request: StartBatchRequest, startedBy: string): Promise<Batch> {
    this.assertOpen();
    const project = this.project(request.projectId);
    const action = await this.resolve(project, request.action);
    let items: RunnableItem[];
    if (Array.isArray(request.items)) {
      items = [...new Set(request.items)].map((id) => this.item(project.id, id));
      for (const item of items) this.checkApplies(action, item);
    } else {
      items = this.nextReady(project.id, action, request.items.next);
      if (items.length === 0) {
        throw new RunError('invalid', `No item of this project is ready for "${action.spec.label ?? action.spec.id}" (to do or in the backlog, and not running already).`);
      }
    }
    return this.batches.start({
      projectId: project.id,
      root: project.root,
      action,
      items: items.map(placeholderItem),
      concurrency: request.concurrency,
      stopOnFailure: request.stopOnFailure,
      startedBy,
    });
  }

  stopBatch(batchId: string, by: string): Batch {
    return this.batches.stop(batchId, by);
  }

  /** Active runs first (they live here), then the history, newest first. */
  async list(query: RunQuery = {}): Promise<Run[]> {
    const limit = query.limit ?? DEFAULT_RUN_LIST_LIMIT;
    const active = this.supervisor.activeRuns().filter((r) => matchesQuery(r, query));
    if (query.active) return active.slice(0, limit);
    const seen = new Set(active.map((r) => r.id));
    const recent = this.supervisor.recentRuns().filter((r) => matchesQuery(r, query) && !seen.has(r.id));
    for (const run of recent) seen.add(run.id);
    const older = (await this.options.journal.list({ ...query, limit })).filter((r) => !seen.has(r.id));
    const ended = [...recent, ...older].sort((a, b) => b.queuedAt - a.queuedAt);
    return [...active.reverse(), ...ended].slice(0, limit);
  }

  async get(runId: string): Promise<Run | null> {
    return this.supervisor.get(runId) ?? this.options.journal.get(runId);
  }

  activeBatches(): Batch[] {
    return this.batches.activeBatches();
  }

  /** Follow a run's log: by its id, so the path is Vigil's, never a client's. */
  async subscribeLog(runId: string, listener: (msg: LogMessage) => void): Promise<LogSubscription> {
    const run = await this.get(runId);
    if (!run) throw new RunError('not_found', `No run has the id ${runId}.`);
    return this.tails.subscribe(run, listener);
  }

  /**
   * Trust a project's `.vigil/actions.json` as it is now. Only the local user may: the desktop
   * app and the command line call this, no network client can.
   */
  async trustProjectActions(root: string): Promise<TrustedActionsFile & { count: number }> {
    return trustProjectActions(this.options.config, root, (this.options.now ?? Date.now)());
  }

  /** Delete run logs past the history's retention period (run-log-sweep.ts); resolves with the names deleted. */
  sweepLogs(): Promise<string[]> {
    const sweep = sweepRunLogs({
      dir: this.logDir,
      retentionDays: this.options.config.settings().history.retentionDays,
      now: (this.options.now ?? Date.now)(),
      activeIds: new Set(this.supervisor.activeRuns().map((run) => run.id)),
    });
    this.sweeping = sweep.catch(() => undefined);
    return sweep;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.sweepTimer) clearTimeout(this.sweepTimer);
    await this.sweeping;
    for (const c of this.closables.splice(0)) c.close();
    this.options.engine.setRunsView(null);
    this.batches.close();
    await this.supervisor.close();
    this.tails.close();
    await this.options.journal.close();
  }

  // ---- internals ----

  private project(projectId: string): Project {
    const project = this.options.engine.projects().find((p) => p.id === projectId);
    if (!project) throw new RunError('not_found', `No project with id ${projectId}; list projects to see the ids.`);
    return project;
  }

  private item(projectId: string, itemId: string): RunnableItem {
    const snapshot = this.options.engine.snapshot();
    const plan = snapshot.plans.find((p: Plan) => p.projectId === projectId && p.id === itemId);
    if (plan) return plan;
    const stub = snapshot.stubs.find((s: Stub) => s.projectId === projectId && s.id === itemId);
    if (stub) return { ...stub, kind: 'stub' };
    throw new RunError('not_found', `No plan or stub "${itemId}" in this project.`);
  }

  private async resolve(project: Project, actionId: string): Promise<ResolvedAction> {
    const config = await this.options.config.reloadActions();
    const catalog = await projectCatalog(config, project.root);
    const found = catalog.actions.find((a) => a.spec.id === actionId);
    if (found) return found;
    // Say why when the action is in the project's file but the file may not run.
    const state = catalog.projectFile.state;
    if ((state === 'untrusted' || state === 'changed') && catalog.untrustedIds.includes(actionId)) {
      // 'invalid', not 'forbidden': the token may run actions, this file's actions may not run yet.
      throw new RunError(
        'invalid',
        state === 'changed'
          ? `Action "${actionId}" is in ${PROJECT_ACTIONS_PATH}, which changed since it was trusted; read it and trust it again (vigil action trust ${project.root}).`
          : `Action "${actionId}" is in ${PROJECT_ACTIONS_PATH}, which is not trusted yet; read it, then trust it (vigil action trust ${project.root}).`,
      );
    }
    const known = catalog.actions.map((a) => a.spec.id);
    throw new RunError(
      'not_found',
      `No action "${actionId}" in ${project.name}; ${known.length > 0 ? `its actions are ${known.join(', ')}` : 'it has none (add one with vigil action add, or turn on a preset)'}.`,
    );
  }

  private checkApplies(action: ResolvedAction, item: RunnableItem | null): void {
    const label = action.spec.label ?? action.spec.id;
    if (item) {
      if (!appliesTo(action.spec, item)) {
        throw new RunError('invalid', `"${label}" does not apply to ${item.source} ${item.kind} items such as "${item.title}".`);
      }
    } else if (needsItem(action.spec)) {
      throw new RunError('invalid', `"${label}" runs on an item (a plan or stub); name one.`);
    }
  }

  private nextReady(projectId: string, action: ResolvedAction, count: number): RunnableItem[] {
    const snapshot = this.options.engine.snapshot();
    const busy = new Set(this.supervisor.activeRuns().map((r) => r.itemId));
    const candidates: RunnableItem[] = [
      ...snapshot.plans.filter((p) => p.projectId === projectId),
      ...snapshot.stubs.filter((s) => s.projectId === projectId).map((s) => ({ ...s, kind: 'stub' as const })),
    ];
    return candidates
      .filter((item) => READY_RANK[item.status] !== undefined && !busy.has(item.id) && appliesTo(action.spec, item))
      .sort((a, b) => (READY_RANK[a.status] ?? 9) - (READY_RANK[b.status] ?? 9) || a.id.localeCompare(b.id, undefined, { numeric: true }))
      .slice(0, Math.max(0, count));
  }

  private assertOpen(): void {
    if (this.closed) throw new RunError('failed', 'Vigil is shutting down; no new runs start.');
  }

  private scheduleLogSweep(afterMs: number): void {
    if (this.closed) return;
    this.sweepTimer = setTimeout(() => {
      this.sweepLogs()
        .catch((err: unknown) => this.report(new Error(`Could not delete old run logs in ${this.logDir}: ${(err as Error).message}`)))
        .finally(() => this.scheduleLogSweep(this.options.logSweep?.everyMs ?? 60 * 60 * 1000));
    }, afterMs);
    this.sweepTimer.unref();
  }

  private report(err: unknown): void {
    try {
      this.options.onError?.(err);
    } catch {
      // Reporting must not break runs.
    }
  }
}

function placeholderItem(item: RunnableItem): PlaceholderItem {
  return { id: item.id, path: item.path, title: item.title };
}

/** Record that the local user trusts `root`'s actions file as it is now. */
export async function trustProjectActions(config: ConfigStore, root: string, now: number): Promise<TrustedActionsFile & { count: number }> {
  const record = await trustRecordFor(root, now);
  await config.updateActions((current) => ({
    ...current,
    trusted: [...current.trusted.filter((t) => t.root !== record.root), { root: record.root, sha256: record.sha256, trustedAt: record.trustedAt }],
  }));
  return record;
}

/** Who a token-holding client is, as a run records it: the token's label, else its id. */
export function starterOf(grant: { id: string; label: string }): string {
  return grant.label.trim() !== '' ? grant.label : grant.id;
}

/** Take back the trust in `root`'s actions file (the demo does, when its workspace goes). */
export async function forgetProjectActionsTrust(config: ConfigStore, root: string): Promise<void> {
  await config.updateActions((current) => ({ ...current, trusted: current.trusted.filter((t) => t.root !== root) }));
}
