// Opening vigil.db: WAL, the numbered migrations, a file from a newer Vigil left alone, and the
// one-writer lock held by a real `vigil serve` in another process and released when it dies.
import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, test } from 'vitest';
import { DB_FILE, openJournalDb } from '../../../main/store/database';
import { History } from '../../../main/store/history';
import { HOURLY_COMPLETIONS_SQL, Journal } from '../../../main/store/journal';
import { MIGRATIONS, SCHEMA_VERSION, migrate, schemaVersion, type Migration } from '../../../main/store/migrations';
import { openDb, rows, type Db } from '../../../main/store/sqlite';
import { tempDir, waitUntil } from '../engine/live-helpers';
import { writeTaskmaster } from './store-helpers';

const CLI = fileURLToPath(new URL('../../../dist/cli.js', import.meta.url));

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function folder(prefix = 'vigil-config-'): string {
  const dir = tempDir(prefix);
  cleanups.push(dir.remove);
  return dir.path;
}

function open(path: string): Db {
  const db = openDb(path);
  cleanups.push(() => {
    db.close();
  });
  return db;
}

const tables = (db: Db): string[] => rows<{ name: string }>(db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")).map((r) => r.name);

describe('a new vigil.db', () => {
  test('is in WAL mode, at the newest schema version, with the journal tables', () => {
    const dir = folder();
    const opened = openJournalDb(dir);
    opened.db.close();
    // WAL is a property of the file: a fresh connection sees it too.
    const db = open(join(dir, DB_FILE));
    expect(rows<{ journal_mode: string }>(db.prepare('PRAGMA journal_mode'))[0]?.journal_mode).toBe('wal');
    expect(schemaVersion(db)).toBe(SCHEMA_VERSION);
    expect(tables(db)).toEqual(expect.arrayContaining(['events', 'transitions', 'progress', 'model_projects', 'model_items', 'model_issues', 'model_state']));
    expect(opened.lastSeq).toBe(0);
  });
});

describe('migrations', () => {
  // A table a later version might add (runs already have theirs).
  const withNotes: Migration = {
    version: MIGRATIONS.length + 1,
    name: 'notes',
    up: (db) => db.exec('CREATE TABLE notes (id TEXT PRIMARY KEY, written_at INTEGER NOT NULL)'),
  };

  test('a database at an older version gets only the newer migrations, each once, and keeps its rows', () => {
    const dir = folder();
    const opened = openJournalDb(dir);
    opened.db.exec("INSERT INTO events (seq, ts, type, payload) VALUES (1, 1, 'engine:state', '{\"running\":true}')");
    let journalRuns = 0;
    const counted: Migration[] = MIGRATIONS.map((m) => ({
      ...m,
      up: (db) => {
        journalRuns += 1;
        m.up(db);
      },
    }));
    expect(migrate(opened.db, opened.path, [...counted, withNotes])).toEqual({ from: SCHEMA_VERSION, to: SCHEMA_VERSION + 1 });
    expect(journalRuns).toBe(0);
    expect(tables(opened.db)).toContain('notes');
    expect(rows<{ n: number }>(opened.db.prepare('SELECT COUNT(*) AS n FROM events'))[0]?.n).toBe(1);
    // Again: nothing left to run.
    expect(migrate(opened.db, opened.path, [...counted, withNotes])).toEqual({ from: SCHEMA_VERSION + 1, to: SCHEMA_VERSION + 1 });
    opened.db.close();
  });

  test('a migration that fails leaves the database as it was, at its old version', () => {
    const dir = folder();
    const opened = openJournalDb(dir);
    const broken: Migration = {
      version: SCHEMA_VERSION + 1,
      name: 'half',
      up: (db) => {
        db.exec('CREATE TABLE half_done (a)');
        db.exec('INSERT INTO no_such_table VALUES (1)');
      },
    };
    expect(() => migrate(opened.db, opened.path, [...MIGRATIONS, broken])).toThrow(/no_such_table/);
    expect(schemaVersion(opened.db)).toBe(SCHEMA_VERSION);
    expect(tables(opened.db)).not.toContain('half_done');
    opened.db.close();
  });

  test('a vigil.db from a newer Vigil is left untouched: history off, with a warning that says to update', async () => {
    const dir = folder();
    const opened = openJournalDb(dir);
    opened.db.exec(`PRAGMA user_version = ${SCHEMA_VERSION + 5}`);
    opened.db.exec('PRAGMA wal_checkpoint(TRUNCATE)');
    opened.db.close();
    const before = readFileSync(join(dir, DB_FILE));

    const history = History.open({ dir });
    cleanups.push(() => history.close());
    expect(history.mode).toBe('off');
    const [condition] = history.conditions();
    expect(condition).toMatchObject({ key: 'history-off', level: 'warning' });
    expect(condition?.message).toMatch(/written by a newer version of Vigil/);
    // It says what is true: nothing is recorded (not "read-only"), and what to do.
    expect(condition?.message).not.toMatch(/read-only/);
    expect(`${condition?.message} ${condition?.hint}`).toMatch(/update Vigil/i);
    expect(() => history.page({})).toThrow(/History is not available/);
    await history.close();

    expect(readFileSync(join(dir, DB_FILE)).equals(before)).toBe(true);
    expect(readdirSync(dir).filter((name) => name.includes('corrupt'))).toEqual([]);
  });
});

describe('the transitions index by status (migration 3)', () => {
  const HOUR = 60 * 60 * 1000;
  const indexColumns = (db: Db): string[] => rows<{ name: string }>(db.prepare('PRAGMA index_info(transitions_to)')).map((r) => r.name);

  test('a version-2 database gets ts in the index, keeps its transitions, and the journal counts its hours from the index alone', () => {
    const dir = folder();
    const path = join(dir, DB_FILE);
    const old = openDb(path);
    migrate(old, path, MIGRATIONS.filter((m) => m.version <= 2));
    expect(indexColumns(old)).toEqual(['to_status', 'seq']);
    // Two days of transitions, one every 20 minutes, alternating done, failed and in_progress.
    const now = Math.floor(Date.now() / HOUR) * HOUR + 30 * 60 * 1000;
    const statuses = ['done', 'failed', 'in_progress'];
    const insertEvent = old.prepare("INSERT INTO events (seq, ts, type, payload) VALUES (?, ?, 'item:status', '{}')");
    const insertTransition = old.prepare(
      "INSERT INTO transitions (seq, ts, project_id, kind, item_id, title, from_status, to_status) VALUES (?, ?, 'p', 'task', ?, 'A task', 'todo', ?)",
    );
    let seq = 0;
    for (let ts = now - 48 * HOUR; ts <= now; ts += 20 * 60 * 1000) {
      seq += 1;
      insertEvent.run(seq, ts);
      insertTransition.run(seq, ts, `t${seq}`, statuses[seq % 3]);
    }
    old.close();

    const opened = openJournalDb(dir);
    cleanups.push(() => {
      opened.db.close();
    });
    expect(schemaVersion(opened.db)).toBe(SCHEMA_VERSION);
    expect(indexColumns(opened.db)).toEqual(['to_status', 'seq', 'ts']);
    expect(rows<{ n: number }>(opened.db.prepare('SELECT COUNT(*) AS n FROM transitions'))[0]?.n).toBe(seq);
    const plan = rows<{ detail: string }>(opened.db.prepare(`EXPLAIN QUERY PLAN ${HOURLY_COMPLETIONS_SQL}`), 1).map((r) => r.detail);
    expect(plan.join(' ')).toMatch(/COVERING INDEX transitions_to/);

    // What the journal holds per hour is what the rows say.
    const journal = new Journal(opened.db, opened.lastSeq, now);
    const counted = rows<{ ts: number; to_status: string }>(opened.db.prepare('SELECT ts, to_status FROM transitions'));
    for (const bucket of journal.hourlyThroughput(now)) {
      const inHour = counted.filter((r) => r.ts >= bucket.start && r.ts < bucket.start + HOUR);
      expect(bucket).toEqual({
        start: bucket.start,
        finished: inHour.filter((r) => r.to_status === 'done').length,
        failed: inHour.filter((r) => r.to_status === 'failed').length,
      });
    }
    expect(journal.hourlyThroughput(now).reduce((n, b) => n + b.finished + b.failed, 0)).toBeGreaterThan(40);
  });
});

describe('one writer per config folder', () => {
  const children: ChildProcess[] = [];
  afterEach(() => {
    for (const child of children.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });

  test('while `vigil serve` writes the journal another process only reads it; once serve is killed, the next one writes', async () => {
    const config = folder();
    const project = folder('vigil-project-');
    writeTaskmaster(project, [{ id: 1, title: 'Login form', status: 'pending' }]);
    const serve = spawn(process.execPath, [CLI, 'serve', project, '--port', '0', '--config-dir', config], { stdio: ['ignore', 'pipe', 'pipe'] });
    children.push(serve);
    let out = '';
    let err = '';
    serve.stdout!.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
    serve.stderr!.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
    const exited = new Promise<void>((resolve) => serve.once('exit', () => resolve()));
    // The URL is printed once the engine (and its journal) is up.
    await waitUntil(() => out.includes('\n') || serve.exitCode !== null, 20_000, 'vigil serve to print its URL');
    expect(out, err).toMatch(/^http/);

    const reader = History.open({ dir: config });
    expect(reader.mode).toBe('reading');
    expect(reader.conditions()[0]).toMatchObject({ key: 'history-reading', message: expect.stringContaining('Another Vigil process') });
    // It reads what serve wrote (the project found on start), and writes nothing.
    await waitUntil(() => reader.page({}).events.some((e) => e.type === 'project:added'), 10_000, 'serve to commit its first events');
    expect(reader.write(() => 'written')).toBeNull();
    await reader.close();

    // Killed, with no chance to clean up: the OS releases the lock with the process.
    serve.kill('SIGKILL');
    await exited;
    const next = History.open({ dir: config });
    cleanups.push(() => next.close());
    expect(next.mode).toBe('writing');
    expect(next.conditions()).toEqual([]);
    expect(next.lastSeq).toBeGreaterThan(0);
  }, 40_000);
});

describe('the damaged-file name', () => {
  test('garbage where vigil.db should be is moved aside whole, never overwritten', () => {
    const dir = folder();
    writeFileSync(join(dir, DB_FILE), 'not a database at all\n'.repeat(200));
    const opened = openJournalDb(dir, () => new Date(Date.UTC(2026, 10, 20, 9, 30, 0)));
    opened.db.close();
    expect(opened.movedAside).toBe(join(dir, 'vigil.db.corrupt-2026-11-20T09-30-00-000Z'));
    expect(readFileSync(opened.movedAside as string, 'utf8')).toBe('not a database at all\n'.repeat(200));
    expect(opened.damage).toMatch(/not a database|malformed|encrypted/i);
  });
});
