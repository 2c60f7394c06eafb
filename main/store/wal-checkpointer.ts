// The journal's write-ahead log is copied back into vigil.db from a connection of its own,
// whose statements run on the driver's thread rather than the event loop's. With SQLite's
// automatic checkpoint, the commit that took the WAL past 1,000 pages also copied them into
// the database and synced both files, on the engine's thread: 20–25 ms in a profile of a
// burst of large plans, and one journal slice of 166 ms (44 ms of it CPU, the rest the disk)
// in a probe of its turns — while file events, the sockets and the heartbeat waited.
//
// The writer's connection checkpoints no more (`wal_autocheckpoint = 0`). After a commit that
// left the WAL at SQLite's own threshold or more (1,000 pages of 4 KiB), this starts a PASSIVE
// checkpoint, one at a time, which never blocks the writer: its commits go on appending
// meanwhile, and the first commit after a checkpoint that copied everything starts the WAL over.
// That commit also truncates the file to what it wrote (`journal_size_limit = 0`), so the
// file's size is what waits to be copied: one stat after a commit, not a query, says whether
// a checkpoint is due. (A checkpoint a second, tried first, copied the same pages over and
// synced both files twenty times as often under a steady trickle of events.)
import { statSync } from 'node:fs';
import { openAsyncDb, type AsyncDb, type Db } from './sqlite';

/** WAL size from which a commit starts a checkpoint: SQLite's automatic threshold, 1,000 pages. */
export const CHECKPOINT_WAL_BYTES = 1000 * 4096;

export class WalCheckpointer {
  private connection: AsyncDb | null = null;
  private running: Promise<void> | null = null;
  private closed = false;
  private readonly walPath: string;

  /** Take checkpointing over from `writer`, the connection that writes `path`. */
  constructor(
    writer: Db,
    private readonly path: string,
    private readonly onError: (err: unknown) => void,
  ) {
    this.walPath = `${path}-wal`;
    writer.exec('PRAGMA wal_autocheckpoint = 0');
    writer.exec('PRAGMA journal_size_limit = 0');
  }

  /** The writer committed: start a checkpoint if the WAL has grown to the threshold and none is running. */
  written(): void {
    if (this.closed || this.running) return;
    if ((statSync(this.walPath, { throwIfNoEntry: false })?.size ?? 0) < CHECKPOINT_WAL_BYTES) return;
    this.running = this.checkpoint().finally(() => {
      this.running = null;
    });
  }

  /** Resolves when no checkpoint is running (close). */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  /**
   * Wait for a running checkpoint, then close this connection. Before the writer's own close,
   * so that the writer's is the last connection and copies what is left.
   */
  async close(): Promise<void> {
    this.closed = true;
    await this.idle();
    const connection = this.connection;
    this.connection = null;
    try {
      connection?.close();
    } catch (err) {
      this.onError(err);
    }
  }

  private async checkpoint(): Promise<void> {
    try {
      this.connection ??= openAsyncDb(this.path);
      await this.connection.exec('PRAGMA wal_checkpoint(PASSIVE)');
    } catch (err) {
      // The writer's commits are unaffected; the WAL grows until a later checkpoint succeeds,
      // or until the next open copies it back.
      this.onError(err);
    }
  }
}
