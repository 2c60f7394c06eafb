// The log files being followed: one tail per file however many subscribe to it, closed when
// the last one leaves, poked when the project's watcher sees the file change.
import type { LogMessage } from '../../shared/protocol';
import type { LogSubscription } from './api';
import { LogTailer } from './log-tail';

interface TailEntry {
  tailer: LogTailer;
  /** Root-relative path of the tailed file, as the watcher reports it. */
  rel: string;
}

const keyOf = (projectId: string, rel: string): string => `${projectId}\u0000${rel}`;

export class LogTails {
  private readonly tails = new Map<string, TailEntry>();

  constructor(private readonly onError: (err: unknown) => void) {}

  /**
   * Follow `rel` under a project's real root; the caller has checked it is a log the client may
   * follow (log-paths.ts), and every open the tail makes is checked again (safe-open.ts).
   * `relPath` is the path as the client named it, echoed in messages.
   */
  async subscribe(projectId: string, rootReal: string, rel: string, relPath: string, listener: (msg: LogMessage) => void): Promise<LogSubscription> {
    const key = keyOf(projectId, rel);
    let entry = this.tails.get(key);
    if (!entry) {
      entry = { rel, tailer: new LogTailer({ root: rootReal, rel, projectId, relPath, onError: (err) => this.onError(err) }) };
      this.tails.set(key, entry);
    }
    const { tailer } = entry;
    const subscription = tailer.subscribe(listener);
    await tailer.loaded();
    let closed = false;
    return {
      backlog: tailer.backlog(),
      close: () => {
        if (closed) return;
        closed = true;
        subscription.close();
        // Tail only while someone is reading: the last one out closes it.
        if (tailer.subscriberCount === 0 && this.tails.get(key)?.tailer === tailer) {
          tailer.close();
          this.tails.delete(key);
        }
      },
    };
  }

  /** A file changed in a project: if it is followed, read what was added. */
  poke(projectId: string, rel: string): void {
    if (this.tails.size === 0) return;
    const entry = this.tails.get(keyOf(projectId, rel));
    if (entry) void entry.tailer.poke().catch((err: unknown) => this.onError(err));
  }

  /** Stop following every file of a project (it was removed). */
  closeProject(projectId: string): void {
    for (const [key, entry] of this.tails) {
      if (entry.tailer.projectId === projectId) {
        entry.tailer.close();
        this.tails.delete(key);
      }
    }
  }

  close(): void {
    for (const entry of this.tails.values()) entry.tailer.close();
    this.tails.clear();
  }
}
