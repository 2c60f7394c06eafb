// The starts of files whose quiet window ended, queued across every project of the process:
// one time budget per turn of the event loop for all of them. Each project has a coalescer of
// its own; with a budget each, 20 projects whose windows ended on the same turn spent 20
// budgets in it (the heartbeat bench's probe of check phases: three coalescers' starts, 13.7 ms,
// in one turn), and a branch switch across 200 worktrees would start 200 files at once.
// First in, first started: a project with many due files does not hold back one whose file
// came due later for longer than the files ahead of it take.

/** A queued start. It says whether it started anything: an entry gone stale costs nothing. */
export type Start = () => boolean;

export class StartQueue {
  private queue: Start[] = [];
  /** Index of the next entry: entries are taken from the front without moving the rest. */
  private head = 0;
  private drain: NodeJS.Immediate | null = null;

  constructor(
    /** How long one turn may spend starting, ms; at least one start a turn whatever it costs. */
    private readonly budgetMs: number,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** Waiting entries, stale ones included. */
  get length(): number {
    return this.queue.length - this.head;
  }

  /** Start on this turn's check phase, or on a later one if the budget is spent. */
  push(start: Start): void {
    this.queue.push(start);
    this.drain ??= setImmediate(() => this.run());
  }

  private run(): void {
    this.drain = null;
    const until = this.now() + this.budgetMs;
    let started = 0;
    while (this.head < this.queue.length && (started === 0 || this.now() < until)) {
      const start = this.queue[this.head] as Start;
      this.head += 1;
      if (start()) started += 1;
    }
    if (this.head === this.queue.length) {
      this.queue = [];
      this.head = 0;
      return;
    }
    // A long burst's front is dropped now and then rather than shifted on every start.
    if (this.head > 1024) {
      this.queue = this.queue.slice(this.head);
      this.head = 0;
    }
    this.drain = setImmediate(() => this.run());
  }
}
