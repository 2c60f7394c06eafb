// What the full clients of a swarm are checked for, after every frame they apply: does each
// plan the frame touched hold a state a writer wrote whole, and which announced writes does the
// client now hold? Checked once per distinct model, not once per client.
//
// Why that checks every client: the checks read only a client's plan table, and the plan table
// a client holds is a pure function of the plans it got in its hello and of the frames it
// applied since (renderer/store/live-model.ts: plan:added/updated set the row the event
// carries, plan:removed and project:removed delete rows; nothing else touches plans). So two
// clients that started from equal plan tables at the same seq and then applied byte-identical
// frames hold equal plan tables, and every verdict about one is a verdict about the other.
// Clients are grouped into such lineages: a hello puts a client into the lineage of its
// (seq, plan table), and each frame's raw text is compared with the text the lineage's first
// client applied at that seq. The first client to reach a seq judges its own model and leaves
// the verdict; the others reuse it after one string comparison. A client whose frame differs
// in any byte (the server sent it something else, or split it differently), or that resynced,
// leaves its lineage and is judged on its own model for every frame from then on. So every
// distinct model a client holds is judged against its own contents by at least one client
// holding it; what is shared is only the cost.
//
// The verdict on a touched plan also remembers which announced write it was judged against: a
// client reaching the seq after a newer write of that plan was announced is judged again.
import type { EngineEvent } from '../../../shared/protocol';
import type { ClientModel } from './client-model';
import { fieldsOf, samePlan, type PlanFields } from './mirror';

export interface CheckedClient {
  readonly index: number;
  readonly model: ClientModel;
}

/** Every full client holds what an announced write must produce. Times are monotonic ms. */
export interface Delivery {
  id: number;
  /** When the last client held it. */
  t: number;
  /** When the first client held it, and the hub's stamp on the frame that brought it (0: unknown). */
  first: number;
  stamp: number;
  /** The last seq of the frame that made the last client hold it (0: a resync did). */
  seq: number;
}

/** A plan state clients held that was neither before nor after the newest write of that plan. */
export interface HeldState {
  writeId: number;
  projectId: string;
  planId: string;
  held: PlanFields | null;
  /** When the first client was seen holding it. */
  at: number;
  /** Every client seen holding it while that write was the newest (each counted once). */
  clients: number[];
}

export interface WriteAnnouncement {
  id: number;
  projectId: string;
  /** Plan id → the fields it must hold once delivered (null: gone). */
  changes: [string, PlanFields | null][];
  /** The same plans before the write: what a client may hold until it is delivered. */
  before: [string, PlanFields | null][];
}

interface Expectation {
  id: number;
  projectId: string;
  changes: [string, PlanFields | null][];
  /** Indexes of the clients that have held it. */
  matched: Set<number>;
  remaining: number;
  lastMatchAt: number;
  firstMatchAt: number;
  stampAt: number;
}

/** What a plan may look like while the bench writes: before and after the newest write that changes it. */
interface AllowedStates {
  writeId: number;
  before: PlanFields | null;
  after: PlanFields | null;
}

interface PlanVerdict {
  projectId: string;
  planId: string;
  /** The announcement judged against; undefined: no write announced for this plan. */
  allowed: AllowedStates | undefined;
  /** `${writeId} ${planId} ${state}` when the held state was not allowed. */
  unexpectedKey: string | null;
  held: PlanFields | null;
}

/** The verdict on one model: per touched plan, and per announced write (filled in as asked). */
interface Verdict {
  plans: PlanVerdict[];
  met: Map<number, boolean>;
}

interface Lineage {
  /** Seq before the frame → the frame's text and the verdict on the model after it. */
  frames: Map<number, { text: string; verdict: Verdict }>;
  members: Set<ClientState>;
  stored: number;
}

interface ClientState {
  client: CheckedClient;
  /** The client's seq after its last hello or frame. */
  seq: number;
  lineage: Lineage | null;
}

/** How often a lineage drops the frames every member has passed. */
const PRUNE_EVERY = 256;

export class ClientChecks {
  private readonly expectations = new Map<number, Expectation>();
  /** projectId → plan id → the states it may be in. */
  private readonly allowed = new Map<string, Map<string, AllowedStates>>();
  private readonly states = new Map<number, ClientState>();
  private readonly lineages = new Map<string, Lineage>();
  private readonly held = new Map<string, { state: HeldState; clients: Set<number> }>();
  /** Verdicts computed, and verdicts reused: how much sharing saved. */
  readonly counts = { judged: 0, shared: 0 };

  constructor(
    private readonly clientCount: () => number,
    private readonly onDelivered: (delivery: Delivery) => void,
  ) {}

  expect(write: WriteAnnouncement): void {
    this.expectations.set(write.id, {
      id: write.id,
      projectId: write.projectId,
      changes: write.changes,
      matched: new Set(),
      remaining: this.clientCount(),
      lastMatchAt: 0,
      firstMatchAt: 0,
      stampAt: 0,
    });
    const before = new Map(write.before);
    let plans = this.allowed.get(write.projectId);
    if (!plans) this.allowed.set(write.projectId, (plans = new Map()));
    for (const [planId, after] of write.changes) plans.set(planId, { writeId: write.id, before: before.get(planId) ?? null, after });
  }

  /** The plans of a project before the first write: what a client may hold of a plan no write has changed yet. */
  initialStates(projectId: string, plans: readonly PlanFields[]): void {
    const held = new Map<string, AllowedStates>();
    for (const plan of plans) held.set(plan.id, { writeId: -1, before: plan, after: plan });
    this.allowed.set(projectId, held);
  }

  /** A pending write the parent gave up on. */
  forget(id: number): void {
    this.expectations.delete(id);
  }

  pending(): number {
    return this.expectations.size;
  }

  /** After a hello is applied: the client joins the lineage of everyone that got the same plans at the same seq. */
  helloApplied(client: CheckedClient): void {
    const state = this.stateOf(client);
    this.leave(state);
    state.seq = client.model.seq;
    const key = `${client.model.seq}\n${planTableText(client.model)}`;
    let lineage = this.lineages.get(key);
    if (!lineage) this.lineages.set(key, (lineage = { frames: new Map(), members: new Set(), stored: 0 }));
    lineage.members.add(state);
    state.lineage = lineage;
  }

  /** After a resync reply is applied: the model no longer follows the shared frames. */
  resynced(client: CheckedClient, at: number): void {
    const state = this.stateOf(client);
    this.leave(state);
    state.seq = client.model.seq;
    this.settle(state, this.judge(client, []), at, null, 0);
  }

  /**
   * After the client applied a frame. `text` is the frame as it came off the wire (null when
   * unknown: the client is then judged on its own); `stamp` the hub's stamp on its last event,
   * in monotonic ms.
   */
  frameApplied(client: CheckedClient, text: string | null, batch: readonly EngineEvent[], at: number, stamp: number | null): void {
    const state = this.stateOf(client);
    const seqBefore = state.seq;
    state.seq = client.model.seq;
    let verdict: Verdict | null = null;
    const lineage = state.lineage;
    if (lineage && text !== null) {
      const ref = lineage.frames.get(seqBefore);
      if (!ref) {
        verdict = this.judge(client, batch);
        lineage.frames.set(seqBefore, { text, verdict });
        if (++lineage.stored % PRUNE_EVERY === 0) prune(lineage);
      } else if (ref.text === text) {
        verdict = ref.verdict;
        this.counts.shared++;
      }
    }
    if (!verdict) {
      this.leave(state);
      verdict = this.judge(client, batch);
    }
    this.settle(state, verdict, at, stamp, batch.at(-1)?.seq ?? 0);
  }

  /** Every state held that no writer wrote whole, each with the clients that held it. */
  heldStates(): HeldState[] {
    return [...this.held.values()].map(({ state, clients }) => ({ ...state, clients: [...clients] }));
  }

  private stateOf(client: CheckedClient): ClientState {
    let state = this.states.get(client.index);
    if (!state) this.states.set(client.index, (state = { client, seq: client.model.seq, lineage: null }));
    return state;
  }

  private leave(state: ClientState): void {
    state.lineage?.members.delete(state);
    state.lineage = null;
  }

  /** The verdict on this client's own model after `batch`. */
  private judge(client: CheckedClient, batch: readonly EngineEvent[]): Verdict {
    this.counts.judged++;
    return { plans: touchedPlans(batch).map(([projectId, planId]) => this.judgePlan(client.model, projectId, planId)), met: new Map() };
  }

  private judgePlan(model: ClientModel, projectId: string, planId: string): PlanVerdict {
    const allowed = this.allowed.get(projectId)?.get(planId);
    const plan = model.plan(projectId, planId);
    if (!allowed || samePlan(plan, allowed.after) || samePlan(plan, allowed.before)) return { projectId, planId, allowed, unexpectedKey: null, held: null };
    const held = plan ? fieldsOf(plan) : null;
    return { projectId, planId, allowed, unexpectedKey: `${allowed.writeId} ${planId} ${JSON.stringify(held)}`, held };
  }

  private settle(state: ClientState, verdict: Verdict, at: number, stamp: number | null, seq: number): void {
    const { client } = state;
    for (let plan of verdict.plans) {
      // Judged against an older announcement than the one in force now: judge this model again.
      if (this.allowed.get(plan.projectId)?.get(plan.planId) !== plan.allowed) plan = this.judgePlan(client.model, plan.projectId, plan.planId);
      if (plan.unexpectedKey === null) continue;
      let entry = this.held.get(plan.unexpectedKey);
      if (!entry) {
        entry = { state: { writeId: plan.allowed!.writeId, projectId: plan.projectId, planId: plan.planId, held: plan.held, at, clients: [] }, clients: new Set() };
        this.held.set(plan.unexpectedKey, entry);
      }
      entry.clients.add(client.index);
    }
    for (const e of this.expectations.values()) {
      if (e.matched.has(client.index)) continue;
      let met = verdict.met.get(e.id);
      if (met === undefined) {
        met = e.changes.every(([planId, want]) => samePlan(client.model.plan(e.projectId, planId), want));
        verdict.met.set(e.id, met);
      }
      if (!met) continue;
      e.matched.add(client.index);
      e.lastMatchAt = at;
      if (e.firstMatchAt === 0) {
        e.firstMatchAt = at;
        e.stampAt = stamp ?? 0;
      }
      if (--e.remaining === 0) {
        this.expectations.delete(e.id);
        this.onDelivered({ id: e.id, t: e.lastMatchAt, first: e.firstMatchAt, stamp: e.stampAt, seq });
      }
    }
  }
}

/** The plans a batch touched: what a frame can have changed. */
function touchedPlans(batch: readonly EngineEvent[]): [projectId: string, planId: string][] {
  const out: [string, string][] = [];
  for (const event of batch) {
    if (event.type === 'plan:added' || event.type === 'plan:updated') out.push([event.payload.plan.projectId, event.payload.plan.id]);
    else if (event.type === 'plan:removed') out.push([event.payload.projectId, event.payload.id]);
    else if (event.type === 'item:status' && event.payload.kind === 'plan') out.push([event.payload.projectId, event.payload.id]);
  }
  return out;
}

/** Every plan a model holds, in a fixed order, as the checks see it. */
function planTableText(model: ClientModel): string {
  const lines: string[] = [];
  for (const project of [...model.projectList()].sort((a, b) => a.id.localeCompare(b.id))) {
    const plans = [...model.plansOf(project.id).values()].sort((a, b) => a.id.localeCompare(b.id));
    for (const plan of plans) lines.push(JSON.stringify([project.id, fieldsOf(plan)]));
  }
  return lines.join('\n');
}

/** Drop the frames every member of the lineage has already passed. */
function prune(lineage: Lineage): void {
  let oldest = Number.POSITIVE_INFINITY;
  for (const member of lineage.members) oldest = Math.min(oldest, member.seq);
  for (const seq of lineage.frames.keys()) if (seq < oldest) lineage.frames.delete(seq);
}
