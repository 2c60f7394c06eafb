// When to send: a leading-edge throttle for the fan-out. Work that arrives after a quiet spell
// runs at once, in the caller's tick (no timer, no added latency); work that arrives within
// `windowMs` of the previous run's start waits for the window's end and then runs once for
// everything that gathered meanwhile. A run may finish later (a broadcast sent in chunks
// across turns of the event loop): the next one never starts before it has.

export interface PacerOptions {
  /** The least time from the start of one run to the start of the next, in ms. */
  windowMs: number;
  /** Monotonic ms; performance.now unless a test drives the clock. */
  now?: () => number;
  /** Call `fn` after `ms`; returns a cancel. setTimeout unless a test drives the timers. */
  setTimer?: (fn: () => void, ms: number) => () => void;
}

/**
 * The work of one run. Call `done` once it is complete, synchronously or later; until then
 * the pacer starts no other run.
 */
export type PacedRun = (done: () => void) => void;

function defaultTimer(fn: () => void, ms: number): () => void {
  const timer = setTimeout(fn, ms);
  return () => clearTimeout(timer);
}

export class Pacer {
  private readonly windowMs: number;
  private readonly now: () => number;
  private readonly setTimer: (fn: () => void, ms: number) => () => void;
  private lastStart = Number.NEGATIVE_INFINITY;
  private cancelTimer: (() => void) | null = null;
  private running = false;
  /** Work arrived that no run has started for yet. */
  private wanted = false;
  private closed = false;

  constructor(
    private readonly run: PacedRun,
    options: PacerOptions,
  ) {
    this.windowMs = Math.max(0, options.windowMs);
    this.now = options.now ?? (() => performance.now());
    this.setTimer = options.setTimer ?? defaultTimer;
  }

  /** There is work to do: run now if the last run started long enough ago, else at its window's end. */
  request(): void {
    if (this.closed) return;
    this.wanted = true;
    if (this.running || this.cancelTimer) return;
    const wait = this.lastStart + this.windowMs - this.now();
    if (wait <= 0) {
      this.start();
      return;
    }
    this.cancelTimer = this.setTimer(() => {
      this.cancelTimer = null;
      this.start();
    }, wait);
  }

  close(): void {
    this.closed = true;
    this.cancelTimer?.();
    this.cancelTimer = null;
  }

  private start(): void {
    if (this.closed || !this.wanted) return;
    this.wanted = false;
    this.running = true;
    this.lastStart = this.now();
    let finished = false;
    const done = (): void => {
      if (finished) return;
      finished = true;
      this.running = false;
      if (this.wanted) this.request();
    };
    try {
      this.run(done);
    } catch (err) {
      // A run that threw is over: the next one may start.
      done();
      throw err;
    }
  }
}
