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

interface Cycle {
  at: number;
  ms: number;
}

const itemKey = (t: Transition): string => `${t.projectId}\u0000${t.kind}\u0000${t.id}`;

/** Drop entries at or before `cutoff` from the front of a time-ordered list. */
function pruneBefore<T>(list: T[], cutoff: number, at: (entry: T) => number): void {
  let drop = 0;
  while (drop < list.length && at(list[drop] as T) <= cutoff) drop += 1;
  if (drop > 0) list.splice(0, drop);
}

export class ActivityLog {
  private readonly capacity: number;
  private readonly windowMs: number;
  private readonly maxWindowEntries: number;
  private readonly maxCycleMs: number;
  private readonly ring: Transition[] = [];
  private readonly doneAt: number[] = [];
  private readonly failedAt: number[] = [];
  private readonly finishedAt: number[] = [];
  private readonly cycles: Cycle[] = [];
  /** When each item still in progress entered `in_progress`. */
  private readonly startedAt = new Map<string, number>();

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
      if (!this.startedAt.has(key)) this.startedAt.set(key, t.at);
      if (this.startedAt.size > this.maxWindowEntries) {
        const oldest = this.startedAt.keys().next();
        if (!oldest.done) this.startedAt.delete(oldest.value);
      }
    } else if (t.to === 'todo' || t.to === 'backlog' || FINISHED_STATUSES.includes(t.to)) {
      const started = this.startedAt.get(key);
      this.startedAt.delete(key);
      if (t.to === 'done' && started !== undefined && t.at >= started) {
        this.push(this.cycles, { at: t.at, ms: t.at - started });
      }
    }
    if (t.to === 'done') this.push(this.doneAt, t.at);
    if (t.to === 'failed') this.push(this.failedAt, t.at);
    if (isFinished(t.to)) this.push(this.finishedAt, t.at);
    this.pruneWindows(t.at);
  }

  /** The newest `n` transitions (at most the capacity), oldest first. */
  recent(n = this.capacity): Transition[] {
    return n <= 0 ? [] : this.ring.slice(-n);
  }

  /** Finishes and failures in the window ending at `now`, and the mean in-progress → done time of those finished in it. */
  throughput(now: number): Throughput {
    this.prune(now);
    const cutoff = now - this.windowMs;
    const cycles = this.cycles.filter((c) => c.at > cutoff && c.at <= now);
    return {
      finishedLastHour: countIn(this.doneAt, cutoff, now),
      failedLastHour: countIn(this.failedAt, cutoff, now),
      meanCycleMs: cycles.length === 0 ? null : cycles.reduce((sum, c) => sum + c.ms, 0) / cycles.length,
    };
  }

  /** Items that moved to `failed`, and all that finished (done, failed or cancelled), in the window ending at `now`. */
  failureRate(now: number): { failed: number; finished: number } {
    this.prune(now);
    const cutoff = now - this.windowMs;
    return { failed: countIn(this.failedAt, cutoff, now), finished: countIn(this.finishedAt, cutoff, now) };
  }

  /** Forget the in-progress starts of a removed project (its past transitions stay in the feed). */
  forgetProject(projectId: string): void {
    const prefix = `${projectId}\u0000`;
    for (const key of [...this.startedAt.keys()]) if (key.startsWith(prefix)) this.startedAt.delete(key);
  }

  private push<T>(list: T[], entry: T): void {
    list.push(entry);
    if (list.length > this.maxWindowEntries) list.splice(0, list.length - this.maxWindowEntries);
  }

  private pruneWindows(now: number): void {
    const cutoff = now - this.windowMs;
    pruneBefore(this.doneAt, cutoff, (at) => at);
    pruneBefore(this.failedAt, cutoff, (at) => at);
    pruneBefore(this.finishedAt, cutoff, (at) => at);
    pruneBefore(this.cycles, cutoff, (c) => c.at);
  }

  private prune(now: number): void {
    this.pruneWindows(now);
    // An item that never finishes (deleted, or abandoned in progress) must not be held forever.
    for (const [key, started] of this.startedAt) {
      if (now - started > this.maxCycleMs) this.startedAt.delete(key);
    }
  }
}

function isFinished(status: Status): boolean {
  return FINISHED_STATUSES.includes(status);
}

/** Timestamps in (cutoff, now]. Lists are nearly time-ordered; count rather than trust order. */
function countIn(list: readonly number[], cutoff: number, now: number): number {
  let n = 0;
  for (const at of list) if (at > cutoff && at <= now) n += 1;
  return n;
}
