// Watchers miss things: atomic saves racing a folder re-read, network drives, a laptop that
// slept. The drift sweep periodically lists the convention folders and stats the owned files
// (no reads), compares size/mtime/inode with what the model last read, and sends anything
// that differs back through the normal pipeline. Every repair is counted: a watcher that
// keeps missing changes is a health problem worth showing.
import type { ParseIssue } from '../../shared/model';
import type { Closable } from './api';
import { listOwnedFiles, sameSignature, type FileSignature } from './loader';
import type { ProjectScope } from './scope';

export const DEFAULT_DRIFT_SWEEP_MS = 30_000;
const HOUR_MS = 60 * 60 * 1000;

/** Files whose state on disk differs from what was last read: changed, new, or gone. */
export async function findDrift(
  root: string,
  scope: ProjectScope,
  lastRead: ReadonlyMap<string, FileSignature | null>,
  /** Filled with the folders that could not be read. */
  unreadableFolders?: ParseIssue[],
): Promise<string[]> {
  const onDisk = await listOwnedFiles(root, scope, unreadableFolders);
  const drifted: string[] = [];
  for (const [rel, signature] of onDisk) {
    if (!lastRead.has(rel) || !sameSignature(lastRead.get(rel) ?? undefined, signature)) drifted.push(rel);
  }
  for (const rel of lastRead.keys()) if (!onDisk.has(rel)) drifted.push(rel);
  return drifted.sort();
}

/** Repairs over time, for "the watcher missed N changes in the last hour". */
export class RepairCounter {
  private readonly times: number[] = [];
  private totalCount = 0;

  record(count: number, at: number): void {
    for (let i = 0; i < count; i++) this.times.push(at);
    this.totalCount += count;
    this.prune(at);
  }

  get total(): number {
    return this.totalCount;
  }

  lastHour(now: number): number {
    this.prune(now);
    return this.times.length;
  }

  private prune(now: number): void {
    let drop = 0;
    while (drop < this.times.length && (this.times[drop] as number) <= now - HOUR_MS) drop += 1;
    if (drop > 0) this.times.splice(0, drop);
    // Bounded whatever happens: a storm of repairs keeps the newest.
    if (this.times.length > 10_000) this.times.splice(0, this.times.length - 10_000);
  }
}

/** Runs `sweep` every `intervalMs`, never two at once; a slow sweep delays the next instead of piling up. */
export class DriftTimer implements Closable {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private stopped = true;

  constructor(
    private readonly intervalMs: number,
    private readonly sweep: () => Promise<void>,
    private readonly onError: (err: unknown) => void = () => undefined,
  ) {}

  start(): void {
    if (!this.stopped || this.intervalMs <= 0) return;
    this.stopped = false;
    this.schedule();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  /** Stop and wait for a sweep in progress to finish. */
  async close(): Promise<void> {
    this.stop();
    await this.running;
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.running = this.sweep()
        .catch((err: unknown) => this.onError(err))
        .finally(() => {
          this.running = null;
          this.schedule();
        });
    }, this.intervalMs);
  }
}
