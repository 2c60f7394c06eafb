// The engine's pulse: a tick loop that runs the time-based work (health, throughput,
// staleness) and measures itself while doing it — how long each tick's work took
// (latency) and how late the tick fired against its schedule (event-loop drift).
import { performance } from 'node:perf_hooks';
import type { Heartbeat } from '../../shared/model';
import type { Closable } from './api';

export interface HeartbeatOptions {
  intervalMs: number;
  /** The work of one tick. It may throw: the error is caught and reported, the loop goes on. */
  work: () => void;
  /** Wall clock for the `ts` of each beat (ms since epoch); Date.now unless a test fixes it. */
  now?: () => number;
  /** Told about a `work` (or beat listener) that threw; the tick still completes. */
  onError?: (err: unknown) => void;
}

export interface PercentileSummary {
  p50: number | null;
  p99: number | null;
}

/** How many beats `series()` keeps: two minutes at the default 1 s interval. */
export const SERIES_LENGTH = 120;

/** Nearest-rank percentile of `values` (0 < p ≤ 100), null for an empty list. */
export function percentile(values: readonly number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1] ?? null;
}

function checkInterval(ms: number): number {
  if (!Number.isFinite(ms) || ms <= 0) {
    throw new Error(`Heartbeat interval must be a positive number of milliseconds, got ${ms}`);
  }
  return ms;
}

export class HeartbeatLoop implements Closable {
  private intervalMs: number;
  private readonly work: () => void;
  private readonly now: () => number;
  private readonly onError: ((err: unknown) => void) | undefined;
  private readonly listeners = new Set<(beat: Heartbeat) => void>();
  private readonly beats: Heartbeat[] = [];
  private timer: NodeJS.Timeout | null = null;
  // Ticks are scheduled at anchor + slot × interval (performance.now() time), so a late
  // tick does not push every later one back: drift is measured, not accumulated.
  private anchor = 0;
  private slot = 0;
  private ticks = 0;
  private closed = false;
  private lastBeat: Heartbeat | null = null;
  private lastErrorText: string | null = null;

  constructor(options: HeartbeatOptions) {
    this.intervalMs = checkInterval(options.intervalMs);
    this.work = options.work;
    this.now = options.now ?? Date.now;
    this.onError = options.onError;
  }

  get running(): boolean {
    return this.timer !== null;
  }

  /** Ticks fired since this loop was created (not reset by stop/start). */
  get tick(): number {
    return this.ticks;
  }

  get interval(): number {
    return this.intervalMs;
  }

  /** The newest beat, with `running` as it is now; null before the first tick. */
  get latest(): Heartbeat | null {
    return this.lastBeat ? { ...this.lastBeat, running: this.running } : null;
  }

  /** The message of the last error a tick's work threw, or null. */
  get lastError(): string | null {
    return this.lastErrorText;
  }

  start(): void {
    if (this.closed) throw new Error('This heartbeat was closed; create a new one');
    if (this.timer) return;
    this.anchor = performance.now();
    this.slot = 0;
    this.schedule();
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  /** Change the interval; a running loop re-anchors now, so the next tick is one new interval away. */
  setIntervalMs(ms: number): void {
    this.intervalMs = checkInterval(ms);
    if (this.timer) {
      this.stop();
      this.start();
    }
  }

  onBeat(listener: (beat: Heartbeat) => void): Closable {
    this.listeners.add(listener);
    return { close: () => this.listeners.delete(listener) };
  }

  /** The last beats (at most SERIES_LENGTH), oldest first. */
  series(): Heartbeat[] {
    return [...this.beats];
  }

  latencyPercentiles(): PercentileSummary {
    const values = this.beats.map((b) => b.latencyMs);
    return { p50: percentile(values, 50), p99: percentile(values, 99) };
  }

  driftPercentiles(): PercentileSummary {
    const values = this.beats.map((b) => b.driftMs);
    return { p50: percentile(values, 50), p99: percentile(values, 99) };
  }

  close(): void {
    this.stop();
    this.closed = true;
    this.listeners.clear();
  }

  private schedule(): void {
    this.slot += 1;
    const due = this.anchor + this.slot * this.intervalMs;
    const timer = setTimeout(() => this.fire(due), Math.max(0, due - performance.now()));
    // The heartbeat alone never keeps a process (a CLI, a test worker) alive.
    timer.unref();
    this.timer = timer;
  }

  private fire(due: number): void {
    const firedAt = performance.now();
    const firedTimer = this.timer;
    const driftMs = Math.max(0, firedAt - due);
    try {
      this.work();
    } catch (err) {
      this.lastErrorText = err instanceof Error ? err.message : String(err);
      this.report(err);
    }
    const done = performance.now();
    this.ticks += 1;
    const beat: Heartbeat = {
      tick: this.ticks,
      latencyMs: done - firedAt,
      driftMs,
      running: true,
      ts: this.now(),
    };
    this.lastBeat = beat;
    this.beats.push(beat);
    if (this.beats.length > SERIES_LENGTH) this.beats.shift();
    for (const listener of [...this.listeners]) {
      try {
        listener(beat);
      } catch (err) {
        this.report(err);
      }
    }
    // The work or a listener may have stopped (or restarted) the loop; then its timer is no
    // longer ours to renew. After a long stall (a laptop asleep) skip the missed slots
    // instead of firing a burst of catch-up ticks.
    if (this.timer !== firedTimer || this.timer === null || this.closed) return;
    const behind = Math.floor((performance.now() - this.anchor) / this.intervalMs);
    if (behind > this.slot) this.slot = behind;
    this.schedule();
  }

  private report(err: unknown): void {
    try {
      this.onError?.(err);
    } catch {
      // An error reporter that throws must not stop the pulse either.
    }
  }
}
