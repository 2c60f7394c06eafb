// What just happened and how fast work moves: a ring of the last status transitions for
// the activity feed, and hour-long windows of finishes and failures for throughput and
// the failure-rate health check. Memory stays bounded however busy the projects are.
import { FINISHED_STATUSES, type Status, type Throughput, type Transition } from '../../shared/model';

const HOUR_MS = 60 * 60 * 1000;

export interface ActivityLogOptions {
  /** Transitions kept for the feed. */
  capacity?: number;
  /** The window throughput and failure rate look back over. */
  windowMs?: number;
  /**
   * Hard cap on timestamps kept per window, so a runaway burst cannot grow memory; past it
   * the oldest are dropped and the counts undercount.
   */
  maxWindowEntries?: number;
  /** How long an item can sit in progress and still have its cycle time measured. */
  maxCycleMs?: number;
}

const itemKey = (t: Transition): string => `${t.projectId}\u0000${t.kind}\u0000${t.id}`;

/**
 * Timestamps (each with a number) in the order they were recorded, for counts and means over
 * a sliding window, cheap enough for every heartbeat tick however busy the last hour was:
 * dropping the oldest moves a head index (O(1) amortized), and while timestamps arrive in order
 * (one clock, the usual case) a count or a mean is O(1). Only a clock that went backwards, or
 * an entry in the future, falls back to a scan — the exact answer either way.
 */
class TimeWindow {
  private at: number[] = [];
  private values: number[] = [];
  private head = 0;
  /** Every timestamp is at or after the one recorded before it. */
  private ordered = true;
  /** Sum of the values held; exact while every value is a safe integer (`inexact` counts those that are not). */
  private sum = 0;
  private inexact = 0;

  get size(): number {
    return this.at.length - this.head;
  }

  /** Record an entry; past `max` entries the oldest recorded are dropped. */
  push(at: number, value: number, max: number): void {
    if (this.size > 0 && at < (this.at[this.at.length - 1] as number)) this.ordered = false;
    this.at.push(at);
    this.values.push(value);
    this.sum += value;
    if (!Number.isSafeInteger(value)) this.inexact += 1;
    if (this.size > max) this.dropFront(this.size - max);
  }

  /** Drop entries at or before `cutoff` from the front (the oldest recorded). */
  pruneBefore(cutoff: number): void {
    let drop = 0;
    while (this.head + drop < this.at.length && (this.at[this.head + drop] as number) <= cutoff) drop += 1;
    if (drop > 0) this.dropFront(drop);
  }

  /** Entries with a timestamp in (cutoff, now]. */
  count(cutoff: number, now: number): number {
    if (this.allWithin(cutoff, now)) return this.size;
    let n = 0;
    for (let i = this.head; i < this.at.length; i++) {
      const at = this.at[i] as number;
      if (at > cutoff && at <= now) n += 1;
    }
    return n;
  }

  /** Mean value of the entries with a timestamp in (cutoff, now]; null when there are none. */
  mean(cutoff: number, now: number): number | null {
    if (this.allWithin(cutoff, now) && this.inexact === 0 && Math.abs(this.sum) <= Number.MAX_SAFE_INTEGER) {
      return this.size === 0 ? null : this.sum / this.size;
    }
    let n = 0;
    let sum = 0;
    for (let i = this.head; i < this.at.length; i++) {
      const at = this.at[i] as number;
      if (at > cutoff && at <= now) {
        sum += this.values[i] as number;
        n += 1;
      }
    }
    return n === 0 ? null : sum / n;
  }

  /** In order, with the first after `cutoff` and the last not after `now`: every entry counts. */
  private allWithin(cutoff: number, now: number): boolean {
    if (this.size === 0) return true;
    return this.ordered && (this.at[this.head] as number) > cutoff && (this.at[this.at.length - 1] as number) <= now;
  }

  private dropFront(n: number): void {
    const end = this.head + n;
    for (let i = this.head; i < end; i++) {
      const value = this.values[i] as number;
      this.sum -= value;
      if (!Number.isSafeInteger(value)) this.inexact -= 1;
    }
    this.head = end;
    if (this.head >= this.at.length) {
      this.at = [];
      this.values = [];
      this.head = 0;
      this.ordered = true;
      this.sum = 0;
      this.inexact = 0;
    } else if (this.head >= 1024 && this.head * 2 >= this.at.length) {
      this.at = this.at.slice(this.head);
      this.values = this.values.slice(this.head);
      this.head = 0;
    }
  }
}

export class ActivityLog {
  private readonly capacity: number;
  private readonly windowMs: number;
  private readonly maxWindowEntries: number;
  private readonly maxCycleMs: number;
  private readonly ring: Transition[] = [];
  private readonly doneAt = new TimeWindow();
  private readonly failedAt = new TimeWindow();
  private readonly finishedAt = new TimeWindow();
  /** Runs that ended on their own, and those of them that failed: they count in the failure rate, not in throughput. */
  private readonly runEndedAt = new TimeWindow();
  private readonly runFailedAt = new TimeWindow();
  /** Items that reached done, at when they did, each with its in-progress → done time. */
  private readonly cycles = new TimeWindow();
  /** When each item still in progress entered `in_progress`. */
  private readonly startedAt = new Map<string, number>();
  /** At or before every value in `startedAt`: until it is too old, nothing there is. */
  private startedFloor = Infinity;

  constructor(options: ActivityLogOptions = {}) {
    this.capacity = options.capacity ?? 200;
    this.windowMs = options.windowMs ?? HOUR_MS;
    this.maxWindowEntries = options.maxWindowEntries ?? 50_000;
    this.maxCycleMs = options.maxCycleMs ?? 30 * 24 * HOUR_MS;
  }

  record(t: Transition): void {
    this.ring.push(t);
    if (this.ring.length > this.capacity) this.ring.splice(0, this.ring.length - this.capacity);

    const key = itemKey(t);
    if (t.to === 'in_progress') {
      // in_progress → blocked → in_progress keeps the first start: the cycle is the whole stretch.
      if (!this.startedAt.has(key)) {
        this.startedAt.set(key, t.at);
        if (t.at < this.startedFloor) this.startedFloor = t.at;
      }
      if (this.startedAt.size > this.maxWindowEntries) {
        const oldest = this.startedAt.keys().next();
        if (!oldest.done) this.startedAt.delete(oldest.value);
      }
    } else if (t.to === 'todo' || t.to === 'backlog' || FINISHED_STATUSES.includes(t.to)) {
      const started = this.startedAt.get(key);
      this.startedAt.delete(key);
      if (t.to === 'done' && started !== undefined && t.at >= started) {
        this.cycles.push(t.at, t.at - started, this.maxWindowEntries);
      }
    }
    if (t.to === 'done') this.doneAt.push(t.at, 0, this.maxWindowEntries);
    if (t.to === 'failed') this.failedAt.push(t.at, 0, this.maxWindowEntries);
    if (isFinished(t.to)) this.finishedAt.push(t.at, 0, this.maxWindowEntries);
    this.pruneWindows(t.at);
  }

  /**
   * A run ended on its own: succeeded, or failed (a lost run too). A cancelled run is not
   * recorded: a cancel is the user's choice, not an outcome of the work.
   */
  recordRunEnd(at: number, failed: boolean): void {
    this.runEndedAt.push(at, 0, this.maxWindowEntries);
    if (failed) this.runFailedAt.push(at, 0, this.maxWindowEntries);
    this.pruneWindows(at);
  }

  /** The newest `n` transitions (at most the capacity), oldest first. */
  recent(n = this.capacity): Transition[] {
    return n <= 0 ? [] : this.ring.slice(-n);
  }

  /** Finishes and failures in the window ending at `now`, and the mean in-progress → done time of those finished in it. */
  throughput(now: number): Throughput {
    this.prune(now);
    const cutoff = now - this.windowMs;
    return {
      finishedLastHour: this.doneAt.count(cutoff, now),
      failedLastHour: this.failedAt.count(cutoff, now),
      meanCycleMs: this.cycles.mean(cutoff, now),
    };
  }

  /**
   * Items that moved to `failed`, and all that finished (done, failed or cancelled), in the
   * window ending at `now`, with the runs that failed and ended in it counted in; `runs` says
   * whether any run is among them.
   */
  failureRate(now: number): { failed: number; finished: number; runs: boolean } {
    this.prune(now);
    const cutoff = now - this.windowMs;
    const runsEnded = this.runEndedAt.count(cutoff, now);
    return {
      failed: this.failedAt.count(cutoff, now) + this.runFailedAt.count(cutoff, now),
      finished: this.finishedAt.count(cutoff, now) + runsEnded,
      runs: runsEnded > 0,
    };
  }

  /** Forget the in-progress starts of a removed project (its past transitions stay in the feed). */
  forgetProject(projectId: string): void {
    const prefix = `${projectId}\u0000`;
    for (const key of [...this.startedAt.keys()]) if (key.startsWith(prefix)) this.startedAt.delete(key);
  }

  private pruneWindows(now: number): void {
    const cutoff = now - this.windowMs;
    this.doneAt.pruneBefore(cutoff);
    this.failedAt.pruneBefore(cutoff);
    this.finishedAt.pruneBefore(cutoff);
    this.runEndedAt.pruneBefore(cutoff);
    this.runFailedAt.pruneBefore(cutoff);
    this.cycles.pruneBefore(cutoff);
  }

  private prune(now: number): void {
    this.pruneWindows(now);
    // An item that never finishes (deleted, or abandoned in progress) must not be held forever.
    // Looked through only once the oldest start can have expired, not on every tick.
    if (this.startedAt.size === 0 || !(now - this.startedFloor > this.maxCycleMs)) return;
    let floor = Infinity;
    for (const [key, started] of this.startedAt) {
      if (now - started > this.maxCycleMs) this.startedAt.delete(key);
      else if (started < floor) floor = started;
    }
    this.startedFloor = floor;
  }
}

function isFinished(status: Status): boolean {
  return FINISHED_STATUSES.includes(status);
}
