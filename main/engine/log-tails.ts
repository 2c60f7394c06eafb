// The log files being followed: one tail per file however many subscribe to it, closed when
// the last one leaves, poked when the project's watcher sees the file change.
import { realpath } from 'node:fs/promises';
import { relative, sep } from 'node:path';
import type { LogMessage } from '../../shared/protocol';
import type { LogSubscription } from './api';
import { LogTailer } from './log-tail';
import { resolveInside } from './path-guard';

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
   * Follow `relPath` under a project's root. Rejects for a path outside the root (after
   * realpath, so symlink escapes count).
   */
  async subscribe(projectId: string, root: string, relPath: string, listener: (msg: LogMessage) => void): Promise<LogSubscription> {
    const abs = await resolveInside(root, relPath);
    const rootReal = await realpath(root);
    const rel = relative(rootReal, abs).split(sep).join('/');
    const key = keyOf(projectId, rel);
    let entry = this.tails.get(key);
    if (!entry) {
      entry = { rel, tailer: new LogTailer({ path: abs, projectId, relPath, onError: (err) => this.onError(err) }) };
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
