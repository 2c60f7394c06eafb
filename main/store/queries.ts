// Reading the journal for clients: pages of events, burn-up series, throughput buckets and
// the away digest. Every query is bounded (a page, a bucket count, a digest cap) and uses an
// index, so a client cannot make the server scan a million rows.
import {
  DIGEST_MAX_EVENTS,
  HISTORY_PAGE_DEFAULT,
  type BurnupPoint,
  type BurnupQuery,
  type BurnupSeries,
  type Digest,
  type DigestQuery,
  type HistoryQuery,
  type ThroughputQuery,
} from '../../shared/history';
import { summarizeAway } from '../../shared/digest';
import type { Project, ThroughputBucket } from '../../shared/model';
import { EventPayloadSchemas, type EngineEvent } from '../../shared/protocol';
import { eventFromRow, HOUR_MS } from './journal';
import { rows, type Db, type Statement } from './sqlite';
import { firstSeqAtOrAfter, lastSeqBefore } from './time-index';

const DAY_MS = 24 * HOUR_MS;
/** The most buckets one throughput answer holds (a year of days, a month of hours). */
export const MAX_BUCKETS = 800;

export interface HistoryPage {
  /** Newest first. */
  events: EngineEvent[];
  /** Pass as `beforeSeq` for the next (older) page; null when this was the last. */
  nextBeforeSeq: number | null;
}

/** A query a client may not make (an unknown event type, a range too long): its message says why. */
export class HistoryQueryError extends Error {}

/** The most points one burn-up series holds; a busier range keeps the last value of each slice of time. */
export const MAX_POINTS = 2000;

/** At most `max` points, evenly over the time the points span, each the last value of its slice; first and last kept. */
export function thin(points: BurnupPoint[], max: number): BurnupPoint[] {
  if (points.length <= max) return points;
  const first = points[0] as BurnupPoint;
  const last = points.at(-1) as BurnupPoint;
  const slice = (last.ts - first.ts) / (max - 2);
  const kept = new Map<number, BurnupPoint>();
  for (const point of points.slice(1, -1)) kept.set(Math.floor((point.ts - first.ts) / slice), point);
  return [first, ...kept.values(), last];
}

/** Seqs looked at per step when a page filters (see `page`). */
const SCAN_WINDOW = 20_000;
/** Seqs one page may look at before it answers short, with where to go on. */
export const MAX_SCAN = 200_000;

export class HistoryQueries {
  private readonly statements = new Map<string, Statement>();
  private readonly window: number;
  private readonly maxScan: number;

  constructor(
    private readonly db: Db,
    scan: { window?: number; maxScan?: number } = {},
  ) {
    this.window = scan.window ?? SCAN_WINDOW;
    this.maxScan = scan.maxScan ?? MAX_SCAN;
  }

  private statement(sql: string): Statement {
    let statement = this.statements.get(sql);
    if (!statement) {
      statement = this.db.prepare(sql);
      this.statements.set(sql, statement);
    }
    return statement;
  }

  /**
   * One page of events, newest first. Filters other than an item are applied while walking
   * back through windows of seqs, and a page stops after MAX_SCAN rows even when short: then
   * `nextBeforeSeq` says where to go on. So a rare type or a quiet project costs a bounded
   * walk per page, never a scan of the whole journal.
   */
  page(query: HistoryQuery): HistoryPage {
    const limit = query.limit ?? HISTORY_PAGE_DEFAULT;
    if (query.types) {
      const unknown = query.types.filter((t) => !Object.prototype.hasOwnProperty.call(EventPayloadSchemas, t));
      if (unknown.length > 0) throw new HistoryQueryError(`Unknown event type ${JSON.stringify(unknown[0])}; see the event types in the protocol.`);
    }
    if (query.itemId !== undefined && query.projectId === undefined) {
      throw new HistoryQueryError('itemId needs a projectId: item ids are unique only within a project.');
    }
    const bounds = rows<{ lo: number | null; hi: number | null }>(this.statement('SELECT (SELECT MIN(seq) FROM events) AS lo, (SELECT MAX(seq) FROM events) AS hi'))[0];
    if (!bounds || bounds.lo === null || bounds.hi === null) return { events: [], nextBeforeSeq: null };
    // A time range is a seq range: the walk starts and ends inside it.
    let high = Math.min(bounds.hi, query.beforeSeq === undefined ? Number.POSITIVE_INFINITY : query.beforeSeq - 1);
    if (query.until !== undefined) high = Math.min(high, lastSeqBefore(this.db, query.until));
    let low = bounds.lo;
    if (query.since !== undefined) {
      const first = firstSeqAtOrAfter(this.db, query.since);
      if (first === null) return { events: [], nextBeforeSeq: null };
      low = Math.max(low, first);
    }
    const where = ['seq >= ?', 'seq <= ?'];
    const params: unknown[] = [];
    if (query.since !== undefined) {
      where.push('ts >= ?');
      params.push(query.since);
    }
    if (query.until !== undefined) {
      where.push('ts < ?');
      params.push(query.until);
    }
    if (query.projectId !== undefined) {
      where.push('project_id = ?');
      params.push(query.projectId);
    }
    if (query.itemId !== undefined) {
      where.push('item_id = ?');
      params.push(query.itemId);
    }
    if (query.types) {
      const types = [...new Set(query.types)].sort();
      where.push(`type IN (${types.map(() => '?').join(', ')})`);
      params.push(...types);
    }
    const statement = this.statement(`SELECT seq, ts, type, found_on_start, payload FROM events WHERE ${where.join(' AND ')} ORDER BY seq DESC LIMIT ?`);
    // An item's events come straight from its index; anything else walks back a window at a time.
    const window = query.itemId !== undefined ? Number.POSITIVE_INFINITY : this.window;
    const events: EngineEvent[] = [];
    let scanned = 0;
    while (high >= low && events.length < limit) {
      const from = Math.max(low, high - window + 1);
      const found = rows<Parameters<typeof eventFromRow>[0]>(statement, from, high, ...params, limit - events.length);
      for (const row of found) events.push(eventFromRow(row));
      scanned += high - from + 1;
      high = from - 1;
      if (events.length < limit && scanned >= this.maxScan && high >= low) return { events, nextBeforeSeq: high + 1 };
    }
    if (events.length === limit) return { events, nextBeforeSeq: (events.at(-1) as EngineEvent).seq };
    return { events, nextBeforeSeq: null };
  }

  /** The name of every project the journal holds now, by id. */
  projectNames(): Map<string, string> {
    const found = rows<{ id: string; name: string }>(this.statement(`SELECT id, json_extract(project, '$.name') AS name FROM model_projects`));
    return new Map(found.map((r) => [r.id, r.name]));
  }

  /**
   * Events after `afterSeq`, oldest first, at most `limit`: for reading the journal from a
   * point on (the `vigil history` command pages through it with this).
   */
  forward(query: { afterSeq: number; projectIds?: readonly string[]; since?: number; limit: number }): EngineEvent[] {
    const where = ['seq > ?'];
    const params: unknown[] = [query.afterSeq];
    if (query.since !== undefined) {
      const first = firstSeqAtOrAfter(this.db, query.since);
      if (first === null) return [];
      where.push('seq >= ?', 'ts >= ?');
      params.push(first, query.since);
    }
    if (query.projectIds) {
      where.push(`project_id IN (${query.projectIds.map(() => '?').join(', ')})`);
      params.push(...query.projectIds);
    }
    const sql = `SELECT seq, ts, type, found_on_start, payload FROM events WHERE ${where.join(' AND ')} ORDER BY seq LIMIT ?`;
    return rows<Parameters<typeof eventFromRow>[0]>(this.statement(sql), ...params, query.limit).map(eventFromRow);
  }

  /**
   * Done and total over time for each project (or one): the value at `since` (the last change
   * before it), every change in the range, and the value at `until`, so a chart spans the range.
   */
  burnup(query: BurnupQuery, now: number): BurnupSeries[] {
    const until = query.until ?? now;
    const since = query.since ?? until - DAY_MS;
    if (since >= until) throw new HistoryQueryError('since must be before until.');
    const projectIds =
      query.projectId !== undefined ? [query.projectId] : rows<{ id: string }>(this.statement('SELECT id FROM model_projects ORDER BY id')).map((r) => r.id);
    const before = this.statement('SELECT ts, done, total FROM progress WHERE project_id = ? AND ts < ? ORDER BY ts DESC LIMIT 1');
    const within = this.statement('SELECT ts, done, total FROM progress WHERE project_id = ? AND ts >= ? AND ts < ? ORDER BY ts, seq');
    const current = this.statement('SELECT project FROM model_projects WHERE id = ?');
    const out: BurnupSeries[] = [];
    for (const projectId of projectIds) {
      const points: BurnupPoint[] = [];
      const start = rows<BurnupPoint>(before, projectId, since)[0];
      if (start) points.push({ ts: since, done: start.done, total: start.total });
      points.push(...rows<BurnupPoint>(within, projectId, since, until));
      let last = points.at(-1);
      if (!last) {
        // No change recorded at all: the project as it stands is the whole line.
        const row = rows<{ project: string }>(current, projectId)[0];
        if (!row) continue;
        const progress = (JSON.parse(row.project) as Project).progress;
        points.push({ ts: since, done: progress.done, total: progress.total });
        last = points.at(-1) as BurnupPoint;
      }
      if (last.ts < until) points.push({ ts: until, done: last.done, total: last.total });
      out.push({ projectId, points: thin(points, MAX_POINTS) });
    }
    return out;
  }

  /** Items that reached done and failed per hour or per (local) day, every bucket in the range, oldest first. */
  throughput(query: ThroughputQuery, now: number): ThroughputBucket[] {
    const size = query.bucket === 'hour' ? HOUR_MS : DAY_MS;
    const offset = query.bucket === 'day' ? (query.utcOffsetMinutes ?? 0) * 60_000 : 0;
    const until = query.until ?? now;
    const since = query.since ?? until - (query.bucket === 'hour' ? DAY_MS : 30 * DAY_MS);
    if (since >= until) throw new HistoryQueryError('since must be before until.');
    const first = Math.floor((since + offset) / size);
    const last = Math.floor((until - 1 + offset) / size);
    if (last - first + 1 > MAX_BUCKETS) throw new HistoryQueryError(`That range holds more than ${MAX_BUCKETS} ${query.bucket}s; ask for a shorter one.`);
    const byProject = query.projectId !== undefined ? ' AND project_id = ?' : '';
    const sql =
      `SELECT CAST(ts + ? AS INTEGER) / ${size} AS bucket, SUM(to_status = 'done') AS finished, SUM(to_status = 'failed') AS failed FROM transitions ` +
      `WHERE to_status IN ('done', 'failed') AND seq >= ? AND seq <= ? AND ts >= ? AND ts < ?${byProject} GROUP BY bucket`;
    const fromSeq = firstSeqAtOrAfter(this.db, since) ?? Number.MAX_SAFE_INTEGER;
    const params: unknown[] = [offset, fromSeq, lastSeqBefore(this.db, until), since, until];
    if (query.projectId !== undefined) params.push(query.projectId);
    const counts = new Map(rows<{ bucket: number; finished: number; failed: number }>(this.statement(sql), ...params).map((r) => [r.bucket, r]));
    const out: ThroughputBucket[] = [];
    for (let bucket = first; bucket <= last; bucket++) {
      const found = counts.get(bucket);
      out.push({ start: bucket * size - offset, finished: found?.finished ?? 0, failed: found?.failed ?? 0 });
    }
    return out;
  }

  /** What finished, failed, started and stalled after `sinceSeq`, most important first. */
  digest(query: DigestQuery): Digest {
    const found = rows<Parameters<typeof eventFromRow>[0]>(
      this.statement(`SELECT seq, ts, type, found_on_start, payload FROM events WHERE seq > ? AND type IN ('item:status', 'health:changed') ORDER BY seq DESC LIMIT ?`),
      query.sinceSeq,
      DIGEST_MAX_EVENTS + 1,
    ).map(eventFromRow);
    const truncated = found.length > DIGEST_MAX_EVENTS;
    const newest = rows<{ seq: number | null }>(this.statement('SELECT MAX(seq) AS seq FROM events'))[0]?.seq ?? query.sinceSeq;
    const sinceTs = rows<{ ts: number }>(this.statement('SELECT ts FROM events WHERE seq <= ? ORDER BY seq DESC LIMIT 1'), query.sinceSeq)[0]?.ts;
    return summarizeAway(found.slice(0, DIGEST_MAX_EVENTS).reverse(), {
      sinceSeq: query.sinceSeq,
      throughSeq: Math.max(newest, query.sinceSeq),
      truncated,
      sinceTs,
    });
  }
}
