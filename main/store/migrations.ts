// The schema of vigil.db as a numbered list of migrations. SQLite's `user_version` holds the
// number of the last one applied; on open, each newer one runs in its own transaction.
//
// To add a table (the runs of main/runs, say): append `{ version: <last + 1>, name, up }` at
// the end of MIGRATIONS, with `up` creating the table and its indexes. Keep the SQL beside
// the code that owns the table and import it here, so this list stays the one order of
// changes. Never edit or reorder a migration that has shipped: a database that already ran
// it would never see the edit. A module that writes its table does so with `History.write`
// (the journal's one connection, one transaction), so there is still one writer; it reads
// with `History.read`.
import { RUNS_SCHEMA } from '../runs/run-table';
import { inTransaction, type Db } from './sqlite';

export interface Migration {
  /** 1, 2, 3…: applied in order, each exactly once. */
  version: number;
  name: string;
  up: (db: Db) => void;
}

const JOURNAL_SCHEMA = `
  -- Every domain event, in seq order. item_id is set for item events (plans, stubs, work
  -- orders, status transitions); payload is the event's payload as JSON. Few indexes: each
  -- one is pages written with every batch. Times map to seqs by a search on the key
  -- (time-index.ts), and filtered pages scan seq windows (queries.ts).
  CREATE TABLE events (
    seq INTEGER PRIMARY KEY,
    ts INTEGER NOT NULL,
    type TEXT NOT NULL,
    project_id TEXT,
    item_id TEXT,
    found_on_start INTEGER NOT NULL DEFAULT 0,
    payload TEXT NOT NULL
  );
  CREATE INDEX events_item ON events (project_id, item_id, seq) WHERE item_id IS NOT NULL;

  -- item:status events again, as columns: throughput, cycle times and completions are
  -- queries over this table. cycle_ms is set for done and failed when the start was seen.
  CREATE TABLE transitions (
    seq INTEGER PRIMARY KEY,
    ts INTEGER NOT NULL,
    project_id TEXT NOT NULL,
    kind TEXT NOT NULL,
    item_id TEXT NOT NULL,
    title TEXT NOT NULL,
    from_status TEXT,
    to_status TEXT NOT NULL,
    found_on_start INTEGER NOT NULL DEFAULT 0,
    cycle_ms INTEGER
  );
  CREATE INDEX transitions_item ON transitions (project_id, kind, item_id, seq);
  CREATE INDEX transitions_to ON transitions (to_status, seq);

  -- A project's measured progress each time it changed: the burn-up chart.
  CREATE TABLE progress (
    seq INTEGER PRIMARY KEY,
    ts INTEGER NOT NULL,
    project_id TEXT NOT NULL,
    done INTEGER NOT NULL,
    total INTEGER NOT NULL
  );
  CREATE INDEX progress_project ON progress (project_id, ts);

  -- The model as the journal last recorded it, kept in the same transaction as the events:
  -- what the engine compares a fresh scan with on start. Rowid tables: their rows are JSON
  -- documents, too large for WITHOUT ROWID to pay.
  CREATE TABLE model_projects (id TEXT PRIMARY KEY, project TEXT NOT NULL);
  CREATE TABLE model_items (
    project_id TEXT NOT NULL,
    kind TEXT NOT NULL,
    id TEXT NOT NULL,
    item TEXT NOT NULL,
    -- The first in_progress of the item's current stretch of work (its cycle's start), or NULL.
    started_seq INTEGER,
    started_ts INTEGER,
    PRIMARY KEY (project_id, kind, id)
  );
  CREATE TABLE model_issues (
    project_id TEXT NOT NULL,
    path TEXT NOT NULL,
    issues TEXT NOT NULL,
    PRIMARY KEY (project_id, path)
  );
  -- health, throughput and running, by key.
  CREATE TABLE model_state (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
`;

// Finished and failed transitions by seq with their time in the index itself: the journal
// counts the last 24 hours of them per hour on every start (journal.ts HOURLY_COMPLETIONS_SQL),
// and without `ts` in the index each of those rows was a lookup in the table — 13 ms of the
// start with a million-event history, 4 ms from the index alone. The old index is a prefix of
// this one, so every query that used it uses this one.
const TRANSITIONS_BY_STATUS_WITH_TIME = `
  DROP INDEX transitions_to;
  CREATE INDEX transitions_to ON transitions (to_status, seq, ts);
`;

export const MIGRATIONS: readonly Migration[] = [
  { version: 1, name: 'journal', up: (db) => db.exec(JOURNAL_SCHEMA) },
  { version: 2, name: 'runs', up: (db) => db.exec(RUNS_SCHEMA) },
  { version: 3, name: 'transitions by status with their time', up: (db) => db.exec(TRANSITIONS_BY_STATUS_WITH_TIME) },
];

/** The schema version this build of Vigil writes. */
export const SCHEMA_VERSION = MIGRATIONS.at(-1)?.version ?? 0;

/** The database was written by a newer Vigil: it is not damaged, and must not be touched. */
export class NewerSchemaError extends Error {
  constructor(
    readonly path: string,
    readonly found: number,
  ) {
    super(
      `${path} was written by a newer version of Vigil (schema ${found}; this one knows ${SCHEMA_VERSION}). ` +
        'It is left as it is, and this Vigil records no history in it.',
    );
  }
}

export function schemaVersion(db: Db): number {
  const row = db.prepare('PRAGMA user_version').all()[0] as { user_version?: number } | undefined;
  return row?.user_version ?? 0;
}

/** Apply every migration newer than the database; returns the versions before and after. */
export function migrate(db: Db, path: string, migrations: readonly Migration[] = MIGRATIONS): { from: number; to: number } {
  const from = schemaVersion(db);
  const latest = migrations.at(-1)?.version ?? 0;
  if (from > latest) throw new NewerSchemaError(path, from);
  for (const migration of migrations) {
    if (migration.version <= from) continue;
    inTransaction(db, () => {
      migration.up(db);
      // PRAGMA takes no bound parameters; the version is our own integer.
      db.exec(`PRAGMA user_version = ${Math.floor(migration.version)}`);
    });
  }
  return { from, to: Math.max(from, latest) };
}
