// The three things a latency pass can measure, behind one shape: Vigil (serve + N socket.io
// clients with the renderer store), the raw fs.watch floor, and the peer-style pipeline. Each
// is told what a write must produce before the write starts, and says when it has it.
import { dirname } from 'node:path';
import { clientProfArgs, startChild, type Child } from './children';
import { nowMs } from './clock';
import { cpuMs } from './proc';
import type { PlanFields } from './mirror';
import { startServe, type Serve } from './vigil';
import type { Workspace } from './workspace';

export interface WriteExpectation {
  id: number;
  root: string;
  abs: string;
  text: string;
  /** Plans that must hold these fields (null: be gone) once the write is delivered. */
  changes: Map<string, PlanFields | null>;
  /** The same plans before the write: until it is delivered, a client may hold these instead. */
  before: Map<string, PlanFields | null>;
}

/** Clients held a plan in a state that is neither before nor after the newest write that changes it. */
export interface UnexpectedState {
  /** Every client seen holding it (each a client × write of the count). */
  clients: number[];
  /** The newest write that changed this plan when the state was seen (-1: none yet). */
  writeId: number;
  root: string;
  planId: string;
  held: PlanFields | null;
  at: number;
}

export interface DeliveryDetail {
  first: number;
  stamp: number;
  /** The last seq of the frame that made the last client correct (0: unknown). */
  seq: number;
  /** When the first and the last client got that frame off the wire, before decoding it. */
  received: [first: number, last: number] | null;
}

export interface Pipeline {
  name: string;
  /** Extra ms a write may take on top of the shared delivery timeout (a debounce). */
  slackMs: number;
  start(ws: Workspace): Promise<Record<string, unknown>>;
  expect(e: WriteExpectation): Promise<void>;
  forget(id: number): void;
  /** `t` when every client held it; Vigil also says when the first did and when the hub stamped it. */
  onDelivered(listener: (id: number, t: number, detail?: DeliveryDetail) => void): void;
  /** States clients held that no writer wrote whole, once the pass is over (Vigil only: the baselines hold no model). */
  unexpectedStates?(): Promise<{ states: UnexpectedState[]; judged: number; shared: number }>;
  /** Tell the clients the plans as they are before the first write (Vigil only). */
  initialStates?(ws: Workspace, expected: (root: string) => PlanFields[]): Promise<void>;
  /** Figures about the pass itself (CPU of the processes involved), once it is over. */
  counters?(): Record<string, unknown>;
  /** Whole-model check after the last write: mismatching plans over all clients. */
  finalCheck(ws: Workspace, expected: (root: string) => PlanFields[]): Promise<{ mismatches: number; samples: string[] }>;
  stop(): Promise<void>;
}

function deliveredFrom(child: Child, listener: (id: number, t: number, detail?: DeliveryDetail) => void): void {
  child.on('delivered', (msg) =>
    listener(
      Number(msg.id),
      Number(msg.t),
      msg.first === undefined
        ? undefined
        : { first: Number(msg.first), stamp: Number(msg.stamp), seq: Number(msg.seq ?? 0), received: (msg.received as [number, number] | null | undefined) ?? null },
    ),
  );
}

export function floorPipeline(): Pipeline {
  let child: Child;
  return {
    name: 'raw fs.watch + read (floor)',
    slackMs: 0,
    async start(ws) {
      child = startChild('floor-fswatch.mjs');
      await child.next('ready');
      const dirs = [...new Set(ws.planFiles.map((f) => dirname(f.abs)))];
      const reply = await child.request<{ watches: number }>({ type: 'watch', dirs });
      return { watchedDirs: reply.watches };
    },
    expect: (e) => child.request({ type: 'expect', id: e.id, path: e.abs, text: e.text }).then(() => undefined),
    forget: () => undefined,
    onDelivered: (listener) => deliveredFrom(child, listener),
    finalCheck: async () => ({ mismatches: 0, samples: [] }),
    async stop() {
      await child.request({ type: 'close' }).catch(() => undefined);
      await child.stop();
    },
  };
}

export function peerPipeline(): Pipeline {
  let child: Child;
  return {
    name: 'peer: chokidar whole folder + 500 ms debounce + read + parse',
    slackMs: 500,
    async start(ws) {
      child = startChild('peer-chokidar.mjs');
      await child.next('ready');
      await child.request({ type: 'watch', root: ws.dir }, 60_000);
      return {};
    },
    expect: (e) => child.request({ type: 'expect', id: e.id, path: e.abs, text: e.text }).then(() => undefined),
    forget: () => undefined,
    onDelivered: (listener) => deliveredFrom(child, listener),
    finalCheck: async () => ({ mismatches: 0, samples: [] }),
    async stop() {
      await child.request({ type: 'close' }).catch(() => undefined);
      await child.stop();
    },
  };
}

export interface VigilPipelineOptions {
  clients: number;
  execArgv?: string[];
  /** A serve already running (the runs bench's): used as it is, and left running by stop(). */
  serve?: Serve;
}

export function vigilPipeline(options: VigilPipelineOptions): Pipeline & { serve(): Serve } {
  let serve: Serve;
  let swarm: Child;
  /** Project id → root, as the clients' hello named them. */
  const rootOf = new Map<string, string>();
  let cpuAtStart = { server: 0, clients: 0, at: 0 };
  const cpuNow = () => ({ server: cpuMs(serve.pid) ?? 0, clients: cpuMs(swarm.pid) ?? 0, at: nowMs() });
  return {
    name: `Vigil: serve → ${options.clients} socket.io clients (renderer store)`,
    slackMs: 0,
    serve: () => serve,
    async start(ws) {
      serve =
        options.serve ??
        (await startServe(
          ws.projects.map((p) => p.root),
          { clients: options.clients, execArgv: options.execArgv },
        ));
      swarm = startChild('swarm.ts', [], { execArgv: clientProfArgs() });
      await swarm.next('ready');
      const reply = await swarm.request<{ connected: number; ms: number; model: string; projects: Record<string, string> }>(
        { type: 'connect', url: serve.url, token: serve.token, count: options.clients },
        120_000,
      );
      for (const [root, id] of Object.entries(reply.projects)) rootOf.set(id, root);
      cpuAtStart = cpuNow();
      return { via: serve.via, servePid: serve.pid, serveStartMs: Math.round(serve.startedInMs), clients: reply.connected, connectMs: Math.round(reply.ms), clientModel: reply.model };
    },
    expect: (e) =>
      swarm.request({ type: 'expect', id: e.id, root: e.root, changes: [...e.changes], before: [...e.before] }).then(() => undefined),
    forget: (id) => swarm.send({ type: 'forget', id }),
    onDelivered: (listener) => deliveredFrom(swarm, listener),
    async unexpectedStates() {
      const reply = await swarm.request<{ states: (Omit<UnexpectedState, 'root'> & { projectId: string })[]; judged: number; shared: number }>({ type: 'heldStates' });
      const states = reply.states.map(({ projectId, ...state }) => ({ ...state, root: rootOf.get(projectId) ?? projectId }));
      return { states, judged: reply.judged, shared: reply.shared };
    },
    async initialStates(ws, expected) {
      await swarm.request({ type: 'initialStates', projects: ws.projects.map((p) => ({ root: p.root, plans: expected(p.root) })) });
    },
    counters() {
      const end = cpuNow();
      const percent = (ms: number) => Math.round((ms / (end.at - cpuAtStart.at)) * 1000) / 10;
      // The client process near 100% would mean the measuring side set the pace.
      return { serverCpuPercent: percent(end.server - cpuAtStart.server), clientProcessCpuPercent: percent(end.clients - cpuAtStart.clients) };
    },
    async finalCheck(ws, expected) {
      return swarm.request<{ mismatches: number; samples: string[] }>({
        type: 'verify',
        projects: ws.projects.map((p) => ({ root: p.root, plans: expected(p.root) })),
      });
    },
    async stop() {
      await swarm?.request({ type: 'close' }).catch(() => undefined);
      await swarm?.stop();
      if (!options.serve) await serve?.stop();
    },
  };
}
