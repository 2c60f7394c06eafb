// Runs kept in the history database (vigil.db), so `vigil runs`, `runs:list` and the Runs tab
// show them after a restart, and runs that were going when Vigil died are found on the next
// start. The table is written on the journal's one connection (History.write), so the
// database keeps one writer; a process that does not write the journal (another Vigil holds
// it) keeps its runs in memory meanwhile and says so once.
import { isActiveRunState, RunSchema, type Run } from '../../shared/model';
import type { Db } from '../store/sqlite';
import { DEFAULT_RUN_LIST_LIMIT, MemoryRunJournal, type RunJournal, type RunQuery } from './journal';

/** The runs table, created by the store's migration 2. The run itself is JSON; the columns are what lists filter and sort by. */
export const RUNS_SCHEMA = `
  CREATE TABLE runs (
    id TEXT PRIMARY KEY,
    project_id TEXT NOT NULL,
    item_id TEXT,
    state TEXT NOT NULL,
    queued_at INTEGER NOT NULL,
    ended_at INTEGER,
    run TEXT NOT NULL
  );
  CREATE INDEX runs_queued ON runs (queued_at);
  CREATE INDEX runs_project ON runs (project_id, queued_at);
  CREATE INDEX runs_active ON runs (state) WHERE state IN ('queued', 'running');
`;

/** What the table needs of the history: a write on its connection in one transaction, and a read. Both null when there is no database. */
export interface RunStore {
  /** 'writing' or 'paused': this process writes the database, so its unfinished runs are this process's to recover. */
  readonly mode: 'writing' | 'paused' | 'reading' | 'off';
  write<T>(work: (db: Db) => T): T | null;
  read<T>(query: (db: Db) => T): T | null;
}

interface RunRow {
  run: string;
}

/** Parse a stored run; a row that no longer parses (a hand-edited file) is skipped rather than failing the list. */
function parseRow(row: RunRow): Run | null {
  try {
    const parsed = RunSchema.safeParse(JSON.parse(row.run));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/** Runs of a query, newest first, read from the table. */
export function selectRuns(db: Db, query: RunQuery): Run[] {
  const where: string[] = [];
  const params: unknown[] = [];
  if (query.projectId !== undefined) {
    where.push('project_id = ?');
    params.push(query.projectId);
  }
  if (query.itemId !== undefined) {
    where.push('item_id = ?');
    params.push(query.itemId);
  }
  if (query.active) where.push("state IN ('queued', 'running')");
  const sql = `SELECT run FROM runs ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY queued_at DESC, id DESC LIMIT ?`;
  params.push(query.limit ?? DEFAULT_RUN_LIST_LIMIT);
  return (db.prepare(sql).all(...params) as RunRow[]).map(parseRow).filter((r): r is Run => r !== null);
}

/** Whether a database has the runs table (one written before runs existed may not). */
export function hasRunsTable(db: Db): boolean {
  return db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'runs'").all().length > 0;
}

export class StoredRunJournal implements RunJournal {
  /** Runs saved while the database could not be written: still listed, never lost from this process's view. */
  private readonly unsaved = new MemoryRunJournal();
  private saidUnsaved = false;

  constructor(
    private readonly store: RunStore,
    private readonly onError: (err: unknown) => void = () => undefined,
  ) {}

  save(run: Run): void {
    let written: true | null = null;
    try {
      written = this.store.write((db) => {
        db.prepare(
          'INSERT INTO runs (id, project_id, item_id, state, queued_at, ended_at, run) VALUES (?, ?, ?, ?, ?, ?, ?) ' +
            'ON CONFLICT (id) DO UPDATE SET state = excluded.state, ended_at = excluded.ended_at, run = excluded.run',
        ).run(run.id, run.projectId, run.itemId, run.state, run.queuedAt, run.endedAt, JSON.stringify(run));
        return true as const;
      });
    } catch (err) {
      this.onError(new Error(`Run ${run.id} could not be saved in the history database: ${err instanceof Error ? err.message : String(err)}`));
    }
    if (written) return;
    this.unsaved.save(run);
    if (!this.saidUnsaved && written === null) {
      this.saidUnsaved = true;
      this.onError(new Error('Runs are not saved in the history database (it is not written by this process); they are kept until Vigil stops.'));
    }
  }

  async unfinished(): Promise<Run[]> {
    // Runs another Vigil writes are that process's to recover, not this one's.
    if (this.store.mode === 'reading' || this.store.mode === 'off') return this.unsaved.unfinished();
    const stored = this.readSafely((db) => selectRuns(db, { active: true, limit: 10_000 })) ?? [];
    return merge(stored, await this.unsaved.unfinished(), { active: true });
  }

  async list(query: RunQuery): Promise<Run[]> {
    const stored = this.readSafely((db) => selectRuns(db, query)) ?? [];
    return merge(stored, await this.unsaved.list(query), query);
  }

  async get(id: string): Promise<Run | null> {
    const unsaved = await this.unsaved.get(id);
    if (unsaved) return unsaved;
    const row = this.readSafely((db) => db.prepare('SELECT run FROM runs WHERE id = ?').all(id) as RunRow[])?.[0];
    return row ? parseRow(row) : null;
  }

  /** The history closes the database; nothing of the journal's own is pending. */
  async close(): Promise<void> {}

  private readSafely<T>(query: (db: Db) => T): T | null {
    try {
      return this.store.read((db) => (hasRunsTable(db) ? query(db) : null));
    } catch (err) {
      this.onError(err);
      return null;
    }
  }
}

/** Stored and unsaved runs in one list, newest first; an unsaved copy is the newer one. */
function merge(stored: Run[], unsaved: Run[], query: RunQuery): Run[] {
  if (unsaved.length === 0) return stored;
  const byId = new Map(stored.map((r) => [r.id, r]));
  for (const run of unsaved) byId.set(run.id, run);
  return [...byId.values()]
    .filter((r) => !query.active || isActiveRunState(r.state))
    .sort((a, b) => b.queuedAt - a.queuedAt)
    .slice(0, query.limit ?? DEFAULT_RUN_LIST_LIMIT);
}
