// The live model the views read: normalized tables by key, plus health, heartbeats and the
// activity ring. Every function here is pure — (state, input) → state — so the hard part of
// staying in sync (ordering, duplicates, gaps, identities) is tested without React or sockets.
// The item tables are Immutable.js Maps (persistent hash tries): a batch costs what it touches,
// not the model's size, and leaves every row and table it did not touch as it was.
import { Map as ImmutableMap } from 'immutable';
import type { AgentSession, Batch, Health, Heartbeat, Plan, Project, ProjectIssue, Run, Stub, Throughput, Transition, Workorder } from '../../shared/model';
import type { EngineEvent, Hello } from '../../shared/protocol';
import { transitionOf, type StatusEvent } from '../../shared/transition';
import { issueKey, itemKey } from './keys';

export const ACTIVITY_LIMIT = 200;
export const HEARTBEAT_LIMIT = 120;
/** Ended runs and batches kept after they end (the Runs tab asks for older ones). */
export const ENDED_RUNS_LIMIT = 300;
export const ENDED_BATCHES_LIMIT = 20;

/** One line of the activity feed: a status transition with a key that is stable for React. */
export interface ActivityEntry extends Omit<Transition, 'seq'> {
  key: string;
  /** The event's seq; null for a transition from a snapshot that does not tell it (an older server). */
  seq: number | null;
}

/** The row of each item table: plans, stubs and work orders by itemKey, parse issues by issueKey. */
interface Rows {
  plans: Plan;
  stubs: Stub;
  workorders: Workorder;
  issues: ProjectIssue[];
}

type TableName = keyof Rows;
const TABLE_NAMES: readonly TableName[] = ['plans', 'stubs', 'workorders', 'issues'];

/**
 * Rows by key. Iteration order is the map's, not insertion order: views sort what they show.
 * `JSON.stringify` gives plain objects (Map#toJSON), so a model serializes as records did.
 */
export type Table<T> = ImmutableMap<string, T>;

export type ItemTables = { [K in TableName]: Table<Rows[K]> };

/** What one batch did to the plans table: the table it started from and each plan it set or deleted. */
export interface PlanChanges {
  from: Table<Plan>;
  touched: readonly { projectId: string; key: string }[];
}

export interface LiveModel extends ItemTables {
  /** A hello has been applied: the tables mean something. */
  loaded: boolean;
  lastSeq: number;
  /**
   * How `plans` came from the table before it, when a batch made it (null once a hello
   * changed it). A view that keeps something per plan (the Plans tab's groups by project)
   * follows the table from these instead of walking 10,000 plans per frame; one that missed a
   * version walks.
   */
  planChanges: PlanChanges | null;
  running: boolean;
  /** A few dozen at most: a plain record, copied when one changes. */
  projects: Record<string, Project>;
  /** Agent sessions by id (hundreds at most): a plain record, copied when one changes. */
  agents: Record<string, AgentSession>;
  health: Health | null;
  throughput: Throughput | null;
  /** Oldest first, at most ACTIVITY_LIMIT. */
  activity: ActivityEntry[];
  /** Oldest first, at most HEARTBEAT_LIMIT. */
  heartbeats: Heartbeat[];
  /** ms since epoch (this machine's clock) when a hello or event was last applied. */
  receivedAt: number | null;
  /** Server clock minus ours at the last hello, to show server times as ages correctly. */
  clockSkewMs: number;
  /** Runs by id: the active ones, and those that ended while we watched (at most ENDED_RUNS_LIMIT). */
  runs: Record<string, Run>;
  /** Batches by id: going on, and the last few that ended. */
  batches: Record<string, Batch>;
}

/** A hole in the seq stream: events after `sinceSeq` must be fetched with `resync`. */
export interface Gap {
  sinceSeq: number;
  /** The seq that arrived instead of sinceSeq + 1. */
  receivedSeq: number;
}

export function emptyModel(): LiveModel {
  return {
    loaded: false,
    lastSeq: 0,
    planChanges: null,
    running: false,
    projects: {},
    agents: {},
    plans: ImmutableMap(),
    stubs: ImmutableMap(),
    workorders: ImmutableMap(),
    issues: ImmutableMap(),
    health: null,
    throughput: null,
    activity: [],
    heartbeats: [],
    receivedAt: null,
    clockSkewMs: 0,
    runs: {},
    batches: {},
  };
}

const isActive = (run: Run): boolean => run.state === 'queued' || run.state === 'running';

/** Keep every active run and the newest ended ones. */
function pruneRuns(runs: Record<string, Run>): Record<string, Run> {
  const ended = Object.values(runs).filter((r) => !isActive(r));
  if (ended.length <= ENDED_RUNS_LIMIT) return runs;
  const drop = new Set(
    ended
      .sort((a, b) => (b.endedAt ?? b.queuedAt) - (a.endedAt ?? a.queuedAt))
      .slice(ENDED_RUNS_LIMIT)
      .map((r) => r.id),
  );
  return Object.fromEntries(Object.entries(runs).filter(([id]) => !drop.has(id)));
}

function pruneBatches(batches: Record<string, Batch>): Record<string, Batch> {
  const ended = Object.values(batches).filter((b) => b.endedAt !== null);
  if (ended.length <= ENDED_BATCHES_LIMIT) return batches;
  const drop = new Set(
    ended
      .sort((a, b) => (b.endedAt ?? 0) - (a.endedAt ?? 0))
      .slice(ENDED_BATCHES_LIMIT)
      .map((b) => b.id),
  );
  return Object.fromEntries(Object.entries(batches).filter(([id]) => !drop.has(id)));
}

/** Add runs fetched with `runs:list` (history): a run we already hold live is not overwritten by an older copy. */
export function mergeRuns<S extends LiveModel>(state: S, runs: readonly Run[]): S {
  const next = { ...state.runs };
  let changed = false;
  for (const run of runs) {
    const held = next[run.id];
    if (held && (isActive(held) || held.endedAt !== null)) continue;
    next[run.id] = run;
    changed = true;
  }
  return changed ? { ...state, runs: pruneRuns(next) } : state;
}

/**
 * The feed's line for an `item:status` event: its transition and a key for React. Not a spread
 * of the payload plus more properties: that costs every entry a hidden class of its own on Node
 * 20's V8 (a Node client of this store) and is slower in Chromium too (docs/architecture.md,
 * "Objects on hot paths").
 */
export function activityEntryOf(event: StatusEvent): ActivityEntry {
  // A property added to an object made by a literal follows a class shared by all of them.
  const entry = transitionOf(event) as ActivityEntry;
  entry.key = `seq:${event.seq}`;
  return entry;
}

const byKey = <T extends { projectId: string; id: string }>(items: T[]): [string, T][] => items.map((item) => [itemKey(item.projectId, item.id), item]);

function snapshotActivity(transitions: Transition[]): ActivityEntry[] {
  return [...transitions]
    .sort((a, b) => a.at - b.at)
    .slice(-ACTIVITY_LIMIT)
    .map((t, i) => (t.seq !== undefined ? { ...t, key: `seq:${t.seq}`, seq: t.seq } : { ...t, key: `snap:${i}:${t.at}:${itemKey(t.projectId, t.id)}`, seq: null }));
}

/**
 * A hello is the whole truth at its seq: it replaces the model, even when its seq is lower
 * than ours (the server restarted and counts from zero again). Entities equal to what we
 * hold keep their identity, so a reconnect does not re-render every row.
 */
export function applyHello<S extends LiveModel>(state: S, hello: Hello, now: number = Date.now()): S {
  const snap = hello.snapshot;
  const issues = new Map<string, ProjectIssue[]>();
  for (const issue of snap.issues) {
    const key = issueKey(issue.projectId, issue.path);
    const list = issues.get(key);
    if (list) list.push(issue);
    else issues.set(key, [issue]);
  }
  const beat = snap.heartbeat;
  const newest = state.heartbeats[state.heartbeats.length - 1];
  const heartbeats = beat && (!newest || newest.ts < beat.ts) ? [...state.heartbeats, beat].slice(-HEARTBEAT_LIMIT) : state.heartbeats;
  const plans = reconcile(state.plans, byKey(snap.plans));
  return {
    ...state,
    loaded: true,
    lastSeq: hello.seq,
    running: snap.running,
    projects: keepIdentities(state.projects, Object.fromEntries(snap.projects.map((p) => [p.id, p]))),
    agents: keepIdentities(state.agents, Object.fromEntries((snap.agents ?? []).map((a) => [a.id, a]))),
    plans,
    planChanges: plans === state.plans ? state.planChanges : null,
    stubs: reconcile(state.stubs, byKey(snap.stubs)),
    workorders: reconcile(state.workorders, byKey(snap.workorders)),
    issues: reconcile(state.issues, issues),
    health: sameJson(state.health, snap.health) ? state.health : snap.health,
    throughput: sameJson(state.throughput, snap.throughput) ? state.throughput : snap.throughput,
    activity: snapshotActivity(snap.activity),
    heartbeats,
    receivedAt: now,
    clockSkewMs: hello.serverTime - now,
    ...runsFromHello(state, snap.runs ?? [], snap.batches ?? []),
  };
}

/**
 * The hello's runs are the active ones; runs we saw end stay (they are history), and a run we
 * held as active that the hello no longer has ended while we were away (a later list tells how).
 */
function runsFromHello(state: LiveModel, active: Run[], batches: Batch[]): Pick<LiveModel, 'runs' | 'batches'> {
  const runs: Record<string, Run> = {};
  for (const run of Object.values(state.runs)) if (!isActive(run)) runs[run.id] = run;
  for (const run of active) runs[run.id] = run;
  const keptBatches: Record<string, Batch> = {};
  for (const batch of Object.values(state.batches)) if (batch.endedAt !== null) keptBatches[batch.id] = batch;
  for (const batch of batches) keptBatches[batch.id] = batch;
  return { runs: keepIdentities(state.runs, runs), batches: keepIdentities(state.batches, keptBatches) };
}

function sameJson(a: unknown, b: unknown): boolean {
  return a === b || JSON.stringify(a) === JSON.stringify(b);
}

/** The fresh record, but with the old object wherever the value did not change. */
function keepIdentities<T>(old: Record<string, T>, fresh: Record<string, T>): Record<string, T> {
  const out: Record<string, T> = {};
  for (const [key, value] of Object.entries(fresh)) {
    const before = old[key];
    out[key] = before !== undefined && sameJson(before, value) ? before : value;
  }
  return out;
}

/** The old table edited to hold exactly `fresh`: rows whose value did not change keep their identity. */
function reconcile<T>(old: Table<T>, fresh: Iterable<readonly [string, T]>): Table<T> {
  // withMutations returns `old` itself when nothing was altered.
  return old.withMutations((edit) => {
    const seen = new Set<string>();
    for (const [key, value] of fresh) {
      seen.add(key);
      const before = old.get(key);
      if (before === undefined || !sameJson(before, value)) edit.set(key, value);
    }
    // Every fresh key is in the edit now, so any surplus is a row the snapshot no longer has.
    if (edit.size > seen.size) for (const key of old.keys()) if (!seen.has(key)) edit.delete(key);
  });
}

/**
 * One batch's changes: a table gets a mutable copy (asMutable) only once touched, and goes
 * back as a new table only if that copy was altered, so the rest keep their identity.
 */
class Draft<S extends LiveModel> {
  readonly out: S;
  private readonly edits = new Map<TableName, Table<unknown>>();
  private readonly plansTouched: { projectId: string; key: string }[] = [];
  private projectsCopied = false;
  private runsCopied = false;
  private batchesCopied = false;

  constructor(private readonly base: S) {
    this.out = { ...base };
  }

  table<K extends TableName>(name: K): Table<Rows[K]> {
    let edit = this.edits.get(name) as Table<Rows[K]> | undefined;
    if (!edit) this.edits.set(name, (edit = (this.out as ItemTables)[name].asMutable()));
    return edit;
  }

  setPlan(plan: Plan): void {
    const key = itemKey(plan.projectId, plan.id);
    this.table('plans').set(key, plan);
    this.plansTouched.push({ projectId: plan.projectId, key });
  }

  deletePlan(projectId: string, id: string): void {
    const key = itemKey(projectId, id);
    this.table('plans').delete(key);
    this.plansTouched.push({ projectId, key });
  }

  projects(): Record<string, Project> {
    if (!this.projectsCopied) {
      this.out.projects = { ...this.out.projects };
      this.projectsCopied = true;
    }
    return this.out.projects;
  }

  runs(): Record<string, Run> {
    if (!this.runsCopied) {
      this.out.runs = { ...this.out.runs };
      this.runsCopied = true;
    }
    return this.out.runs;
  }

  batches(): Record<string, Batch> {
    if (!this.batchesCopied) {
      this.out.batches = { ...this.out.batches };
      this.batchesCopied = true;
    }
    return this.out.batches;
  }

  removeProject(projectId: string): void {
    delete this.projects()[projectId];
    const prefix = `${projectId}/`;
    for (const name of TABLE_NAMES) {
      const table = this.table(name);
      // Keys first: a mutable map must not change while it is being walked.
      for (const key of [...table.keys()]) {
        if (!key.startsWith(prefix)) continue;
        table.delete(key);
        if (name === 'plans') this.plansTouched.push({ projectId, key });
      }
    }
  }

  /** The model with every edited table in place. */
  finish(): S {
    // Each edit was made from the table of its own name, so it goes back under that name; an
    // edit that altered nothing (setting a row to itself, deleting a missing key) leaves the table.
    const tables = this.out as Record<TableName, Table<unknown>>;
    for (const [name, edit] of this.edits) if (edit.wasAltered()) tables[name] = edit.asImmutable();
    // An unaltered table keeps the changes that made it: they still say how it came to be.
    if (tables.plans !== this.base.plans) this.out.planChanges = { from: this.base.plans, touched: this.plansTouched };
    if (this.runsCopied) this.out.runs = pruneRuns(this.out.runs);
    if (this.batchesCopied) this.out.batches = pruneBatches(this.out.batches);
    return this.out;
  }
}

function applyOne<S extends LiveModel>(draft: Draft<S>, event: EngineEvent, activity: ActivityEntry[]): void {
  const out = draft.out;
  switch (event.type) {
    case 'project:added':
    case 'project:updated':
      draft.projects()[event.payload.project.id] = event.payload.project;
      return;
    case 'project:removed':
      draft.removeProject(event.payload.projectId);
      return;
    case 'project:state': {
      const project = out.projects[event.payload.projectId];
      if (project) draft.projects()[project.id] = { ...project, state: event.payload.to };
      return;
    }
    case 'plan:added':
    case 'plan:updated': {
      draft.setPlan(event.payload.plan);
      return;
    }
    case 'plan:removed':
      draft.deletePlan(event.payload.projectId, event.payload.id);
      return;
    case 'stub:added':
    case 'stub:updated': {
      const stub = event.payload.stub;
      draft.table('stubs').set(itemKey(stub.projectId, stub.id), stub);
      return;
    }
    case 'stub:removed':
      draft.table('stubs').delete(itemKey(event.payload.projectId, event.payload.id));
      return;
    case 'workorder:added':
    case 'workorder:updated': {
      const wo = event.payload.workorder;
      draft.table('workorders').set(itemKey(wo.projectId, wo.id), wo);
      return;
    }
    case 'workorder:removed':
      draft.table('workorders').delete(itemKey(event.payload.projectId, event.payload.id));
      return;
    case 'item:status':
      activity.push(activityEntryOf(event));
      return;
    case 'parse:issue': {
      const key = issueKey(event.payload.projectId, event.payload.path);
      if (event.payload.issues.length > 0) draft.table('issues').set(key, event.payload.issues);
      else draft.table('issues').delete(key);
      return;
    }
    case 'health:changed':
      out.health = event.payload.health;
      return;
    case 'throughput:changed':
      out.throughput = event.payload.throughput;
      return;
    case 'engine:state':
      out.running = event.payload.running;
      return;
    case 'run:queued':
    case 'run:started':
    case 'run:succeeded':
    case 'run:failed':
    case 'run:cancelled':
    case 'run:lost':
      draft.runs()[event.payload.run.id] = event.payload.run;
      return;
    case 'run:position': {
      for (const { runId, position } of event.payload.positions) {
        const run = out.runs[runId];
        if (run && run.position !== position) draft.runs()[runId] = { ...run, position };
      }
      return;
    }
    case 'command:progress': {
      const run = out.runs[event.payload.task_id];
      if (run && run.lastMessage !== event.payload.message) draft.runs()[run.id] = { ...run, lastMessage: event.payload.message };
      return;
    }
    case 'batch:start':
    case 'batch:end':
      draft.batches()[event.payload.batch.id] = event.payload.batch;
      return;
    case 'cycle:start': {
      const batch = out.batches[event.payload.batch_id];
      if (batch) draft.batches()[batch.id] = { ...batch, cycle: event.payload.cycle_number };
      return;
    }
    case 'command:end': {
      const { batch_id: batchId, status } = event.payload;
      const batch = batchId === null ? undefined : out.batches[batchId];
      if (!batch || batch.endedAt !== null) return;
      const done = { ...batch.done };
      if (status === 'succeeded') done.succeeded += 1;
      else if (status === 'cancelled') done.cancelled += 1;
      else done.failed += 1;
      draft.batches()[batch.id] = { ...batch, done };
      return;
    }
    case 'cycle:end':
    case 'command:start':
      // What they say is in the runs and batches already (run:started; command:end's counts).
      return;
    case 'agent:started':
    case 'agent:updated':
    case 'agent:needs-input':
    case 'agent:ended':
      out.agents = { ...out.agents, [event.payload.session.id]: event.payload.session };
      return;
    default:
      skipUnknown(event);
  }
}

/**
 * Every event type has a case above: a new one in shared/protocol.ts fails to compile here
 * until the store handles it. At run time a type this renderer does not know (a newer
 * server) still counts for its seq; its content is skipped.
 */
function skipUnknown(_event: never): void {}

/**
 * Applies a batch in seq order. Events at or below `lastSeq` are duplicates (a resync reply
 * overlapping a push) and are skipped. At the first hole the batch stops and the gap is
 * returned: the caller asks for `resync {sinceSeq}` rather than build on a model with a hole.
 * Before the first hello nothing applies; the hello will carry it.
 */
export function applyEvents<S extends LiveModel>(
  state: S,
  batch: readonly EngineEvent[],
  now: number = Date.now(),
): { state: S; gap: Gap | null } {
  if (!state.loaded || batch.length === 0) return { state, gap: null };
  const ordered = [...batch].sort((a, b) => a.seq - b.seq);
  const draft = new Draft(state);
  const newActivity: ActivityEntry[] = [];
  let lastSeq = state.lastSeq;
  let gap: Gap | null = null;
  for (const event of ordered) {
    if (event.seq <= lastSeq) continue;
    if (event.seq !== lastSeq + 1) {
      gap = { sinceSeq: lastSeq, receivedSeq: event.seq };
      break;
    }
    applyOne(draft, event, newActivity);
    lastSeq = event.seq;
  }
  if (lastSeq === state.lastSeq) return { state, gap };
  const out = draft.finish();
  out.lastSeq = lastSeq;
  out.receivedAt = now;
  if (newActivity.length > 0) out.activity = [...state.activity, ...newActivity].slice(-ACTIVITY_LIMIT);
  return { state: out, gap };
}

/** Heartbeats are not sequenced (they may be dropped); a repeat of the newest one is ignored. */
export function applyHeartbeat<S extends LiveModel>(state: S, beat: Heartbeat): S {
  const last = state.heartbeats[state.heartbeats.length - 1];
  if (last && last.tick === beat.tick && last.ts === beat.ts) return state;
  const heartbeats = [...state.heartbeats, beat].slice(-HEARTBEAT_LIMIT);
  return { ...state, heartbeats, running: beat.running };
}
