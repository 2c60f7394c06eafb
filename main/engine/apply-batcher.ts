// Files read in a burst are applied to the model together. Applying a file re-derives every
// item of its source, so a source of N files applied one file at a time costs N derives of N
// items: 5,000 Backlog.md tasks created at once took minutes and froze the event loop. Here
// the changes read since the last apply wait for the next turn of the event loop and go in as
// one batch, and an apply that took d ms is followed by at least d ms of other work (reads,
// sockets, heartbeats) before the next: applies never take more than about half the time, and
// the number of derives stays small however many files come, so a burst costs time linear
// in its files. A lone save still goes in on the next turn, as before.
import type { FileChange } from './project-model';

/** The pause after an apply, as a multiple of the time the apply took: applies take at most a third of the time. */
const PAUSE_PER_APPLY_MS = 2;
/**
 * The longest pause. An apply measured in wall time can look long because the process was not
 * scheduled (a busy machine), and a lone save must not wait seconds for that; a model whose
 * applies truly take longer than half of this is big enough that they still dominate.
 */
const MAX_PAUSE_MS = 200;

export class ApplyBatcher {
  private pending: [string, FileChange][] = [];
  private waiters: (() => void)[] = [];
  private scheduled: NodeJS.Immediate | NodeJS.Timeout | null = null;
  private notBefore = 0;
  private closed = false;

  /** `apply` gets every change queued since the last call, in the order they were queued. */
  constructor(private readonly apply: (changes: [string, FileChange][]) => void) {}

  /** Queue a change; resolves once it has been applied (or dropped by close). */
  add(rel: string, change: FileChange): Promise<void> {
    if (this.closed) return Promise.resolve();
    this.pending.push([rel, change]);
    const applied = new Promise<void>((resolve) => this.waiters.push(resolve));
    this.schedule();
    return applied;
  }

  /** Queue several changes, applied in this order in one batch with whatever else is queued. */
  addAll(changes: readonly [string, FileChange][]): Promise<void> {
    if (this.closed || changes.length === 0) return Promise.resolve();
    for (const change of changes) this.pending.push(change);
    const applied = new Promise<void>((resolve) => this.waiters.push(resolve));
    this.schedule();
    return applied;
  }

  /** Drop what is queued; every waiter resolves. */
  close(): void {
    this.closed = true;
    if (this.scheduled) {
      clearTimeout(this.scheduled as NodeJS.Timeout);
      clearImmediate(this.scheduled as NodeJS.Immediate);
    }
    this.scheduled = null;
    this.pending = [];
    for (const resolve of this.waiters.splice(0)) resolve();
  }

  private schedule(): void {
    if (this.scheduled) return;
    const wait = this.notBefore - performance.now();
    this.scheduled = wait > 0 ? setTimeout(() => this.flush(), wait) : setImmediate(() => this.flush());
  }

  private flush(): void {
    this.scheduled = null;
    const batch = this.pending;
    const waiters = this.waiters;
    this.pending = [];
    this.waiters = [];
    const started = performance.now();
    try {
      if (batch.length > 0) this.apply(batch);
    } finally {
      const ended = performance.now();
      this.notBefore = ended + Math.min(MAX_PAUSE_MS, (ended - started) * PAUSE_PER_APPLY_MS);
      for (const resolve of waiters) resolve();
    }
  }
}
