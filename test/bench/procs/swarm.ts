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
import { nowMs, WallOffset } from '../lib/clock';
import { ClientChecks } from '../lib/client-checks';
import { createClientModelFactory, type ClientModel } from '../lib/client-model';
import { samePlan, type PlanFields } from '../lib/mirror';
import { sharedFrameParser } from '../lib/shared-decoder';
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

const clients: Client[] = [];
const fullClients: Client[] = [];
const rootToProject = new Map<string, string>();
let makeModel: () => ClientModel;

/** Monotonic ms ↔ the clock the hub's `ts` is on (Date.now() in the server), as it is when a frame comes. */
const wall = new WallOffset();

// What the full clients hold is judged once per distinct model, not once per client (the
// argument is in lib/client-checks.ts): on a 2-core machine, 100 clients each checking every
// frame in this one process made the bench measure its own backlog.
const checks = new ClientChecks(
  () => fullClients.length,
  (d) => {
    const receipt = frameReceipts.get(d.seq);
    process.send?.({ type: 'delivered', id: d.id, t: d.t, first: d.first, stamp: d.stamp, seq: d.seq, received: receipt ? [receipt[0], receipt[1]] : null });
  },
);

/**
 * When the first and the last full client got each `events` frame off the wire (before
 * socket.io-client decodes it), by the frame's last seq: the latency bench's split of
 * "hub → every client correct" into the transport and this process's own work.
 */
const frameReceipts = new Map<number, [first: number, last: number]>();
const RECEIPTS_KEPT = 4096;

function frameReceived(text: string, at: number): void {
  const i = text.lastIndexOf('"seq":');
  if (i < 0) return;
  const [seq] = digitsAt(text, i + 6);
  const receipt = frameReceipts.get(seq);
  if (receipt) receipt[1] = at;
  else {
    frameReceipts.set(seq, [at, at]);
    if (frameReceipts.size > RECEIPTS_KEPT) frameReceipts.delete(frameReceipts.keys().next().value!);
  }
}

// ---- recording for fan-out ----
let recordBase = 0;
let recordSize = 0;
/** Hub-stamp → receipt, in ms, for every (event, client). */
let stampLatencies = new Float64Array(0);
let stampCount = 0;
/** Payload identity of each recorded seq (from client 0): which plan, which title, and its hub stamp on the monotonic clock. */
const recordedEvents = new Map<number, { type: string; key: string; stampMono: number }>();
const heartbeats: (Heartbeat & { receivedAt: number })[] = [];
/** Events as client 0 got them, for a baseline that must emit the same payloads. */
const samplePayloads: { type: string; payload: unknown }[] = [];
const SAMPLE_LIMIT = 2000;

function pushStamp(ms: number): void {
  if (stampCount === stampLatencies.length) {
    const grown = new Float64Array(Math.max(1024, stampLatencies.length * 2));
    grown.set(stampLatencies);
    stampLatencies = grown;
  }
  stampLatencies[stampCount++] = ms;
}

function record(client: Client, seq: number, stampMono: number, at: number): void {
  if (!client.receipts) return;
  const slot = seq - recordBase;
  if (slot < 0 || slot >= recordSize || client.receipts[slot]) return;
  client.receipts[slot] = at;
  pushStamp(at - stampMono);
}

function sample(event: EngineEvent, stampMono: number): void {
  if (!recordSize) return;
  if (samplePayloads.length < SAMPLE_LIMIT) samplePayloads.push({ type: event.type, payload: event.payload });
  if (event.type === 'plan:updated' || event.type === 'plan:added') {
    const plan = event.payload.plan;
    recordedEvents.set(event.seq, { type: event.type, key: `${plan.projectId}\u0000${plan.id}\u0000${plan.title}`, stampMono });
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
      parser: sharedFrameParser,
    });
    const model = makeModel();
    const client: Client = { index, model, seq: () => model.seq, gaps: 0, disconnects: 0, receipts: null, close: () => socket.close() };
    const checked = { index, model };
    // The raw text of each `events` frame, in order, for the checks to compare clients by
    // (socket.io-client decodes a packet and hands it to us on a later tick).
    const frameTexts: string[] = [];
    socket.io.on('open', () => {
      socket.io.engine.on('data', (data: unknown) => {
        if (typeof data === 'string' && data.startsWith('2["events"')) {
          frameTexts.push(data);
          frameReceived(data, nowMs());
        }
      });
    });
    const resync = () => {
      client.gaps++;
      socket.emit('resync', { sinceSeq: model.seq }, (reply: { ok: boolean; data?: { events?: EngineEvent[]; hello?: Hello } }) => {
        if (!reply?.ok || !reply.data) return;
        if (reply.data.hello) model.hello(reply.data.hello);
        else if (reply.data.events) model.apply(reply.data.events);
        checks.resynced(checked, nowMs());
      });
    };
    const timer = setTimeout(() => reject(new Error(`client ${index}: no hello within 30 s`)), 30_000);
    socket.once('connect_error', (err) => {
      clearTimeout(timer);
      reject(new Error(`client ${index}: ${err.message}`));
    });
    socket.on('hello', (hello: Hello) => {
      model.hello(hello);
      checks.helloApplied(checked);
      if (index === 0) for (const p of hello.snapshot.projects) rootToProject.set(p.root, p.id);
      clearTimeout(timer);
      resolve(client);
    });
    socket.on('events', (batch: EngineEvent[]) => {
      const at = nowMs();
      const offset = wall.get(at);
      const text = frameTexts.shift() ?? null;
      for (const event of batch) {
        record(client, event.seq, event.ts - offset, at);
        if (index === 0) sample(event, event.ts - offset);
      }
      if (model.apply(batch) === 'gap') resync();
      const stamp = batch.length ? batch[batch.length - 1]!.ts - offset : null;
      checks.frameApplied(checked, text, batch, at, stamp);
    });
    socket.on('heartbeat', (beat: Heartbeat) => {
      if (index === 0) heartbeats.push({ ...beat, receivedAt: nowMs() + wall.get() });
    });
    socket.on('disconnect', () => client.disconnects++);
  });
}

// Each event ends `…,"seq":N,"ts":N}` (the hub adds both last); payloads hold neither key.
// Read straight from the frame as one-byte text (latin1: no decoding, and the keys and digits
// are ASCII): no JSON, well under a microsecond a message. A profile of this process under the
// bare server's 100k messages a second showed Buffer#indexOf/compare and a second clock read per
// message as most of its time; String#indexOf on one-byte text has no per-call setup.
const EVENTS_PREFIX = '42["events"';

function digitsAt(text: string, from: number): [value: number, end: number] {
  let value = 0;
  let i = from;
  for (; i < text.length; i++) {
    const c = text.charCodeAt(i);
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
      const frame = data.toString('latin1');
      if (frame.startsWith(EVENTS_PREFIX)) {
        const at = nowMs();
        const offset = wall.get(at);
        for (let i = frame.indexOf('"seq":'); i >= 0; i = frame.indexOf('"seq":', i)) {
          const [seq, end] = digitsAt(frame, i + 6);
          i = end;
          if (!frame.startsWith(',"ts":', end)) continue;
          const [ts, tsEnd] = digitsAt(frame, end + 6);
          i = tsEnd;
          if (seq <= lastSeq) continue;
          if (seq !== lastSeq + 1) client.gaps++;
          lastSeq = seq;
          record(client, seq, ts - offset, at);
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
    checks.expect({
      id: Number(msg.id),
      projectId,
      changes: msg.changes as [string, PlanFields | null][],
      before: (msg.before ?? []) as [string, PlanFields | null][],
    });
    return {};
  },

  /** The plans as they are before the first write: what a client may hold of a plan no write has changed yet. */
  initialStates(msg) {
    for (const { root, plans } of msg.projects as { root: string; plans: PlanFields[] }[]) {
      const projectId = rootToProject.get(root);
      if (!projectId) throw new Error(`no project for root ${root}`);
      checks.initialStates(projectId, plans);
    }
    return {};
  },

  /** The states full clients held that no writer wrote whole, and how much judging was shared. */
  heldStates() {
    return { states: checks.heldStates(), judged: checks.counts.judged, shared: checks.counts.shared };
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
    checks.forget(Number(msg.id));
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
      engineLatencies.push(event.stampMono - t0);
      const t1 = writeEnd.get(event.key);
      if (t1) engineFromEnd.push(event.stampMono - t1);
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
      pending: checks.pending(),
    };
  },

  close() {
    for (const c of clients) c.close();
    return {};
  },
} satisfies Record<string, (msg: Message) => unknown>);
process.send?.({ type: 'ready' });
