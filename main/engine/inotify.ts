// Linux folder watches that also say when a writer has finished a file.
//
// fs.watch reports a write as it happens, never its end: a file opened, written in ten
// chunks and closed looks the same as ten saves. So the engine waits for quiet, and a writer it
// caught between chunks waits longer (mid-write.ts). inotify knows more: IN_CLOSE_WRITE comes
// when a writer closes the file, IN_MOVED_TO when a finished file is renamed into place. This is
// the watch fs.watch would make (the same events, one watch per folder, so no more watches
// against the system's limit), plus those two, reported as `complete`.
//
// It calls libc through koffi (an FFI with per-platform binaries from the npm registry): one
// inotify instance per process, read by a blocking fs.read on libuv's thread pool (one of its
// threads waits there while any folder is watched). Removing the last watch makes the kernel
// send IN_IGNORED, which ends that read, so a process with no watches left can exit. Where
// koffi or inotify is not there, `openInotify` answers null and fs.watch is used.
import { createRequire } from 'node:module';
import { closeSync, read } from 'node:fs';
import { constants as osConstants } from 'node:os';
import { basename } from 'node:path';
import type * as KoffiModule from 'koffi';

export type FolderEventKind = 'rename' | 'change';

/** What one watched folder hears: like fs.watch's listener, plus whether the writer is done. */
export type FolderEventHandler = (event: FolderEventKind, name: string | null, complete: boolean) => void;

export interface FolderWatch {
  close(): void;
}

const IN_MODIFY = 0x2;
const IN_ATTRIB = 0x4;
const IN_CLOSE_WRITE = 0x8;
const IN_MOVED_FROM = 0x40;
const IN_MOVED_TO = 0x80;
const IN_CREATE = 0x100;
const IN_DELETE = 0x200;
const IN_DELETE_SELF = 0x400;
const IN_MOVE_SELF = 0x800;
const IN_Q_OVERFLOW = 0x4000;
const IN_IGNORED = 0x8000;
const IN_ONLYDIR = 0x1000000;
const IN_DONT_FOLLOW = 0x2000000;
const IN_CLOEXEC = 0o2000000;

/** fs.watch's mask (libuv), the writer's close, and folders only (a file there is ENOTDIR). */
const MASK = IN_MODIFY | IN_ATTRIB | IN_CLOSE_WRITE | IN_MOVED_FROM | IN_MOVED_TO | IN_CREATE | IN_DELETE | IN_DELETE_SELF | IN_MOVE_SELF | IN_ONLYDIR;
/** What fs.watch calls a `rename`: an entry came, went or moved. */
const RENAME_BITS = IN_MOVED_FROM | IN_MOVED_TO | IN_CREATE | IN_DELETE | IN_DELETE_SELF | IN_MOVE_SELF;
/** The file's text is whole: its writer closed it, or it was moved into place. */
const COMPLETE_BITS = IN_CLOSE_WRITE | IN_MOVED_TO;
/** struct inotify_event: int wd; uint32 mask, cookie, len; char name[len]. */
const EVENT_HEADER = 16;
/** Room for hundreds of events per read; the kernel never splits one. */
const READ_BUFFER = 64 * 1024;

/** An error every watch of a broken instance gets: the watcher watches its folders again. */
export const WATCH_LOST = 'EWATCHLOST';

interface LibcInotify {
  init(): number;
  add(fd: number, path: string, mask: number): number;
  remove(fd: number, wd: number): number;
  errno(): number;
}

interface Handle {
  wd: number;
  /** fs.watch names the folder itself this way in its own events. */
  base: string;
  onEvent: FolderEventHandler;
  onError: (err: Error) => void;
}

/** One inotify instance: the watches of every project, read on one thread-pool thread. */
export class Inotify {
  private fd: number | null = null;
  private readonly byWd = new Map<number, Set<Handle>>();
  private readonly buffer = Buffer.alloc(READ_BUFFER);
  private reading = false;
  /** Reading failed once: this instance is not used again (openInotify falls back to fs.watch). */
  broken = false;

  constructor(private readonly libc: LibcInotify) {}

  /**
   * Watch the folder `abs`; throws like fs.watch (with `code`: ENOENT, ENOTDIR, ENOSPC…).
   * `followSymlink: false`: a symlink at `abs` is not followed (ENOTDIR), so a folder swapped
   * for a link after it was checked is not watched through it.
   */
  watch(abs: string, onEvent: FolderEventHandler, onError: (err: Error) => void, { followSymlink = true } = {}): FolderWatch {
    const fd = this.open();
    const wd = this.libc.add(fd, abs, followSymlink ? MASK : MASK | IN_DONT_FOLLOW);
    if (wd < 0) {
      const err = errnoError(this.libc.errno(), abs);
      this.closeIfUnused();
      throw err;
    }
    const handle: Handle = { wd, base: basename(abs), onEvent, onError };
    // The same folder watched twice (nested project roots) is one watch: each handle hears it.
    let handles = this.byWd.get(wd);
    if (!handles) this.byWd.set(wd, (handles = new Set()));
    handles.add(handle);
    this.readNext();
    return { close: () => this.unwatch(handle) };
  }

  /** Folders watched now (for tests and diagnostics). */
  get watchCount(): number {
    return this.byWd.size;
  }

  private open(): number {
    if (this.fd !== null) return this.fd;
    const fd = this.libc.init();
    if (fd < 0) throw errnoError(this.libc.errno(), 'inotify_init1');
    this.fd = fd;
    return fd;
  }

  private unwatch(handle: Handle): void {
    const handles = this.byWd.get(handle.wd);
    if (!handles?.delete(handle) || handles.size > 0) return;
    this.byWd.delete(handle.wd);
    // The kernel answers with IN_IGNORED, which wakes the pending read.
    if (this.fd !== null) this.libc.remove(this.fd, handle.wd);
  }

  private readNext(): void {
    if (this.reading || this.fd === null) return;
    this.reading = true;
    const fd = this.fd;
    read(fd, this.buffer, 0, READ_BUFFER, null, (err, bytes) => {
      this.reading = false;
      if (err && (err.code === 'EINTR' || err.code === 'EAGAIN')) return this.readNext();
      if (err) return this.fail(err);
      this.dispatch(bytes);
      if (this.byWd.size > 0) this.readNext();
      else this.closeIfUnused();
    });
  }

  private dispatch(bytes: number): void {
    for (let offset = 0; offset + EVENT_HEADER <= bytes; ) {
      const wd = this.buffer.readInt32LE(offset);
      const mask = this.buffer.readUInt32LE(offset + 4);
      const length = this.buffer.readUInt32LE(offset + 12);
      const end = offset + EVENT_HEADER + length;
      // The name is padded with NULs to the length the kernel gives.
      const nul = this.buffer.indexOf(0, offset + EVENT_HEADER);
      const name = length > 0 ? this.buffer.toString('utf8', offset + EVENT_HEADER, nul >= 0 && nul < end ? nul : end) : null;
      offset = end;
      if (mask & IN_Q_OVERFLOW) {
        // Events were dropped: every folder is looked at again, as fs.watch's unnamed event asks.
        for (const handle of this.allHandles()) handle.onEvent('rename', null, false);
        continue;
      }
      const handles = this.byWd.get(wd);
      if (!handles) continue;
      if (mask & IN_IGNORED) {
        // The folder is gone (its DELETE_SELF came first) or the watch was removed.
        this.byWd.delete(wd);
        continue;
      }
      const kind: FolderEventKind = mask & RENAME_BITS ? 'rename' : 'change';
      const complete = (mask & COMPLETE_BITS) !== 0;
      for (const handle of [...handles]) handle.onEvent(kind, name ?? handle.base, complete);
    }
  }

  /** The descriptor cannot be read: every watch is lost. Each is told, and watched anew elsewhere. */
  private fail(cause: Error): void {
    this.broken = true;
    const handles = this.allHandles();
    this.byWd.clear();
    this.closeIfUnused();
    const err = Object.assign(new Error(`inotify stopped (${cause.message}): watching with fs.watch instead`), { code: WATCH_LOST, cause });
    for (const handle of handles) handle.onError(err);
  }

  private allHandles(): Handle[] {
    return [...this.byWd.values()].flatMap((handles) => [...handles]);
  }

  /** No watches left and no read pending: give the descriptor back (the next watch opens another). */
  private closeIfUnused(): void {
    if (this.fd === null || this.byWd.size > 0 || this.reading) return;
    closeSync(this.fd);
    this.fd = null;
  }
}

const errnoNames = new Map(Object.entries(osConstants.errno).map(([name, number]) => [number, name]));

function errnoError(errno: number, path: string): NodeJS.ErrnoException {
  const code = errnoNames.get(errno) ?? `E${errno}`;
  return Object.assign(new Error(`${code}: cannot watch '${path}' (inotify)`), { code, errno: -errno, syscall: 'inotify_add_watch', path });
}

let shared: Inotify | null | undefined;

/**
 * The process's inotify instance, or null where there is none to use (not Linux, koffi not
 * installed for this platform, or VIGIL_WATCH=fs, which keeps plain fs.watch).
 */
export function openInotify(): Inotify | null {
  // An instance that failed is not tried again: fs.watch from then on.
  if (shared?.broken) shared = null;
  if (shared !== undefined) return shared;
  shared = null;
  if (process.platform !== 'linux' || process.env.VIGIL_WATCH === 'fs') return shared;
  try {
    const koffi = createRequire(import.meta.url)('koffi') as typeof KoffiModule;
    // The process's own symbols: libc is already loaded, glibc or musl alike.
    const libc = koffi.load(null);
    const init = libc.func('int inotify_init1(int flags)');
    const add = libc.func('int inotify_add_watch(int fd, const char *path, uint32_t mask)');
    const remove = libc.func('int inotify_rm_watch(int fd, int wd)');
    shared = new Inotify({
      init: () => init(IN_CLOEXEC) as number,
      add: (fd, path, mask) => add(fd, path, mask) as number,
      remove: (fd, wd) => remove(fd, wd) as number,
      errno: () => koffi.errno(),
    });
  } catch {
    shared = null;
  }
  return shared;
}
