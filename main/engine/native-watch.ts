// Native watching of one project: one watch per folder the scope enters (the root, the
// convention folders to their depth, the folders on the way to nested roots) and nothing
// else — inotify on Linux, which also says when a writer closed a file, fs.watch elsewhere
// (folder-watch.ts). A file written costs one event per notification and no file-system call
// here: the coalescer decides when to read. Only a `rename` (something created, deleted or
// moved) costs an lstat, to keep the watched folders in step with the disk.
//
// Why not chokidar on this path: chokidar re-reads a folder (a readdir and an lstat per entry)
// each time the folder's watch fires, once at once and once more a second later; with agents
// writing planning files all day that was about half of the engine's CPU (docs/bench.md).
// chokidar still does polling (network drives, and the fallback when watches run out).
import { readdirSync, type Dirent } from 'node:fs';
import { lstat, readdir } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { watchFolder, type FolderEventKind, type FolderWatch } from './folder-watch';
import { WATCH_LOST } from './inotify';
import type { ProjectScope } from './scope';

export interface NativeWatchListener {
  /**
   * Something may have changed at `rel` (a file or a folder; root-relative, forward slashes).
   * `complete`: its writer closed it or it was moved into place, so its text is whole.
   */
  onPath(rel: string, complete: boolean): void;
  /** A folder in scope appeared or disappeared; its files were reported with onPath first. */
  onFolder(rel: string): void;
  /** The root's own watch says it was deleted or moved (the caller confirms with a stat). */
  onRootGone(): void;
  /** The number of watched folders changed. */
  onCount(): void;
  /** A folder could not be watched or listed. ENOSPC/EMFILE: the system ran out of watches or descriptors. */
  onError(err: unknown): void;
}

type EntryKind = 'dir' | 'other' | 'gone';

/** How a folder's entries are listed: on the thread pool, or (at start) as one blocking call. */
type Lister = (abs: string, rel: string) => Promise<Dirent[]> | Dirent[];
const listOnPool: Lister = (abs) => readdir(abs, { withFileTypes: true });

export class NativeWatch {
  /** Root-relative folder → its watch. */
  private readonly watches = new Map<string, FolderWatch>();
  /** Folder additions and removals, one at a time, in the order the events came. */
  private structure: Promise<void> = Promise.resolve();
  /** What start() listed, by root-relative folder, until the first load takes it (takeStartListing). */
  private startListing: Map<string, Dirent[]> | null = null;
  private closed = false;
  /** The inotify instance behind every watch here failed (WATCH_LOST was reported). */
  private lost = false;

  constructor(
    private readonly root: string,
    private readonly scope: ProjectScope,
    private readonly listener: NativeWatchListener,
  ) {}

  /** How many folders are watched. */
  get count(): number {
    return this.watches.size;
  }

  /**
   * Watch the root and every folder in scope below it; resolves once all are watched. Starting
   * Vigil arms every project at once: the listings are blocking calls then (microseconds each
   * on a local disk, against a thread-pool round trip); network drives are polled, never
   * watched here.
   */
  start(): Promise<void> {
    const listing = new Map<string, Dirent[]>();
    this.startListing = listing;
    const listNow: Lister = (abs, rel) => {
      const entries = readdirSync(abs, { withFileTypes: true });
      listing.set(rel, entries);
      return entries;
    };
    return this.serial(() => this.addTree('', false, listNow));
  }

  /**
   * The entries of every folder start() watched, each listed after its watch was set, so the
   * first load need not list them again (a file created since is reported by its watch). Given
   * once; null after that, or when start() listed nothing.
   */
  takeStartListing(): ReadonlyMap<string, readonly Dirent[]> | null {
    const listing = this.startListing;
    this.startListing = null;
    return listing;
  }

  /** Close every watch; resolves once no folder work is left running. */
  async close(): Promise<void> {
    this.closed = true;
    this.startListing = null;
    for (const watcher of this.watches.values()) watcher.close();
    this.watches.clear();
    await this.structure;
  }

  private serial(task: () => Promise<void>): Promise<void> {
    const next = this.structure.then(task).catch((err: unknown) => {
      if (!this.closed) this.listener.onError(err);
    });
    this.structure = next;
    return next;
  }

  /**
   * Watch `rel` and the folders in scope below it. The watch comes before the listing, so a
   * file created meanwhile is seen one way or the other. `announce`: report the files found
   * (a folder that appeared while running; at start the first load reads them).
   */
  private async addTree(rel: string, announce: boolean, list: Lister = listOnPool): Promise<void> {
    if (this.closed || this.watches.has(rel)) return;
    if (!this.watchFolder(rel)) return;
    let entries: Dirent[];
    try {
      entries = await list(this.abs(rel), rel);
    } catch (err) {
      if (!isGone(err)) this.listener.onError(err);
      return;
    }
    for (const entry of entries) {
      if (this.closed) return;
      const child = rel === '' ? entry.name : `${rel}/${entry.name}`;
      // Some file systems (network mounts) do not say what an entry is.
      const kind = entry.isDirectory() || entry.isFile() || entry.isSymbolicLink() ? (entry.isDirectory() ? 'dir' : 'other') : await this.kindOf(child);
      if (kind === 'dir') {
        if (this.scope.entersDir(child)) await this.addTree(child, announce, list);
      } else if (announce && kind === 'other') this.listener.onPath(child, false);
    }
  }

  /** Start watching one folder; false when it is gone or cannot be watched. */
  private watchFolder(rel: string): boolean {
    let watcher: FolderWatch;
    try {
      watcher = watchFolder(
        this.abs(rel),
        (event, name, complete) => this.onEvent(rel, event, name, complete),
        (err) => this.onWatchError(rel, err),
        // Folders below the root were checked not to be links (lstat); one swapped for a link
        // since is not followed out of the project. The root may be a link the user chose.
        { followSymlink: rel === '' },
      );
    } catch (err) {
      if (!isGone(err)) this.listener.onError(err);
      return false;
    }
    this.watches.set(rel, watcher);
    this.listener.onCount();
    return true;
  }

  private onEvent(folder: string, event: FolderEventKind, name: string | null, complete: boolean): void {
    if (this.closed) return;
    if (name === null) {
      // Some platforms do not always say which entry changed: look at the whole folder.
      void this.serial(() => this.reconcile(folder));
      return;
    }
    const rel = folder === '' ? name : `${folder}/${name}`;
    this.listener.onPath(rel, complete);
    if (event === 'rename') void this.serial(() => this.settle(folder, rel));
  }

  /** Something at `rel` was created, deleted or moved: bring the watched folders in line. */
  private async settle(folder: string, rel: string): Promise<void> {
    if (this.closed) return;
    const kind = await this.kindOf(rel);
    if (this.closed) return;
    if (kind === 'dir') {
      if (!this.watches.has(rel) && this.scope.entersDir(rel)) {
        await this.addTree(rel, true);
        if (!this.closed) this.listener.onFolder(rel);
      }
    } else if (this.watches.has(rel)) {
      this.removeTree(rel);
      this.listener.onFolder(rel);
    }
    // A watched folder's own deletion or move is reported under its own name.
    if (rel.slice(folder === '' ? 0 : folder.length + 1) === basename(this.abs(folder))) await this.renew(folder);
  }

  /**
   * The folder's own watch said it was deleted or moved away: that watch is dead, even when a
   * folder stands at the path again (one renamed over it). Watch whatever is there now.
   */
  private async renew(rel: string): Promise<void> {
    if (rel === '') return this.checkFolder(rel);
    if (this.closed || !this.watches.has(rel)) return;
    const kind = await this.kindOf(rel);
    if (this.closed || !this.watches.has(rel)) return;
    this.removeTree(rel);
    if (kind === 'dir' && this.scope.entersDir(rel)) await this.addTree(rel, true);
    if (!this.closed) this.listener.onFolder(rel);
  }

  /** Is the watched folder `rel` still there? If not, stop watching it (or report the root gone). */
  private async checkFolder(rel: string): Promise<void> {
    if (this.closed || !this.watches.has(rel)) return;
    if ((await this.kindOf(rel)) === 'dir' || this.closed) return;
    if (rel === '') {
      this.listener.onRootGone();
      return;
    }
    if (!this.watches.has(rel)) return;
    this.removeTree(rel);
    this.listener.onFolder(rel);
  }

  /** A folder whose event named no entry: compare its listing with what is watched. */
  private async reconcile(folder: string): Promise<void> {
    if (this.closed || !this.watches.has(folder)) return;
    let entries: Dirent[];
    try {
      entries = await readdir(this.abs(folder), { withFileTypes: true });
    } catch (err) {
      if (isGone(err)) return this.checkFolder(folder);
      throw err;
    }
    const present = new Set<string>();
    for (const entry of entries) {
      const child = folder === '' ? entry.name : `${folder}/${entry.name}`;
      present.add(child);
      this.listener.onPath(child, false);
      if (entry.isDirectory() && !this.watches.has(child) && this.scope.entersDir(child)) {
        await this.addTree(child, true);
        this.listener.onFolder(child);
      }
    }
    for (const watched of [...this.watches.keys()]) {
      if (watched !== folder && parentOf(watched) === folder && !present.has(watched) && this.watches.has(watched)) {
        this.removeTree(watched);
        this.listener.onFolder(watched);
      }
    }
  }

  private onWatchError(rel: string, err: unknown): void {
    if (this.closed) return;
    if ((err as NodeJS.ErrnoException | null)?.code === WATCH_LOST) {
      // Every folder's watch went at once: said once, and the owner watches the project anew.
      if (!this.lost) this.listener.onError(err);
      this.lost = true;
      return;
    }
    void this.serial(async () => {
      if ((await this.kindOf(rel)) === 'dir') {
        this.listener.onError(err);
        return;
      }
      await this.checkFolder(rel);
    });
  }

  /** Stop watching `rel` (never the root: its loss is the caller's to handle) and every folder below it. */
  private removeTree(rel: string): void {
    const prefix = `${rel}/`;
    for (const [folder, watcher] of this.watches) {
      if (folder === rel || folder.startsWith(prefix)) {
        watcher.close();
        this.watches.delete(folder);
      }
    }
    this.listener.onCount();
  }

  private async kindOf(rel: string): Promise<EntryKind> {
    try {
      // lstat: a symlink is never entered, its target may lie outside the project.
      return (await lstat(this.abs(rel))).isDirectory() ? 'dir' : 'other';
    } catch (err) {
      return isGone(err) ? 'gone' : 'other';
    }
  }

  private abs(rel: string): string {
    return rel === '' ? this.root : join(this.root, ...rel.split('/'));
  }
}

function parentOf(rel: string): string {
  const slash = rel.lastIndexOf('/');
  return slash < 0 ? '' : rel.slice(0, slash);
}

function isGone(err: unknown): boolean {
  const code = (err as NodeJS.ErrnoException | null)?.code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}
