// Vigil's history: the journal in vigil.db as the engine and the clients see it. It is the
// engine's EngineHistory (seq, replay, activity and the differences found on start) and the
// hub's first sink (every batch, one transaction), and it answers the history queries.
//
// It never takes Vigil down. A damaged database is moved aside and a fresh one started; a full
// disk pauses journaling (the live view goes on) until a retry finds room; another Vigil
// process writing the same folder leaves this one reading only. Each of these is a health
// condition that says what happened and what to do.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Completion, ThroughputBucket, Transition } from '../../shared/model';
import type { BurnupQuery, BurnupSeries, Digest, DigestQuery, HistoryQuery, ThroughputQuery } from '../../shared/history';
import type { DomainEvent, EngineEvent } from '../../shared/protocol';
import type { Closable, EngineHistory, ExternalCondition, JournaledEngine, Sink } from '../engine/api';
import { closeQuietly, DB_FILE, moveAside, openJournalDb, openJournalForReading, takeWriterLock } from './database';
import { Journal } from './journal';
import { NewerSchemaError } from './migrations';
import { HistoryQueries, type HistoryPage } from './queries';
import { prune, type RetentionLimits } from './retention';
import { errorText, inTransaction, isDamaged, isFull, type Db } from './sqlite';
import { WalCheckpointer } from './wal-checkpointer';
import { differencesOnStart, type RecordedModel } from './start-differences';

export interface HistoryOptions {
  /** The config folder: vigil.db lives there. */
  dir: string;
  /** Wall clock, ms since epoch. */
  now?: () => number;
  /** The limits in force (read at each prune, so a settings change applies at the next). */
  limits?: () => RetentionLimits;
  /** First prune after opening, and then every `pruneEveryMs` (defaults 30 s and 1 h). */
  pruneAfterMs?: number;
  pruneEveryMs?: number;
  /** How often a paused journal tries to write again (default 15 s). */
  retryMs?: number;
  /** Background failures nobody awaits. */
  onError?: (err: unknown) => void;
}

export const DEFAULT_LIMITS: RetentionLimits = { retentionDays: 90, maxEvents: 1_000_000 };

/**
 * Batches that come within this many ms of the first one waiting share a transaction. Under
 * load the hub hands over a batch of one to three events every few ms, and a transaction of
 * its own for each cost the journal a fifth of the engine's CPU (bench: history): a commit
 * costs about as much as all the rows it writes, and at 200 events/s a 100 ms group still cost
 * 5 %, 250 ms 4 %. Nothing waits on this: the replay ring holds what is not written yet, and
 * queries write it first. A crash loses at most this much of the event record; the model it
 * described is found again on start.
 */
export const GROUP_COMMIT_MS = 250;
/** A group this large is written without waiting for the rest of GROUP_COMMIT_MS. */
const GROUP_MAX_EVENTS = 2000;
/**
 * The most events one transaction of the group commit writes; the rest wait for the next turn
 * of the event loop. A burst (a branch switch, a generator writing 5,000 task files, a first
 * start's whole model) hands over thousands of events at once, and one transaction of 5,000
 * held the loop for a third of a second: sockets, /healthz and the heartbeat waited (bench:
 * burst).
 */
export const WRITE_SLICE_EVENTS = 150;
/**
 * About how long one slice may take, ms. What an event costs varies by a factor of ten and
 * more (a few µs for a small event in a small database, ~1 ms for a plan's in a database of
 * 30,000 items, most of it in the indexes and the commit), so the count of a slice is learned
 * from the rate the recent slices were written at, and applying stops once this much time has
 * gone, whatever the count.
 */
export const WRITE_SLICE_MS = 10;

/** What the journal is doing: writing, paused (waiting for room), reading another process's, or off. */
export type JournalMode = 'writing' | 'paused' | 'reading' | 'off';

/** Thrown by queries when there is no database to read; the message says why. */
export class HistoryUnavailableError extends Error {}

/**
 * The recorded model without the projects first journaled during this start's load (their
 * watch stats, say): a project the journal had never seen still arrives whole, its items
 * added and not counted as transitions.
 */
function seenBeforeStart(recorded: RecordedModel, projectIds: ReadonlySet<string>): RecordedModel {
  return {
    ...recorded,
    projects: recorded.projects.filter((p) => projectIds.has(p.id)),
    items: recorded.items.filter((r) => projectIds.has(r.item.projectId)),
    issues: recorded.issues.filter((r) => projectIds.has(r.projectId)),
  };
}

/** What the session, the server and the desktop window ask of the history. */
export type HistoryApi = Pick<History, 'page' | 'burnup' | 'throughput' | 'digest'>;

export class History implements EngineHistory, Sink {
  private modeValue: JournalMode;
  private db: Db | null;
  private journal: Journal | null = null;
  private queries: HistoryQueries | null;
  private readonly lock: Db | null;
  private engine: JournaledEngine | null = null;
  private sink: Closable | null = null;
  /** The projects the journal knew when the engine attached; only until the differences on start are found. */
  private projectsBeforeStart: Set<string> | null = null;
  private conditionList: readonly ExternalCondition[] = [];
  private readonly conditionsByKey = new Map<string, ExternalCondition>();
  private retryTimer: NodeJS.Timeout | null = null;
  /** Batches handed over and not written yet (at most GROUP_COMMIT_MS old). */
  private pending: EngineEvent[] = [];
  private groupTimer: NodeJS.Timeout | null = null;
  /** The next slice of a burst too big for one turn (WRITE_SLICE_MS, WRITE_SLICE_EVENTS). */
  private sliceTimer: NodeJS.Immediate | null = null;
  /** Events a ms the recent slices were written at (whole transactions), smoothed: sizes the next. */
  private slicePerMs = WRITE_SLICE_EVENTS / WRITE_SLICE_MS;
  /** Copies the WAL back into the file off the event loop (the writer's commits no longer do). */
  private checkpointer: WalCheckpointer | null = null;
  private pruneTimer: NodeJS.Timeout | null = null;
  private pruning: Promise<number> | null = null;
  private closed = false;
  private readonly now: () => number;
  private readonly path: string;
  private readonly startSeq: number;

  /** Open the history in `options.dir`. Never throws: what goes wrong becomes a health condition. */
  static open(options: HistoryOptions): History {
    return new History(options);
  }

  private constructor(private readonly options: HistoryOptions) {
    this.now = options.now ?? Date.now;
    this.path = join(options.dir, DB_FILE);
    let lock: Db | null = null;
    let db: Db | null = null;
    let mode: JournalMode = 'off';
    let startSeq = 0;
    try {
      // The lock first: only the writer may create, migrate or move aside the database.
      mkdirSync(options.dir, { recursive: true });
      lock = takeWriterLock(options.dir);
      if (lock) {
        const opened = openJournalDb(options.dir, () => new Date(this.now()));
        db = opened.db;
        mode = 'writing';
        startSeq = opened.lastSeq;
        this.journal = new Journal(db, opened.lastSeq, this.now());
        if (opened.movedAside) this.raiseMovedAside(opened.movedAside, opened.damage ?? 'it could not be read');
      } else {
        db = openJournalForReading(options.dir)?.db ?? null;
        mode = 'reading';
        this.raise({
          key: 'history-reading',
          level: 'warning',
          message: `Another Vigil process is recording history in ${this.path}; this one shows live changes and reads that history but records nothing.`,
          hint: 'Close the other Vigil (the desktop app or a `vigil serve`) and restart this one if it should record history.',
        });
      }
    } catch (err) {
      closeQuietly(lock);
      lock = null;
      closeQuietly(db);
      db = null;
      this.journal = null;
      mode = 'off';
      this.raise({
        key: 'history-off',
        level: 'warning',
        message: `History is off: ${errorText(err)}`,
        hint:
          err instanceof NewerSchemaError
            ? 'Update Vigil to the version that wrote it, or move the file away to start a new history.'
            : `Vigil keeps its history in ${this.path}. Check that the folder can be written, then restart Vigil.`,
      });
    }
    this.lock = lock;
    this.db = db;
    this.modeValue = mode;
    this.startSeq = startSeq;
    this.queries = db ? new HistoryQueries(db) : null;
    if (mode === 'writing' && db) this.checkpointer = this.checkpointerFor(db);
    if (mode === 'writing') this.schedulePrune(options.pruneAfterMs ?? 30_000);
  }

  get mode(): JournalMode {
    return this.modeValue;
  }

  // ---- EngineHistory ----

  /** Only the writer's seqs are this process's: a reader counts from zero. */
  get lastSeq(): number {
    return this.startSeq;
  }

  since(afterSeq: number, throughSeq: number): EngineEvent[] | null {
    if (!this.journal) return null;
    this.writePending();
    return this.guard(() => this.journal?.since(afterSeq, throughSeq) ?? null, null);
  }

  recent(n: number, throughSeq: number): EngineEvent[] {
    if (!this.journal) return [];
    this.writePending();
    return this.guard(() => this.journal?.recent(n, throughSeq) ?? [], []);
  }

  seedTransitions(now: number): Transition[] {
    if (!this.journal) return [];
    return this.guard(() => this.journal?.seedTransitions(now) ?? [], []);
  }

  attach(engine: JournaledEngine): void {
    this.engine = engine;
    if (!this.journal) return;
    this.sink = engine.hub.addSink(this);
    const journal = this.journal;
    this.projectsBeforeStart = this.guard(() => new Set(journal.recordedProjectIds()), new Set<string>());
  }

  foundOnStart(): DomainEvent[] {
    const engine = this.engine;
    const before = this.projectsBeforeStart;
    this.projectsBeforeStart = null;
    if (!this.journal || !engine || !before) return [];
    // What was published during the load is journaled like the rest: the differences start from it.
    this.writePending();
    return this.guard(() => differencesOnStart(seenBeforeStart((this.journal as Journal).recordedModel(), before), engine.snapshot()), []);
  }

  recentCompletions(): Completion[] {
    this.writePendingFinishes();
    return this.journal?.recentCompletions() ?? [];
  }

  hourlyThroughput(now: number): ThroughputBucket[] {
    this.writePendingFinishes();
    return this.journal?.hourlyThroughput(now) ?? [];
  }

  /**
   * Write what was handed over when it holds an item finishing or failing, the only events
   * the recent completions and the hourly counts come from. Every snapshot asks for both, the
   * first hello's too: the differences found on start (a whole model's worth of events when
   * the journal is new) are then left to the group commit, after the hello, not before it.
   */
  private writePendingFinishes(): void {
    if (this.pending.some((event) => event.type === 'item:status' && (event.payload.to === 'done' || event.payload.to === 'failed'))) this.writePending();
  }

  conditions(): readonly ExternalCondition[] {
    return this.conditionList;
  }

  // ---- Sink ----

  deliver(batch: EngineEvent[]): void {
    if (this.modeValue !== 'writing' || !this.journal) return;
    for (const event of batch) this.pending.push(event);
    if (this.sliceTimer) return;
    // The differences found on start wait for their group however many they are (a whole
    // model's worth when the journal is new): the server comes up and answers its first hello
    // meanwhile, rather than between the slices of writing them.
    if (this.pending.length >= GROUP_MAX_EVENTS && !batch.some((event) => event.foundOnStart === true)) {
      // On the next turn, not inside the hub's delivery to every sink. Not unref'd: an unref'd
      // immediate lets the loop sleep in its poll until other I/O or a timer wakes it.
      this.sliceTimer = setImmediate(() => this.writeSlices());
      return;
    }
    this.armGroupTimer();
  }

  /** Write what is waiting GROUP_COMMIT_MS from now, unless a group is already timed. */
  private armGroupTimer(): void {
    if (this.groupTimer) return;
    this.groupTimer = setTimeout(() => {
      this.groupTimer = null;
      this.writeSlices();
    }, GROUP_COMMIT_MS);
    this.groupTimer.unref();
  }

  /**
   * The group commit: the oldest events handed over in one transaction of about WRITE_SLICE_MS
   * (at most WRITE_SLICE_EVENTS), then the rest of a burst on the next turns of the loop. What
   * comes after a burst is written waits for the group timer, so a trickle is grouped as before.
   */
  private writeSlices(): void {
    this.sliceTimer = null;
    if (this.groupTimer) {
      clearTimeout(this.groupTimer);
      this.groupTimer = null;
    }
    if (this.pending.length === 0) return;
    const size = Math.max(1, Math.min(WRITE_SLICE_EVENTS, Math.round(this.slicePerMs * WRITE_SLICE_MS)));
    const slice = this.pending.length <= size ? this.pending : this.pending.slice(0, size);
    const sliceLength = slice.length;
    const started = performance.now();
    const written = this.writeBatch(slice, started + WRITE_SLICE_MS);
    const rate = written / Math.max(performance.now() - started, 0.01);
    this.slicePerMs = 0.5 * this.slicePerMs + 0.5 * rate;
    this.pending.splice(0, written);
    if (this.pending.length === 0) return;
    // A slice that was full or cut short by the time is a burst's: the rest of it goes on next
    // turn, however little is left (a process with nothing else to do still writes it all).
    if (sliceLength === size || written < sliceLength) this.sliceTimer = setImmediate(() => this.writeSlices());
    else this.armGroupTimer();
  }

  /** Write everything handed over, in one transaction. Queries call it first, so they read their own writes. */
  writePending(): void {
    if (this.groupTimer) {
      clearTimeout(this.groupTimer);
      this.groupTimer = null;
    }
    if (this.sliceTimer) {
      clearImmediate(this.sliceTimer);
      this.sliceTimer = null;
    }
    if (this.pending.length === 0) return;
    this.writeBatch(this.pending.splice(0));
  }

  /**
   * Write `batch` (up to `until`, a performance.now() time: see Journal.append). Returns how many
   * of it, from its start, are done with: written, or given up with the journal (paused, off,
   * a failed write).
   */
  private writeBatch(batch: EngineEvent[], until = Infinity): number {
    if (this.modeValue !== 'writing' || !this.journal) return batch.length;
    try {
      const written = this.journal.append(batch, until);
      this.checkpointer?.written();
      return written;
    } catch (err) {
      this.writeFailed(err, batch);
      return batch.length;
    }
  }

  /** Never: deliver is synchronous, so the hub never buffers for the journal. */
  overflow(): void {}

  // ---- Queries ----

  page(query: HistoryQuery): HistoryPage {
    return this.ask((q) => q.page(query));
  }

  burnup(query: BurnupQuery): BurnupSeries[] {
    return this.ask((q) => q.burnup(query, this.now()));
  }

  throughput(query: ThroughputQuery): ThroughputBucket[] {
    return this.ask((q) => q.throughput(query, this.now()));
  }

  digest(query: DigestQuery): Digest {
    return this.ask((q) => q.digest(query));
  }

  /**
   * Write to vigil.db on the journal's connection, in one transaction, after the events handed
   * over so far: how another module (runs) keeps its own table with the one writer. Returns
   * null, writing nothing, when this process does not write the journal (reading, paused, off).
   */
  write<T>(work: (db: Db) => T): T | null {
    this.writePending();
    if (this.modeValue !== 'writing' || !this.db) return null;
    const db = this.db;
    const result = inTransaction(db, () => work(db));
    this.checkpointer?.written();
    return result;
  }

  /** Read vigil.db on this process's connection (the writer's, or a reader's); null without one. */
  read<T>(query: (db: Db) => T): T | null {
    this.writePending();
    return this.db ? query(this.db) : null;
  }

  /** Prune now (tests; the timer calls it too). Resolves with the events deleted. */
  pruneNow(): Promise<number> {
    this.writePending();
    if (this.modeValue !== 'writing' || !this.db) return Promise.resolve(0);
    this.pruning ??= (async () => {
      try {
        const limits = this.options.limits?.() ?? DEFAULT_LIMITS;
        const deleted = await prune(this.db as Db, limits, this.now(), () => !this.closed && this.modeValue === 'writing');
        this.checkpointer?.written();
        return deleted;
      } catch (err) {
        if (isDamaged(err)) this.recover(err);
        else this.report(err);
        return 0;
      } finally {
        this.pruning = null;
      }
    })();
    return this.pruning;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.writePending();
    this.closed = true;
    this.sink?.close();
    this.sink = null;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    if (this.pruneTimer) clearTimeout(this.pruneTimer);
    await this.pruning?.catch(() => undefined);
    await this.checkpointer?.close();
    this.checkpointer = null;
    closeQuietly(this.db);
    closeQuietly(this.lock);
    this.db = null;
    this.journal = null;
    this.queries = null;
  }

  // ---- internals ----

  private ask<T>(query: (q: HistoryQueries) => T): T {
    this.writePending();
    if (!this.queries) throw new HistoryUnavailableError(`History is not available: ${this.conditionList.at(-1)?.message ?? 'it is off'}`);
    try {
      return query(this.queries);
    } catch (err) {
      if (isDamaged(err) && this.modeValue === 'writing') {
        this.recover(err);
        throw new HistoryUnavailableError(`The history database was damaged and has been moved aside; history starts again from now.`);
      }
      throw err;
    }
  }

  /** Run a read on behalf of the engine; damage is recovered from and the fallback returned. */
  private guard<T>(read: () => T, fallback: T): T {
    try {
      return read();
    } catch (err) {
      if (isDamaged(err) && this.modeValue === 'writing') this.recover(err);
      else this.report(err);
      return fallback;
    }
  }

  private writeFailed(err: unknown, batch: EngineEvent[]): void {
    if (isDamaged(err)) {
      this.recover(err, batch);
      return;
    }
    this.modeValue = 'paused';
    const full = isFull(err);
    this.raise({
      key: 'history-paused',
      level: 'warning',
      message: full
        ? `History is paused: the disk holding ${this.path} is full. Live updates go on; changes from ${new Date(this.now()).toISOString()} on are not recorded until there is room.`
        : `History is paused: writing ${this.path} failed (${errorText(err)}). Live updates go on; changes are not recorded meanwhile.`,
      hint: full
        ? 'Free some space on that disk; Vigil tries again every few seconds and resumes by itself.'
        : 'Check the file and its folder (permissions, the disk); Vigil tries again every few seconds.',
    });
    this.scheduleRetry();
  }

  private scheduleRetry(): void {
    if (this.retryTimer || this.closed) return;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      this.retry();
    }, this.options.retryMs ?? 15_000);
    this.retryTimer.unref();
  }

  /** Record the model as it is now and write on: events of the pause stay missing, and a resync across it gets a snapshot. */
  private retry(): void {
    if (this.closed || this.modeValue !== 'paused' || !this.journal || !this.engine) return;
    try {
      this.journal.recordModel(this.engine.snapshot());
      this.modeValue = 'writing';
      this.clear('history-paused');
    } catch (err) {
      if (isDamaged(err)) this.recover(err);
      else this.scheduleRetry();
    }
  }

  /** The database is damaged: move it aside, start a fresh one that counts on from the hub, record the model as it is. */
  private recover(err: unknown, batch: EngineEvent[] = []): void {
    if (this.closed || !this.db) return;
    const damage = errorText(err);
    // Its connection may still be copying into the damaged file: it closes once done.
    void this.checkpointer?.close();
    this.checkpointer = null;
    closeQuietly(this.db);
    this.db = null;
    this.journal = null;
    this.queries = null;
    try {
      const aside = moveAside(this.path, new Date(this.now()));
      const opened = openJournalDb(this.options.dir, () => new Date(this.now()));
      // The fresh journal counts on from the hub: the batch that met the damage is written first.
      const base = batch[0] ? batch[0].seq - 1 : (this.engine?.hub.seq ?? opened.lastSeq);
      const journal = new Journal(opened.db, base, this.now());
      if (this.engine) journal.recordModel(this.engine.snapshot());
      journal.append(batch);
      this.db = opened.db;
      this.journal = journal;
      this.queries = new HistoryQueries(opened.db);
      this.checkpointer = this.checkpointerFor(opened.db);
      this.modeValue = 'writing';
      this.clear('history-paused');
      this.raiseMovedAside(aside, damage);
    } catch (again) {
      this.modeValue = 'off';
      this.raise({
        key: 'history-off',
        level: 'warning',
        message: `History is off: ${this.path} was damaged (${damage}) and a new one could not be started: ${errorText(again)}`,
        hint: 'Check the folder and the disk, then restart Vigil.',
      });
    }
  }

  private checkpointerFor(db: Db): WalCheckpointer {
    return new WalCheckpointer(db, this.path, (err) => this.report(err));
  }

  private raiseMovedAside(aside: string, damage: string): void {
    this.raise({
      key: 'history-moved-aside',
      level: 'warning',
      message: `${this.path} could not be read (${damage}); it was moved to ${aside} and a new history started.`,
      hint: 'History from before is in that copy: keep it to inspect it, or delete it to free the space.',
    });
  }

  private schedulePrune(afterMs: number): void {
    if (this.closed) return;
    this.pruneTimer = setTimeout(() => {
      void this.pruneNow().finally(() => this.schedulePrune(this.options.pruneEveryMs ?? 60 * 60 * 1000));
    }, afterMs);
    this.pruneTimer.unref();
  }

  private raise(condition: Omit<ExternalCondition, 'projectId'>): void {
    this.conditionsByKey.set(condition.key, { ...condition, projectId: null });
    this.conditionList = [...this.conditionsByKey.values()];
  }

  private clear(key: string): void {
    if (this.conditionsByKey.delete(key)) this.conditionList = [...this.conditionsByKey.values()];
  }

  private report(err: unknown): void {
    try {
      this.options.onError?.(err);
    } catch {
      // A reporter that throws must not take the journal down.
    }
  }
}
