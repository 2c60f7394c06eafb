// Reading a project from disk in one pass: walk the convention folders (never the whole
// repository), read each owned file, parse it with its adapters. `vigil scan`, the engine's
// first load, a refresh and the drift sweep all go through here, so they read files the
// same way the live pipeline does.
import { createHash } from 'node:crypto';
import { constants as fsConstants, type Dirent, type Stats } from 'node:fs';
import { lstat, open, readdir, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import type { ParseIssue } from '../../shared/model';
import type { FileParse, SourceAdapter } from '../sources/types';
import type { FileChange } from './project-model';
import { isTempOrLockName } from '../sources/text';
import type { ProjectScope } from './scope';

/** Files larger than this are not read: a planning file this big is a mistake (or not a planning file). */
export const DEFAULT_MAX_FILE_BYTES = 4 * 1024 * 1024;

/** What the model last read of a file: enough for a stat-only drift check. */
export interface FileSignature {
  size: number;
  mtimeMs: number;
  ino: number;
}

export function signatureOf(stats: Stats): FileSignature {
  return { size: stats.size, mtimeMs: stats.mtimeMs, ino: stats.ino };
}

export function sameSignature(a: FileSignature | undefined, b: FileSignature | undefined): boolean {
  return a !== undefined && b !== undefined && a.size === b.size && a.mtimeMs === b.mtimeMs && a.ino === b.ino;
}

export type FileRead =
  | { kind: 'read'; signature: FileSignature; text: string; hash: string }
  | { kind: 'missing' }
  | { kind: 'unreadable'; signature: FileSignature | null; message: string };

/**
 * Read one file of a project. Symlinks are not followed (nothing outside the project root is
 * ever read); a file over `maxBytes` is reported, not read.
 *
 * Where the platform has O_NOFOLLOW, the file is read through one handle: open, fstat, read,
 * close. Every step is a round trip through libuv's thread pool that waits its turn on a busy
 * event loop, so two fewer steps per write (no lstat before, none after) shows in the latency
 * under load. O_NONBLOCK keeps a FIFO from blocking the open; fstat then says it is no file.
 */
export async function readProjectFile(abs: string, rel: string, maxBytes = DEFAULT_MAX_FILE_BYTES): Promise<FileRead> {
  let handle: FileHandle;
  try {
    if (NO_FOLLOW_FLAGS === null) {
      // No O_NOFOLLOW (Windows): look before opening.
      const stats = await lstat(abs);
      if (stats.isSymbolicLink()) return symlinkRead(rel, stats);
      if (!stats.isFile()) return { kind: 'missing' };
      handle = await open(abs, 'r');
    } else {
      handle = await open(abs, NO_FOLLOW_FLAGS);
    }
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ELOOP') {
      // O_NOFOLLOW refused a symbolic link: say so rather than treat the file as gone.
      const stats = await lstat(abs).catch(() => null);
      if (stats?.isSymbolicLink()) return symlinkRead(rel, stats);
    }
    return failedRead(err, rel, null);
  }
  try {
    const stats = await handle.stat();
    if (!stats.isFile()) return { kind: 'missing' };
    const signature = signatureOf(stats);
    if (stats.size > maxBytes) {
      return {
        kind: 'unreadable',
        signature,
        message: `${rel} is ${formatBytes(stats.size)}, over the ${formatBytes(maxBytes)} Vigil reads; it was skipped. Split the file or move it out of the planning folder.`,
      };
    }
    let buffer: Buffer;
    try {
      buffer = await readAll(handle, stats.size);
    } catch (err) {
      return failedRead(err, rel, signature);
    }
    const hash = createHash('sha1').update(buffer).digest('base64');
    return { kind: 'read', signature, text: buffer.toString('utf8'), hash };
  } catch (err) {
    return failedRead(err, rel, null);
  } finally {
    await handle.close().catch(() => undefined);
  }
}

/** open() flags that refuse a symlink and never block; null where the platform has no O_NOFOLLOW. */
const NO_FOLLOW_FLAGS = process.platform !== 'win32' && fsConstants.O_NOFOLLOW !== undefined && fsConstants.O_NONBLOCK !== undefined ? fsConstants.O_RDONLY | fsConstants.O_NOFOLLOW | fsConstants.O_NONBLOCK : null;

/**
 * The file's `size` bytes (fewer if it shrank meanwhile). Bytes written after the fstat are
 * left for the next read: writing them was an event of its own.
 */
async function readAll(handle: FileHandle, size: number): Promise<Buffer> {
  const buffer = Buffer.allocUnsafe(size);
  let length = 0;
  while (length < size) {
    const { bytesRead } = await handle.read(buffer, length, size - length, null);
    if (bytesRead === 0) break;
    length += bytesRead;
  }
  return buffer.subarray(0, length);
}

/**
 * A planning file that is a symbolic link is never followed (its target may lie outside the
 * project) and never silently left out: it is unreadable, with a reason a person can act on.
 */
function symlinkRead(rel: string, stats: Stats): FileRead {
  return {
    kind: 'unreadable',
    signature: signatureOf(stats),
    message: `${rel} is a symbolic link; Vigil does not follow links inside a project (the target may be outside it). Replace it with the file itself.`,
  };
}

/** A read that failed: gone is missing; the rest is unreadable. */
function failedRead(err: unknown, rel: string, signature: FileSignature | null): FileRead {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'ENOENT' || code === 'ENOTDIR' || code === 'EISDIR' || code === 'ELOOP') return { kind: 'missing' };
  return { kind: 'unreadable', signature, message: `Cannot read ${rel}: ${describeError(err)}` };
}

/** Parse `text` with every adapter that owns the file. Adapters promise never to throw; a throw becomes an issue. */
export function parseWith(owners: readonly SourceAdapter[], rel: string, text: string): { adapter: SourceAdapter; parse: FileParse<unknown> }[] {
  return owners.map((adapter) => {
    try {
      return { adapter, parse: adapter.parse(rel, text) as FileParse<unknown> };
    } catch (err) {
      return {
        adapter,
        parse: { facts: null, issues: [{ path: rel, line: null, message: `${adapter.label} could not parse this file: ${describeError(err)}` }] },
      };
    }
  });
}

/**
 * Every file in scope under `root`, with its stats (one readdir per convention folder, one
 * lstat per file). Files no adapter owns are left out. A folder that cannot be read is skipped
 * and, when `unreadableFolders` is given, reported there (its planning files are not silently
 * missing: the person is told which folder and why).
 */
export async function listOwnedFiles(root: string, scope: ProjectScope, unreadableFolders?: ParseIssue[]): Promise<Map<string, FileSignature>> {
  const found = new Map<string, FileSignature>();
  const visited = new Set<string>();

  const visit = async (relDir: string): Promise<void> => {
    if (visited.has(relDir)) return;
    visited.add(relDir);
    let entries: Dirent[];
    try {
      entries = await readdir(relDir === '' ? root : join(root, relDir), { withFileTypes: true });
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      // Gone between listing and reading is not a problem; anything else hides planning files.
      if (relDir !== '' && code !== 'ENOENT' && code !== 'ENOTDIR') {
        unreadableFolders?.push({
          path: relDir,
          line: null,
          message: `Cannot read the folder ${relDir}: ${describeError(err)}. The planning files in it are not shown; make it readable to see them.`,
        });
      }
      return;
    }
    const subdirs: string[] = [];
    const files: string[] = [];
    for (const entry of entries) {
      const rel = relDir === '' ? entry.name : `${relDir}/${entry.name}`;
      let isDir = entry.isDirectory();
      let isFile = entry.isFile();
      if (!isDir && !isFile && !entry.isSymbolicLink()) {
        // Some file systems (network mounts) do not report the type in readdir.
        const stats = await lstat(join(root, rel)).catch(() => null);
        isDir = stats?.isDirectory() ?? false;
        isFile = stats?.isFile() ?? false;
      }
      if (isDir) {
        if (scope.entersDir(rel)) subdirs.push(rel);
      } else if (isFile || entry.isSymbolicLink()) {
        // A symlink where a planning file belongs is listed (never followed): reading it reports it.
        if (!isTempOrLockName(entry.name) && scope.seesFile(rel) && scope.ownersOf(rel).length > 0) files.push(rel);
      }
      // Symlinked folders are not entered: their target may lie outside the project.
    }
    await Promise.all(
      files.map(async (rel) => {
        try {
          const stats = await lstat(join(root, rel));
          if (stats.isFile() || stats.isSymbolicLink()) found.set(rel, signatureOf(stats));
        } catch {
          // Gone between readdir and lstat: it simply is not there.
        }
      }),
    );
    await Promise.all(subdirs.map(visit));
  };

  await visit('');
  return found;
}

export interface LoadedFile {
  rel: string;
  read: FileRead;
  /** The change to apply to the model (with issues published: a loaded file is quiet). */
  change: FileChange;
}

export interface LoadOptions {
  maxFileBytes?: number;
  /** Filled with the folders that could not be read (see listOwnedFiles). */
  unreadableFolders?: ParseIssue[];
}

/** Files read at once: enough to keep the disk busy, few enough to stay far from EMFILE. */
const READ_CONCURRENCY = 32;

/** Read and parse every owned file of a project. Never throws for a file; a missing root yields nothing. */
export async function loadProjectFiles(root: string, scope: ProjectScope, options: LoadOptions = {}): Promise<LoadedFile[]> {
  const listed = await listOwnedFiles(root, scope, options.unreadableFolders);
  const rels = [...listed.keys()].sort();
  return readFiles(root, rels, scope, options);
}

/** Read and parse the given files (missing ones come back as removals). */
export async function readFiles(root: string, rels: readonly string[], scope: ProjectScope, options: LoadOptions = {}): Promise<LoadedFile[]> {
  const maxBytes = options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
  const out: LoadedFile[] = new Array<LoadedFile>(rels.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < rels.length) {
      const index = next++;
      const rel = rels[index] as string;
      const read = await readProjectFile(join(root, ...rel.split('/')), rel, maxBytes);
      out[index] = { rel, read, change: changeFor(read, scope, rel, true) };
    }
  };
  await Promise.all(Array.from({ length: Math.min(READ_CONCURRENCY, Math.max(1, rels.length)) }, worker));
  return out;
}

/** The model change a read amounts to. */
export function changeFor(read: FileRead, scope: ProjectScope, rel: string, publishIssues: boolean): FileChange {
  if (read.kind === 'missing') return { kind: 'removed' };
  if (read.kind === 'unreadable') return { kind: 'unreadable', message: read.message };
  return { kind: 'parsed', results: parseWith(scope.ownersOf(rel), rel, read.text), publishIssues, mtimeMs: read.signature.mtimeMs };
}

export function describeError(err: unknown): string {
  if (err instanceof Error) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
    return err.message;
  }
  return String(err);
}

function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${(bytes / (1024 * 1024)).toFixed(1).replace(/\.0$/, '')} MiB`;
  if (bytes >= 1024) return `${(bytes / 1024).toFixed(1).replace(/\.0$/, '')} KiB`;
  return `${bytes} bytes`;
}
