// The run supervisor: queues runs, starts each as its own process group, writes its output
// to its log, stops it on cancel or timeout (SIGTERM to the group, SIGKILL after a grace
// period), and turns its exit into an outcome. Every change of a run is saved to the journal
// and published as an event, in this order: queued → started → succeeded | failed |
// cancelled | lost. Runs that were going when Vigil died are found on the next start and
// checked: still alive, they are watched until they end; gone, they are marked lost.
import { randomBytes } from 'node:crypto';
import { constants } from 'node:os';
import { join } from 'node:path';
import type { DomainEvent } from '../../shared/protocol';
import type { Closable } from '../engine/api';
import { isActiveRunState, type Run, type RunState } from '../../shared/model';
import { commandLineFor, displayCommand, type PlaceholderItem } from './argv';
import type { ResolvedAction } from './catalog';
import { childEnv } from './child-env';
import type { RunJournal } from './journal';
import { groupAlive, processStartTime, runStillAlive, signalGroup, spawnGroup, type GroupChild } from './process-group';
import { RunError } from './run-error';
import { RunQueue, type QueueEntry } from './run-queue';
import { LineSplitter, RunLog } from './run-log';
import { readStreamJsonLine, totalTokens } from './stream-json';
import { prepareWorkdir } from './workdir';

export interface RunLimits {
  /** Runs at once across all projects (default 4). */
  global: number;
  /** Runs at once in one project, outside batches (default 1). */
  perProject: number;
}

export const DEFAULT_RUN_LIMITS: RunLimits = { global: 4, perProject: 1 };
/** Runs that may wait at once: a client that floods run:start gets a refusal, not an endless queue. */
export const MAX_QUEUED_RUNS = 500;

/** What to run: a resolved action on a project (and maybe an item), and who asked. */
export interface RunRequest {
  projectId: string;
  root: string;
  action: ResolvedAction;
  item: PlaceholderItem | null;
  startedBy: string;
  attempt?: number;
  retryOf?: string | null;
  batchId?: string | null;
  /** A batch runs in its own lane with its own concurrency; other runs share their project's. */
  lane?: { key: string; limit: number };
}

export interface SupervisorOptions {
  /** `<config>/runs`: one log per run. */
  logDir: string;
  /** `<config>/worktrees`: worktrees for `cwd: worktree` actions. */
  worktreesDir: string;
  journal: RunJournal;
  /** Where events go (the engine's hub). */
  publish: (events: DomainEvent[]) => void;
  limits?: Partial<RunLimits>;
  /** From SIGTERM to SIGKILL (default 5 s). */
  killGraceMs?: number;
  /** After the leader exits, how long its output may take to drain before the pipes are cut (default 2 s). */
  drainMs?: number;
  /** How often a run adopted after a restart is checked for being alive (default 2 s). */
  adoptPollMs?: number;
  /** The environment runs start from (default process.env). */
  env?: NodeJS.ProcessEnv;
  /** Told when a run's log is opened, written to (whole lines, once they are in the file) and complete. */
  logFeed?: { started(run: Run): void; written(runId: string, text: string): void; ended(runId: string): void };
  now?: () => number;
  onError?: (err: unknown) => void;
}

/** A run that ended, and the run that retries it automatically, if any. */
export type FinishListener = (run: Run, retry: Run | null) => void;

interface Active {
  run: Run;
  request: RunRequest;
  lane: QueueEntry;
  child: GroupChild | null;
  log: RunLog | null;
  cancelledBy: string | null;
  timedOut: boolean;
  /** Counted against the limits (it began, or was adopted); a queued run is not. */
  counted: boolean;
  timers: NodeJS.Timeout[];
  /** Resolves once the run has finished and been published. */
  done: Promise<void>;
  markDone: () => void;
}

const RECENT_KEPT = 200;

export function newRunId(now: number): string {
  return `r_${now.toString(36)}${randomBytes(5).toString('hex')}`;
}

/** 128 + the signal's number, as a shell reports a process a signal ended. */
function signalExitCode(signal: NodeJS.Signals | null): number | null {
  if (!signal) return null;
  const n = (constants.signals as Record<string, number>)[signal];
  return n === undefined ? null : 128 + n;
}

const clone = (run: Run): Run => structuredClone(run);

export class RunSupervisor {
  private readonly active = new Map<string, Active>();
  private readonly recent: Run[] = [];
  private readonly queue = new RunQueue();
  private readonly laneRunning = new Map<string, number>();
  private runningCount = 0;
  private readonly finishListeners = new Set<FinishListener>();
  private readonly reapers = new Set<NodeJS.Timeout>();
  private lastPositions = new Map<string, number>();
  private readonly limits: RunLimits;
  private readonly now: () => number;
  private closed = false;

  constructor(private readonly options: SupervisorOptions) {
    this.limits = { ...DEFAULT_RUN_LIMITS, ...options.limits };
    this.now = options.now ?? Date.now;
  }

  setLimits(limits: Partial<RunLimits>): void {
    Object.assign(this.limits, limits);
    this.pump();
  }

  /** Runs queued or running now, oldest first. */
  activeRuns(): Run[] {
    return [...this.active.values()].map((a) => clone(a.run)).sort((a, b) => a.queuedAt - b.queuedAt);
  }

  /** Runs that ended since this process started (newest first, at most 200). */
  recentRuns(): Run[] {
    return this.recent.map(clone);
  }

  get(runId: string): Run | null {
    const found = this.active.get(runId)?.run ?? this.recent.find((r) => r.id === runId);
    return found ? clone(found) : null;
  }

  queueLength(): number {
    return this.queue.length;
  }

  onFinished(listener: FinishListener): Closable {
    this.finishListeners.add(listener);
    return { close: () => this.finishListeners.delete(listener) };
  }

  /** Check that `request` can make a command line (placeholders, template) without starting it. */
  check(request: RunRequest): void {
    try {
      commandLineFor(request.action.spec, { root: request.root, item: request.item });
    } catch (err) {
      throw new RunError('invalid', (err as Error).message);
    }
  }

  /** Queue a run; it starts as soon as the limits allow (maybe at once). */
  enqueue(request: RunRequest): Run {
    if (this.closed) throw new RunError('failed', 'Vigil is shutting down; no new runs start.');
    if (this.queue.length >= MAX_QUEUED_RUNS) {
      throw new RunError('failed', `${MAX_QUEUED_RUNS} runs are already waiting; cancel some, or wait for them to start, before queueing more.`);
    }
    this.check(request);
    const now = this.now();
    const id = newRunId(now);
    const spec = request.action.spec;
    const run: Run = {
      id,
      projectId: request.projectId,
      action: spec.id,
      actionLabel: spec.label ?? spec.id,
      actionOrigin: request.action.origin,
      itemId: request.item?.id ?? null,
      itemTitle: request.item?.title ?? null,
      state: 'queued',
      position: null,
      attempt: request.attempt ?? 1,
      retryOf: request.retryOf ?? null,
      batchId: request.batchId ?? null,
      startedBy: request.startedBy,
      queuedAt: now,
      startedAt: null,
      endedAt: null,
      exitCode: null,
      willRetry: false,
      reason: null,
      tokens: null,
      costUsd: null,
      lastMessage: null,
      lastOutputAt: null,
      pid: null,
      pidStartTime: null,
      cwd: null,
      branch: null,
      logPath: join(this.options.logDir, `${id}.log`),
    };
    const laneKey = request.lane?.key ?? `project:${request.projectId}`;
    const lane: QueueEntry = { runId: id, lane: laneKey, laneLimit: request.lane?.limit ?? this.limits.perProject };
    let markDone: () => void = () => undefined;
    const done = new Promise<void>((resolve) => {
      markDone = resolve;
    });
    this.active.set(id, { run, request, lane, child: null, log: null, cancelledBy: null, timedOut: false, counted: false, timers: [], done, markDone });
    this.queue.push(lane);
    run.position = this.queue.positions().get(id) ?? null;
    this.lastPositions.set(id, run.position ?? 0);
    this.options.journal.save(run);
    this.publish([{ type: 'run:queued', payload: { run: clone(run) } }]);
    this.pump();
    return clone(this.active.get(id)?.run ?? run);
  }

  /** Cancel a queued run at once, or stop a running one (SIGTERM, then SIGKILL after the grace period). */
  cancel(runId: string, by: string): Run {
    const entry = this.active.get(runId);
    if (!entry) {
      const ended = this.get(runId);
      if (ended) throw new RunError('invalid', `Run ${runId} already ended (${ended.state}).`);
      throw new RunError('not_found', `No active run has the id ${runId}.`);
    }
    if (entry.cancelledBy !== null) return clone(entry.run);
    entry.cancelledBy = by;
    if (entry.run.state === 'queued') {
      this.queue.remove(runId);
      entry.run.reason = `Cancelled by ${by} while queued.`;
      this.settle(entry, 'cancelled', null);
      this.publishPositions();
      this.pump();
      return clone(entry.run);
    }
    entry.log?.note(`cancelled by ${by}; stopping its processes`);
    this.terminate(entry);
    return clone(entry.run);
  }

  /** Resolves when the run is over (at once for an unknown or ended run). */
  async whenDone(runId: string): Promise<Run | null> {
    await this.active.get(runId)?.done;
    return this.get(runId);
  }

  /**
   * Find runs the journal says were queued or running when Vigil last stopped. A queued one
   * never started: lost. A running one is checked: if its processes are gone it is lost; if
   * they still run it is watched until they end (and can be cancelled meanwhile).
   */
  async recover(): Promise<Run[]> {
    const found = await this.options.journal.unfinished();
    const out: Run[] = [];
    for (const stale of found) {
      if (this.active.has(stale.id)) continue;
      const alive = stale.state === 'running' && stale.pid !== null && (await runStillAlive(stale.pid, stale.pidStartTime));
      if (alive) {
        this.adopt(stale);
      } else {
        const reason =
          stale.state === 'queued'
            ? 'It was queued when Vigil stopped and never started; retry it to run it.'
            : 'It was running when Vigil stopped, and its processes are gone; its exit code and any output after that are unknown.';
        this.markLost(stale, reason);
      }
      out.push(this.get(stale.id) ?? stale);
    }
    return out;
  }

  /** Stop every run (they are cancelled: Vigil is shutting down) and wait for them to end. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const waits: Promise<void>[] = [];
    for (const entry of [...this.active.values()]) {
      waits.push(entry.done);
      if (entry.cancelledBy === null) {
        try {
          this.cancel(entry.run.id, 'Vigil shutting down');
        } catch {
          // Ended meanwhile.
        }
      }
    }
    await Promise.all(waits);
    for (const timer of this.reapers) {
      clearTimeout(timer);
    }
    this.reapers.clear();
    this.finishListeners.clear();
  }

  // ---- starting ----

  private pump(): void {
    if (this.closed && this.queue.length === 0) return;
    const room = Math.max(0, this.limits.global - this.runningCount);
    const startable = room > 0 ? this.queue.takeStartable(this.laneRunning, room) : [];
    for (const lane of startable) {
      const entry = this.active.get(lane.runId);
      if (entry) this.begin(entry);
    }
    if (startable.length > 0) this.publishPositions();
  }

  private countIn(entry: Active, delta: 1 | -1): void {
    entry.counted = delta === 1;
    this.runningCount += delta;
    const lane = entry.lane.lane;
    const next = (this.laneRunning.get(lane) ?? 0) + delta;
    if (next <= 0) this.laneRunning.delete(lane);
    else this.laneRunning.set(lane, next);
  }

  private begin(entry: Active): void {
    this.countIn(entry, 1);
    entry.run.position = null;
    this.lastPositions.delete(entry.run.id);
    void this.launch(entry).catch((err: unknown) => {
      this.report(err);
      if (isActiveRunState(entry.run.state)) {
        entry.run.reason = `Vigil could not start it: ${err instanceof Error ? err.message : String(err)}`;
        void this.finishWithoutProcess(entry);
      }
    });
  }

  private async launch(entry: Active): Promise<void> {
    const { run, request } = entry;
    const spec = request.action.spec;
    const feed = this.options.logFeed;
    feed?.started(run);
    entry.log = await RunLog.open(run.logPath, {
      now: this.now,
      onWritten: feed ? (text) => feed.written(run.id, text) : undefined,
      onError: (err) => this.report(err),
    });
    const log = entry.log;
    let line;
    let env;
    try {
      const workdir = await prepareWorkdir({
        root: request.root,
        mode: spec.cwd ?? 'root',
        runId: run.id,
        projectId: run.projectId,
        name: request.item?.id ?? spec.id,
        worktreesDir: this.options.worktreesDir,
      });
      run.cwd = workdir.cwd;
      run.branch = workdir.branch;
      line = commandLineFor(spec, { root: workdir.cwd, item: request.item });
      env = childEnv(this.options.env ?? process.env, { runId: run.id, attempt: run.attempt, projectRoot: request.root, itemId: run.itemId }, spec.env);
    } catch (err) {
      run.reason = (err as Error).message;
      log.note(`could not start: ${run.reason}`);
      await this.finishWithoutProcess(entry);
      return;
    }
    if (entry.cancelledBy !== null) {
      run.reason = `Cancelled by ${entry.cancelledBy} before it started.`;
      log.note(run.reason);
      await this.finishWithoutProcess(entry);
      return;
    }
    const what = run.itemId ? `"${run.actionLabel}" on ${run.itemId}` : `"${run.actionLabel}"`;
    log.note(`run ${run.id}: ${what}, attempt ${run.attempt}, started by ${run.startedBy}`);
    log.note(`$ ${displayCommand(line)}`);
    log.note(`in ${run.cwd}${run.branch ? ` (branch ${run.branch})` : ''}`);

    const child = spawnGroup(line, run.cwd as string, env);
    entry.child = child;
    const stdout = new LineSplitter((text) => this.onOutput(entry, text, true));
    const stderr = new LineSplitter((text) => this.onOutput(entry, text, false));
    child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
    let closed = false;
    const closedPromise = new Promise<void>((resolve) =>
      child.once('close', () => {
        closed = true;
        resolve();
      }),
    );

    const outcome = await new Promise<{ code: number | null; signal: NodeJS.Signals | null; spawnError: Error | null }>((resolve) => {
      child.once('spawn', () => void this.started(entry, child.pid as number));
      child.once('error', (err) => {
        // An error after the spawn (a failed kill) is not the end of the run.
        if (child.pid === undefined) resolve({ code: null, signal: null, spawnError: err });
      });
      child.once('exit', (code, signal) => resolve({ code, signal, spawnError: null }));
    });

    if (outcome.spawnError) {
      const missing = (outcome.spawnError as NodeJS.ErrnoException).code === 'ENOENT';
      run.reason = missing
        ? `${line.file} was not found (not installed, or not on PATH for Vigil); install it or change the action "${spec.id}".`
        : `${line.file} could not be started: ${outcome.spawnError.message}`;
      log.note(run.reason);
      // What a shell reports for a command it cannot run.
      await this.finish(entry, missing ? 127 : 126, false);
      return;
    }

    // The leader is gone; what it printed last may still be in the pipes. A grandchild that
    // keeps them open does not get to hold the run open: the pipes are cut after drainMs.
    await Promise.race([closedPromise, this.delay(entry, this.options.drainMs ?? 2000)]);
    if (!closed) {
      child.stdout.destroy();
      child.stderr.destroy();
    }
    stdout.end();
    stderr.end();
    const pid = child.pid as number;
    if (groupAlive(pid)) {
      log.note('the agent exited and left processes behind; stopping them');
      this.reap(pid);
    }
    await this.finish(entry, outcome.code ?? signalExitCode(outcome.signal), true);
  }

  private async started(entry: Active, pid: number): Promise<void> {
    const { run, request } = entry;
    run.state = 'running';
    run.startedAt = this.now();
    run.pid = pid;
    const timeoutMs = request.action.spec.timeoutMs;
    if (timeoutMs !== undefined) {
      entry.timers.push(
        this.timer(() => {
          if (entry.run.state !== 'running' || entry.cancelledBy !== null) return;
          entry.timedOut = true;
          entry.log?.note(`timed out after ${timeoutMs} ms; stopping its processes`);
          this.terminate(entry);
        }, timeoutMs),
      );
    }
    this.options.journal.save(run);
    this.publish([
      { type: 'run:started', payload: { run: clone(run) } },
      { type: 'command:start', payload: this.commandRef(run) },
    ]);
    // Kept so a restart can tell this run's leader from another process given the same pid later.
    run.pidStartTime = await processStartTime(pid);
    if (run.state === 'running') this.options.journal.save(run);
  }

  private onOutput(entry: Active, text: string, stdout: boolean): void {
    const { run } = entry;
    entry.log?.line(text);
    run.lastOutputAt = this.now();
    if (!stdout) return;
    const facts = readStreamJsonLine(text);
    if (!facts) return;
    if (facts.usage) {
      run.tokens = facts.usage.tokens;
      run.costUsd = facts.usage.costUsd;
    }
    if (facts.progress) {
      run.lastMessage = facts.progress;
      this.publish([{ type: 'command:progress', payload: { ...this.commandRef(run), message: facts.progress } }]);
    }
  }

  // ---- stopping ----

  private terminate(entry: Active): void {
    const pid = entry.child?.pid ?? entry.run.pid;
    if (pid === undefined || pid === null) return;
    if (!signalGroup(pid, 'SIGTERM')) return;
    const grace = this.options.killGraceMs ?? 5000;
    entry.timers.push(
      this.timer(() => {
        if (!groupAlive(pid)) return;
        entry.log?.note(`still running ${grace} ms after SIGTERM; sending SIGKILL`);
        signalGroup(pid, 'SIGKILL');
      }, grace),
    );
  }

  /** Stop what is left of a group whose leader exited: SIGTERM now, SIGKILL after the grace period. */
  private reap(pid: number): void {
    signalGroup(pid, 'SIGTERM');
    const timer = setTimeout(() => {
      this.reapers.delete(timer);
      if (groupAlive(pid)) signalGroup(pid, 'SIGKILL');
    }, this.options.killGraceMs ?? 5000);
    timer.unref();
    this.reapers.add(timer);
  }

  // ---- ending ----

  /** The run's process ended with `exitCode` (null: unknown). */
  private async finish(entry: Active, exitCode: number | null, ran: boolean): Promise<void> {
    const { run } = entry;
    const spec = entry.request.action.spec;
    const endedAt = this.now();
    let state: RunState;
    if (entry.cancelledBy !== null) {
      state = 'cancelled';
      run.reason ??= `Cancelled by ${entry.cancelledBy}.`;
    } else if (entry.timedOut) {
      state = 'failed';
      run.reason = `Timed out after ${spec.timeoutMs} ms.`;
    } else if (exitCode === 0) {
      state = 'succeeded';
    } else {
      state = 'failed';
      run.reason ??= exitCode === null ? 'It ended without an exit code.' : `It exited with code ${exitCode}.`;
    }
    run.exitCode = exitCode;
    if (ran && exitCode !== null && entry.log) entry.log.complete(exitCode, endedAt - (run.startedAt ?? endedAt));
    await entry.log?.close();
    this.options.logFeed?.ended(run.id);
    run.endedAt = endedAt;
    this.settle(entry, state, exitCode);
  }

  /** A run that never got a process (its folder, its template or a cancel stopped it first). */
  private async finishWithoutProcess(entry: Active): Promise<void> {
    await entry.log?.close();
    if (entry.log) this.options.logFeed?.ended(entry.run.id);
    this.settle(entry, entry.cancelledBy !== null ? 'cancelled' : 'failed', null);
  }

  private settle(entry: Active, state: RunState, exitCode: number | null): void {
    const { run, request } = entry;
    if (!this.active.has(run.id)) return;
    for (const timer of entry.timers) clearTimeout(timer);
    entry.timers = [];
    const wasRunning = run.startedAt !== null;
    run.state = state;
    run.exitCode = exitCode;
    run.endedAt ??= this.now();
    run.position = null;
    run.pid = null;
    const retries = request.action.spec.retries ?? 0;
    run.willRetry = state === 'failed' && !this.closed && run.attempt <= retries;
    this.active.delete(run.id);
    this.lastPositions.delete(run.id);
    if (entry.counted) this.countIn(entry, -1);
    this.remember(run);
    this.options.journal.save(run);
    const events: DomainEvent[] = [{ type: `run:${state}` as 'run:failed', payload: { run: clone(run) } }];
    if (wasRunning) {
      const duration = run.startedAt === null ? null : (run.endedAt ?? this.now()) - run.startedAt;
      events.push({ type: 'command:end', payload: { ...this.commandRef(run), status: state, metrics: { duration_ms: duration, tokens: totalTokens(run.tokens) } } });
    }
    this.publish(events);
    let retry: Run | null = null;
    if (run.willRetry) {
      try {
        retry = this.enqueue({ ...request, attempt: run.attempt + 1, retryOf: run.id });
      } catch (err) {
        this.report(err);
      }
    }
    entry.markDone();
    for (const listener of [...this.finishListeners]) {
      try {
        listener(clone(run), retry);
      } catch (err) {
        this.report(err);
      }
    }
    this.pump();
  }

  private adopt(stale: Run): void {
    const run = clone(stale);
    const lane: QueueEntry = { runId: run.id, lane: run.batchId ? `batch:${run.batchId}` : `project:${run.projectId}`, laneLimit: this.limits.perProject };
    let markDone: () => void = () => undefined;
    const done = new Promise<void>((resolve) => {
      markDone = resolve;
    });
    const placeholder: ResolvedAction = { spec: { id: run.action, label: run.actionLabel, argv: ['?'] }, origin: run.actionOrigin };
    const entry: Active = {
      run,
      request: { projectId: run.projectId, root: run.cwd ?? '', action: placeholder, item: null, startedBy: run.startedBy },
      lane,
      child: null,
      log: null,
      cancelledBy: null,
      timedOut: false,
      counted: false,
      timers: [],
      done,
      markDone,
    };
    this.active.set(run.id, entry);
    this.countIn(entry, 1);
    const pid = run.pid as number;
    const poll = (): void => {
      if (!this.active.has(run.id)) return;
      void runStillAlive(pid, run.pidStartTime).then((alive) => {
        if (!this.active.has(run.id)) return;
        if (alive) {
          entry.timers.push(this.timer(poll, this.options.adoptPollMs ?? 2000));
          return;
        }
        run.reason =
          entry.cancelledBy !== null
            ? `Cancelled by ${entry.cancelledBy} after Vigil restarted; its exit code is unknown.`
            : 'It was running when Vigil stopped and has ended since; its exit code and the output after the restart are unknown.';
        void RunLog.open(run.logPath, { now: this.now })
          .then(async (log) => {
            log.note(`lost: ${run.reason}`);
            await log.close();
          })
          .catch(() => undefined)
          .finally(() => this.settle(entry, entry.cancelledBy !== null ? 'cancelled' : 'lost', null));
      });
    };
    entry.timers.push(this.timer(poll, this.options.adoptPollMs ?? 2000));
  }

  private markLost(stale: Run, reason: string): void {
    const run = clone(stale);
    run.state = 'lost';
    run.reason = reason;
    run.endedAt = this.now();
    run.position = null;
    run.pid = null;
    this.remember(run);
    this.options.journal.save(run);
    this.publish([{ type: 'run:lost', payload: { run: clone(run) } }]);
    // A note in the log for whoever opens it; a run that never started has no log to note in.
    if (stale.state === 'running') {
      void RunLog.open(run.logPath, { now: this.now })
        .then(async (log) => {
          log.note(`lost: ${reason}`);
          await log.close();
        })
        .catch((err: unknown) => this.report(err));
    }
  }

  // ---- bookkeeping ----

  private remember(run: Run): void {
    this.recent.unshift(clone(run));
    if (this.recent.length > RECENT_KEPT) this.recent.length = RECENT_KEPT;
  }

  private publishPositions(): void {
    const positions = this.queue.positions();
    const moved = new Map<string, { runId: string; position: number }[]>();
    for (const [runId, position] of positions) {
      if (this.lastPositions.get(runId) === position) continue;
      this.lastPositions.set(runId, position);
      const entry = this.active.get(runId);
      if (!entry) continue;
      entry.run.position = position;
      const list = moved.get(entry.run.projectId) ?? [];
      list.push({ runId, position });
      moved.set(entry.run.projectId, list);
    }
    const events: DomainEvent[] = [...moved].map(([projectId, list]) => ({ type: 'run:position', payload: { projectId, positions: list } }));
    this.publish(events);
  }

  private commandRef(run: Run): { projectId: string; batch_id: string | null; story_key: string | null; command: string; task_id: string } {
    return { projectId: run.projectId, batch_id: run.batchId, story_key: run.itemId, command: run.action, task_id: run.id };
  }

  private publish(events: DomainEvent[]): void {
    if (events.length === 0) return;
    try {
      this.options.publish(events);
    } catch (err) {
      this.report(err);
    }
  }

  private timer(fn: () => void, ms: number): NodeJS.Timeout {
    const timer = setTimeout(fn, ms);
    return timer;
  }

  private delay(entry: Active, ms: number): Promise<void> {
    return new Promise((resolve) => entry.timers.push(this.timer(resolve, ms)));
  }

  private report(err: unknown): void {
    try {
      this.options.onError?.(err);
    } catch {
      // A reporter that throws must not take runs down.
    }
  }
}
