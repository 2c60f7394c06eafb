// Reading a project from disk in one pass: walk the convention folders (never the whole
// repository), read each owned file, parse it with its adapters. `vigil scan`, the engine's
// first load, a refresh and the drift sweep all go through here, so they read files the
// same way the live pipeline does.
import { hash as digest } from 'node:crypto';
import { lstatSync, readdirSync, realpathSync, type Dirent, type Stats } from 'node:fs';
import { lstat, readdir, realpath, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import type { ParseIssue } from '../../shared/model';
import type { FileParse, SourceAdapter } from '../sources/types';
import type { FileChange } from './project-model';
import { isTempOrLockName } from '../sources/text';
import type { ProjectScope } from './scope';
import { noteDescriptorExhaustion } from './descriptors';
import { PathGuardError } from './path-guard';
import { readSlots } from './read-slots';
import { openInsideRoot, readInsideRootSync, type SafeFile } from './safe-open';

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
  | { kind: 'unreadable'; signature: FileSignature | null; message: string }
  /** The process is out of file descriptors (EMFILE/ENFILE): nothing is known, read again soon. */
  | { kind: 'busy'; message: string };

/**
 * Read one file of a project. Nothing outside the project root is ever read: the file is
 * opened without following a final symlink and without blocking (a FIFO), and the opened
 * handle's real location is checked against the root (safe-open.ts), so a folder on the way
 * swapped for a link to another tree is refused too. A file over `maxBytes` is reported, not
 * read. One handle does it all (open, fstat, read, close): every step is a round trip
 * through libuv's thread pool that waits its turn on a busy event loop, so the read is
 * answered as soon as the bytes are in, and the handle is closed behind it (its read slot is
 * held until then, so the descriptors in use stay bounded).
 *
 * `rootReal` is the project's real path; `rel` is root-relative with forward slashes.
 */
export function readProjectFile(rootReal: string, rel: string, maxBytes = DEFAULT_MAX_FILE_BYTES): Promise<FileRead> {
  return new Promise((resolve) => {
    void readSlots.run(async () => {
      let opened: SafeFile;
      try {
        opened = await openInsideRoot(rootReal, rel);
      } catch (err) {
        resolve(openFailure(err, rootReal, rel));
        return;
      }
      try {
        resolve(await readOpened(opened, rel, maxBytes).catch((err: unknown) => failedRead(err, rel, null)));
      } finally {
        await opened.handle.close().catch(() => undefined);
      }
    });
  });
}

async function openFailure(err: unknown, rootReal: string, rel: string): Promise<FileRead> {
  if ((err as NodeJS.ErrnoException).code === 'ELOOP') {
    // O_NOFOLLOW refused a symbolic link: say so rather than treat the file as gone.
    const stats = await lstat(join(rootReal, ...rel.split('/'))).catch(() => null);
    if (stats?.isSymbolicLink()) return symlinkRead(rel, stats);
  }
  return failedRead(err, rel, null);
}

async function readOpened({ handle, stats }: SafeFile, rel: string, maxBytes: number): Promise<FileRead> {
  const signature = signatureOf(stats);
  if (stats.size > maxBytes) return tooLarge(rel, signature, maxBytes);
  let buffer: Buffer;
  try {
    buffer = await readAll(handle, stats.size);
  } catch (err) {
    return failedRead(err, rel, signature);
  }
  return textRead(signature, buffer);
}

function textRead(signature: FileSignature, buffer: Buffer): FileRead {
  // The one-shot digest: about half the cost of a Hash object for a planning file's few KB,
  // and every file of every project is hashed when Vigil starts.
  return { kind: 'read', signature, text: buffer.toString('utf8'), hash: digest('sha1', buffer, 'base64') };
}

function tooLarge(rel: string, signature: FileSignature, maxBytes: number): FileRead {
  return {
    kind: 'unreadable',
    signature,
    message: `${rel} is ${formatBytes(signature.size)}, over the ${formatBytes(maxBytes)} Vigil reads; it was skipped. Split the file or move it out of the planning folder.`,
  };
}

/**
 * `readProjectFile` as blocking calls on this thread (safe-open.ts `readInsideRootSync`: the
 * same checks on the opened file). For a local disk, where they take microseconds: a
 * project's first load, in slices (loadProjectFilesInSlices), and each changed file of a
 * natively watched project (live-project.ts), whose read through the thread pool was four
 * round trips, each waiting for a turn of a busy event loop. Projects watched by polling
 * (network drives, where a blocking call could stall the process) read the pooled way.
 */
export function readProjectFileSync(rootReal: string, rel: string, maxBytes: number): FileRead {
  let opened: { stats: Stats; bytes: Buffer | null };
  try {
    opened = readInsideRootSync(rootReal, rel, maxBytes);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ELOOP') {
      let stats: Stats | null = null;
      try {
        stats = lstatSync(join(rootReal, ...rel.split('/')));
      } catch {
        // Gone meanwhile: missing, below.
      }
      if (stats?.isSymbolicLink()) return symlinkRead(rel, stats);
    }
    return failedRead(err, rel, null);
  }
  const signature = signatureOf(opened.stats);
  return opened.bytes === null ? tooLarge(rel, signature, maxBytes) : textRead(signature, opened.bytes);
}

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

/**
 * A read that failed: gone, not a regular file or outside the root is missing (nothing Vigil
 * may read is there); out of descriptors is busy (try again soon); the rest is unreadable.
 */
function failedRead(err: unknown, rel: string, signature: FileSignature | null): FileRead {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'ENOENT' || code === 'ENOTDIR' || code === 'EISDIR' || code === 'ELOOP') return { kind: 'missing' };
  if (err instanceof PathGuardError) return { kind: 'missing' };
  if (code === 'EMFILE' || code === 'ENFILE') {
    noteDescriptorExhaustion();
    return { kind: 'busy', message: `Cannot read ${rel} now: ${describeError(err)}` };
  }
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
      noteUnreadableFolder(relDir, err, unreadableFolders);
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
        if (isOwnedFile(scope, rel, entry.name)) files.push(rel);
      }
      // Symlinked folders are not entered: their target may lie outside the project.
    }
    // A few lstats in flight at a time: a folder of thousands of files must not queue thousands
    // of requests in one turn of the event loop.
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < files.length) {
        const rel = files[next++] as string;
        try {
          const stats = await lstat(join(root, rel));
          if (stats.isFile() || stats.isSymbolicLink()) found.set(rel, signatureOf(stats));
        } catch {
          // Gone between readdir and lstat: it simply is not there.
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(READ_CONCURRENCY, files.length) }, worker));
    await Promise.all(subdirs.map(visit));
  };

  await visit('');
  return found;
}

function isOwnedFile(scope: ProjectScope, rel: string, name: string): boolean {
  return !isTempOrLockName(name) && scope.seesFile(rel) && scope.ownersOf(rel).length > 0;
}

/** A folder that could not be listed hides planning files: say which and why (gone meanwhile is no problem). */
function noteUnreadableFolder(relDir: string, err: unknown, unreadableFolders: ParseIssue[] | undefined): void {
  const code = (err as NodeJS.ErrnoException).code;
  if (relDir === '' || code === 'ENOENT' || code === 'ENOTDIR') return;
  unreadableFolders?.push({
    path: relDir,
    line: null,
    message: `Cannot read the folder ${relDir}: ${describeError(err)}. The planning files in it are not shown; make it readable to see them.`,
  });
}

/**
 * The owned files under `root` as `listOwnedFiles` finds them, as blocking calls and without
 * their stats (the read that follows takes them from the opened file): one readdir per
 * folder in scope, an lstat only for an entry whose type the file system does not report.
 */
function listOwnedFilesSync(root: string, scope: ProjectScope, unreadableFolders?: ParseIssue[], listing?: FolderListing | null): string[] {
  const files: string[] = [];
  const visit = (relDir: string): void => {
    let entries = listing?.get(relDir);
    if (!entries) {
      try {
        entries = readdirSync(relDir === '' ? root : join(root, relDir), { withFileTypes: true });
      } catch (err) {
        noteUnreadableFolder(relDir, err, unreadableFolders);
        return;
      }
    }
    for (const entry of entries) {
      const rel = relDir === '' ? entry.name : `${relDir}/${entry.name}`;
      let isDir = entry.isDirectory();
      let listed = entry.isFile() || entry.isSymbolicLink();
      if (!isDir && !listed) {
        let stats: Stats | null = null;
        try {
          stats = lstatSync(join(root, rel));
        } catch {
          // Gone meanwhile.
        }
        isDir = stats?.isDirectory() ?? false;
        listed = stats?.isFile() ?? false;
      }
      // Symlinked folders are not entered; a symlink where a planning file belongs is listed (reading it reports it).
      if (isDir) {
        if (scope.entersDir(rel)) visit(rel);
      } else if (listed && isOwnedFile(scope, rel, entry.name)) files.push(rel);
    }
  };
  visit('');
  return files;
}

/** Blocking first-load work runs this long at most before the event loop gets a turn. */
const FIRST_LOAD_SLICE_MS = 8;

/**
 * `loadProjectFiles` for a project's first load: the listing, the reads (with every check of
 * the safe open) and the parses as blocking calls on this thread, in slices of
 * FIRST_LOAD_SLICE_MS with a turn of the event loop between them. Starting Vigil reads every
 * planning file of every project at once, and on the thread pool each file cost five round
 * trips whose overhead was several times the system calls themselves (docs/bench.md,
 * start-up); blocking calls on a local disk take microseconds. A file the process had no
 * descriptor for is read again the asynchronous way, with its back-off.
 */
export async function loadProjectFilesInSlices(root: string, scope: ProjectScope, options: LoadOptions = {}): Promise<LoadedFile[]> {
  const maxBytes = options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
  let rootReal = root;
  try {
    rootReal = realpathSync(root);
  } catch {
    // Gone meanwhile: every read below finds nothing.
  }
  const rels = listOwnedFilesSync(root, scope, options.unreadableFolders, options.listing).sort();
  const loaded: LoadedFile[] = [];
  const busy: string[] = [];
  let sliceStart = performance.now();
  for (const rel of rels) {
    if (performance.now() - sliceStart > FIRST_LOAD_SLICE_MS) {
      await new Promise((resolve) => setImmediate(resolve));
      sliceStart = performance.now();
    }
    const read = readProjectFileSync(rootReal, rel, maxBytes);
    if (read.kind === 'busy') busy.push(rel);
    else loaded.push({ rel, read, change: changeFor(read, scope, rel, true) });
  }
  if (busy.length > 0) loaded.push(...(await readFiles(root, busy, scope, options)));
  return loaded;
}

export interface LoadedFile {
  rel: string;
  read: FileRead;
  /** The change to apply to the model (with issues published: a loaded file is quiet). */
  change: FileChange;
}

/** Folders already listed, by root-relative path (`''` the root), with their entries. */
export type FolderListing = ReadonlyMap<string, readonly Dirent[]>;

export interface LoadOptions {
  maxFileBytes?: number;
  /** Filled with the folders that could not be read (see listOwnedFiles). */
  unreadableFolders?: ParseIssue[];
  /**
   * For the first load (loadProjectFilesInSlices): what arming the watches just listed, each
   * folder after its watch was set; a folder not in it is listed here. Starting Vigil listed
   * every folder twice without it.
   */
  listing?: FolderListing | null;
}

/** Files read at once: enough to keep the disk busy, few enough to stay far from EMFILE. */
const READ_CONCURRENCY = 32;

/** Read and parse every owned file of a project. Never throws for a file; a missing root yields nothing. */
export async function loadProjectFiles(root: string, scope: ProjectScope, options: LoadOptions = {}): Promise<LoadedFile[]> {
  const listed = await listOwnedFiles(root, scope, options.unreadableFolders);
  const rels = [...listed.keys()].sort();
  return readFiles(root, rels, scope, options);
}

/** Waits between reads that found no descriptor free, then the read is reported unreadable. */
const BUSY_BACKOFF_MS = [20, 50, 100, 200, 400, 800, 1600];

/** Read and parse the given files (missing ones come back as removals). */
export async function readFiles(root: string, rels: readonly string[], scope: ProjectScope, options: LoadOptions = {}): Promise<LoadedFile[]> {
  const maxBytes = options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
  // Reads are checked against the root's real path (a root given through a symlink included).
  const rootReal = await realpath(root).catch(() => root);
  const out: LoadedFile[] = new Array<LoadedFile>(rels.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < rels.length) {
      const index = next++;
      const rel = rels[index] as string;
      let read = await readProjectFile(rootReal, rel, maxBytes);
      for (const wait of BUSY_BACKOFF_MS) {
        if (read.kind !== 'busy') break;
        await new Promise((resolve) => setTimeout(resolve, wait));
        read = await readProjectFile(rootReal, rel, maxBytes);
      }
      out[index] = { rel, read, change: changeFor(read, scope, rel, true) };
    }
  };
  await Promise.all(Array.from({ length: Math.min(READ_CONCURRENCY, Math.max(1, rels.length)) }, worker));
  return out;
}

/** The model change a read amounts to. */
export function changeFor(read: FileRead, scope: ProjectScope, rel: string, publishIssues: boolean): FileChange {
  if (read.kind === 'missing') return { kind: 'removed' };
  if (read.kind === 'unreadable' || read.kind === 'busy') return { kind: 'unreadable', message: read.message };
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
