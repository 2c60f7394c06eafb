// The journal's write-ahead log is copied back into vigil.db from a connection of its own,
// whose statements run on the driver's thread rather than the event loop's. With SQLite's
// automatic checkpoint, the commit that took the WAL past 1,000 pages also copied them into
// the database and synced both files, on the engine's thread: 20–25 ms in a profile of a
// burst of large plans, and one journal slice of 166 ms (44 ms of it CPU, the rest the disk)
// in a probe of its turns — while file events, the sockets and the heartbeat waited.
//
// The writer's connection checkpoints no more (`wal_autocheckpoint = 0`). After its commits
// this starts a PASSIVE checkpoint — one at a time, at most one every CHECKPOINT_GAP_MS, and
// one more after the last commit of a burst — which never blocks the writer: its commits go on appending to the WAL meanwhile, and SQLite starts
// the WAL over at the first commit after a checkpoint that copied it all.
import { openAsyncDb, type AsyncDb, type Db } from './sqlite';

/** Least time between the starts of two checkpoints while the journal is written, ms. */
export const CHECKPOINT_GAP_MS = 1000;

export class WalCheckpointer {
  private connection: AsyncDb | null = null;
  private running: Promise<void> | null = null;
  /** Commits since the running or last checkpoint began: another one is due. */
  private dirty = false;
  /** Waits out the gap before a due checkpoint. */
  private timer: NodeJS.Timeout | null = null;
  private lastStart = Number.NEGATIVE_INFINITY;
  private closed = false;

  /** Take checkpointing over from `writer`, the connection that writes `path`. */
  constructor(
    writer: Db,
    private readonly path: string,
    private readonly onError: (err: unknown) => void,
    private readonly gapMs = CHECKPOINT_GAP_MS,
  ) {
    writer.exec('PRAGMA wal_autocheckpoint = 0');
  }

  /**
   * The writer committed: a checkpoint starts now, or when the running one ends, or once the
   * gap since the last one has passed — so what a burst wrote last is copied too.
   */
  written(): void {
    if (this.closed) return;
    this.dirty = true;
    this.startWhenDue();
  }

  /** Resolves when no checkpoint is running (one may still wait out its gap). */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  /**
   * Wait for a running checkpoint, then close this connection. Before the writer's own close:
   * the last connection to close copies what is left and removes the WAL.
   */
  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.idle();
    const connection = this.connection;
    this.connection = null;
    try {
      connection?.close();
    } catch (err) {
      this.onError(err);
    }
  }

  private startWhenDue(): void {
    if (this.closed || this.running || this.timer || !this.dirty) return;
    const wait = this.lastStart + this.gapMs - performance.now();
    if (wait > 0) {
      this.timer = setTimeout(() => {
        this.timer = null;
        this.startWhenDue();
      }, wait);
      // A WAL not yet copied is safe: the next open, or the writer's close, copies it.
      this.timer.unref();
      return;
    }
    this.dirty = false;
    this.lastStart = performance.now();
    this.running = this.checkpoint().finally(() => {
      this.running = null;
      this.startWhenDue();
    });
  }

  private async checkpoint(): Promise<void> {
    try {
      this.connection ??= openAsyncDb(this.path);
      await this.connection.exec('PRAGMA wal_checkpoint(PASSIVE)');
    } catch (err) {
      // The writer's commits are unaffected; the WAL grows until a later checkpoint succeeds,
      // or until the writer's close copies it back.
      this.onError(err);
    }
  }
}
