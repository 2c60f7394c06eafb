// Where runs are kept once they are made, so the history outlives the process and runs that
// were going when Vigil died can be found on the next start. The supervisor writes through
// this interface only; the history database implements it.
import { isActiveRunState, type Run } from '../../shared/model';

export interface RunQuery {
  projectId?: string;
  itemId?: string;
  /** Only queued and running runs. */
  active?: boolean;
  /** Newest first, at most this many (default 200). */
  limit?: number;
}

export interface RunJournal {
  /** Runs that were queued or running when they were last saved. */
  unfinished(): Promise<Run[]>;
  /** Record a run as it is now (insert or replace). Failures are the journal's to report; never throws. */
  save(run: Run): void;
  /** Newest first (by queuedAt). */
  list(query: RunQuery): Promise<Run[]>;
  get(id: string): Promise<Run | null>;
  /** Wait for pending writes. */
  close(): Promise<void>;
}

export const DEFAULT_RUN_LIST_LIMIT = 200;

export function matchesQuery(run: Run, query: RunQuery): boolean {
  return (
    (query.projectId === undefined || run.projectId === query.projectId) &&
    (query.itemId === undefined || run.itemId === query.itemId) &&
    (!query.active || isActiveRunState(run.state))
  );
}

/** A journal that lives as long as the process: for tests and for runs nobody needs to keep. */
export class MemoryRunJournal implements RunJournal {
  private readonly runs = new Map<string, Run>();

  async unfinished(): Promise<Run[]> {
    return [...this.runs.values()].filter((r) => isActiveRunState(r.state)).map((r) => structuredClone(r));
  }

  save(run: Run): void {
    this.runs.set(run.id, structuredClone(run));
  }

  async list(query: RunQuery): Promise<Run[]> {
    return [...this.runs.values()]
      .filter((r) => matchesQuery(r, query))
      .sort((a, b) => b.queuedAt - a.queuedAt)
      .slice(0, query.limit ?? DEFAULT_RUN_LIST_LIMIT)
      .map((r) => structuredClone(r));
  }

  async get(id: string): Promise<Run | null> {
    const run = this.runs.get(id);
    return run ? structuredClone(run) : null;
  }

  async close(): Promise<void> {}
}
