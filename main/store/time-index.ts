// From a time to a seq without an index on time: events are stamped in seq order by one
// clock, so their times rise with their seqs, and a binary search over the primary key finds
// the first event at or after a time in ~20 lookups. One index less to write with every batch.
// A wall clock that was set back makes the answer approximate around the jump, never wrong
// about what is returned: queries still filter on ts.
import { rows, type Db, type Statement } from './sqlite';

const lookups = new WeakMap<Db, { next: Statement; bounds: Statement }>();

function statements(db: Db): { next: Statement; bounds: Statement } {
  let found = lookups.get(db);
  if (!found) {
    found = {
      next: db.prepare('SELECT seq, ts FROM events WHERE seq >= ? ORDER BY seq LIMIT 1'),
      bounds: db.prepare('SELECT (SELECT MIN(seq) FROM events) AS lo, (SELECT MAX(seq) FROM events) AS hi'),
    };
    lookups.set(db, found);
  }
  return found;
}

/** The seq of the first event stamped at or after `ts`; null when every event is older. */
export function firstSeqAtOrAfter(db: Db, ts: number): number | null {
  const { next, bounds } = statements(db);
  const range = rows<{ lo: number | null; hi: number | null }>(bounds)[0];
  if (!range || range.lo === null || range.hi === null) return null;
  let lo = range.lo;
  let hi = range.hi;
  let answer: number | null = null;
  while (lo <= hi) {
    const mid = Math.floor((lo + hi) / 2);
    const row = rows<{ seq: number; ts: number }>(next, mid)[0];
    if (!row || row.seq > hi) {
      hi = mid - 1;
    } else if (row.ts >= ts) {
      answer = row.seq;
      hi = mid - 1;
    } else {
      lo = row.seq + 1;
    }
  }
  return answer;
}

/** The seq of the last event stamped before `ts` (0 when none is). */
export function lastSeqBefore(db: Db, ts: number): number {
  const first = firstSeqAtOrAfter(db, ts);
  if (first !== null) return first - 1;
  return rows<{ hi: number | null }>(statements(db).bounds)[0]?.hi ?? 0;
}
