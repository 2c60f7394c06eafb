// One project's live pipeline (docs/architecture.md, the data path): watcher → coalescer → read →
// parse → model → events. It also owns what happens around it: the first load, a root that
// disappears and comes back, pausing, refreshing and the drift sweep. Everything it holds (watcher,
// timers, coalescer) is released by close().
import { stat } from 'node:fs/promises';
import type { ParseIssue, ProjectState } from '../../shared/model';
import type { DomainEvent } from '../../shared/protocol';
import { ApplyBatcher } from './apply-batcher';
import { Coalescer, DEFAULT_MAX_WAIT_MS, DEFAULT_QUIET_MS, type ProcessContext, type ProcessOutcome } from './coalescer';
import { findDrift, RepairCounter } from './drift';
import {
  changeFor,
  DEFAULT_MAX_FILE_BYTES,
  listOwnedFiles,
  loadProjectFiles,
  loadProjectFilesInSlices,
  parseWith,
  readFiles,
  readProjectFile,
  readProjectFileSync,
  type FileRead,
  type FileSignature,
  type LoadedFile,
} from './loader';
import { lastTextOf, WritesInProgress, type LastText, type TextEnding } from './mid-write';
import { ProjectModel, type FileChange } from './project-model';
import type { ProjectScope } from './scope';
import { ProjectWatcher } from './watcher';

/** How long a file must be quiet before its parse issues are shown (it may be half-written until then). */
export const DEFAULT_ISSUE_QUIET_MS = 300;
/** How often a missing project root is checked for. */
export const DEFAULT_MISSING_POLL_MS = 1000;
/** A read that found no descriptor free is tried again after this, doubling up to the max. */
const BUSY_RETRY_FIRST_MS = 25;
const BUSY_RETRY_MAX_MS = 2000;
/** Watch-stat changes are announced once this long after the last one. */
const STATS_SETTLE_MS = 100;

/** How a project is watched and read: the engine passes its own options through to each project. */
export interface ProjectTuning {
  /** Coalescer trailing quiet window per file (default DEFAULT_QUIET_MS, 1 ms). */
  quietMs?: number;
  /** Coalescer max wait from a file's first pending event (default 100 ms). */
  maxWaitMs?: number;
  /** How long a file must be quiet before its parse issues are shown (default 300 ms). */
  issueQuietMs?: number;
  /** Files over this are reported, not read (default 4 MiB). */
  maxFileBytes?: number;
  /** How often a missing project root is checked for (default 1 s). */
  missingPollMs?: number;
  /** Watch by polling from the start (network drives). */
  usePolling?: boolean;
  /** Poll interval when polling (default 1 s). */
  pollIntervalMs?: number;
}

export interface LiveProjectOptions extends ProjectTuning {
  id: string;
  root: string;
  name: string;
  scope: ProjectScope;
  /** Where this project's events go (the engine stamps and fans them out). */
  publish: (events: DomainEvent[]) => void;
  /** Any file event in the project, owned or not (log tails are poked from here). */
  onFileEvent?: (rel: string) => void;
  /** Wall clock for `updatedAt`; Date.now unless a test fixes it. */
  now?: () => number;
  onError?: (err: unknown) => void;
}

/** What the model last read of a file. */
interface ReadRecord {
  signature: FileSignature | null;
  /** Content hash of the last parsed text; null when the file could not be read. */
  hash: string | null;
  /** Parse issues were held back because the file was not quiet yet. */
  issuesPending: boolean;
  /**
   * How the last text parsed ended (null: none read), and that text when small enough to keep,
   * to tell a file caught mid-write (mid-write.ts). Fields of the record rather than an object
   * of their own: one object fewer per file for every full collection to mark.
   */
  ending: TextEnding | null;
  text: string | null;
}

/**
 * A read record, its five fields in one literal so that V8 keeps them all inside the object (a
 * spread into a literal moved the last two out into a property array of their own).
 */
function readRecord(signature: FileSignature | null, hash: string | null, issuesPending: boolean, text: string | null): ReadRecord {
  const last = text === null ? null : lastTextOf(text);
  return { signature, hash, issuesPending, ending: last?.ending ?? null, text: last?.text ?? null };
}

function lastTextIn(record: ReadRecord): LastText | null {
  return record.ending === null ? null : { ending: record.ending, text: record.text };
}

export class LiveProject {
  readonly model: ProjectModel;
  readonly repairs = new RepairCounter();
  private readonly lastRead = new Map<string, ReadRecord>();
  /** Reads of a file that found no descriptor free, in a row (for the retry's back-off). */
  private readonly busyAttempts = new Map<string, number>();
  private readonly coalescer: Coalescer;
  /** Files read in one burst are applied to the model together (apply-batcher.ts). */
  private readonly batcher: ApplyBatcher;
  private watcher: ProjectWatcher | null = null;
  private presenceTimer: NodeJS.Timeout | null = null;
  private statsTimer: NodeJS.Timeout | null = null;
  /** Serializes lifecycle changes (load, missing, back, pause) so they never interleave. */
  private lifecycle: Promise<unknown> = Promise.resolve();
  /** Serializes move settlements (see settleMove): one listing of the project at a time. */
  private settling: Promise<void> = Promise.resolve();
  private loadedGate: Promise<void>;
  private openGate: () => void = () => undefined;
  /** The gate is open: the pipeline goes on without a wait (see process). */
  private gateOpen = false;
  private paused = false;
  private running = true;
  private closed = false;
  private readonly quietMs: number;
  private readonly issueQuietMs: number;
  private readonly writesInProgress: WritesInProgress;
  private readonly maxFileBytes: number;
  private readonly missingPollMs: number;
  private readonly now: () => number;
  /**
   * The newest mtime in `lastRead` (null when none has one), kept as files are read so the
   * heartbeat never looks through every file. When the file that held it is forgotten or goes
   * back in time it becomes an upper bound (`newestMtimeStale`) until looked up again.
   */
  private newestMtime: number | null = null;
  private newestMtimeStale = false;

  /**
   * When this project's planning files last changed: the newest file event, else the newest
   * mtime read from disk, so work that was already quiet when Vigil started can show as stalled.
   * O(1): called on every heartbeat tick.
   */
  lastActivityAt(): number | null {
    const event = this.model.watch.lastEventAt;
    // A stale newest mtime is an upper bound: a file event at or after it answers without a look.
    if (this.newestMtimeStale && !(event !== null && this.newestMtime !== null && event >= this.newestMtime)) {
      this.recomputeNewestMtime();
    }
    const mtime = this.newestMtime;
    return mtime !== null && (event === null || mtime > event) ? mtime : event;
  }

  constructor(private readonly options: LiveProjectOptions) {
    this.model = new ProjectModel(options.id, options.root, options.name);
    this.quietMs = options.quietMs ?? DEFAULT_QUIET_MS;
    this.issueQuietMs = options.issueQuietMs ?? DEFAULT_ISSUE_QUIET_MS;
    this.writesInProgress = new WritesInProgress(this.issueQuietMs);
    this.maxFileBytes = options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
    this.missingPollMs = options.missingPollMs ?? DEFAULT_MISSING_POLL_MS;
    this.now = options.now ?? Date.now;
    this.coalescer = new Coalescer(
      { quietMs: this.quietMs, maxWaitMs: options.maxWaitMs ?? DEFAULT_MAX_WAIT_MS },
      (rel, ctx) => this.process(rel, ctx),
      (_rel, err) => options.onError?.(err),
    );
    this.batcher = new ApplyBatcher((changes) => {
      // Paused, stopped or gone meanwhile: what comes back is read again in full then.
      if (this.isLive()) this.publish(this.model.applyFiles(changes, { now: this.now(), initial: false }));
    });
    this.loadedGate = new Promise((resolve) => {
      this.openGate = () => {
        this.gateOpen = true;
        resolve();
      };
    });
  }

  get id(): string {
    return this.options.id;
  }

  get root(): string {
    return this.options.root;
  }

  get isPaused(): boolean {
    return this.paused;
  }

  /**
   * First load: arm the watcher (so nothing written during the load is missed), read every
   * owned file, then let queued events through. Publishes nothing: the caller decides whether
   * the project's arrival is news (`model.addedEvents()`) or part of the first snapshot.
   */
  async open(state: { paused: boolean; running: boolean }): Promise<void> {
    this.paused = state.paused;
    this.running = state.running;
    await this.serial(async () => {
      if (this.paused) this.model.setState('paused');
      if (!(await this.rootExists())) {
        this.model.setState(this.paused ? 'paused' : 'missing');
        if (this.shouldWatch()) this.startPresencePoll();
        this.openGate();
        return;
      }
      if (this.shouldWatch()) await this.armWatcher();
      const unreadableFolders: ParseIssue[] = [];
      // A network drive (polling) may stall a blocking read: there the reads stay on the thread pool.
      const load = this.options.usePolling ? loadProjectFiles : loadProjectFilesInSlices;
      const listing = this.watcher?.takeStartListing() ?? null;
      const files = await load(this.root, this.options.scope, { maxFileBytes: this.maxFileBytes, unreadableFolders, listing });
      this.applyLoaded(files, true);
      this.model.setFolderIssues(unreadableFolders);
      // Activity before we started counts for staleness: the newest file is the last sign of work.
      if (this.newestMtimeStale) this.recomputeNewestMtime();
      const newest = this.newestMtime;
      if (newest !== null && newest > 0) this.model.noteActivity(Math.floor(newest));
      this.statsEvents();
      this.openGate();
    });
  }

  /** Pause (watchers closed, state `paused`) or resume (re-read, then watch again). */
  async setPaused(paused: boolean): Promise<void> {
    if (this.paused === paused) return;
    this.paused = paused;
    await this.serial(() => this.reconcile());
  }

  /** The engine started or stopped: watching follows it; the project state does not change. */
  async setRunning(running: boolean): Promise<void> {
    if (this.running === running) return;
    this.running = running;
    await this.serial(() => this.reconcile());
  }

  /** Re-read every file and publish what changed. */
  async refresh(): Promise<void> {
    await this.serial(async () => {
      if (this.closed) return;
      if (!(await this.rootExists())) {
        if (this.shouldWatch()) await this.enterMissing();
        return;
      }
      await this.reloadAndPublish();
    });
  }

  /**
   * Compare what is on disk (stat only) with what was last read and repair the difference
   * through the normal pipeline. Returns how many files had drifted.
   */
  async sweepDrift(): Promise<number> {
    await this.loadedGate;
    if (this.closed || this.paused || this.model.state === 'missing') return 0;
    if (!(await this.rootExists())) {
      if (this.shouldWatch()) await this.serial(() => this.enterMissing());
      return 0;
    }
    const lastRead = new Map<string, FileSignature | null>();
    for (const [rel, record] of this.lastRead) lastRead.set(rel, record.signature);
    // A file with an event already queued is not drift: the watcher saw it.
    const unreadableFolders: ParseIssue[] = [];
    const drifted = (await findDrift(this.root, this.options.scope, lastRead, unreadableFolders)).filter((rel) => !this.coalescer.has(rel));
    if (!this.closed) this.publish(this.model.setFolderIssues(unreadableFolders));
    if (drifted.length === 0 || this.closed) return 0;
    this.repairs.record(drifted.length, this.now());
    await Promise.all(drifted.map((rel) => this.coalescer.request(rel)));
    return drifted.length;
  }

  /** Resolves when no file work is queued or running (tests, and `vigil watch` on exit). */
  async whenIdle(): Promise<void> {
    await this.lifecycle;
    await this.coalescer.whenIdle();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.openGate();
    this.stopPresencePoll();
    if (this.statsTimer) clearTimeout(this.statsTimer);
    this.statsTimer = null;
    this.coalescer.close();
    this.batcher.close();
    await this.closeWatcher();
    await this.lifecycle.catch(() => undefined);
    await this.closeWatcher();
    this.stopPresencePoll();
    await this.coalescer.whenIdle();
  }

  // ---- lifecycle ----

  private shouldWatch(): boolean {
    return !this.closed && !this.paused && this.running;
  }

  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const next = this.lifecycle.then(fn, fn);
    this.lifecycle = next.catch((err: unknown) => this.options.onError?.(err));
    return next;
  }

  /** Bring watching and state in line with paused/running and with the root's presence. */
  private async reconcile(): Promise<void> {
    if (this.closed) return;
    if (!this.shouldWatch()) {
      this.stopPresencePoll();
      this.coalescer.clear();
      await this.closeWatcher();
      const stats = this.statsEvents();
      const state = this.paused ? this.model.setState('paused') : [];
      this.publish(state.length > 0 ? state : stats);
      return;
    }
    if (!(await this.rootExists())) {
      await this.enterMissing();
      return;
    }
    if (!this.watcher) await this.armWatcher();
    // What changed while we were not looking is not drift: read everything again.
    await this.reloadAndPublish();
    const stats = this.statsEvents();
    const state = this.model.setState(this.watcher?.degraded ? 'degraded' : 'ok');
    this.publish(state.length > 0 ? state : stats);
  }

  private async enterMissing(): Promise<void> {
    if (this.closed) return;
    if (this.model.state !== 'missing') {
      this.coalescer.clear();
      await this.closeWatcher();
      this.statsEvents();
      // The last known items stay: a drive that is unmounted for a minute is not a project emptied.
      this.publish(this.model.setState('missing'));
    }
    // Missing and still wanted (also after a restart while missing): look for it to come back.
    if (this.shouldWatch()) this.startPresencePoll();
  }

  private startPresencePoll(): void {
    if (this.presenceTimer || this.closed) return;
    const check = (): void => {
      this.presenceTimer = setTimeout(() => {
        void this.rootExists().then((exists) => {
          if (this.closed || !this.presenceTimer) return;
          if (!exists) return check();
          this.presenceTimer = null;
          void this.serial(() => this.reconcile());
        });
      }, this.missingPollMs);
    };
    check();
  }

  private stopPresencePoll(): void {
    if (this.presenceTimer) clearTimeout(this.presenceTimer);
    this.presenceTimer = null;
  }

  private async armWatcher(): Promise<void> {
    const watcher = new ProjectWatcher({
      root: this.root,
      scope: this.options.scope,
      usePolling: this.options.usePolling,
      pollIntervalMs: this.options.pollIntervalMs,
      listener: {
        onPath: (rel, complete) => this.onPath(rel, complete),
        onFolder: (rel) => this.onFolder(rel),
        onRootGone: () => this.onRootGone(),
        onStats: () => this.scheduleStats(),
      },
    });
    this.watcher = watcher;
    await watcher.start();
    if (this.closed || this.watcher !== watcher) await watcher.close();
  }

  private async closeWatcher(): Promise<void> {
    const watcher = this.watcher;
    this.watcher = null;
    if (watcher) await watcher.close();
  }

  private async reloadAndPublish(): Promise<void> {
    const unreadableFolders: ParseIssue[] = [];
    const files = await loadProjectFiles(this.root, this.options.scope, { maxFileBytes: this.maxFileBytes, unreadableFolders });
    const seen = new Set(files.map((f) => f.rel));
    const gone = [...this.lastRead.keys(), ...this.model.paths()].filter((rel) => !seen.has(rel));
    const removed = await readFiles(this.root, [...new Set(gone)], this.options.scope, { maxFileBytes: this.maxFileBytes });
    this.publish([...this.applyLoaded([...files, ...removed], false), ...this.model.setFolderIssues(unreadableFolders)]);
  }

  private applyLoaded(files: readonly LoadedFile[], initial: boolean): DomainEvent[] {
    const changes: [string, FileChange][] = [];
    for (const file of files) {
      changes.push([file.rel, file.change]);
      if (file.read.kind === 'missing') this.forgetRead(file.rel);
      else if (file.read.kind === 'read') {
        this.rememberRead(file.rel, readRecord(file.read.signature, file.read.hash, false, file.read.text));
      } else {
        const signature = file.read.kind === 'unreadable' ? file.read.signature : null;
        this.rememberRead(file.rel, readRecord(signature, null, false, null));
      }
    }
    return this.model.applyFiles(changes, { now: this.now(), initial });
  }

  // ---- watcher events ----

  private onPath(rel: string, complete: boolean): void {
    if (this.closed) return;
    this.model.noteActivity(this.now());
    this.options.onFileEvent?.(rel);
    if (this.lastRead.has(rel) || this.options.scope.ownersOf(rel).length > 0) this.coalescer.touch(rel, complete);
  }

  private onFolder(rel: string): void {
    if (this.closed) return;
    this.model.noteActivity(this.now());
    // A folder renamed or removed takes its files with it; make sure each is looked at.
    const prefix = `${rel}/`;
    for (const path of this.lastRead.keys()) if (path.startsWith(prefix)) this.coalescer.touch(path);
  }

  private onRootGone(): void {
    if (this.closed) return;
    void this.rootExists().then((exists) => {
      if (!exists && this.shouldWatch()) void this.serial(() => this.enterMissing());
    });
  }

  // ---- the per-file pipeline (called by the coalescer, one run per path at a time) ----

  /** One changed file: blocking calls on a local disk, the thread pool where the project is polled (loader.ts). */
  private read(rel: string): FileRead | Promise<FileRead> {
    return this.options.usePolling ? readProjectFile(this.root, rel, this.maxFileBytes) : readProjectFileSync(this.root, rel, this.maxFileBytes);
  }

  private async process(rel: string, ctx: ProcessContext): Promise<ProcessOutcome | void> {
    // A changed file is read and parsed before the first wait, within the coalescer's start of
    // it, so that the per-turn budget counts the cost (coalescer.ts, START_BUDGET_MS): no await
    // of a gate already open or of a read already done.
    if (!this.gateOpen) await this.loadedGate;
    if (!this.isLive()) return;
    const owners = this.options.scope.ownersOf(rel);
    const before = this.lastRead.get(rel);
    const reading = owners.length > 0 ? this.read(rel) : ({ kind: 'missing' } as const);
    const read = reading instanceof Promise ? await reading : reading;
    if (!this.isLive()) return;
    if (read.kind === 'busy') {
      // Out of descriptors: look again soon, backing off, rather than wait for the drift sweep.
      const attempt = (this.busyAttempts.get(rel) ?? 0) + 1;
      this.busyAttempts.set(rel, attempt);
      return { retryInMs: Math.min(BUSY_RETRY_MAX_MS, BUSY_RETRY_FIRST_MS * 2 ** (attempt - 1)) };
    }
    this.busyAttempts.delete(rel);

    if (read.kind === 'missing') {
      if (!before && !this.model.hasFacts(rel)) return;
      if (!(await this.rootExists())) {
        this.onRootGone();
        return;
      }
      if (!this.isLive()) return;
      // A file that left may have moved: the move is applied whole (see settleMove).
      await this.settleMove(() => this.lastRead.has(rel) || this.model.hasFacts(rel));
      return;
    }
    if (read.kind === 'unreadable') {
      this.rememberRead(rel, readRecord(read.signature, null, false, null));
      await this.batcher.add(rel, changeFor(read, this.options.scope, rel, true));
      return;
    }

    // A file in a folder that held nothing known may be the arriving end of a move.
    let known = before;
    if (known === undefined && !this.knowsFolderOf(rel)) {
      await this.settleMove(() => !this.lastRead.has(rel));
      if (!this.isLive()) return;
      known = this.lastRead.get(rel);
      if (known !== undefined && known.hash === read.hash && !known.issuesPending) return;
    }

    const quietFor = performance.now() - ctx.lastEventAt;
    // Emptied, cut mid-line where the last version ended whole, or written by a writer caught at
    // that and neither quiet for long enough nor closed by its writer since: most likely a writer
    // still at it. Keep the last version and look again (any new event looks sooner); shown if
    // it stays.
    if (known && known.hash !== read.hash) {
      const holdMs = this.writesInProgress.holdFor(rel, lastTextIn(known), read.text, { lastEventAt: ctx.lastEventAt, quietFor, longestGapMs: ctx.longestGapMs, complete: ctx.complete });
      if (holdMs > 0) return { retryInMs: Math.max(1, holdMs) };
    }
    let issuesPending = false;
    // Same bytes as last time (a touch, a re-save): nothing to parse, nothing to say.
    if (!known || known.hash !== read.hash || known.issuesPending) {
      const results = parseWith(owners, rel, read.text);
      const troubled = results.some((r) => r.parse.facts === null || r.parse.issues.length > 0);
      // A file that fails to parse is most likely half-written: keep the last good facts and
      // hold the issue back until the file has been quiet for a while.
      const publishIssues = !troubled || quietFor >= this.issueQuietMs;
      issuesPending = troubled && !publishIssues;
      await this.batcher.add(rel, { kind: 'parsed', results, publishIssues, mtimeMs: read.signature.mtimeMs });
    }
    this.rememberRead(rel, readRecord(read.signature, read.hash, issuesPending, read.text));
    // A writer still at it is not looked for here: every write after the read began is an event
    // of its own (the native watcher drops none; polling sees the new mtime), and an event that
    // comes while this runs makes the coalescer run it again.
    if (issuesPending) return { retryInMs: Math.max(1, this.issueQuietMs - quietFor) };
  }

  private isLive(): boolean {
    return this.shouldWatch() && this.model.state !== 'missing';
  }

  /** Does Vigil know a file in the folder of `rel`? A file in a folder it knows nothing in may have moved there. */
  private knowsFolderOf(rel: string): boolean {
    const slash = rel.lastIndexOf('/');
    if (slash < 0) return true;
    const prefix = rel.slice(0, slash + 1);
    for (const path of this.lastRead.keys()) if (path.startsWith(prefix)) return true;
    return false;
  }

  /**
   * A move between folders that means a status change (OpenSpec `changes/x` → `changes/archive/
   * 2026-01-05-x`, coderef `working/x` → `archived/x`, Backlog.md `tasks/` → `completed/`) arrives
   * as a file gone in one place and files new in another, one event at a time. Applied one by one
   * they would read as an item removed and a new one added ("new → done"), losing its identity
   * and its cycle time. So when a known file is gone, or a file turns up in a folder Vigil knew
   * nothing in, the project's planning folders are listed once and every departure and arrival
   * is applied in one batch: the adapter derives the item at its new place under the same id,
   * and the model sees one item changing status. Later events for those files find nothing new.
   * `stillNeeded` is checked once it is this settlement's turn: one just before may have done it.
   */
  private settleMove(stillNeeded: () => boolean): Promise<void> {
    const run = this.settling.then(async () => {
      if (!this.isLive() || !stillNeeded()) return;
      const unreadableFolders: ParseIssue[] = [];
      const listed = await listOwnedFiles(this.root, this.options.scope, unreadableFolders);
      this.publish(this.model.setFolderIssues(unreadableFolders));
      if (!this.isLive()) return;
      const known = new Set([...this.lastRead.keys(), ...this.model.paths()]);
      const arrived = [...listed.keys()].filter((rel) => !this.lastRead.has(rel));
      const departed = [...known].filter((rel) => !listed.has(rel));
      if (arrived.length === 0 && departed.length === 0) return;
      const files = await readFiles(this.root, [...arrived, ...departed], this.options.scope, { maxFileBytes: this.maxFileBytes });
      if (!this.isLive()) return;
      const changes: [string, FileChange][] = [];
      for (const file of files) {
        if (file.read.kind === 'read' && file.change.kind === 'parsed') {
          // An arrival may still be half-written: its issues wait for quiet, like any other file's.
          const troubled = file.change.results.some((r) => r.parse.facts === null || r.parse.issues.length > 0);
          changes.push([file.rel, { ...file.change, publishIssues: !troubled }]);
          this.rememberRead(file.rel, readRecord(file.read.signature, file.read.hash, troubled, file.read.text));
          if (troubled) this.coalescer.touch(file.rel);
          continue;
        }
        changes.push([file.rel, file.change]);
        if (file.read.kind === 'missing') this.forgetRead(file.rel);
        else this.rememberRead(file.rel, readRecord(file.read.kind === 'unreadable' ? file.read.signature : null, null, false, null));
      }
      // Through the batcher like every other change, so changes reach the model in one order.
      await this.batcher.addAll(changes);
    });
    this.settling = run.catch((err: unknown) => this.options.onError?.(err));
    return run;
  }

  // ---- helpers ----

  /** Every change to `lastRead` goes through here and `forgetRead`, which keep `newestMtime`. */
  private rememberRead(rel: string, record: ReadRecord): void {
    const before = this.lastRead.get(rel)?.signature?.mtimeMs;
    this.lastRead.set(rel, record);
    const mtime = record.signature?.mtimeMs;
    // Newer than the newest (or than its upper bound): the newest again, exactly.
    if (mtime !== undefined && (this.newestMtime === null || mtime > this.newestMtime)) {
      this.newestMtime = mtime;
      this.newestMtimeStale = false;
      return;
    }
    // The file that held the newest went back in time (or lost its mtime): now an upper bound.
    if (before !== undefined && before === this.newestMtime && (mtime === undefined || mtime < before)) this.newestMtimeStale = true;
  }

  private forgetRead(rel: string): void {
    const before = this.lastRead.get(rel)?.signature?.mtimeMs;
    this.lastRead.delete(rel);
    this.writesInProgress.forget(rel);
    if (before !== undefined && before === this.newestMtime) this.newestMtimeStale = true;
  }

  private recomputeNewestMtime(): void {
    let newest: number | null = null;
    for (const record of this.lastRead.values()) {
      const mtime = record.signature?.mtimeMs;
      if (mtime !== undefined && (newest === null || mtime > newest)) newest = mtime;
    }
    this.newestMtime = newest;
    this.newestMtimeStale = false;
  }

  private async rootExists(): Promise<boolean> {
    try {
      return (await stat(this.root)).isDirectory();
    } catch {
      return false;
    }
  }

  /** Bring the model's watch stats up to date; returns the events that would announce it. */
  private statsEvents(): DomainEvent[] {
    const stats = this.watcher?.stats() ?? { backend: 'none' as const, watchedDirs: 0, errors: [] };
    // Field by field: the watcher's stats have no lastEventAt, and a spread plus a new field
    // would give the project's watch object a hidden class of its own at every call.
    const events = this.model.setWatch({ backend: stats.backend, watchedDirs: stats.watchedDirs, lastEventAt: this.model.watch.lastEventAt, errors: stats.errors });
    if (this.watcher?.degraded && this.model.state === 'ok') events.push(...this.model.setState('degraded'));
    return events;
  }

  /**
   * Watch stats change in bursts (a folder tree created or deleted moves the folder count
   * once per folder): announce them once the burst is over, not once per folder.
   */
  private scheduleStats(): void {
    if (this.statsTimer || this.closed) return;
    this.statsTimer = setTimeout(() => {
      this.statsTimer = null;
      if (!this.closed) this.publish(this.statsEvents());
    }, STATS_SETTLE_MS);
  }

  private publish(events: DomainEvent[]): void {
    if (events.length > 0 && !this.closed) this.options.publish(events);
  }

  /** The project's state, for callers that only need that. */
  get state(): ProjectState {
    return this.model.state;
  }
}
