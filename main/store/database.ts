// Opening vigil.db: the folder, WAL, the migrations, the writer lock, and what to do with a
// file that cannot be used. A damaged or unreadable database is moved aside to
// `vigil.db.corrupt-<time>` (with its -wal and -shm) and a fresh one started, with a warning
// that says where the old one went: never a crash, never a silent reset.
import { existsSync, mkdirSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { NewerSchemaError, SCHEMA_VERSION, migrate, schemaVersion } from './migrations';
import { errorText, firstRow, isDamaged, openDb, sqliteCode, type Db } from './sqlite';

export const DB_FILE = 'vigil.db';
/** Held (locked) by the one process that writes the journal; see `takeWriterLock`. */
export const WRITER_LOCK_FILE = 'vigil.db.writer';

export interface OpenedJournalDb {
  db: Db;
  path: string;
  /** Newest seq in the file (0 for a new one). */
  lastSeq: number;
  /** A damaged file was moved here (null when nothing was). */
  movedAside: string | null;
  /** Why it was moved, in the driver's words. */
  damage: string | null;
}

/** Where a damaged database goes: beside it, named after the time it was found. */
export function asideName(path: string, now: Date): string {
  return `${path}.corrupt-${now.toISOString().replace(/[:.]/g, '-')}`;
}

/** Move the database and its WAL files aside; returns the new name of the database. */
export function moveAside(path: string, now: Date): string {
  const aside = asideName(path, now);
  // The WAL goes with it: without it the copy is missing its newest pages.
  for (const suffix of ['-wal', '-shm']) {
    if (existsSync(path + suffix)) renameSync(path + suffix, aside + suffix);
  }
  if (existsSync(path)) renameSync(path, aside);
  return aside;
}

function prepare(db: Db, path: string): number {
  // WAL: readers (the `vigil history` command, queries) never wait for the writer.
  db.exec('PRAGMA journal_mode = WAL');
  // In WAL mode NORMAL loses at most the last transactions on power loss, never consistency.
  db.exec('PRAGMA synchronous = NORMAL');
  db.exec('PRAGMA foreign_keys = ON');
  // SQLite's default page cache, 2 MiB, stated: the journal appends at the end of its indexes,
  // and pages read back come from the OS's file cache. 16 MiB (tried) filled up over hours of
  // appends and showed as resident memory that only grew (bench: soak).
  db.exec('PRAGMA cache_size = -2000');
  migrate(db, path);
  return firstRow<{ seq: number | null }>(db.prepare('SELECT MAX(seq) AS seq FROM events'))?.seq ?? 0;
}

/** The newest seq a damaged file still tells, so a fresh journal can count on from it; 0 when it tells nothing. */
function salvageLastSeq(path: string): number {
  let db: Db | null = null;
  try {
    db = openDb(path);
    return firstRow<{ seq: number | null }>(db.prepare('SELECT MAX(seq) AS seq FROM events'))?.seq ?? 0;
  } catch {
    return 0;
  } finally {
    try {
      db?.close();
    } catch {
      // Closing a damaged file may fail too; it is being moved aside anyway.
    }
  }
}

/**
 * Open (creating if needed) `dir/vigil.db` for writing. Throws only when no database can be
 * had at all (the folder cannot be written, or the file is from a newer Vigil); the caller
 * then runs without history and says why.
 */
export function openJournalDb(dir: string, now: () => Date = () => new Date()): OpenedJournalDb {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, DB_FILE);
  let db: Db | null = null;
  try {
    db = openDb(path);
    const lastSeq = prepare(db, path);
    return { db, path, lastSeq, movedAside: null, damage: null };
  } catch (err) {
    closeQuietly(db);
    if (err instanceof NewerSchemaError || !canMoveAside(err, path)) throw err;
    const damage = errorText(err);
    const salvaged = salvageLastSeq(path);
    const movedAside = moveAside(path, now());
    const fresh = openDb(path);
    try {
      prepare(fresh, path);
    } catch (again) {
      closeQuietly(fresh);
      throw again;
    }
    return { db: fresh, path, lastSeq: salvaged, movedAside, damage };
  }
}

/** Damage, or a file that is there but cannot be opened (permissions, a folder in its place). */
function canMoveAside(err: unknown, path: string): boolean {
  if (isDamaged(err)) return true;
  const code = sqliteCode(err) ?? '';
  const unreadable = ['SQLITE_CANTOPEN', 'SQLITE_PERM', 'SQLITE_READONLY', 'SQLITE_IOERR', 'SQLITE_AUTH'].some((c) => code.startsWith(c));
  // A file that is not there was never opened: the folder is the problem, and moving helps nothing.
  return unreadable && existsSync(path);
}

/** Open an existing vigil.db to read it (the `vigil history` command); null when there is none. */
export function openJournalForReading(dir: string): { db: Db; path: string } | null {
  const path = join(dir, DB_FILE);
  if (!existsSync(path)) return null;
  const db = openDb(path);
  try {
    const version = schemaVersion(db);
    if (version > SCHEMA_VERSION) throw new NewerSchemaError(path, version);
    if (version === 0) {
      closeQuietly(db);
      return null;
    }
  } catch (err) {
    closeQuietly(db);
    throw err;
  }
  return { db, path };
}

/**
 * One process writes the journal. The lock is a tiny SQLite file held in exclusive locking
 * mode: the OS releases it when the process ends, however it ends, so a crash never leaves a
 * stale lock behind (a lock file with a pid or an mtime would). Returns the held lock, or
 * null when another process holds it.
 */
export function takeWriterLock(dir: string): Db | null {
  const lock = openDb(join(dir, WRITER_LOCK_FILE));
  try {
    lock.exec('PRAGMA locking_mode = EXCLUSIVE');
    lock.exec('BEGIN EXCLUSIVE');
    lock.exec('COMMIT');
    return lock;
  } catch (err) {
    closeQuietly(lock);
    if (sqliteCode(err) === 'SQLITE_BUSY' || sqliteCode(err) === 'SQLITE_LOCKED') return null;
    throw err;
  }
}

export function closeQuietly(db: Db | null): void {
  try {
    db?.close();
  } catch {
    // Already closed, or the file is gone: nothing left to release.
  }
}
