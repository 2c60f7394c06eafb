// Turns a storm of file-system events into as few parses as correctness allows.
//
// Per key (a file path): the first event opens a window; each further event pushes its end
// out to `quietMs` after the newest event, but never past `maxWaitMs` after the first, so a
// lone save is handled within a few ms and a file rewritten continuously is still handled
// every `maxWaitMs`. An event that says the writer is done (it closed the file, or the file was
// moved into place: inotify.ts) ends the window at once: there is nothing to wait for.
// Processing is never concurrent for one key: an event that arrives while the key is being
// processed marks it dirty and it runs again right after. The processor can
// ask to be run again later (a parse failure that may be a half-written file) — the retry is
// dropped if a new event gets there first.
import type { Closable } from './api';
import { StartQueue } from './start-queue';

export interface CoalescerTiming {
  /** Trailing quiet window after the newest event. */
  quietMs: number;
  /** Longest a key waits from its first pending event. */
  maxWaitMs: number;
}

export interface ProcessContext {
  /** performance.now() of the newest event seen for this key before processing started. */
  lastEventAt: number;
  /** The longest gap between two consecutive events of this key since its last run began: how long its writer pauses. */
  longestGapMs: number;
  /** The newest event said the writer was done with the file (closed it, or moved it into place). */
  complete: boolean;
}

/** What the processor wants next: nothing, or another run after `retryInMs`. */
export interface ProcessOutcome {
  retryInMs?: number;
}

export type Processor = (key: string, context: ProcessContext) => Promise<ProcessOutcome | void>;

/**
 * One save by the usual writers (writeFile, an editor's temp file + rename, a script's
 * close) raises all its events within a millisecond, and is read 1 ms after its last one.
 * A writer caught in between (the file read empty after its truncate, or holding the first
 * chunks of a streaming writer) is not shown: mid-write.ts keeps the last version until the
 * file has been quiet for twice the writer's pauses, at least 10 ms. The window was 5 ms; in
 * the latency bench's A/B (docs/bench.md, "a 1 ms quiet window") 1 ms showed no half-written
 * state idle or with the CPU ~90 % busy, and a save reached every client 3–5 ms sooner.
 */
export const DEFAULT_QUIET_MS = 1;
export const DEFAULT_MAX_WAIT_MS = 100;
/**
 * How long one turn of the event loop may spend starting keys whose window ended, ms; at least
 * one key starts a turn. A burst of thousands of files (a branch switch, a generator, a folder
 * deleted) ends thousands of windows at the same moment, and on a busy machine a long turn
 * lets dozens end together; started together they held the loop for tens of ms (a profile of
 * the heartbeat bench beside two busy loops: 20–40 ms of reads and parses in one turn), and the
 * server's sockets, HTTP answers and the heartbeat waited. A count (64 a turn, before) is right
 * only while files cost what they did when it was chosen. The rest start on the following
 * turns. A processor that reads and parses before its first wait (live-project.ts) spends that
 * inside its start, where this counts it. The budget is the process's, not a coalescer's: every
 * project's coalescer queues its starts on the same StartQueue (start-queue.ts).
 */
export const START_BUDGET_MS = 4;

/** The queue every coalescer of this process starts its keys from (one event loop, one budget). */
const processStarts = new StartQueue(START_BUDGET_MS);

interface KeyState {
  /** Start of the open window (performance.now()), or null when no events are pending. */
  windowStart: number | null;
  lastEventAt: number;
  /** Longest gap between consecutive events since the last run began. */
  longestGapMs: number;
  /** The newest event said the writer was done. */
  complete: boolean;
  timer: NodeJS.Timeout | null;
  /** A retry the processor asked for; replaced by any event. */
  retryTimer: NodeJS.Timeout | null;
  running: boolean;
  /** Its window ended and it waits on the start queue for its turn. */
  queued: boolean;
  /** An event came while running: run again as soon as the current run ends. */
  dirty: boolean;
}

export class Coalescer implements Closable {
  private readonly keys = new Map<string, KeyState>();
  private readonly idleWaiters: (() => void)[] = [];
  private readonly keyWaiters = new Map<string, (() => void)[]>();
  private closed = false;

  constructor(
    private readonly timing: CoalescerTiming,
    private readonly process: Processor,
    private readonly onError: (key: string, err: unknown) => void = () => undefined,
  ) {}

  /** An event happened for `key`; `complete`: its writer is done with it (no quiet to wait for). */
  touch(key: string, complete = false): void {
    if (this.closed) return;
    const now = performance.now();
    let state = this.keys.get(key);
    if (!state) {
      state = { windowStart: null, lastEventAt: now, longestGapMs: 0, complete, timer: null, retryTimer: null, running: false, queued: false, dirty: false };
      this.keys.set(key, state);
    }
    state.longestGapMs = Math.max(state.longestGapMs, now - state.lastEventAt);
    state.lastEventAt = now;
    state.complete = complete;
    if (state.retryTimer) {
      clearTimeout(state.retryTimer);
      state.retryTimer = null;
    }
    if (state.running) {
      state.dirty = true;
      return;
    }
    // Already waiting for its turn to start, and nothing more to wait for.
    if (state.queued && complete) return;
    // Waiting for its turn to start: the new event gets its quiet window first.
    state.queued = false;
    if (state.windowStart === null) state.windowStart = now;
    this.arm(key, state, now);
  }

  /**
   * Process `key` now (no quiet window) and resolve once it has no more work: a drift repair
   * goes through the same one-at-a-time path as watcher events, so the two never race.
   */
  request(key: string): Promise<void> {
    if (this.closed) return Promise.resolve();
    const done = new Promise<void>((resolve) => {
      const list = this.keyWaiters.get(key) ?? [];
      list.push(resolve);
      this.keyWaiters.set(key, list);
    });
    this.touch(key);
    const state = this.keys.get(key);
    if (state && !state.running && state.timer) {
      clearTimeout(state.timer);
      state.timer = setTimeout(() => this.windowEnded(key), 0);
    }
    return done;
  }

  /** Does `key` have pending, running or retrying work? */
  has(key: string): boolean {
    return this.keys.has(key);
  }

  /** Number of keys with pending, running or retrying work. */
  get pending(): number {
    return this.keys.size;
  }

  /** Resolves once no key has pending, running or scheduled work (retries included). */
  whenIdle(): Promise<void> {
    if (this.keys.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Forget pending work for every key (running work finishes but is not repeated). */
  clear(): void {
    for (const state of this.keys.values()) {
      if (state.timer) clearTimeout(state.timer);
      if (state.retryTimer) clearTimeout(state.retryTimer);
      state.timer = null;
      state.retryTimer = null;
      state.queued = false;
      state.dirty = false;
      state.windowStart = null;
    }
    for (const [key, state] of this.keys) if (!state.running) this.forget(key);
    this.notifyIfIdle();
  }

  close(): void {
    this.closed = true;
    this.clear();
  }

  private arm(key: string, state: KeyState, now: number): void {
    if (state.complete) {
      if (state.timer) clearTimeout(state.timer);
      this.windowEnded(key);
      return;
    }
    const windowStart = state.windowStart ?? now;
    const due = Math.min(now + this.timing.quietMs, windowStart + this.timing.maxWaitMs);
    if (state.timer) clearTimeout(state.timer);
    state.timer = setTimeout(() => this.windowEnded(key), Math.max(0, due - now));
  }

  /** The key's window is over: it starts on this turn, or on a later one in a burst. */
  private windowEnded(key: string): void {
    const state = this.keys.get(key);
    if (!state || this.closed) return;
    state.timer = null;
    state.queued = true;
    processStarts.push(() => this.startQueued(key));
  }

  /** The key's turn on the start queue came: start it, unless an event since (or clear) took it back. */
  private startQueued(key: string): boolean {
    const state = this.keys.get(key);
    if (this.closed || !state?.queued) return false;
    state.queued = false;
    void this.run(key);
    return true;
  }

  private async run(key: string): Promise<void> {
    const state = this.keys.get(key);
    if (!state || this.closed) return;
    state.timer = null;
    state.windowStart = null;
    state.running = true;
    let outcome: ProcessOutcome | void = undefined;
    try {
      const context = { lastEventAt: state.lastEventAt, longestGapMs: state.longestGapMs, complete: state.complete };
      state.longestGapMs = 0;
      outcome = await this.process(key, context);
    } catch (err) {
      this.onError(key, err);
    }
    state.running = false;
    if (this.closed) {
      this.forget(key);
      this.notifyIfIdle();
      return;
    }
    if (state.dirty) {
      // Events arrived during the run: give the writer its quiet window, then read again.
      state.dirty = false;
      const now = performance.now();
      state.windowStart = now;
      this.arm(key, state, now);
      return;
    }
    if (outcome && outcome.retryInMs !== undefined) {
      state.retryTimer = setTimeout(() => {
        state.retryTimer = null;
        this.windowEnded(key);
      }, Math.max(0, outcome.retryInMs));
      return;
    }
    if (!state.timer && !state.retryTimer) this.forget(key);
    this.notifyIfIdle();
  }

  private forget(key: string): void {
    this.keys.delete(key);
    const waiters = this.keyWaiters.get(key);
    if (!waiters) return;
    this.keyWaiters.delete(key);
    for (const resolve of waiters) resolve();
  }

  private notifyIfIdle(): void {
    if (this.keys.size > 0) return;
    const waiters = this.idleWaiters.splice(0);
    for (const resolve of waiters) resolve();
  }
}
