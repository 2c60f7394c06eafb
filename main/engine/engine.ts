// The engine: every project's live pipeline, the hub their events go through, and the
// time-based work of the heartbeat (health, throughput, staleness) and the drift sweep.
// `createEngine` returns it started: projects loaded, watchers ready, heartbeat running.
// Everything it starts — watchers, timers, log tails — `close()` stops.
import { realpath } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import type { Batch, Heartbeat, Health, Project, Run, Snapshot, Throughput } from '../../shared/model';
import type { DiscoveredProject, DomainEvent, LogMessage } from '../../shared/protocol';
import { transitionOf } from '../../shared/transition';
import { ADAPTERS } from '../sources/index';
import type { SourceAdapter } from '../sources/types';
import { HookHealth } from '../agents/hook-health';
import { AgentTracker } from '../agents/tracker';
import { ActivityLog } from './activity';
import type { AddProjectOptions, Closable, EngineApi, EngineHistory, LogSubscription } from './api';
import type { ConfigStore, ProjectEntry } from './config';
import { projectsToFollow } from './config-follow';
import { descriptorExhaustion, openFileLimit } from './descriptors';
import { discoverProjects } from './discover';
import { DEFAULT_DRIFT_SWEEP_MS, DriftTimer } from './drift';
import { EngineError } from './errors';
import { HealthMonitor, type HealthConditionDraft } from './health';
import { HeartbeatLoop } from './heartbeat';
import { Hub, type HubOptions } from './hub';
import { LiveProject, type ProjectTuning } from './live-project';
import { LogPaths, logProjectOf, resolveLog } from './log-paths';
import { LogTails } from './log-tails';
import { realProjectFolder, refusedRootReason, RefusedRootError } from './project-folder';
import { projectIdFor } from './project-id';
import { ProjectScope } from './scope';
import { TickInputs } from './tick-inputs';

export interface EngineOptions extends ProjectTuning {
  /** Projects given on the command line: watched, not persisted. */
  roots?: string[];
  /** Persisted projects and settings; projects added or removed through the engine are saved there. */
  config?: ConfigStore;
  /** Heartbeat interval (default: the setting, else 1000 ms). */
  heartbeatMs?: number;
  /** An in-progress item in a project quiet this long is stalled (default: the setting, else 30). */
  stallMinutes?: number;
  /** Drift sweep interval (default 30 s; 0 turns it off). */
  driftSweepMs?: number;
  /** A heartbeat tick whose work takes longer is a health warning (default 250 ms). */
  tickBudgetMs?: number;
  /** Start stopped (no heartbeat, no watching) — `setRunning(true)` starts it. Default true. */
  running?: boolean;
  /** The conventions to understand (default: all of them). */
  adapters?: readonly SourceAdapter[];
  hub?: HubOptions;
  /** The journal: seq, activity and resync survive a restart, and what changed meanwhile is published on start. */
  history?: EngineHistory;
  /** Wall clock (ms since epoch). */
  now?: () => number;
  /** Background errors nobody awaits (a watcher, a tick): the CLI prints them, the app logs them. */
  onError?: (err: unknown) => void;
}

export const DEFAULT_TICK_BUDGET_MS = 250;

/** What the snapshot shows of runs: those queued or running, and the batches going on. */
export interface RunsView {
  activeRuns(): Run[];
  activeBatches(): Batch[];
}

/** The conditions of a part that has none: one array, so an unchanged part is seen as unchanged. */
const NO_CONDITIONS: readonly HealthConditionDraft[] = [];

export class Engine implements EngineApi {
  readonly hub: Hub;
  readonly agents: AgentTracker;
  private readonly hookHealth: HookHealth;
  /** Which files clients may follow as logs; other modules register theirs (run logs). */
  readonly logPaths: LogPaths;
  private readonly projectsById = new Map<string, LiveProject>();
  private readonly activity = new ActivityLog();
  private readonly health: HealthMonitor;
  private readonly heartbeat: HeartbeatLoop;
  private readonly drift: DriftTimer;
  private readonly scope: ProjectScope;
  private readonly tails: LogTails;
  private readonly closables: Closable[] = [];
  private runsView: RunsView | null = null;
  private throughputValue: Throughput;
  /** What each tick reads from every project, kept between ticks (an idle tick allocates nothing per project). */
  private readonly tickInputs = new TickInputs();
  /** Health conditions others work out (alert channels failing), asked on every tick. */
  private readonly conditionSources = new Set<() => readonly HealthConditionDraft[]>();
  private extraParts: (readonly HealthConditionDraft[])[] = [];
  private extraConditions: readonly HealthConditionDraft[] = [];
  private stallMinutes: number;
  private runningValue: boolean;
  private closed = false;
  /** Projects given on the command line or added without saving (the demo): never closed because the config lacks them. */
  private readonly unlistedIds = new Set<string>();
  /** Config changes from other processes, applied one after another. */
  private following: Promise<void> = Promise.resolve();
  private readonly now: () => number;
  /** The open-file limit, named by the out-of-files health warning. */
  private readonly descriptorLimit = openFileLimit();

  constructor(private readonly options: EngineOptions) {
    this.now = options.now ?? Date.now;
    const history = options.history;
    this.hub = new Hub({
      onSinkError: (err) => this.reportError(err),
      now: this.now,
      ...(history ? { startSeq: history.lastSeq, archive: history } : {}),
      ...options.hub,
    });
    history?.attach(this);
    for (const transition of history?.seedTransitions(this.now()) ?? []) this.activity.record(transition);
    this.tails = new LogTails((err) => this.reportError(err));
    this.scope = new ProjectScope(options.adapters ?? ADAPTERS);
    this.logPaths = new LogPaths(this.scope);
    const settings = options.config?.settings();
    this.stallMinutes = options.stallMinutes ?? settings?.stallMinutes ?? 30;
    this.health = new HealthMonitor({ startedAt: this.now() });
    this.throughputValue = this.activity.throughput(this.now());
    this.runningValue = options.running ?? true;
    this.hookHealth = new HookHealth(options.config?.dir);
    this.agents = new AgentTracker({
      roots: () => [...this.projectsById.entries()].map(([id, live]) => ({ id, root: live.root })),
      itemIds: (projectId) => {
        const model = this.projectsById.get(projectId)?.model;
        return model ? [...model.plans().map((p) => p.id), ...model.workorders().map((w) => w.id)] : [];
      },
      projectName: (projectId) => this.projectsById.get(projectId)?.model.project().name,
      publish: (events) => this.publish(events),
      configDir: options.config?.dir,
      now: this.now,
      onError: (err) => this.reportError(err),
    });
    this.heartbeat = new HeartbeatLoop({
      intervalMs: options.heartbeatMs ?? settings?.heartbeatMs ?? 1000,
      work: () => this.tick(),
      now: this.now,
      onError: (err) => this.reportError(err),
    });
    this.drift = new DriftTimer(
      options.driftSweepMs ?? DEFAULT_DRIFT_SWEEP_MS,
      async () => {
        await this.sweepDrift();
      },
      (err) => this.reportError(err),
      // An interval someone chose is kept; the default one spaces out with the workspace's size.
      { adaptive: options.driftSweepMs === undefined },
    );
    if (options.config) {
      this.closables.push(
        options.config.onChange((change) => {
          if (change.what === 'projects') {
            // Another process changed the list: watch what it says now.
            if (change.external) {
              // Always towards the newest list (not this event's): events may queue up behind a slow open.
              this.following = this.following.then(() => this.followConfig(options.config?.projects() ?? [])).catch((err: unknown) => this.reportError(err));
            }
            return;
          }
          if (change.what !== 'settings') return;
          // Explicit options (tests, the command line) win over settings.
          if (options.heartbeatMs === undefined) this.heartbeat.setIntervalMs(change.settings.heartbeatMs);
          if (options.stallMinutes === undefined) this.stallMinutes = change.settings.stallMinutes;
        }),
      );
    }
  }

  /** Load every configured project and start the clocks. Called once by createEngine. */
  async start(): Promise<void> {
    const cpuAtStart = process.cpuUsage();
    const agentsWarning = await this.agents.load();
    if (agentsWarning) this.reportError(new Error(agentsWarning));
    const wanted = new Map<string, { root: string; paused: boolean }>();
    for (const entry of this.options.config?.projects() ?? []) {
      // A hand-edited config is no way around the check `project:add` makes.
      const refused = refusedRootReason(entry.root);
      if (refused) this.reportError(new RefusedRootError(`${refused} (listed in ${this.options.config?.dir ?? 'the config'}/projects.json; it is not watched)`));
      else wanted.set(entry.id, { root: entry.root, paused: entry.paused });
    }
    for (const given of this.options.roots ?? []) {
      const root = await realRoot(given);
      const refused = refusedRootReason(root);
      if (refused) throw new RefusedRootError(refused);
      const id = projectIdFor(root);
      this.unlistedIds.add(id);
      if (!wanted.has(id)) wanted.set(id, { root, paused: false });
    }
    await Promise.all(
      [...wanted].map(async ([id, { root, paused }]) => {
        const live = this.createLive(id, root);
        this.projectsById.set(id, live);
        await live.open({ paused, running: this.runningValue });
      }),
    );
    // What changed while Vigil was not running becomes news like any other change.
    const found = this.options.history?.foundOnStart() ?? [];
    this.publish(found.map((event) => ({ type: event.type, payload: event.payload, foundOnStart: true }) as DomainEvent));
    // Loading read and parsed what a sweep only lists and stats: its cost bounds the first sweep's.
    const loading = process.cpuUsage(cpuAtStart);
    this.drift.expectCost((loading.user + loading.system) / 1000);
    if (this.runningValue) this.startClocks();
  }

  get running(): boolean {
    return this.runningValue;
  }

  snapshot(): Snapshot {
    const lives = [...this.projectsById.values()];
    return {
      seq: this.hub.seq,
      running: this.runningValue,
      projects: lives.map((p) => p.model.project()),
      plans: lives.flatMap((p) => p.model.plans()),
      stubs: lives.flatMap((p) => p.model.stubs()),
      workorders: lives.flatMap((p) => p.model.workorders()),
      issues: lives.flatMap((p) => p.model.issues()),
      health: this.health.current(),
      throughput: this.throughputValue,
      activity: this.activity.recent(),
      heartbeat: this.heartbeat.latest,
      runs: this.runsView?.activeRuns() ?? [],
      batches: this.runsView?.activeBatches() ?? [],
      recentCompletions: this.options.history?.recentCompletions() ?? [],
      hourlyThroughput: this.options.history?.hourlyThroughput(this.now()) ?? [],
      agents: this.agents.list(),
    };
  }

  /** Show these runs in every snapshot (and so in every hello). One view at a time. */
  setRunsView(view: RunsView | null): void {
    this.runsView = view;
  }

  /**
   * Stamp and send events that are facts beside the model (runs, batches): they travel on the
   * same hub, so every client sees them in seq order with everything else.
   */
  publishEvents(events: DomainEvent[]): void {
    for (const event of events) {
      // Runs that ended on their own count in the failure rate beside the items.
      if (event.type === 'run:succeeded' || event.type === 'run:failed' || event.type === 'run:lost') {
        this.activity.recordRunEnd(event.payload.run.endedAt ?? this.now(), event.type !== 'run:succeeded');
      }
    }
    this.publish(events);
  }

  projects(): Project[] {
    return [...this.projectsById.values()].map((p) => p.model.project());
  }

  async addProject(root: string, options: AddProjectOptions = {}): Promise<Project> {
    this.assertOpen();
    let realRootPath: string;
    let paused = false;
    if (this.options.config && options.persist !== false) {
      const entry = await this.options.config.addProject(root, this.now());
      realRootPath = entry.root;
      paused = entry.paused;
    } else {
      realRootPath = await realProjectFolder(root);
      this.unlistedIds.add(projectIdFor(realRootPath));
    }
    const id = projectIdFor(realRootPath);
    const existing = this.projectsById.get(id);
    if (existing) return existing.model.project();
    const live = this.createLive(id, realRootPath);
    this.projectsById.set(id, live);
    await live.open({ paused, running: this.runningValue });
    if (this.closed) {
      await live.close();
      throw new EngineError('closed', 'The engine was closed while the project was being added');
    }
    this.publish(live.model.addedEvents());
    void this.agents.projectsChanged().catch((err: unknown) => this.reportError(err));
    return live.model.project();
  }

  async removeProject(projectId: string): Promise<void> {
    this.assertOpen();
    const live = this.projectsById.get(projectId);
    if (!live && !this.options.config?.project(projectId)) throw new EngineError('not_found', `No project with id ${projectId}`);
    await this.options.config?.removeProject(projectId);
    if (!live) return;
    await this.forgetProject(projectId);
  }

  /** Stop watching a project and tell clients it is gone (the config is the caller's business). */
  private async forgetProject(projectId: string): Promise<void> {
    const live = this.projectsById.get(projectId);
    if (!live) return;
    this.projectsById.delete(projectId);
    this.tails.closeProject(projectId);
    await live.close();
    this.activity.forgetProject(projectId);
    this.publish([{ type: 'project:removed', payload: { projectId } }]);
    void this.agents.projectsChanged().catch((err: unknown) => this.reportError(err));
  }

  async pauseProject(projectId: string, paused: boolean): Promise<void> {
    this.assertOpen();
    const live = this.requireProject(projectId);
    if (this.options.config?.project(projectId)) await this.options.config.setPaused(projectId, paused);
    await live.setPaused(paused);
  }

  async setRunning(running: boolean): Promise<void> {
    this.assertOpen();
    if (running === this.runningValue) return;
    this.runningValue = running;
    if (running) this.startClocks();
    else this.stopClocks();
    await Promise.all([...this.projectsById.values()].map((p) => p.setRunning(running)));
    this.publish([{ type: 'engine:state', payload: { running } }]);
  }

  async discover(folder: string): Promise<DiscoveredProject[]> {
    const registeredRoots = [...this.projectsById.values()].map((p) => p.root);
    return discoverProjects(folder, { registeredRoots, adapters: this.options.adapters ?? ADAPTERS });
  }

  async refresh(projectId?: string): Promise<void> {
    this.assertOpen();
    const targets = projectId === undefined ? [...this.projectsById.values()] : [this.requireProject(projectId)];
    await Promise.all(targets.map((p) => p.refresh()));
  }

  /**
   * Add conditions to health, read on every heartbeat. The source returns the same array
   * while nothing changed, so an unchanged health costs nothing.
   */
  addConditionSource(source: () => readonly HealthConditionDraft[]): Closable {
    this.conditionSources.add(source);
    return { close: () => this.conditionSources.delete(source) };
  }

  onHeartbeat(listener: (beat: Heartbeat) => void): Closable {
    return this.heartbeat.onBeat(listener);
  }

  async subscribeLog(projectId: string, relPath: string, listener: (msg: LogMessage) => void): Promise<LogSubscription> {
    this.assertOpen();
    const live = this.requireProject(projectId);
    const { rootReal, rel } = await resolveLog(this.logPaths, logProjectOf(live), relPath);
    return this.tails.subscribe(projectId, rootReal, rel, relPath, listener);
  }

  /** Open, close, pause and resume projects so that what is watched matches the config file again. */
  private async followConfig(entries: ProjectEntry[]): Promise<void> {
    if (this.closed) return;
    const watched = [...this.projectsById.values()].map((live) => ({ id: live.id, paused: live.isPaused }));
    const { open, close, pause } = projectsToFollow(watched, entries, this.unlistedIds);
    for (const entry of open) {
      if (this.closed || this.projectsById.has(entry.id)) continue;
      const refused = refusedRootReason(entry.root);
      if (refused) {
        this.reportError(new RefusedRootError(`${refused} (added to projects.json by another process; it is not watched)`));
        continue;
      }
      const live = this.createLive(entry.id, entry.root);
      this.projectsById.set(entry.id, live);
      await live.open({ paused: entry.paused, running: this.runningValue });
      if (this.closed) return live.close();
      this.publish(live.model.addedEvents());
    }
    for (const id of close) {
      if (this.closed) return;
      if (this.projectsById.has(id)) await this.forgetProject(id);
    }
    for (const { id, paused } of pause) await this.projectsById.get(id)?.setPaused(paused);
  }

  /** Run the drift sweep now over every project; returns the repairs made. */
  async sweepDrift(): Promise<number> {
    const counts = await Promise.all([...this.projectsById.values()].map((p) => p.sweepDrift()));
    return counts.reduce((a, b) => a + b, 0);
  }

  /** Drift repairs per project since start (for diagnostics and tests). */
  driftRepairs(projectId: string): number {
    return this.projectsById.get(projectId)?.repairs.total ?? 0;
  }

  /** Resolves once no file work is queued in any project (tests; `vigil watch` before exit). */
  async whenIdle(): Promise<void> {
    await Promise.all([...this.projectsById.values()].map((p) => p.whenIdle()));
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.following;
    this.heartbeat.close();
    await this.drift.close();
    for (const d of this.closables.splice(0)) d.close();
    await this.agents.close();
    this.tails.close();
    await Promise.all([...this.projectsById.values()].map((p) => p.close()));
    this.hub.close();
  }

  // ---- internals ----

  private createLive(id: string, root: string): LiveProject {
    const o = this.options;
    return new LiveProject({
      id,
      root,
      name: basename(root) || root,
      scope: this.scope,
      publish: (events) => this.publish(events),
      onFileEvent: (rel) => this.tails.poke(id, rel),
      quietMs: o.quietMs,
      maxWaitMs: o.maxWaitMs,
      issueQuietMs: o.issueQuietMs,
      maxFileBytes: o.maxFileBytes,
      missingPollMs: o.missingPollMs,
      usePolling: o.usePolling,
      pollIntervalMs: o.pollIntervalMs,
      now: this.now,
      onError: (err) => this.reportError(err),
    });
  }

  private publish(events: DomainEvent[]): void {
    if (this.closed || events.length === 0) return;
    // The feed records what the hub stamped: the same time as the event, and its seq.
    for (const event of this.hub.publish(events)) {
      if (event.type !== 'item:status') continue;
      this.activity.record(transitionOf(event));
    }
  }

  /**
   * The time-based work of one heartbeat: health, throughput, staleness. O(projects): what it
   * reads per project (in-progress items, issues, newest activity) is kept up to date where
   * files are applied, never gathered here from every item or file.
   */
  private tick(): void {
    const now = this.now();
    const inputs = this.tickInputs;
    inputs.update(this.projectsById, now);
    const hookProjects = inputs.hookProjects;
    const lastBeat = this.heartbeat.latest;
    this.hookHealth.refreshIfDue(hookProjects, now, (err) => this.reportError(err));
    const extraParts = [
      this.agents.tick(now, this.stallMinutes),
      this.hookHealth.conditions(hookProjects, this.agents.hookActivity(), now, this.stallMinutes),
      this.options.history?.conditions() ?? NO_CONDITIONS,
    ];
    // A loop, not a copy of the set and a map over it: V8 threw the optimized tick away at that
    // map ("wrong map") and compiled it again later, 50-60 ms of a core each time, while idle.
    for (const source of this.conditionSources) extraParts.push(source());
    if (!sameParts(extraParts, this.extraParts)) {
      this.extraParts = extraParts;
      this.extraConditions = extraParts.flat();
    }
    const { health, changed } = this.health.evaluate({
      extra: this.extraConditions,
      now,
      projects: inputs.projects,
      issues: inputs.issues,
      failureRate: this.activity.failureRate(now),
      lastTickLatencyMs: lastBeat ? lastBeat.latencyMs : null,
      tickBudgetMs: this.options.tickBudgetMs ?? DEFAULT_TICK_BUDGET_MS,
      stallMinutes: this.stallMinutes,
      descriptors: { exhaustedAt: descriptorExhaustion().lastAt, limit: this.descriptorLimit },
    });
    const events: DomainEvent[] = [];
    if (changed) events.push({ type: 'health:changed', payload: { health: cloneHealth(health) } });
    const throughput = this.activity.throughput(now);
    if (!sameThroughput(throughput, this.throughputValue)) {
      this.throughputValue = throughput;
      events.push({ type: 'throughput:changed', payload: { throughput } });
    }
    this.publish(events);
  }

  private startClocks(): void {
    this.heartbeat.start();
    this.drift.start();
  }

  private stopClocks(): void {
    this.heartbeat.stop();
    this.drift.stop();
  }

  private requireProject(projectId: string): LiveProject {
    const live = this.projectsById.get(projectId);
    if (!live) throw new EngineError('not_found', `No project with id ${projectId}; list projects to see the ids`);
    return live;
  }

  private assertOpen(): void {
    if (this.closed) throw new EngineError('closed', 'The engine is closed');
  }

  private reportError(err: unknown): void {
    try {
      this.options.onError?.(err);
    } catch {
      // An error reporter that throws must not take the engine down.
    }
  }
}

/** Create an engine, load its projects, arm its watchers and start its heartbeat. */
export async function createEngine(options: EngineOptions = {}): Promise<Engine> {
  if (options.config) await options.config.load();
  const engine = new Engine(options);
  try {
    await engine.start();
  } catch (err) {
    await engine.close();
    throw err;
  }
  return engine;
}

/** The real path of a folder given on the command line; a missing one is kept as given (it shows as missing). */
async function realRoot(root: string): Promise<string> {
  const absolute = resolve(root);
  return realpath(absolute).catch(() => absolute);
}

function sameParts<T>(a: readonly T[], b: readonly T[]): boolean {
  return a.length === b.length && a.every((part, i) => part === b[i]);
}

function sameThroughput(a: Throughput, b: Throughput): boolean {
  return a.finishedLastHour === b.finishedLastHour && a.failedLastHour === b.failedLastHour && a.meanCycleMs === b.meanCycleMs;
}

function cloneHealth(health: Health): Health {
  return { ...health, conditions: health.conditions.map((c) => ({ ...c })) };
}
