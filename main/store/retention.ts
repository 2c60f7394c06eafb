// Keeping the journal to its limits (Settings.history): events older than the retention
// period, or beyond the newest maxEvents, are deleted in the background, a chunk at a time
// with a turn of the event loop between chunks, so pruning never holds up live updates.
import { inTransaction, rows, type Db } from './sqlite';
import { lastSeqBefore } from './time-index';

export interface RetentionLimits {
  retentionDays: number;
  maxEvents: number;
}

const DAY_MS = 24 * 60 * 60 * 1000;
/** Rows deleted per statement; each takes a few milliseconds. */
const CHUNK = 5000;

const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** The newest seq that is past the limits (0 when nothing is). */
export function pruneCutoff(db: Db, limits: RetentionLimits, now: number): number {
  const newest = rows<{ seq: number | null }>(db.prepare('SELECT MAX(seq) AS seq FROM events'))[0]?.seq ?? 0;
  const byCount = Math.max(0, newest - limits.maxEvents);
  const tooOld = lastSeqBefore(db, now - limits.retentionDays * DAY_MS);
  return Math.max(byCount, tooOld);
}

/**
 * Delete what is past the limits; resolves with the number of events deleted. The newest
 * progress row of each project stays whatever its age: it is the start of its burn-up line.
 * `isOpen` is asked between chunks, so closing the store stops a prune part way.
 */
export async function prune(db: Db, limits: RetentionLimits, now: number, isOpen: () => boolean = () => true): Promise<number> {
  // Runs that ended before the retention period go with the events of their time.
  db.prepare('DELETE FROM runs WHERE ended_at IS NOT NULL AND ended_at < ?').run(now - limits.retentionDays * DAY_MS);
  const cutoff = pruneCutoff(db, limits, now);
  if (cutoff <= 0) return 0;
  const deleteEvents = db.prepare('DELETE FROM events WHERE seq <= ?');
  const deleteTransitions = db.prepare('DELETE FROM transitions WHERE seq <= ?');
  const deleteProgress = db.prepare(
    'DELETE FROM progress WHERE seq <= ? AND seq NOT IN (SELECT MAX(seq) FROM progress GROUP BY project_id)',
  );
  let oldest = rows<{ seq: number | null }>(db.prepare('SELECT MIN(seq) AS seq FROM events'))[0]?.seq ?? cutoff + 1;
  let deleted = 0;
  while (oldest <= cutoff && isOpen()) {
    const upTo = Math.min(cutoff, oldest + CHUNK - 1);
    deleted += inTransaction(db, () => {
      const { changes } = deleteEvents.run(upTo);
      deleteTransitions.run(upTo);
      deleteProgress.run(upTo);
      return changes;
    });
    oldest = upTo + 1;
    await nextTurn();
  }
  return deleted;
}
