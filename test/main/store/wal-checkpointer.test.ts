import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { DB_FILE, closeQuietly, openJournalDb } from '../../../main/store/database';
import { History } from '../../../main/store/history';
import type { Db } from '../../../main/store/sqlite';
import { WalCheckpointer } from '../../../main/store/wal-checkpointer';
import { tempDir, waitUntil } from '../engine/live-helpers';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function config(): string {
  const dir = tempDir('vigil-wal-');
  cleanups.push(dir.remove);
  return dir.path;
}

/** vigil.db opened for writing in a fresh folder, its checkpoints taken over; both closed after the test. */
function journalDb(): { db: Db; path: string; checkpointer: WalCheckpointer } {
  const { db, path } = openJournalDb(config());
  const checkpointer = new WalCheckpointer(db, path, (err) => {
    throw err;
  });
  cleanups.push(async () => {
    await checkpointer.close();
    closeQuietly(db);
  });
  return { db, path, checkpointer };
}

const size = (path: string): number => (existsSync(path) ? statSync(path).size : 0);
const MB = 1024 * 1024;

/** About 1 MiB of rows, in the caller's transaction. */
function oneMb(db: Db): void {
  db.exec('CREATE TABLE IF NOT EXISTS filler (id INTEGER PRIMARY KEY, text TEXT NOT NULL)');
  const insert = db.prepare('INSERT INTO filler (text) VALUES (?)');
  for (let i = 0; i < 256; i++) insert.run(`${i}:`.padEnd(4000, 'x'));
}

/** About `mb` MiB of rows in transactions of 1 MiB, as a run's log or a burst of plans would write them. */
function fill(db: Db, mb: number): void {
  for (let t = 0; t < mb; t++) {
    db.exec('BEGIN IMMEDIATE');
    oneMb(db);
    db.exec('COMMIT');
  }
}

describe('WAL checkpointer', () => {
  test('the writer’s commits no longer copy the WAL back: it grows past SQLite’s automatic 1,000 pages', () => {
    const { db, path } = journalDb();
    fill(db, 12);
    // With the automatic checkpoint the WAL starts over at about 4 MiB and the rows land in vigil.db.
    expect(size(`${path}-wal`)).toBeGreaterThan(10 * MB);
    expect(size(path)).toBeLessThan(1 * MB);
  });

  test('written() copies the WAL into vigil.db on its own connection while the event loop turns', async () => {
    const { db, path, checkpointer } = journalDb();
    fill(db, 12);
    let turns = 0;
    let turning = true;
    const turn = (): void => {
      turns += 1;
      if (turning) setImmediate(turn);
    };
    setImmediate(turn);
    checkpointer.written();
    await checkpointer.idle();
    turning = false;
    expect(size(path)).toBeGreaterThan(10 * MB);
    // A checkpoint on the event loop's thread would have let it turn once at most.
    expect(turns).toBeGreaterThan(2);
    // The writer goes on, and its rows are all there.
    fill(db, 1);
    expect(db.prepare('SELECT COUNT(*) AS n FROM filler').all()).toEqual([{ n: 13 * 256 }]);
  });

  test('a WAL under SQLite’s threshold is left for a later commit; one past it is copied', async () => {
    const { db, path, checkpointer } = journalDb();
    fill(db, 2);
    checkpointer.written();
    await checkpointer.idle();
    expect(size(path)).toBeLessThan(1 * MB);
    fill(db, 3);
    checkpointer.written();
    await checkpointer.idle();
    expect(size(path)).toBeGreaterThan(4.5 * MB);
  });

  test('the journal hands its checkpoints over; the commit after one starts the WAL over, small; close loses no row', async () => {
    const dir = config();
    const errors: unknown[] = [];
    const history = History.open({ dir, onError: (err) => errors.push(err) });
    cleanups.push(() => history.close());
    expect(history.mode).toBe('writing');
    expect(history.read((db) => db.prepare('PRAGMA wal_autocheckpoint').all())).toEqual([{ wal_autocheckpoint: 0 }]);
    for (let i = 0; i < 6; i++) history.write(oneMb);
    const path = join(dir, DB_FILE);
    // The commit that took the WAL past 4 MB started a copy; the two after it came while it ran.
    await waitUntil(() => size(path) > 3.5 * MB, 10_000, 'the checkpointer to copy the WAL into vigil.db');
    // A later commit starts the copy of the rest, and the first commit after a copy of it all
    // starts the WAL over and truncates it to itself.
    await waitUntil(
      () => {
        history.write((db) => db.exec('CREATE TABLE IF NOT EXISTS ticks (at INTEGER); INSERT INTO ticks VALUES (1)'));
        return size(`${path}-wal`) < 1 * MB;
      },
      10_000,
      'a commit to start the WAL over',
    );
    expect(size(path)).toBeGreaterThan(5.5 * MB);
    history.write(oneMb);
    history.write(oneMb);
    await history.close();
    expect(errors).toEqual([]);
    const reopened = History.open({ dir });
    cleanups.push(() => reopened.close());
    expect(reopened.read((db) => db.prepare('SELECT COUNT(*) AS n FROM filler').all())).toEqual([{ n: 8 * 256 }]);
  });
});
