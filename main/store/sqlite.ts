// The SQLite driver, seen through the few calls the store makes. libsql's better-sqlite3
// compatible package: N-API binaries from the npm registry for every platform, so it installs
// without a compiler and loads in Node and in Electron without a rebuild (README, libraries).
import Database from 'libsql';
import AsyncDatabase from 'libsql/promise';

export type Db = Database.Database;
export type Statement = Database.Statement;
export type AsyncDb = AsyncDatabase;

/** Open (or create) a database file. The driver opens lazily: damage shows on the first statement. */
export function openDb(path: string): Db {
  return new Database(path);
}

/**
 * Open a connection whose statements run on the driver's own thread and settle a promise: the
 * event loop goes on meanwhile. Only for work that may take long and need not answer at once.
 */
export function openAsyncDb(path: string): AsyncDb {
  return new AsyncDatabase(path, {});
}

/**
 * Rows of a query as plain objects. libsql adds a `_metadata` key to rows read with `get`,
 * so the store reads every row through `all`, which gives clean objects.
 */
export function rows<T>(statement: Statement, ...params: unknown[]): T[] {
  return statement.all(...params) as T[];
}

export function firstRow<T>(statement: Statement, ...params: unknown[]): T | undefined {
  return rows<T>(statement, ...params)[0];
}

/**
 * Run `work` in one transaction. The driver's own wrapper issues ROLLBACK after any error,
 * but SQLite has already rolled back after some (SQLITE_FULL), and the second ROLLBACK's
 * error would hide the first: here the first error is the one thrown.
 */
export function inTransaction<T>(db: Db, work: () => T, mode: 'IMMEDIATE' | 'DEFERRED' = 'IMMEDIATE'): T {
  db.exec(`BEGIN ${mode}`);
  try {
    const result = work();
    db.exec('COMMIT');
    return result;
  } catch (err) {
    if (db.inTransaction) {
      try {
        db.exec('ROLLBACK');
      } catch {
        // The error that got us here is the one worth reporting.
      }
    }
    throw err;
  }
}

/** SQLite's result code for an error the driver threw (`SQLITE_FULL`, …), or null. */
export function sqliteCode(err: unknown): string | null {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('SQLITE_') ? code : null;
}

/** The disk (or the database's page limit) is full: writing can resume once there is room. */
export function isFull(err: unknown): boolean {
  const code = sqliteCode(err);
  return code === 'SQLITE_FULL' || (err as NodeJS.ErrnoException | null)?.code === 'ENOSPC';
}

/** The file is not a database, or its pages do not add up: it cannot be trusted again. */
export function isDamaged(err: unknown): boolean {
  const code = sqliteCode(err);
  return code === 'SQLITE_CORRUPT' || code === 'SQLITE_NOTADB' || code === 'SQLITE_CORRUPT_INDEX' || code === 'SQLITE_CORRUPT_VTAB';
}

export function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
