// N socket.io clients in one process of their own (so they never share the server's event
// loop), each holding its own model the way a browser tab does. The parent tells it what a
// write must produce; it answers when every client holds exactly that.
import { io, type Socket } from 'socket.io-client';
import type { EngineEvent, Hello } from '../../../shared/protocol';
import type { Heartbeat } from '../../../shared/model';
import { serveRequests, type Message } from '../lib/children';
import { nowMs } from '../lib/clock';
import { createClientModelFactory, type ClientModel } from '../lib/client-model';
import { samePlan, type PlanFields } from '../lib/mirror';
import { summarize } from '../lib/stats';

interface Client {
  index: number;
  socket: Socket;
  model: ClientModel;
  helloSeq: number;
  /** Events that arrived in the live stream (duplicates not counted). */
  streamed: number;
  /** Times the stream skipped a seq and a resync was needed. */
  gaps: number;
  disconnects: number;
  /** Receipt time of each seq while recording (index seq - recordBase). */
  receipts: Float64Array | null;
}

interface Expectation {
  id: number;
  projectId: string;
  changes: [string, PlanFields | null][];
  matched: Uint8Array;
  remaining: number;
  lastMatchAt: number;
}

const clients: Client[] = [];
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
const recordedEvents = new Map<number, { type: string; key: string }>();
const heartbeats: (Heartbeat & { receivedAt: number })[] = [];

const wallNow = () => performance.timeOrigin + performance.now();

function pushStamp(ms: number): void {
  if (stampCount === stampLatencies.length) {
    const grown = new Float64Array(Math.max(1024, stampLatencies.length * 2));
    grown.set(stampLatencies);
    stampLatencies = grown;
  }
  stampLatencies[stampCount++] = ms;
}

function checkClient(client: Client, at: number): void {
  for (const e of expectations.values()) {
    if (e.matched[client.index]) continue;
    if (!e.changes.every(([planId, want]) => samePlan(client.model.plan(e.projectId, planId), want))) continue;
    e.matched[client.index] = 1;
    e.lastMatchAt = at;
    if (--e.remaining === 0) {
      expectations.delete(e.id);
      process.send?.({ type: 'delivered', id: e.id, t: at });
    }
  }
}

function record(client: Client, batch: EngineEvent[], at: number, wall: number): void {
  if (!client.receipts) return;
  for (const event of batch) {
    const slot = event.seq - recordBase;
    if (slot < 0 || slot >= recordSize || client.receipts[slot]) continue;
    client.receipts[slot] = at;
    pushStamp(wall - event.ts);
    if (client.index === 0 && (event.type === 'plan:updated' || event.type === 'plan:added')) {
      const plan = event.payload.plan;
      recordedEvents.set(event.seq, { type: event.type, key: `${plan.projectId}\u0000${plan.id}\u0000${plan.title}` });
    }
  }
}

function resync(client: Client): void {
  client.gaps++;
  client.socket.emit('resync', { sinceSeq: client.model.seq }, (reply: { ok: boolean; data?: { events?: EngineEvent[]; hello?: Hello } }) => {
    if (!reply?.ok || !reply.data) return;
    if (reply.data.hello) client.model.hello(reply.data.hello);
    else if (reply.data.events) client.model.apply(reply.data.events);
    checkClient(client, nowMs());
  });
}

function connectOne(index: number, url: string, token: string, origin: string): Promise<Client> {
  return new Promise((resolve, reject) => {
    const socket = io(url, {
      auth: { token },
      transports: ['websocket'],
      forceNew: true,
      reconnection: false,
      extraHeaders: { Origin: origin },
      timeout: 20_000,
    });
    const client: Client = { index, socket, model: makeModel(), helloSeq: 0, streamed: 0, gaps: 0, disconnects: 0, receipts: null };
    const timer = setTimeout(() => reject(new Error(`client ${index}: no hello within 30 s`)), 30_000);
    socket.once('connect_error', (err) => {
      clearTimeout(timer);
      reject(new Error(`client ${index}: ${err.message}`));
    });
    socket.on('hello', (hello: Hello) => {
      client.model.hello(hello);
      client.helloSeq = hello.seq;
      if (index === 0) for (const p of hello.snapshot.projects) rootToProject.set(p.root, p.id);
      clearTimeout(timer);
      resolve(client);
    });
    socket.on('events', (batch: EngineEvent[]) => {
      const at = nowMs();
      const wall = wallNow();
      record(client, batch, at, wall);
      const before = client.model.seq;
      const outcome = client.model.apply(batch);
      client.streamed += batch.filter((e) => e.seq > before).length;
      if (outcome === 'gap') resync(client);
      checkClient(client, at);
    });
    socket.on('heartbeat', (beat: Heartbeat) => {
      if (index === 0) heartbeats.push({ ...beat, receivedAt: wallNow() });
    });
    socket.on('disconnect', () => client.disconnects++);
  });
}

serveRequests({
  async connect(msg) {
    makeModel = await createClientModelFactory();
    const url = String(msg.url);
    const token = String(msg.token);
    const count = Number(msg.count);
    const wave = Number(msg.wave ?? 50);
    const origin = new URL(url).origin;
    const started = nowMs();
    for (let i = 0; i < count; i += wave) {
      const batch = await Promise.all(Array.from({ length: Math.min(wave, count - i) }, (_, k) => connectOne(i + k, url, token, origin)));
      clients.push(...batch);
    }
    return { connected: clients.length, ms: nowMs() - started, model: clients[0]?.model.name, projects: Object.fromEntries(rootToProject) };
  },

  expect(msg) {
    const projectId = rootToProject.get(String(msg.root));
    if (!projectId) throw new Error(`no project for root ${String(msg.root)}`);
    const e: Expectation = {
      id: Number(msg.id),
      projectId,
      changes: msg.changes as [string, PlanFields | null][],
      matched: new Uint8Array(clients.length),
      remaining: clients.length,
      lastMatchAt: 0,
    };
    expectations.set(e.id, e);
    return {};
  },

  /** Does every client hold exactly these plans for these projects (nothing missing, nothing extra)? */
  verify(msg) {
    const projects = msg.projects as { root: string; plans: PlanFields[] }[];
    let mismatches = 0;
    const samples: string[] = [];
    for (const client of clients) {
      for (const { root, plans } of projects) {
        const projectId = rootToProject.get(root);
        const held = projectId ? client.model.plansOf(projectId) : new Map();
        const wanted = new Set(plans.map((p) => p.id));
        for (const want of plans) {
          if (samePlan(projectId ? client.model.plan(projectId, want.id) : undefined, want)) continue;
          mismatches++;
          if (samples.length < 5) samples.push(`client ${client.index} ${root}: ${want.id} wants ${JSON.stringify(want)} holds ${JSON.stringify(projectId ? client.model.plan(projectId, want.id) : null)}`);
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

  /** Pending expectations are dropped (they were timed out by the parent). */
  forget(msg) {
    expectations.delete(Number(msg.id));
    return {};
  },

  recordStart(msg) {
    recordBase = Math.max(...clients.map((c) => c.model.seq)) + 1;
    recordSize = Number(msg.size);
    for (const c of clients) c.receipts = new Float64Array(recordSize);
    stampCount = 0;
    recordedEvents.clear();
    heartbeats.length = 0;
    return { recordBase };
  },

  /**
   * Fan-out figures. `writes` maps each write's identity (project, plan, title) to its start
   * time; every (write, client) pair becomes one write → receipt latency.
   */
  fanoutStats(msg) {
    const finalSeq = Number(msg.finalSeq);
    const writeStart = new Map((msg.writes as { key: string; t0: number }[]).map((w) => [w.key, w.t0]));
    const writeLatencies: number[] = [];
    const matchedWrites = new Set<string>();
    let eventsLost = 0;
    for (const [seq, event] of recordedEvents) {
      const t0 = writeStart.get(event.key);
      if (t0 === undefined) continue;
      matchedWrites.add(event.key);
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
      writesMatched: matchedWrites.size,
      finalSeqs: summarize(clients.map((c) => c.model.seq)),
    };
  },

  heartbeats() {
    return { heartbeats };
  },

  status() {
    return {
      seqs: summarize(clients.map((c) => c.model.seq)),
      gaps: clients.reduce((n, c) => n + c.gaps, 0),
      disconnects: clients.reduce((n, c) => n + c.disconnects, 0),
      pending: expectations.size,
    };
  },

  close() {
    for (const c of clients) c.socket.close();
    return {};
  },
} satisfies Record<string, (msg: Message) => unknown>);
process.send?.({ type: 'ready' });
