// N socket.io clients in a process of their own (so they never share the server's event loop).
// Two kinds:
//  - full clients: socket.io-client + the renderer store, holding the model a browser tab
//    holds; the parent tells them what a write must produce and they say when they all have it;
//  - lean clients: the socket.io wire protocol spoken directly over `ws` (engine.io v4 framing),
//    reading only each event's seq and stamp. 500 clients × 200 events/s is 100k messages a
//    second: full clients would saturate this process (and this 2-core machine) long before the
//    server, and the bench would measure its own backlog. The server cannot tell them apart.
import { io, type Socket } from 'socket.io-client';
import WebSocket from 'ws';
import type { EngineEvent, Hello } from '../../../shared/protocol';
import type { Heartbeat } from '../../../shared/model';
import { serveRequests, type Message } from '../lib/children';
import { nowMs } from '../lib/clock';
import { createClientModelFactory, type ClientModel } from '../lib/client-model';
import { fieldsOf, samePlan, type PlanFields } from '../lib/mirror';
import { summarize } from '../lib/stats';

interface Client {
  index: number;
  /** Null for a lean client. */
  model: ClientModel | null;
  seq(): number;
  /** Times the stream skipped a seq (a full client then resyncs). */
  gaps: number;
  disconnects: number;
  /** Receipt time of each seq while recording (index seq - recordBase). */
  receipts: Float64Array | null;
  close(): void;
}

interface Expectation {
  id: number;
  projectId: string;
  changes: [string, PlanFields | null][];
  matched: Uint8Array;
  remaining: number;
  lastMatchAt: number;
  /** When the first client held it, and the hub's stamp on the batch that brought it (monotonic ms). */
  firstMatchAt: number;
  stampAt: number;
}

const clients: Client[] = [];
const fullClients: Client[] = [];

/**
 * What a plan may look like to a client while the bench writes: the state before the newest
 * write that changes it, and the state after. Anything else a client holds is reported to the
 * parent, which tells a half-written file (a prefix of the text written) from a state the file
 * never had.
 */
interface HeldStates {
  writeId: number;
  before: PlanFields | null;
  after: PlanFields | null;
}
/** projectId → plan id → the states it may be in. */
const allowedStates = new Map<string, Map<string, HeldStates>>();
/** `client write plan` of states already reported, so a state held across batches counts once. */
const reportedStates = new Set<string>();
const expectations = new Map<number, Expectation>();
const rootToProject = new Map<string, string>();
let makeModel: () => ClientModel;

// ---- recording for fan-out ----
let recordBase = 0;
let recordSize = 0;
/** Hub-stamp → receipt, in ms, for every (event, client). */
let stampLatencies = new Float64Array(0);
let stampCount = 0;
/** Payload identity of each recorded seq (from client 0): which plan, which title. */
const recordedEvents = new Map<number, { type: string; key: string; ts: number }>();
const heartbeats: (Heartbeat & { receivedAt: number })[] = [];
/** Events as client 0 got them, for a baseline that must emit the same payloads. */
const samplePayloads: { type: string; payload: unknown }[] = [];
const SAMPLE_LIMIT = 2000;

const wallNow = () => performance.timeOrigin + performance.now();
/** Wall-clock ms minus monotonic ms: turns a hub `ts` (Date.now() in the server) into our clock. */
const wallMinusMono = wallNow() - nowMs();

function pushStamp(ms: number): void {
  if (stampCount === stampLatencies.length) {
    const grown = new Float64Array(Math.max(1024, stampLatencies.length * 2));
    grown.set(stampLatencies);
    stampLatencies = grown;
  }
  stampLatencies[stampCount++] = ms;
}

function checkClient(client: Client, at: number, stampTs: number | null): void {
  const model = client.model;
  if (!model) return;
  for (const e of expectations.values()) {
    if (e.matched[client.index]) continue;
    if (!e.changes.every(([planId, want]) => samePlan(model.plan(e.projectId, planId), want))) continue;
    e.matched[client.index] = 1;
    e.lastMatchAt = at;
    if (e.firstMatchAt === 0) {
      e.firstMatchAt = at;
      e.stampAt = stampTs === null ? 0 : stampTs - wallMinusMono;
    }
    if (--e.remaining === 0) {
      expectations.delete(e.id);
      process.send?.({ type: 'delivered', id: e.id, t: e.lastMatchAt, first: e.firstMatchAt, stamp: e.stampAt });
    }
  }
}

/** The plans this batch touched, for `checkStates`. */
function touchedPlans(batch: EngineEvent[]): [projectId: string, planId: string][] {
  const out: [string, string][] = [];
  for (const event of batch) {
    if (event.type === 'plan:added' || event.type === 'plan:updated') out.push([event.payload.plan.projectId, event.payload.plan.id]);
    else if (event.type === 'plan:removed') out.push([event.payload.projectId, event.payload.id]);
    else if (event.type === 'item:status' && event.payload.kind === 'plan') out.push([event.payload.projectId, event.payload.id]);
  }
  return out;
}

/** Every plan a batch touched must be in a state a writer wrote whole; anything else goes to the parent. */
function checkStates(client: Client, batch: EngineEvent[], at: number): void {
  const model = client.model;
  if (!model || allowedStates.size === 0) return;
  for (const [projectId, planId] of touchedPlans(batch)) {
    const allowed = allowedStates.get(projectId)?.get(planId);
    if (!allowed) continue;
    const held = model.plan(projectId, planId);
    if (samePlan(held, allowed.after) || samePlan(held, allowed.before)) continue;
    const key = `${client.index} ${allowed.writeId} ${planId} ${held ? JSON.stringify(fieldsOf(held)) : 'null'}`;
    if (reportedStates.has(key)) continue;
    reportedStates.add(key);
    process.send?.({ type: 'unexpected-state', client: client.index, writeId: allowed.writeId, projectId, planId, held: held ? fieldsOf(held) : null, at });
  }
}

function record(client: Client, seq: number, ts: number, at: number, wall: number): void {
  if (!client.receipts) return;
  const slot = seq - recordBase;
  if (slot < 0 || slot >= recordSize || client.receipts[slot]) return;
  client.receipts[slot] = at;
  pushStamp(wall - ts);
}

function sample(event: EngineEvent): void {
  if (!recordSize) return;
  if (samplePayloads.length < SAMPLE_LIMIT) samplePayloads.push({ type: event.type, payload: event.payload });
  if (event.type === 'plan:updated' || event.type === 'plan:added') {
    const plan = event.payload.plan;
    recordedEvents.set(event.seq, { type: event.type, key: `${plan.projectId}\u0000${plan.id}\u0000${plan.title}`, ts: event.ts });
  }
}

function connectFull(index: number, url: string, token: string, origin: string): Promise<Client> {
  return new Promise((resolve, reject) => {
    const socket: Socket = io(url, {
      auth: { token },
      transports: ['websocket'],
      forceNew: true,
      reconnection: false,
      extraHeaders: { Origin: origin },
      timeout: 20_000,
    });
    const model = makeModel();
    const client: Client = { index, model, seq: () => model.seq, gaps: 0, disconnects: 0, receipts: null, close: () => socket.close() };
    const resync = () => {
      client.gaps++;
      socket.emit('resync', { sinceSeq: model.seq }, (reply: { ok: boolean; data?: { events?: EngineEvent[]; hello?: Hello } }) => {
        if (!reply?.ok || !reply.data) return;
        if (reply.data.hello) model.hello(reply.data.hello);
        else if (reply.data.events) model.apply(reply.data.events);
        checkClient(client, nowMs(), null);
      });
    };
    const timer = setTimeout(() => reject(new Error(`client ${index}: no hello within 30 s`)), 30_000);
    socket.once('connect_error', (err) => {
      clearTimeout(timer);
      reject(new Error(`client ${index}: ${err.message}`));
    });
    socket.on('hello', (hello: Hello) => {
      model.hello(hello);
      if (index === 0) for (const p of hello.snapshot.projects) rootToProject.set(p.root, p.id);
      clearTimeout(timer);
      resolve(client);
    });
    socket.on('events', (batch: EngineEvent[]) => {
      const at = nowMs();
      const wall = wallNow();
      for (const event of batch) {
        record(client, event.seq, event.ts, at, wall);
        if (index === 0) sample(event);
      }
      if (model.apply(batch) === 'gap') resync();
      checkStates(client, batch, at);
      checkClient(client, at, batch.length ? batch[batch.length - 1]!.ts : null);
    });
    socket.on('heartbeat', (beat: Heartbeat) => {
      if (index === 0) heartbeats.push({ ...beat, receivedAt: wallNow() });
    });
    socket.on('disconnect', () => client.disconnects++);
  });
}

// Each event ends `…,"seq":N,"ts":N}` (the hub adds both last); payloads hold neither key.
// Read straight from the frame's bytes: no string, no JSON, about a microsecond a message.
const SEQ_KEY = Buffer.from('"seq":');
const TS_KEY = Buffer.from(',"ts":');
const EVENTS_PREFIX = Buffer.from('42["events"');

function digitsAt(data: Buffer, from: number): [value: number, end: number] {
  let value = 0;
  let i = from;
  for (; i < data.length; i++) {
    const c = data[i]!;
    if (c < 48 || c > 57) break;
    value = value * 10 + (c - 48);
  }
  return [value, i];
}

function connectLean(index: number, url: string, token: string, origin: string): Promise<Client> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${url.replace(/^http/, 'ws')}/socket.io/?EIO=4&transport=websocket`, {
      headers: { Origin: origin },
      perMessageDeflate: false,
      skipUTF8Validation: true,
    });
    let lastSeq = 0;
    const client: Client = { index, model: null, seq: () => lastSeq, gaps: 0, disconnects: 0, receipts: null, close: () => ws.close() };
    const timer = setTimeout(() => reject(new Error(`lean client ${index}: no hello within 30 s`)), 30_000);
    ws.on('error', (err) => {
      clearTimeout(timer);
      reject(new Error(`lean client ${index}: ${err.message}`));
    });
    ws.on('close', () => client.disconnects++);
    ws.on('message', (data: Buffer) => {
      if (data.length > EVENTS_PREFIX.length && data.compare(EVENTS_PREFIX, 0, EVENTS_PREFIX.length, 0, EVENTS_PREFIX.length) === 0) {
        const at = nowMs();
        const wall = wallNow();
        for (let i = data.indexOf(SEQ_KEY); i >= 0; i = data.indexOf(SEQ_KEY, i)) {
          const [seq, end] = digitsAt(data, i + SEQ_KEY.length);
          i = end;
          if (data.compare(TS_KEY, 0, TS_KEY.length, end, end + TS_KEY.length) !== 0) continue;
          const [ts, tsEnd] = digitsAt(data, end + TS_KEY.length);
          i = tsEnd;
          if (seq <= lastSeq) continue;
          if (seq !== lastSeq + 1) client.gaps++;
          lastSeq = seq;
          record(client, seq, ts, at, wall);
        }
        return;
      }
      const text = data.toString();
      if (text === '2') return void ws.send('3'); // engine.io ping → pong
      if (text[0] === '0') return void ws.send(`40${JSON.stringify({ token })}`); // open → join '/' with auth
      if (text.startsWith('44')) {
        clearTimeout(timer);
        return reject(new Error(`lean client ${index}: refused ${text.slice(2, 300)}`));
      }
      if (text.startsWith('42["hello"')) {
        // Once per connection: the seq the live stream continues from.
        lastSeq = (JSON.parse(text.slice(2)) as [string, Hello])[1].seq;
        clearTimeout(timer);
        resolve(client);
      }
    });
  });
}

serveRequests({
  async connect(msg) {
    makeModel = await createClientModelFactory();
    const url = String(msg.url);
    const token = String(msg.token);
    const count = Number(msg.count);
    const full = Math.min(count, Number(msg.full ?? count));
    const wave = Number(msg.wave ?? 50);
    const origin = new URL(url).origin;
    const started = nowMs();
    for (let i = 0; i < count; i += wave) {
      const batch = await Promise.all(
        Array.from({ length: Math.min(wave, count - i) }, (_, k) => (i + k < full ? connectFull : connectLean)(i + k, url, token, origin)),
      );
      clients.push(...batch);
    }
    fullClients.push(...clients.filter((c) => c.model));
    return { connected: clients.length, full: fullClients.length, ms: nowMs() - started, model: fullClients[0]?.model?.name, projects: Object.fromEntries(rootToProject) };
  },

  expect(msg) {
    const projectId = rootToProject.get(String(msg.root));
    if (!projectId) throw new Error(`no project for root ${String(msg.root)}`);
    const e: Expectation = {
      id: Number(msg.id),
      projectId,
      changes: msg.changes as [string, PlanFields | null][],
      matched: new Uint8Array(clients.length),
      remaining: fullClients.length,
      lastMatchAt: 0,
      firstMatchAt: 0,
      stampAt: 0,
    };
    expectations.set(e.id, e);
    const before = new Map((msg.before ?? []) as [string, PlanFields | null][]);
    let plans = allowedStates.get(projectId);
    if (!plans) allowedStates.set(projectId, (plans = new Map()));
    for (const [planId, after] of e.changes) plans.set(planId, { writeId: e.id, before: before.get(planId) ?? null, after });
    return {};
  },

  /** The plans as they are before the first write: what a client may hold of a plan no write has changed yet. */
  initialStates(msg) {
    for (const { root, plans } of msg.projects as { root: string; plans: PlanFields[] }[]) {
      const projectId = rootToProject.get(root);
      if (!projectId) throw new Error(`no project for root ${root}`);
      const held = new Map<string, HeldStates>();
      for (const plan of plans) held.set(plan.id, { writeId: -1, before: plan, after: plan });
      allowedStates.set(projectId, held);
    }
    return {};
  },

  /** Does every full client hold exactly these plans for these projects (nothing missing, nothing extra)? */
  verify(msg) {
    const projects = msg.projects as { root: string; plans: PlanFields[] }[];
    let mismatches = 0;
    const samples: string[] = [];
    for (const client of fullClients) {
      const model = client.model!;
      for (const { root, plans } of projects) {
        const projectId = rootToProject.get(root);
        const held = projectId ? model.plansOf(projectId) : new Map();
        const wanted = new Set(plans.map((p) => p.id));
        for (const want of plans) {
          const has = projectId ? model.plan(projectId, want.id) : undefined;
          if (samePlan(has, want)) continue;
          mismatches++;
          if (samples.length < 5) samples.push(`client ${client.index} ${root}: ${want.id} wants ${JSON.stringify(want)} holds ${JSON.stringify(has ?? null)}`);
        }
        for (const id of held.keys()) {
          if (wanted.has(id)) continue;
          mismatches++;
          if (samples.length < 5) samples.push(`client ${client.index} ${root}: holds unexpected plan ${id}`);
        }
      }
    }
    return { mismatches, samples };
  },

  /** A pending expectation the parent timed out. */
  forget(msg) {
    expectations.delete(Number(msg.id));
    return {};
  },

  recordStart(msg) {
    recordBase = Math.max(...clients.map((c) => c.seq())) + 1;
    recordSize = Number(msg.size);
    for (const c of clients) c.receipts = new Float64Array(recordSize);
    stampCount = 0;
    recordedEvents.clear();
    heartbeats.length = 0;
    samplePayloads.length = 0;
    return { recordBase };
  },

  /**
   * Fan-out figures. `writes` gives each write's identity (project root, plan, title) and start
   * time; every (write, client) pair becomes one write → receipt latency.
   */
  fanoutStats(msg) {
    const finalSeq = Number(msg.finalSeq);
    const writes = msg.writes as { root: string; planId: string; title: string; t0: number; t1: number }[];
    const writeStart = new Map(writes.map((w) => [`${rootToProject.get(w.root)}\u0000${w.planId}\u0000${w.title}`, w.t0]));
    const writeEnd = new Map(writes.map((w) => [`${rootToProject.get(w.root)}\u0000${w.planId}\u0000${w.title}`, w.t1]));
    const engineFromEnd: number[] = [];
    const writeLatencies: number[] = [];
    /** Write start → hub stamp: the engine's share (watch, coalesce, read, parse, diff). */
    const engineLatencies: number[] = [];
    const matchedWrites = new Set<string>();
    let eventsLost = 0;
    for (const [seq, event] of recordedEvents) {
      const t0 = writeStart.get(event.key);
      if (t0 === undefined) continue;
      matchedWrites.add(event.key);
      engineLatencies.push(event.ts - wallMinusMono - t0);
      const t1 = writeEnd.get(event.key);
      if (t1) engineFromEnd.push(event.ts - wallMinusMono - t1);
      for (const c of clients) {
        const at = c.receipts![seq - recordBase]!;
        if (at) writeLatencies.push(at - t0);
      }
    }
    for (const c of clients) {
      for (let seq = recordBase; seq <= finalSeq; seq++) if (!c.receipts![seq - recordBase]) eventsLost++;
    }
    return {
      clients: clients.length,
      recordBase,
      eventsRecorded: finalSeq - recordBase + 1,
      eventsLost,
      gaps: clients.reduce((n, c) => n + c.gaps, 0),
      disconnects: clients.reduce((n, c) => n + c.disconnects, 0),
      stamp: summarize(stampLatencies.subarray(0, stampCount)),
      write: summarize(writeLatencies),
      engine: summarize(engineLatencies),
      engineFromEnd: summarize(engineFromEnd),
      writesMatched: matchedWrites.size,
    };
  },

  heartbeats() {
    return { heartbeats };
  },

  samples() {
    return { payloads: samplePayloads };
  },

  status() {
    return {
      minSeq: Math.min(...clients.map((c) => c.seq())),
      gaps: clients.reduce((n, c) => n + c.gaps, 0),
      disconnects: clients.reduce((n, c) => n + c.disconnects, 0),
      pending: expectations.size,
    };
  },

  close() {
    for (const c of clients) c.close();
    return {};
  },
} satisfies Record<string, (msg: Message) => unknown>);
process.send?.({ type: 'ready' });
