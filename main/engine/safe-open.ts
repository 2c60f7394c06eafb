// Opening a file on behalf of a client, so that what is read is what was checked. A path
// checked once and opened later can be swapped in between (a log replaced by a symlink to
// /etc/passwd, its folder replaced by a link to another tree, a named pipe that blocks the
// open forever), so the checks run on the opened file itself, on every open:
//   - O_NOFOLLOW: a final symlink is refused by the kernel, not looked up beforehand;
//   - O_NONBLOCK: a FIFO or a device cannot hold a libuv thread in open();
//   - fstat of the handle: only a regular file is read;
//   - the handle's real location (Linux: /proc/self/fd/N; elsewhere the path's realpath,
//     which must lead to the same device and inode) must lie inside the project root.
// Every planning file goes through here on its way to clients, so each await is a round trip
// through libuv's thread pool that waits its turn on a busy machine: the /proc link is read
// synchronously (the kernel answers it from its own tables, never from the file system).
import { closeSync, constants as fsConstants, fstatSync, lstatSync, openSync, readlinkSync, readSync, realpathSync, statSync, type Stats } from 'node:fs';
import { lstat, open, realpath, stat, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { isInside, PathGuardError } from './path-guard';

export interface SafeFile {
  handle: FileHandle;
  stats: Stats;
}

/** open() flags that refuse a final symlink and never block; null where the platform has no O_NOFOLLOW. */
export const SAFE_OPEN_FLAGS =
  process.platform !== 'win32' && fsConstants.O_NOFOLLOW !== undefined && fsConstants.O_NONBLOCK !== undefined
    ? fsConstants.O_RDONLY | fsConstants.O_NOFOLLOW | fsConstants.O_NONBLOCK
    : null;

const PROC_FD = process.platform === 'linux' ? '/proc/self/fd' : null;

/**
 * Open `rel` (root-relative, forward slashes, already free of `..`) under `rootReal` (the
 * project's real path) for reading. Rejects with the file-system error for a missing file
 * (ENOENT/ENOTDIR), with ELOOP for a final symlink, and with a PathGuardError for anything
 * that is not a regular file or whose real location is outside the root. The caller closes
 * the handle.
 */
export async function openInsideRoot(rootReal: string, rel: string): Promise<SafeFile> {
  const abs = join(rootReal, ...rel.split('/'));
  let handle: FileHandle;
  if (SAFE_OPEN_FLAGS === null) {
    // No O_NOFOLLOW (Windows): look first; the identity check below catches a swap in between.
    if ((await lstat(abs)).isSymbolicLink()) throw errno('ELOOP', `${rel} is a symbolic link`);
    handle = await open(abs, 'r');
  } else {
    handle = await open(abs, SAFE_OPEN_FLAGS);
  }
  try {
    const stats = await handle.stat();
    if (!stats.isFile()) throw new PathGuardError('not_regular', `${rel} is not a regular file (a folder, a pipe or a device); only files are read.`);
    await checkOpenedInside(handle, stats, rootReal, abs, rel);
    return { handle, stats };
  } catch (err) {
    await handle.close().catch(() => undefined);
    throw err;
  }
}

/** Is the file behind `handle` inside `rootReal`? Throws a PathGuardError when it is not. */
async function checkOpenedInside(handle: FileHandle, stats: Stats, rootReal: string, abs: string, rel: string): Promise<void> {
  let where = procLocation(handle.fd);
  if (where === null) {
    const real = await realpath(abs).catch(() => null);
    const again = real === null ? null : await stat(real).catch(() => null);
    where = sameFileAt(real, again, stats, rel);
  }
  assertInside(rootReal, where, rel);
}

/** Where the kernel says descriptor `fd` points, or null without /proc (a container, a chroot, not Linux). */
function procLocation(fd: number): string | null {
  if (PROC_FD === null) return null;
  try {
    return readlinkSync(`${PROC_FD}/${fd}`);
  } catch {
    return null;
  }
}

/** `real` when it is the opened file (same device and inode): a swap between the open and the look is refused rather than guessed at. */
function sameFileAt(real: string | null, again: Stats | null, opened: Stats, rel: string): string {
  if (real === null || again === null || again.ino !== opened.ino || again.dev !== opened.dev) {
    throw new PathGuardError('outside_root', `${rel} changed while it was being opened; it was not read.`);
  }
  return real;
}

function assertInside(rootReal: string, where: string, rel: string): void {
  if (!isInside(rootReal, where)) {
    throw new PathGuardError('outside_root', `${rel} leads outside the project root ${rootReal} (through a symbolic link or a moved folder); it was not read.`);
  }
}

/**
 * `openInsideRoot` and the read in one go, with the same checks, as blocking calls on the
 * calling thread: for the first load of a project, where the thread-pool round trips of the
 * asynchronous path (five per file) cost several times the system calls themselves. Returns
 * the stats and, when the file is at most `maxBytes`, its bytes (fewer if it shrank
 * meanwhile); throws what `openInsideRoot` rejects with.
 */
export function readInsideRootSync(rootReal: string, rel: string, maxBytes: number): { stats: Stats; bytes: Buffer | null } {
  const abs = join(rootReal, ...rel.split('/'));
  let fd: number;
  if (SAFE_OPEN_FLAGS === null) {
    if (lstatSync(abs).isSymbolicLink()) throw errno('ELOOP', `${rel} is a symbolic link`);
    fd = openSync(abs, 'r');
  } else {
    fd = openSync(abs, SAFE_OPEN_FLAGS);
  }
  try {
    const stats = fstatSync(fd);
    if (!stats.isFile()) throw new PathGuardError('not_regular', `${rel} is not a regular file (a folder, a pipe or a device); only files are read.`);
    let where = procLocation(fd);
    if (where === null) {
      let real: string | null = null;
      let again: Stats | null = null;
      try {
        real = realpathSync(abs);
        again = statSync(real);
      } catch {
        // Gone or swapped meanwhile: refused below.
      }
      where = sameFileAt(real, again, stats, rel);
    }
    assertInside(rootReal, where, rel);
    if (stats.size > maxBytes) return { stats, bytes: null };
    const buffer = Buffer.allocUnsafe(stats.size);
    let length = 0;
    while (length < stats.size) {
      const bytesRead = readSync(fd, buffer, length, stats.size - length, null);
      if (bytesRead === 0) break;
      length += bytesRead;
    }
    return { stats, bytes: buffer.subarray(0, length) };
  } finally {
    closeSync(fd);
  }
}

function errno(code: string, message: string): NodeJS.ErrnoException {
  const err = new Error(message) as NodeJS.ErrnoException;
  err.code = code;
  return err;
}

/**
 * The text of a small regular file Vigil reads for itself at a path a project controls (an
 * agent's settings file, a worktree's `.git` and the HEAD it points to), where no project root
 * bounds the path. The same guarantees as a client's read, less the root: the open never
 * blocks (a named pipe or a device is refused, not waited on), only a regular file is read,
 * and with `followSymlink: false` a final symlink is refused (ELOOP). Rejects with the
 * file-system error (ENOENT, EACCES, ELOOP…), or a PathGuardError for what is not a regular
 * file or is larger than `maxBytes`.
 */
export async function readRegularFile(path: string, options: { maxBytes: number; followSymlink: boolean }): Promise<{ text: string; stats: Stats }> {
  let handle: FileHandle;
  if (SAFE_OPEN_FLAGS === null) {
    if (!options.followSymlink && (await lstat(path)).isSymbolicLink()) throw errno('ELOOP', `${path} is a symbolic link`);
    handle = await open(path, 'r');
  } else {
    handle = await open(path, options.followSymlink ? SAFE_OPEN_FLAGS & ~fsConstants.O_NOFOLLOW : SAFE_OPEN_FLAGS);
  }
  try {
    const stats = await handle.stat();
    if (!stats.isFile()) throw new PathGuardError('not_regular', `${path} is not a regular file (a folder, a pipe or a device); it was not read.`);
    if (stats.size > options.maxBytes) throw new PathGuardError('not_regular', `${path} is larger than ${options.maxBytes} bytes; it was not read.`);
    const buffer = Buffer.alloc(stats.size);
    const { bytesRead } = await handle.read(buffer, 0, stats.size, 0);
    return { text: buffer.subarray(0, bytesRead).toString('utf8'), stats };
  } finally {
    await handle.close().catch(() => undefined);
  }
}
