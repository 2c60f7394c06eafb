// A journal with a large history about a real workspace, written through the store's own API
// (main/store: the Journal's prepared statements, a transaction per append), as Vigil would
// have written it over a week of work. The file is a throwaway while it is built (no rollback
// journal, no syncs, a large page cache) and is left in WAL mode, as the store opens it.
import type { ItemKind, Plan, Project, Status } from '../../../shared/model';
import type { EngineEvent } from '../../../shared/protocol';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { createEngine } from '../../../main/engine/engine';
import { DB_FILE } from '../../../main/store/database';
import { Journal } from '../../../main/store/journal';
import { migrate } from '../../../main/store/migrations';
import { openDb } from '../../../main/store/sqlite';
import { seededRandom } from './workspace';

const DAY = 24 * 60 * 60 * 1000;
/** Share of the events about the first project. */
const FOCUS_SHARE = 1 / 8;

export interface SeededHistory {
  /** A project the events are about (for queries). */
  projectId: string;
  events: number;
  transactions: number;
  writeMs: number;
}

/**
 * `events` events (plan:updated, item:status, project:updated in turn) about the workspace's
 * plans, spread over the seven days before now, into `configDir`'s vigil.db. A first start
 * records the workspace as the model, and the last write records it again, so a Vigil started
 * on the same folders finds nothing to report. `perTransaction` events go in one append.
 */
export async function seedHistory(roots: string[], configDir: string, events: number, perTransaction = 50_000): Promise<SeededHistory> {
  const engine = await createEngine({ roots, driftSweepMs: 0, running: false });
  const snapshot = engine.snapshot();
  await engine.close();

  // Nothing needs the file to survive a crash while it is built: no rollback journal, no syncs,
  // and a page cache (256 MiB) that holds the indexes being appended to. The tables are the
  // store's own (its migrations), the model is recorded first as a first start would.
  mkdirSync(configDir, { recursive: true });
  const path = join(configDir, DB_FILE);
  const db = openDb(path);
  db.exec('PRAGMA journal_mode = OFF');
  db.exec('PRAGMA synchronous = OFF');
  db.exec('PRAGMA cache_size = -262144');
  migrate(db, path);
  const journal = new Journal(db, 0, Date.now());
  journal.recordModel(snapshot);
  const plans = snapshot.plans.map((p) => ({ ...p }));
  const focus = plans.filter((p) => p.projectId === snapshot.projects[0]!.id);
  const projects = new Map(snapshot.projects.map((p) => [p.id, p]));
  const progress = new Map(snapshot.projects.map((p) => [p.id, { ...p.progress }]));
  const statuses: Status[] = ['todo', 'in_progress', 'review', 'in_progress', 'done', 'failed'];
  const random = seededRandom(7);
  const start = Date.now() - 7 * DAY;
  let seq = 0;
  let transactions = 0;
  const writeStart = performance.now();
  while (seq < events) {
    const batch: EngineEvent[] = [];
    while (batch.length < perTransaction && seq < events) {
      // One event in eight is about the first project (the one queries ask about), as busy as
      // one of eight equally busy projects, however many projects there are.
      const pool = random() < FOCUS_SHARE ? focus : plans;
      const plan = pool[Math.floor(random() * pool.length)] as Plan;
      const ts = Math.floor(start + (seq / events) * 7 * DAY);
      const from = plan.status;
      const to = statuses[Math.floor(random() * statuses.length)] as Status;
      batch.push({ seq: ++seq, ts, type: 'plan:updated', payload: { plan: { ...plan, status: to, updatedAt: ts } } });
      batch.push({ seq: ++seq, ts, type: 'item:status', payload: { projectId: plan.projectId, kind: 'plan' as ItemKind, id: plan.id, title: plan.title, from, to } });
      plan.status = to;
      const p = progress.get(plan.projectId)!;
      if (to === 'done' && p.done < p.total) p.done += 1;
      else if (from === 'done' && p.done > 0) p.done -= 1;
      const project: Project = { ...(projects.get(plan.projectId) as Project), progress: { ...p } };
      batch.push({ seq: ++seq, ts, type: 'project:updated', payload: { project } });
    }
    journal.append(batch);
    transactions++;
  }
  const writeMs = performance.now() - writeStart;
  // The model as it is on disk again, so starting Vigil on these folders reports no differences.
  journal.recordModel(snapshot);
  db.close();
  // Back to what the store sets on every open, so the file is what a running Vigil would have
  // left. On a connection of its own: the journal's prepared statements keep theirs busy.
  const reopened = openDb(path);
  reopened.exec('PRAGMA journal_mode = WAL');
  reopened.close();
  return { projectId: snapshot.projects[0]!.id, events: seq, transactions, writeMs };
}
