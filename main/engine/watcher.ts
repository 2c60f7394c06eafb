// One watcher per project, scoped by ProjectScope: the project root at depth 0, the
// convention folders recursively (to their declared depth), and the folders leading to
// nested convention roots. A repository with 200k files and one `.planning/` costs a handful
// of watches, and a convention folder created later is seen through the root's own watch.
//
// Two backends. Native (the default): one watch per folder (native-watch.ts). Polling
// (network drives, and the fallback when the system runs out of watches or descriptors):
// chokidar. Two chokidar behaviours matter for correctness: its `change` event is throttled
// (a second change to the same path within 50 ms is swallowed), and it can fire while a file
// is still half-written. So with chokidar the watcher reports `raw` events too, unthrottled.
// Either way, deciding when to read is the coalescer's job.
import { watch as chokidarWatch, type FSWatcher } from 'chokidar';
import type { Dirent, Stats } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import { basename, isAbsolute, sep } from 'node:path';
import type { WatchStats } from '../../shared/model';
import type { Closable } from './api';
import { WATCH_LOST } from './inotify';
import { NativeWatch } from './native-watch';
import { isTempOrLockName } from '../sources/text';
import { toRel, type ProjectScope } from './scope';

export interface WatcherListener {
  /**
   * Something may have changed at `rel` (a file or a folder; root-relative, forward slashes).
   * `complete`: the writer closed it or it was moved into place (inotify only; polling never says).
   */
  onPath(rel: string, complete: boolean): void;
  /** A folder appeared or disappeared (a convention folder may have come or gone). */
  onFolder(rel: string): void;
  /** The project root itself seems to be gone (the caller confirms with a stat). */
  onRootGone(): void;
  /** Backend, watched folder count or errors changed. */
  onStats(): void;
}

export interface WatcherOptions {
  root: string;
  scope: ProjectScope;
  listener: WatcherListener;
  /** Start in polling mode (network drives; tests). Default: native events. */
  usePolling?: boolean;
  /** Poll interval once polling (by choice or after EMFILE/ENOSPC). */
  pollIntervalMs?: number;
}

export const DEFAULT_POLL_INTERVAL_MS = 1000;
/** Errors kept for display; older ones are dropped. */
const MAX_ERRORS = 5;

export class ProjectWatcher implements Closable {
  /** chokidar, when polling. */
  private watcher: FSWatcher | null = null;
  private native: NativeWatch | null = null;
  private watchRoot: string;
  private backend: WatchStats['backend'] = 'none';
  private watchedDirs = 0;
  private readonly errors: string[] = [];
  private closed = false;
  private readonly root: string;
  private readonly scope: ProjectScope;
  private readonly listener: WatcherListener;
  private readonly pollIntervalMs: number;
  private polling: boolean;
  private switching: Promise<void> | null = null;
  private abortReady: (() => void) | null = null;

  constructor(options: WatcherOptions) {
    this.root = options.root;
    this.watchRoot = options.root;
    this.scope = options.scope;
    this.listener = options.listener;
    this.pollIntervalMs = options.pollIntervalMs ?? DEFAULT_POLL_INTERVAL_MS;
    this.polling = options.usePolling ?? false;
  }

  /** Start watching; resolves once every scoped folder is watched. */
  async start(): Promise<void> {
    // Watch the real folder: a project root that is itself a symlink must not be seen as a link.
    this.watchRoot = await realpath(this.root).catch(() => this.root);
    await this.arm();
  }

  /** Backend, watched folders and recent errors (lastEventAt is the model's to fill in). */
  stats(): Omit<WatchStats, 'lastEventAt'> {
    return { backend: this.backend, watchedDirs: this.watchedDirs, errors: [...this.errors] };
  }

  /** What arming the native watches listed, for the first load (NativeWatch.takeStartListing); null when polling. */
  takeStartListing(): ReadonlyMap<string, readonly Dirent[]> | null {
    return this.native?.takeStartListing() ?? null;
  }

  /** Is this watcher polling because native watching failed? */
  get degraded(): boolean {
    return this.polling && this.errors.length > 0;
  }

  /**
   * Handle a watcher error. Out of watches or file descriptors: fall back to polling and say
   * how to fix it. Anything else: record it and go on. Public so it can be exercised directly.
   */
  handleError(err: unknown): void {
    if (this.closed) return;
    const code = (err as NodeJS.ErrnoException | null)?.code;
    if ((code === 'ENOSPC' || code === 'EMFILE') && !this.polling) {
      this.recordError(exhaustionMessage(code, this.root, this.pollIntervalMs));
      this.polling = true;
      this.switching = this.rearm();
      return;
    }
    this.recordError(`Watching ${this.root} failed: ${err instanceof Error ? err.message : String(err)}`);
    // The process's inotify instance failed: its watches are gone; watch again (with fs.watch).
    if (code === WATCH_LOST && !this.polling) this.switching = this.rearm();
  }

  async close(): Promise<void> {
    this.closed = true;
    this.abortReady?.();
    await this.switching?.catch(() => undefined);
    await this.disarm();
  }

  private async rearm(): Promise<void> {
    this.abortReady?.();
    await this.disarm();
    if (this.closed) return;
    await this.arm();
  }

  private async disarm(): Promise<void> {
    const watcher = this.watcher;
    const native = this.native;
    this.watcher = null;
    this.native = null;
    this.backend = 'none';
    this.watchedDirs = 0;
    await Promise.all([watcher?.close(), native?.close()]);
  }

  private async arm(): Promise<void> {
    if (this.polling) await this.armPolling();
    else await this.armNative();
  }

  private async armNative(): Promise<void> {
    const native = new NativeWatch(this.watchRoot, this.scope, {
      onPath: (rel, complete) => {
        if (!this.closed) this.listener.onPath(rel, complete);
      },
      onFolder: (rel) => {
        if (!this.closed) this.listener.onFolder(rel);
      },
      onRootGone: () => {
        if (!this.closed) this.listener.onRootGone();
      },
      onCount: () => {
        if (this.native === native && this.backend === 'native') this.setWatchedDirs(native.count);
      },
      onError: (err) => this.handleError(err),
    });
    this.native = native;
    await native.start();
    if (this.native !== native || this.closed) return;
    this.backend = 'native';
    this.watchedDirs = native.count;
    this.listener.onStats();
  }

  private async armPolling(): Promise<void> {
    const watcher = chokidarWatch(this.watchRoot, {
      ignoreInitial: true,
      // Links are neither followed nor read: their targets may lie outside the project.
      followSymlinks: false,
      usePolling: true,
      interval: this.pollIntervalMs,
      binaryInterval: this.pollIntervalMs,
      ignored: (path: string, stats?: Stats) => this.ignores(path, stats),
      // awaitWriteFinish is deliberately off: it adds hundreds of ms; the coalescer does this job.
    });
    this.watcher = watcher;
    watcher.on('all', (event, path) => this.onChokidarEvent(event, path));
    watcher.on('raw', (_event, evPath) => this.onRaw(evPath));
    watcher.on('error', (err) => this.handleError(err));
    await new Promise<void>((resolve) => {
      if (this.closed) return resolve();
      // Closing before ready must not leave start() hanging.
      this.abortReady = resolve;
      watcher.once('ready', () => resolve());
    });
    this.abortReady = null;
    if (this.watcher !== watcher || this.closed) return;
    this.backend = 'polling';
    this.countWatchedDirs();
    this.listener.onStats();
  }

  private ignores(path: string, stats?: Stats): boolean {
    const rel = toRel(this.watchRoot, path, sep);
    if (rel === null) return true;
    if (rel === '') return false;
    if (stats) {
      if (stats.isSymbolicLink()) return true;
      if (stats.isDirectory()) return !this.scope.entersDir(rel);
      return !this.scope.watchesFile(rel);
    }
    // No stats yet (chokidar asks twice): decide by name, allow what could be either.
    if (isTempOrLockName(basename(path))) return true;
    return !this.scope.entersDir(rel) && !this.scope.watchesFile(rel);
  }

  private onChokidarEvent(event: string, path: string): void {
    if (this.closed) return;
    const rel = toRel(this.watchRoot, path, sep);
    if (rel === null) return;
    switch (event) {
      case 'add':
      case 'change':
      case 'unlink':
        this.listener.onPath(rel, false);
        return;
      case 'addDir':
        this.countWatchedDirs();
        this.listener.onFolder(rel);
        return;
      case 'unlinkDir':
        if (rel === '') {
          this.listener.onRootGone();
          return;
        }
        this.countWatchedDirs();
        this.listener.onFolder(rel);
        return;
    }
  }

  /** Every poll that saw a change (chokidar's own `change` is throttled); the path is absolute. */
  private onRaw(evPath: unknown): void {
    if (this.closed || typeof evPath !== 'string' || !isAbsolute(evPath)) return;
    const rel = toRel(this.watchRoot, evPath, sep);
    if (rel === null) return;
    if (rel === '') {
      // The root itself changed: an entry came or went, or it was deleted. Only a stat can tell.
      void stat(this.watchRoot).then(
        (s) => (s.isDirectory() ? undefined : this.listener.onRootGone()),
        () => this.listener.onRootGone(),
      );
      return;
    }
    this.listener.onPath(rel, false);
  }


  private countWatchedDirs(): void {
    const watcher = this.watcher;
    if (!watcher) return;
    const prefix = this.watchRoot.endsWith(sep) ? this.watchRoot : this.watchRoot + sep;
    let count = 0;
    for (const dir of Object.keys(watcher.getWatched())) {
      if (dir === this.watchRoot || dir.startsWith(prefix)) count += 1;
    }
    this.setWatchedDirs(count);
  }

  private setWatchedDirs(count: number): void {
    if (count === this.watchedDirs) return;
    this.watchedDirs = count;
    this.listener.onStats();
  }

  private recordError(message: string): void {
    if (this.errors[this.errors.length - 1] === message) return;
    this.errors.push(message);
    if (this.errors.length > MAX_ERRORS) this.errors.shift();
    this.listener.onStats();
  }
}

/** The message for running out of watches or descriptors: what happened, and how to fix it. */
export function exhaustionMessage(code: 'ENOSPC' | 'EMFILE', root: string, pollIntervalMs: number): string {
  const fallback = `Vigil fell back to polling ${root} every ${pollIntervalMs} ms (slower, more CPU).`;
  if (code === 'ENOSPC') {
    return (
      `The system limit on file watches was reached (ENOSPC). ${fallback} ` +
      'Raise the limit: `sudo sysctl fs.inotify.max_user_watches=524288` ' +
      '(make it permanent in /etc/sysctl.d/99-vigil.conf), then restart Vigil.'
    );
  }
  return (
    `Too many open files (EMFILE). ${fallback} ` +
    'Raise the limit: `ulimit -n 65536` in the shell that starts Vigil (LimitNOFILE= for a systemd service; ' +
    '`launchctl limit maxfiles` on macOS), then restart Vigil.'
  );
}
