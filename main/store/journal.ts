// The journal's tables, written and read: every batch of events in one transaction, with the
// derived rows (status transitions, progress, the recorded model) that make the history
// queries cheap. Synchronous, like the driver: a batch is on disk (in the WAL) before the
// hub hands it to the next sink.
//
// The journal's cost is its statements (each one a native call and index updates; the commit
// is a fixed cost per batch), so a batch writes each row of the recorded model once, however
// many of its events touch that row, and the start of each item's current stretch of work is
// known in memory, so a status change neither reads it back nor writes what did not change.
import type { Health, ItemKind, Plan, Project, ProjectIssue, Snapshot, Stub, Throughput, Transition, Workorder } from '../../shared/model';
import type { Completion } from '../../shared/model';
import type { EngineEvent } from '../../shared/protocol';
import type { RecordedItem, RecordedModel } from './start-differences';
import { inTransaction, rows, type Db, type Statement } from './sqlite';
import { firstSeqAtOrAfter } from './time-index';

export const HOUR_MS = 60 * 60 * 1000;
/** How many completions the snapshot carries. */
export const RECENT_COMPLETIONS = 100;
/** A replay longer than this is answered with a fresh snapshot instead: cheaper for both sides. */
export const MAX_REPLAY = 10_000;

/**
 * Finished and failed per hour from a seq on: read on every start, answered from the
 * transitions_to index alone (migrations.ts, version 3).
 */
export const HOURLY_COMPLETIONS_SQL =
  `SELECT (ts / ${HOUR_MS}) * ${HOUR_MS} AS hour, SUM(to_status = 'done') AS finished, SUM(to_status = 'failed') AS failed ` +
  `FROM transitions WHERE to_status IN ('done', 'failed') AND seq >= ? GROUP BY hour`;

/** Statuses after which a new `in_progress` starts a new stretch of work (the cycle clock restarts). */
const RESTARTS: readonly string[] = ['todo', 'backlog', 'done', 'failed', 'cancelled'];

/** When an item's current stretch of work started (its first `in_progress`). */
interface Start {
  seq: number;
  ts: number;
}

/** A row of model_items the transaction writes at its end: the item (its JSON), or only its start. */
interface ItemWrite {
  projectId: string;
  kind: ItemKind;
  id: string;
  /** null when only the item's start changed. */
  json: string | null;
}

const itemKey = (projectId: string, kind: string, id: string): string => `${projectId}\u0000${kind}\u0000${id}`;

interface EventRow {
  seq: number;
  ts: number;
  type: string;
  found_on_start: number;
  payload: string;
}

interface TransitionRow {
  seq: number;
  ts: number;
  project_id: string;
  kind: ItemKind;
  item_id: string;
  title: string;
  from_status: Transition['from'];
  to_status: Transition['to'];
  found_on_start: number;
  cycle_ms: number | null;
}

export function eventFromRow(row: EventRow): EngineEvent {
  const event = { seq: row.seq, ts: row.ts, type: row.type, payload: JSON.parse(row.payload) as unknown } as EngineEvent;
  if (row.found_on_start) event.foundOnStart = true;
  return event;
}

function transitionFromRow(row: TransitionRow): Transition {
  const t: Transition = { projectId: row.project_id, kind: row.kind, id: row.item_id, title: row.title, from: row.from_status, to: row.to_status, at: row.ts, seq: row.seq };
  if (row.found_on_start) t.foundOnStart = true;
  return t;
}

function completionFromRow(row: TransitionRow): Completion {
  return {
    seq: row.seq,
    at: row.ts,
    projectId: row.project_id,
    kind: row.kind,
    id: row.item_id,
    title: row.title,
    to: row.to_status as Completion['to'],
    cycleMs: row.cycle_ms,
  };
}

/** The project and item an event is about (the indexed columns). */
export function subject(event: EngineEvent): { projectId: string | null; itemId: string | null } {
  switch (event.type) {
    case 'project:added':
    case 'project:updated':
      return { projectId: event.payload.project.id, itemId: null };
    case 'project:removed':
    case 'project:state':
      return { projectId: event.payload.projectId, itemId: null };
    case 'plan:added':
    case 'plan:updated':
      return { projectId: event.payload.plan.projectId, itemId: event.payload.plan.id };
    case 'stub:added':
    case 'stub:updated':
      return { projectId: event.payload.stub.projectId, itemId: event.payload.stub.id };
    case 'workorder:added':
    case 'workorder:updated':
      return { projectId: event.payload.workorder.projectId, itemId: event.payload.workorder.id };
    case 'plan:removed':
    case 'stub:removed':
    case 'workorder:removed':
    case 'item:status':
      return { projectId: event.payload.projectId, itemId: event.payload.id };
    case 'parse:issue':
      return { projectId: event.payload.projectId, itemId: null };
    default:
      return { projectId: null, itemId: null };
  }
}

// Statements run with their parameters in one array: the driver then binds it as it is, where
// a list of arguments is first copied and flattened (a fifth of a row insert's cost).
export class Journal {
  private readonly insertEvent: Statement;
  private readonly insertTransition: Statement;
  private readonly setStart: Statement;
  private readonly insertProgress: Statement;
  private readonly upsertProject: Statement;
  private readonly deleteProject: Statement[];
  private readonly upsertItem: Statement;
  private readonly deleteItem: Statement;
  private readonly upsertIssues: Statement;
  private readonly deleteIssues: Statement;
  private readonly upsertState: Statement;
  private readonly range: Statement;
  private readonly newest: Statement;
  /** The progress last written per project, so a progress row is written only when it moves. */
  private readonly lastProgress = new Map<string, string>();
  /** What model_items holds as each item's start (by itemKey), for the items that have one. */
  private starts = new Map<string, Start>();
  /** Rows of the recorded model the current append writes before it commits, by id / itemKey. */
  private readonly projectWrites = new Map<string, string>();
  private readonly itemWrites = new Map<string, ItemWrite>();
  /** How to put `starts` back if the current append rolls back: [key, start before], in order. */
  private readonly startUndo: [string, Start | undefined][] = [];
  private lastSeqValue: number;
  /** Newest first, at most RECENT_COMPLETIONS. */
  private completions: Completion[];
  /** Finished and failed per hour (start of the hour → counts), the last day or so. */
  private readonly hours = new Map<number, { finished: number; failed: number }>();

  constructor(
    readonly db: Db,
    lastSeq: number,
    now: number,
  ) {
    this.lastSeqValue = lastSeq;
    this.insertEvent = db.prepare('INSERT INTO events (seq, ts, type, project_id, item_id, found_on_start, payload) VALUES (?, ?, ?, ?, ?, ?, ?)');
    this.insertTransition = db.prepare(
      'INSERT INTO transitions (seq, ts, project_id, kind, item_id, title, from_status, to_status, found_on_start, cycle_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
    );
    // An item's current stretch of work starts at its first in_progress (kept on its model row).
    this.setStart = db.prepare('UPDATE model_items SET started_seq = ?, started_ts = ? WHERE project_id = ? AND kind = ? AND id = ?');
    this.insertProgress = db.prepare('INSERT INTO progress (seq, ts, project_id, done, total) VALUES (?, ?, ?, ?, ?)');
    this.upsertProject = db.prepare('INSERT INTO model_projects (id, project) VALUES (?, ?) ON CONFLICT (id) DO UPDATE SET project = excluded.project');
    this.deleteProject = [
      db.prepare('DELETE FROM model_projects WHERE id = ?'),
      db.prepare('DELETE FROM model_items WHERE project_id = ?'),
      db.prepare('DELETE FROM model_issues WHERE project_id = ?'),
    ];
    this.upsertItem = db.prepare(
      'INSERT INTO model_items (project_id, kind, id, item, started_seq, started_ts) VALUES (?, ?, ?, ?, ?, ?) ' +
        'ON CONFLICT (project_id, kind, id) DO UPDATE SET item = excluded.item, started_seq = excluded.started_seq, started_ts = excluded.started_ts',
    );
    this.deleteItem = db.prepare('DELETE FROM model_items WHERE project_id = ? AND kind = ? AND id = ?');
    this.upsertIssues = db.prepare(
      'INSERT INTO model_issues (project_id, path, issues) VALUES (?, ?, ?) ON CONFLICT (project_id, path) DO UPDATE SET issues = excluded.issues',
    );
    this.deleteIssues = db.prepare('DELETE FROM model_issues WHERE project_id = ? AND path = ?');
    this.upsertState = db.prepare('INSERT INTO model_state (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value');
    this.range = db.prepare('SELECT seq, ts, type, found_on_start, payload FROM events WHERE seq > ? AND seq <= ? ORDER BY seq');
    this.newest = db.prepare('SELECT seq, ts, type, found_on_start, payload FROM events WHERE seq <= ? ORDER BY seq DESC LIMIT ?');

    for (const row of rows<{ id: string; project: string }>(db.prepare('SELECT id, project FROM model_projects'))) {
      const project = JSON.parse(row.project) as Project;
      this.lastProgress.set(row.id, progressKey(project));
    }
    this.starts = this.readStarts();
    this.completions = rows<TransitionRow>(
      db.prepare(`SELECT * FROM transitions WHERE to_status IN ('done', 'failed') ORDER BY seq DESC LIMIT ${RECENT_COMPLETIONS}`),
    ).map(completionFromRow);
    const since = firstSeqAtOrAfter(db, Math.floor(now / HOUR_MS) * HOUR_MS - 24 * HOUR_MS);
    const hourly = since === null ? [] : rows<{ hour: number; finished: number; failed: number }>(db.prepare(HOURLY_COMPLETIONS_SQL), since);
    for (const row of hourly) this.hours.set(row.hour, { finished: row.finished, failed: row.failed });
  }

  /** The newest seq written. */
  get lastSeq(): number {
    return this.lastSeqValue;
  }

  /**
   * Append a batch and everything derived from it, in one transaction. With `until` (a
   * performance.now() time) the events are applied until it passes, at least one, and the rest
   * are left to the caller. Returns how many of `batch`, from its start, are written now (events
   * written before count too). Throws what the driver throws.
   */
  append(batch: readonly EngineEvent[], until = Infinity): number {
    const fresh = batch.filter((event) => event.seq > this.lastSeqValue);
    if (fresh.length === 0) return batch.length;
    const completionsBefore = this.completions;
    const hoursBefore = new Map(this.hours);
    const progressBefore = new Map(this.lastProgress);
    let applied = 0;
    try {
      inTransaction(this.db, () => {
        for (const event of fresh) {
          this.apply(event);
          applied += 1;
          if (performance.now() >= until) break;
        }
        this.writeModel();
      });
    } catch (err) {
      // Rolled back: what was derived in memory goes back too.
      this.projectWrites.clear();
      this.itemWrites.clear();
      for (let i = this.startUndo.length - 1; i >= 0; i--) {
        const [key, start] = this.startUndo[i] as [string, Start | undefined];
        if (start) this.starts.set(key, start);
        else this.starts.delete(key);
      }
      this.startUndo.length = 0;
      this.completions = completionsBefore;
      this.hours.clear();
      for (const [hour, counts] of hoursBefore) this.hours.set(hour, counts);
      this.lastProgress.clear();
      for (const [id, key] of progressBefore) this.lastProgress.set(id, key);
      throw err;
    }
    this.startUndo.length = 0;
    this.lastSeqValue = (fresh[applied - 1] as EngineEvent).seq;
    return applied === fresh.length ? batch.length : batch.indexOf(fresh[applied] as EngineEvent);
  }

  /** Events in (afterSeq, throughSeq], or null when any of them is missing (pruned, or a pause left a gap). */
  since(afterSeq: number, throughSeq: number): EngineEvent[] | null {
    const wanted = throughSeq - afterSeq;
    if (wanted <= 0) return [];
    if (wanted > MAX_REPLAY) return null;
    const found = rows<EventRow>(this.range, afterSeq, throughSeq);
    return found.length === wanted ? found.map(eventFromRow) : null;
  }

  /** The newest `n` events at or below `throughSeq`, oldest first. */
  recent(n: number, throughSeq: number): EngineEvent[] {
    if (n <= 0) return [];
    return rows<EventRow>(this.newest, throughSeq, Math.floor(n)).reverse().map(eventFromRow);
  }

  /** The ids of the projects in the recorded model. */
  recordedProjectIds(): string[] {
    return rows<{ id: string }>(this.db.prepare('SELECT id FROM model_projects')).map((r) => r.id);
  }

  /** The model the journal recorded last. */
  recordedModel(): RecordedModel {
    const projects = rows<{ project: string }>(this.db.prepare('SELECT project FROM model_projects')).map((r) => JSON.parse(r.project) as Project);
    const items: RecordedItem[] = rows<{ kind: ItemKind; item: string }>(this.db.prepare('SELECT kind, item FROM model_items')).map((r) => ({
      kind: r.kind,
      item: JSON.parse(r.item) as Plan | Stub | Workorder,
    }));
    const issues = rows<{ project_id: string; path: string; issues: string }>(this.db.prepare('SELECT project_id, path, issues FROM model_issues')).map(
      (r) => ({ projectId: r.project_id, path: r.path, issues: JSON.parse(r.issues) as ProjectIssue[] }),
    );
    const state = new Map(rows<{ key: string; value: string }>(this.db.prepare('SELECT key, value FROM model_state')).map((r) => [r.key, JSON.parse(r.value) as unknown]));
    return {
      projects,
      items,
      issues,
      running: (state.get('running') as boolean | undefined) ?? null,
      health: (state.get('health') as Health | undefined) ?? null,
      throughput: (state.get('throughput') as Throughput | undefined) ?? null,
    };
  }

  /**
   * Record `snapshot` as the model, replacing what was recorded: after a pause left events
   * out, or in a fresh database that replaced a damaged one.
   */
  recordModel(snapshot: Snapshot): void {
    // Work in progress keeps its start: the cycle time of what finishes later stays right.
    const kept = new Map<string, Start>();
    inTransaction(this.db, () => {
      this.db.exec('DELETE FROM model_projects; DELETE FROM model_items; DELETE FROM model_issues; DELETE FROM model_state;');
      this.lastProgress.clear();
      for (const project of snapshot.projects) {
        this.upsertProject.run([project.id, JSON.stringify(project)]);
        this.lastProgress.set(project.id, progressKey(project));
      }
      const put = (projectId: string, kind: ItemKind, id: string, item: Plan | Stub | Workorder): void => {
        const key = itemKey(projectId, kind, id);
        const start = this.starts.get(key);
        if (start) kept.set(key, start);
        this.upsertItem.run([projectId, kind, id, JSON.stringify(item), start?.seq ?? null, start?.ts ?? null]);
      };
      for (const plan of snapshot.plans) put(plan.projectId, 'plan', plan.id, plan);
      for (const stub of snapshot.stubs) put(stub.projectId, 'stub', stub.id, stub);
      for (const wo of snapshot.workorders) put(wo.projectId, 'workorder', wo.id, wo);
      const byPath = new Map<string, ProjectIssue[]>();
      for (const issue of snapshot.issues) {
        const key = `${issue.projectId}\u0000${issue.path}`;
        byPath.set(key, [...(byPath.get(key) ?? []), issue]);
      }
      for (const list of byPath.values()) {
        const first = list[0] as ProjectIssue;
        this.upsertIssues.run([first.projectId, first.path, JSON.stringify(list)]);
      }
      this.upsertState.run(['running', JSON.stringify(snapshot.running)]);
      this.upsertState.run(['health', JSON.stringify(snapshot.health)]);
      this.upsertState.run(['throughput', JSON.stringify(snapshot.throughput)]);
    });
    this.starts = kept;
  }

  /**
   * The transitions the activity feed and the throughput windows start from: the newest
   * `feed`, those of the last hour, and the start of every stretch still in progress (for
   * its cycle time), oldest first.
   */
  seedTransitions(now: number, feed = 200, maxWindow = 50_000): Transition[] {
    const bySeq = new Map<number, TransitionRow>();
    const add = (list: TransitionRow[]): void => {
      for (const row of list) bySeq.set(row.seq, row);
    };
    add(rows<TransitionRow>(this.db.prepare('SELECT * FROM transitions ORDER BY seq DESC LIMIT ?'), feed));
    const lastHour = firstSeqAtOrAfter(this.db, now - HOUR_MS);
    if (lastHour !== null) add(rows<TransitionRow>(this.db.prepare('SELECT * FROM transitions WHERE seq >= ? ORDER BY seq DESC LIMIT ?'), lastHour, maxWindow));
    add(
      rows<TransitionRow>(
        this.db.prepare('SELECT t.* FROM model_items m JOIN transitions t ON t.seq = m.started_seq WHERE m.started_seq IS NOT NULL LIMIT ?'),
        maxWindow,
      ),
    );
    return [...bySeq.values()].sort((a, b) => a.seq - b.seq).map(transitionFromRow);
  }

  /** The last RECENT_COMPLETIONS items that reached done or failed, newest first. */
  recentCompletions(): Completion[] {
    return this.completions;
  }

  /** Finished and failed per hour for the 24 hours ending with the current one, oldest first. */
  hourlyThroughput(now: number): { start: number; finished: number; failed: number }[] {
    const current = Math.floor(now / HOUR_MS) * HOUR_MS;
    for (const hour of this.hours.keys()) if (hour < current - 24 * HOUR_MS) this.hours.delete(hour);
    const out: { start: number; finished: number; failed: number }[] = [];
    for (let i = 23; i >= 0; i--) {
      const start = current - i * HOUR_MS;
      out.push({ start, ...(this.hours.get(start) ?? { finished: 0, failed: 0 }) });
    }
    return out;
  }

  private apply(event: EngineEvent): void {
    const { projectId, itemId } = subject(event);
    // The payload of an item or project event is `{<kind>: <object>}`: that object's JSON goes
    // into the recorded model as it is, so it is serialized once.
    const object = payloadObject(event);
    const objectJson = object ? JSON.stringify(object.value) : null;
    const payload = object && objectJson !== null ? `{${JSON.stringify(object.key)}:${objectJson}}` : JSON.stringify(event.payload);
    this.insertEvent.run([event.seq, event.ts, event.type, projectId, itemId, event.foundOnStart ? 1 : 0, payload]);
    switch (event.type) {
      case 'project:added':
      case 'project:updated': {
        const project = event.payload.project;
        this.projectWrites.set(project.id, objectJson as string);
        const key = progressKey(project);
        if (this.lastProgress.get(project.id) !== key) {
          this.lastProgress.set(project.id, key);
          this.insertProgress.run([event.seq, event.ts, project.id, project.progress.done, project.progress.total]);
        }
        return;
      }
      case 'project:removed':
        this.removeProject(event.payload.projectId);
        return;
      case 'plan:added':
      case 'plan:updated':
        this.writeItem(event.payload.plan.projectId, 'plan', event.payload.plan.id, objectJson);
        return;
      case 'stub:added':
      case 'stub:updated':
        this.writeItem(event.payload.stub.projectId, 'stub', event.payload.stub.id, objectJson);
        return;
      case 'workorder:added':
      case 'workorder:updated':
        this.writeItem(event.payload.workorder.projectId, 'workorder', event.payload.workorder.id, objectJson);
        return;
      case 'plan:removed':
        this.removeItem(event.payload.projectId, 'plan', event.payload.id);
        return;
      case 'stub:removed':
        this.removeItem(event.payload.projectId, 'stub', event.payload.id);
        return;
      case 'workorder:removed':
        this.removeItem(event.payload.projectId, 'workorder', event.payload.id);
        return;
      case 'item:status':
        this.recordTransition(event);
        return;
      case 'parse:issue':
        if (event.payload.issues.length === 0) this.deleteIssues.run([event.payload.projectId, event.payload.path]);
        else this.upsertIssues.run([event.payload.projectId, event.payload.path, JSON.stringify(event.payload.issues)]);
        return;
      case 'health:changed':
        this.upsertState.run(['health', JSON.stringify(event.payload.health)]);
        return;
      case 'throughput:changed':
        this.upsertState.run(['throughput', JSON.stringify(event.payload.throughput)]);
        return;
      case 'engine:state':
        this.upsertState.run(['running', JSON.stringify(event.payload.running)]);
        return;
      default:
        return;
    }
  }

  /** The item's row is written (once) when the transaction ends, with the item's start then. */
  private writeItem(projectId: string, kind: ItemKind, id: string, json: string | null): void {
    this.itemWrites.set(itemKey(projectId, kind, id), { projectId, kind, id, json });
  }

  private removeItem(projectId: string, kind: ItemKind, id: string): void {
    const key = itemKey(projectId, kind, id);
    this.itemWrites.delete(key);
    this.changeStart(key, undefined);
    this.deleteItem.run([projectId, kind, id]);
  }

  private removeProject(projectId: string): void {
    const prefix = `${projectId}\u0000`;
    this.projectWrites.delete(projectId);
    for (const [key, write] of this.itemWrites) if (write.projectId === projectId) this.itemWrites.delete(key);
    for (const key of this.starts.keys()) if (key.startsWith(prefix)) this.changeStart(key, undefined);
    for (const statement of this.deleteProject) statement.run([projectId]);
    this.lastProgress.delete(projectId);
  }

  /** Set (or, with undefined, end) an item's start in memory; the append can undo it. */
  private changeStart(key: string, start: Start | undefined): void {
    const before = this.starts.get(key);
    if (before === start) return;
    this.startUndo.push([key, before]);
    if (start) this.starts.set(key, start);
    else this.starts.delete(key);
  }

  /** The recorded model's rows this append changed, each written once, before the commit. */
  private writeModel(): void {
    for (const [id, json] of this.projectWrites) this.upsertProject.run([id, json]);
    this.projectWrites.clear();
    for (const [key, write] of this.itemWrites) {
      const start = this.starts.get(key);
      if (write.json === null) this.setStart.run([start?.seq ?? null, start?.ts ?? null, write.projectId, write.kind, write.id]);
      else this.upsertItem.run([write.projectId, write.kind, write.id, write.json, start?.seq ?? null, start?.ts ?? null]);
    }
    this.itemWrites.clear();
  }

  private readStarts(): Map<string, Start> {
    const found = rows<{ project_id: string; kind: string; id: string; started_seq: number; started_ts: number }>(
      this.db.prepare('SELECT project_id, kind, id, started_seq, started_ts FROM model_items WHERE started_seq IS NOT NULL'),
    );
    return new Map(found.map((r) => [itemKey(r.project_id, r.kind, r.id), { seq: r.started_seq, ts: r.started_ts }]));
  }

  private recordTransition(event: Extract<EngineEvent, { type: 'item:status' }>): void {
    const t = event.payload;
    let cycleMs: number | null = null;
    const key = itemKey(t.projectId, t.kind, t.id);
    const started = this.starts.get(key);
    if (t.to === 'in_progress') {
      if (!started) this.changeStart(key, { seq: event.seq, ts: event.ts });
    } else if (RESTARTS.includes(t.to)) {
      if ((t.to === 'done' || t.to === 'failed') && started && event.ts >= started.ts) cycleMs = event.ts - started.ts;
      this.changeStart(key, undefined);
    }
    // Only the start changed: its row gets that (or, when the item itself changed too, its whole write).
    if (this.starts.get(key) !== started && !this.itemWrites.has(key)) this.writeItem(t.projectId, t.kind, t.id, null);
    this.insertTransition.run([event.seq, event.ts, t.projectId, t.kind, t.id, t.title, t.from, t.to, event.foundOnStart ? 1 : 0, cycleMs]);
    if (t.to !== 'done' && t.to !== 'failed') return;
    const completion: Completion = { seq: event.seq, at: event.ts, projectId: t.projectId, kind: t.kind, id: t.id, title: t.title, to: t.to, cycleMs };
    this.completions = [completion, ...this.completions].slice(0, RECENT_COMPLETIONS);
    const hour = Math.floor(event.ts / HOUR_MS) * HOUR_MS;
    const counts = this.hours.get(hour) ?? { finished: 0, failed: 0 };
    this.hours.set(hour, t.to === 'done' ? { ...counts, finished: counts.finished + 1 } : { ...counts, failed: counts.failed + 1 });
  }
}

/** The one object an item or project event carries, under its key. */
function payloadObject(event: EngineEvent): { key: string; value: unknown } | null {
  switch (event.type) {
    case 'project:added':
    case 'project:updated':
      return { key: 'project', value: event.payload.project };
    case 'plan:added':
    case 'plan:updated':
      return { key: 'plan', value: event.payload.plan };
    case 'stub:added':
    case 'stub:updated':
      return { key: 'stub', value: event.payload.stub };
    case 'workorder:added':
    case 'workorder:updated':
      return { key: 'workorder', value: event.payload.workorder };
    default:
      return null;
  }
}

function progressKey(project: Project): string {
  return `${project.progress.done}/${project.progress.total}`;
}
