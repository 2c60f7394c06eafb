// Runs in a real vigil.db: kept across a reopen, upgraded into a database from before runs
// existed, and kept in memory (never lost, never someone else's) by a process that does not
// write the journal.
import { join } from 'node:path';
import { afterEach, expect, test } from 'vitest';
import type { Run } from '../../../shared/model';
import { StoredRunJournal } from '../../../main/runs/run-table';
import { MIGRATIONS, SCHEMA_VERSION, schemaVersion, migrate } from '../../../main/store/migrations';
import { DB_FILE } from '../../../main/store/database';
import { History } from '../../../main/store/history';
import { openDb } from '../../../main/store/sqlite';
import { tempDir } from '../engine/live-helpers';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function configDir(): string {
  const dir = tempDir('vigil-run-table-');
  cleanups.push(dir.remove);
  return dir.path;
}

function open(dir: string): History {
  const history = History.open({ dir, pruneAfterMs: 60_000 });
  cleanups.push(() => history.close());
  return history;
}

function run(id: string, over: Partial<Run> = {}): Run {
  return {
    id, projectId: 'p1', action: 'test', actionLabel: 'Tests', actionOrigin: 'user', itemId: 'gsd:plan:01-01', itemTitle: 'Login',
    state: 'succeeded', position: null, attempt: 1, retryOf: null, batchId: null, startedBy: 'desktop', queuedAt: 1000, startedAt: 1100, endedAt: 2000,
    exitCode: 0, willRetry: false, reason: null, tokens: null, costUsd: null, lastMessage: null, lastOutputAt: null, pid: null, pidStartTime: null,
    cwd: '/p', branch: null, logPath: `/c/runs/${id}.log`, ...over,
  };
}

test('a run saved twice is one row with its last state, and it is there after the database is reopened', async () => {
  const dir = configDir();
  const first = open(dir);
  const journal = new StoredRunJournal(first);
  journal.save(run('r_a', { state: 'running', endedAt: null, exitCode: null }));
  journal.save(run('r_a', { state: 'failed', exitCode: 3 }));
  journal.save(run('r_b', { queuedAt: 3000, projectId: 'p2', itemId: null }));
  journal.save(run('r_c', { queuedAt: 4000, state: 'queued', startedAt: null, endedAt: null, exitCode: null }));
  await first.close();

  const again = new StoredRunJournal(open(dir));
  expect((await again.list({})).map((r) => [r.id, r.state])).toEqual([
    ['r_c', 'queued'],
    ['r_b', 'succeeded'],
    ['r_a', 'failed'],
  ]);
  expect((await again.list({ projectId: 'p1', itemId: 'gsd:plan:01-01' })).map((r) => r.id)).toEqual(['r_c', 'r_a']);
  expect((await again.list({ active: true })).map((r) => r.id)).toEqual(['r_c']);
  expect((await again.list({ limit: 1 })).map((r) => r.id)).toEqual(['r_c']);
  expect((await again.unfinished()).map((r) => r.id)).toEqual(['r_c']);
  expect(await again.get('r_a')).toMatchObject({ state: 'failed', exitCode: 3 });
  expect(await again.get('r_nope')).toBeNull();
});

test('a database written before runs existed gets the runs table on open, with its events kept', async () => {
  const dir = configDir();
  const db = openDb(join(dir, DB_FILE));
  migrate(db, join(dir, DB_FILE), MIGRATIONS.slice(0, 1));
  db.prepare("INSERT INTO events (seq, ts, type, payload) VALUES (7, 1, 'engine:state', '{\"running\":true}')").run();
  expect(schemaVersion(db)).toBe(1);
  db.close();

  const history = open(dir);
  expect(history.mode).toBe('writing');
  expect(history.lastSeq).toBe(7);
  const journal = new StoredRunJournal(history);
  journal.save(run('r_new'));
  expect((await journal.list({})).map((r) => r.id)).toEqual(['r_new']);
  expect(history.read((d) => schemaVersion(d))).toBe(SCHEMA_VERSION);
});

test("a process that does not write the journal keeps its runs in memory, says so once, and leaves the writer's unfinished runs alone", async () => {
  const dir = configDir();
  const writer = new StoredRunJournal(open(dir));
  writer.save(run('r_theirs', { state: 'running', endedAt: null, exitCode: null, queuedAt: 500 }));

  const said: string[] = [];
  const reader = open(dir);
  expect(reader.mode).toBe('reading');
  const journal = new StoredRunJournal(reader, (err) => said.push(String(err)));
  journal.save(run('r_mine', { state: 'running', endedAt: null, exitCode: null, queuedAt: 900 }));
  journal.save(run('r_mine', { state: 'succeeded', queuedAt: 900 }));
  expect(said).toHaveLength(1);
  expect(said[0]).toMatch(/not saved in the history database/);
  // Its list shows both its own runs and what the writer saved; recovery sees only its own.
  expect((await journal.list({})).map((r) => [r.id, r.state])).toEqual([
    ['r_mine', 'succeeded'],
    ['r_theirs', 'running'],
  ]);
  expect(await journal.unfinished()).toEqual([]);
});

test('runs that ended before the retention period are pruned with the events; newer and unfinished ones stay', async () => {
  const dir = configDir();
  const DAY = 24 * 60 * 60 * 1000;
  const now = 100 * DAY;
  const history = History.open({ dir, now: () => now, limits: () => ({ retentionDays: 7, maxEvents: 1_000_000 }), pruneAfterMs: 60_000 });
  cleanups.push(() => history.close());
  const journal = new StoredRunJournal(history);
  journal.save(run('r_old', { queuedAt: now - 9 * DAY, endedAt: now - 8 * DAY }));
  journal.save(run('r_recent', { queuedAt: now - 2 * DAY, endedAt: now - 2 * DAY }));
  journal.save(run('r_going', { queuedAt: now - 30 * DAY, state: 'running', endedAt: null, exitCode: null }));
  await history.pruneNow();
  expect((await journal.list({})).map((r) => r.id).sort()).toEqual(['r_going', 'r_recent']);
});
