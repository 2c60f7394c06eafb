// The fan-out load, shared by the fan-out and heartbeat benches: N socket.io clients in their
// own process, events at a steady rate for a fixed time, then delivery, loss, CPU and memory.
// Vigil's events are driven by writing plan files the engine watches (one title change per
// write → one plan:updated); the baseline emits the same payloads from a bare socket.io server.
import { realpathSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { ADAPTERS } from '../../../main/sources/index';
import type { Settings } from '../../../shared/settings';
import type { Heartbeat } from '../../../shared/model';
import { clientProfArgs, startChild, type Child } from './children';
import { nowMs, sleep, waitFor } from './clock';
import { CONVENTIONS } from './conventions';
import { tempDir } from './lifetime';
import { expectedPlans } from './mirror';
import { cpuMs, cpuPressure, rssBytes } from './proc';
import type { Summary } from './stats';
import { fetchSnapshot, startServe } from './vigil';
import { createWorkspace, retitle, type PlanFile } from './workspace';

export interface LoadOptions {
  clients: number;
  /** Events per second. */
  rate: number;
  seconds: number;
  projects: number;
  plansPerProject: number;
  settings?: Partial<Settings>;
  execArgv?: string[];
}

export interface FanoutStats {
  clients: number;
  eventsRecorded: number;
  eventsLost: number;
  gaps: number;
  disconnects: number;
  /** Hub stamp (or bare emit) → client receipt, over every (event, client). */
  stamp: Summary;
  /** Write start → client receipt, over every (write, client); Vigil only. */
  write: Summary;
  /** Write start → hub stamp, per write; Vigil only. */
  engine: Summary;
  /** Write end (writeFile resolved in the writer) → hub stamp: the engine without the writer's own delay. */
  engineFromEnd: Summary;
  writesMatched: number;
}

export interface LoadResult {
  via: string;
  connectMs: number;
  rssIdle: number;
  rssConnected: number;
  rssEnd: number;
  /** Server CPU during the load window, % of one core. */
  cpuPercent: number;
  /** The client process's CPU over the same window: near 100% means it, not the server, set the pace. */
  clientCpuPercent: number;
  eventsPerSecond: number;
  /** CPU pressure on the machine right after the load: how contended the run was. */
  pressure: string;
  /** Bare baseline only: how long one broadcast to every client holds the event loop. */
  emitMs?: { p50: number; p99: number };
  /** Wall-clock bounds of the load window (ms since epoch), to pick the heartbeats inside it. */
  loadWall: { start: number; end: number };
  writes: number;
  stats: FanoutStats;
  heartbeats: (Heartbeat & { receivedAt: number })[];
  payloads: { type: string; payload: unknown }[];
}

/** Clients that hold the whole model with the renderer store; the rest are lean (see procs/swarm.ts). */
export const FULL_CLIENTS = 20;

async function connectSwarm(url: string, token: string, clients: number): Promise<{ swarm: Child; connectMs: number }> {
  const swarm = startChild('swarm.ts', [], { execArgv: ['--max-old-space-size=4096', ...clientProfArgs()] });
  await swarm.next('ready');
  const reply = await swarm.request<{ connected: number; ms: number }>({ type: 'connect', url, token, count: clients, full: FULL_CLIENTS }, 180_000);
  if (reply.connected !== clients) throw new Error(`only ${reply.connected} of ${clients} clients connected`);
  return { swarm, connectMs: reply.ms };
}

/** Settle, then read RSS: what a process holds once the burst of setting up is over. */
async function settledRss(pid: number, ms = 2000): Promise<number> {
  await sleep(ms);
  return rssBytes(pid) ?? 0;
}

export async function runVigilLoad(options: LoadOptions, during?: (serverPid: number) => Promise<unknown>): Promise<LoadResult> {
  const backlog = CONVENTIONS.find((c) => c.source === 'backlog')!;
  const dir = realpathSync(tempDir('fanout').path);
  const ws = createWorkspace(dir, { perConvention: options.projects, plansPerProject: options.plansPerProject, conventions: [backlog] });
  // Each plan file's plan id, as the adapters name it: the key a client's event is matched by.
  const planIdOf = new Map<PlanFile, string>();
  for (const project of ws.projects) {
    const plans = [...expectedPlans(ADAPTERS, project.files).values()];
    for (const file of project.planFiles) planIdOf.set(file, plans.find((p) => p.path === file.rel)!.id);
  }
  const serve = await startServe(ws.projects.map((p) => p.root), { clients: options.clients, settings: options.settings, execArgv: options.execArgv });
  let swarm: Child | null = null;
  try {
    const planCount = ws.planFiles.length;
    await waitFor(async () => ((await fetchSnapshot(serve).catch(() => null))?.plans.length ?? 0) >= planCount, 20_000, 50);
    const rssIdle = await settledRss(serve.pid);
    const connected = await connectSwarm(serve.url, serve.token, options.clients);
    swarm = connected.swarm;
    const rssConnected = await settledRss(serve.pid);

    const total = Math.round(options.rate * options.seconds);
    await swarm.request({ type: 'recordStart', size: total * 2 + 1000 });
    const writes: { root: string; planId: string; title: string; t0: number; t1: number }[] = [];
    const cpuStart = cpuMs(serve.pid) ?? 0;
    const clientCpuStart = cpuMs(swarm.pid) ?? 0;
    const loadStart = nowMs();
    const loadStartWall = Date.now();
    const duringDone = during?.(serve.pid);
    const inFlight: Promise<void>[] = [];
    for (let n = 0; n < total; n++) {
      const due = loadStart + (n * 1000) / options.rate;
      const wait = due - nowMs();
      if (wait > 1) await sleep(wait);
      const file = ws.planFiles[n % ws.planFiles.length]!;
      const title = `Task ${(n % ws.planFiles.length) + 1} · write ${n}`;
      const text = retitle(file, title);
      const write = { root: file.project.root, planId: planIdOf.get(file)!, title, t0: nowMs(), t1: 0 };
      writes.push(write);
      inFlight.push(writeFile(file.abs, text).then(() => void (write.t1 = nowMs())));
      if (inFlight.length > 64) await Promise.all(inFlight.splice(0));
    }
    await Promise.all(inFlight);
    const loadMs = nowMs() - loadStart;
    const loadEndWall = Date.now();
    const cpuEnd = cpuMs(serve.pid) ?? 0;
    const clientCpuEnd = cpuMs(swarm.pid) ?? 0;
    await duringDone;

    // Drain: every client has every event the hub stamped (or 10 s passed).
    let finalSeq = 0;
    await waitFor(async () => {
      finalSeq = (await fetchSnapshot(serve)).seq;
      return (await swarm!.request<{ minSeq: number }>({ type: 'status' })).minSeq >= finalSeq;
    }, 10_000, 200);
    await sleep(500);
    const stats = await swarm.request<FanoutStats & { recordBase: number }>({ type: 'fanoutStats', finalSeq, writes }, 60_000);
    const { heartbeats } = await swarm.request<{ heartbeats: LoadResult['heartbeats'] }>({ type: 'heartbeats' });
    const { payloads } = await swarm.request<{ payloads: LoadResult['payloads'] }>({ type: 'samples' });
    return {
      via: serve.via,
      connectMs: connected.connectMs,
      rssIdle,
      rssConnected,
      rssEnd: rssBytes(serve.pid) ?? 0,
      cpuPercent: ((cpuEnd - cpuStart) / loadMs) * 100,
      clientCpuPercent: ((clientCpuEnd - clientCpuStart) / loadMs) * 100,
      eventsPerSecond: (finalSeq - stats.recordBase + 1) / (loadMs / 1000),
      pressure: cpuPressure(),
      loadWall: { start: loadStartWall, end: loadEndWall },
      writes: total,
      stats,
      heartbeats,
      payloads,
    };
  } finally {
    await swarm?.request({ type: 'close' }).catch(() => undefined);
    await swarm?.stop();
    await serve.stop();
  }
}

/** The same clients and rate against a bare socket.io server emitting `payloads`. */
export async function runBareLoad(options: LoadOptions, payloads: { type: string; payload: unknown }[]): Promise<LoadResult> {
  const server = startChild('bare-io.mjs');
  let swarm: Child | null = null;
  try {
    await server.next('ready');
    const { url } = await server.request<{ url: string }>({ type: 'listen' });
    const rssIdle = await settledRss(server.pid);
    const connected = await connectSwarm(url, 'none', options.clients);
    swarm = connected.swarm;
    const rssConnected = await settledRss(server.pid);
    const total = Math.round(options.rate * options.seconds);
    await swarm.request({ type: 'recordStart', size: total + 1000 });
    const cpuStart = cpuMs(server.pid) ?? 0;
    const clientCpuStart = cpuMs(swarm.pid) ?? 0;
    const loadStart = nowMs();
    const loadStartWall = Date.now();
    const run = await server.request<{ finalSeq: number; emitP50: number; emitP99: number }>({ type: 'run', rate: options.rate, seconds: options.seconds, payloads }, (options.seconds + 60) * 1000);
    const loadMs = nowMs() - loadStart;
    const cpuEnd = cpuMs(server.pid) ?? 0;
    const clientCpuEnd = cpuMs(swarm.pid) ?? 0;
    await waitFor(async () => (await swarm!.request<{ minSeq: number }>({ type: 'status' })).minSeq >= run.finalSeq, 10_000, 200);
    await sleep(500);
    const stats = await swarm.request<FanoutStats & { recordBase: number }>({ type: 'fanoutStats', finalSeq: run.finalSeq, writes: [] }, 60_000);
    return {
      via: 'bare socket.io server (test/bench/procs/bare-io.mjs)',
      emitMs: { p50: run.emitP50, p99: run.emitP99 },
      connectMs: connected.connectMs,
      rssIdle,
      rssConnected,
      rssEnd: rssBytes(server.pid) ?? 0,
      cpuPercent: ((cpuEnd - cpuStart) / loadMs) * 100,
      clientCpuPercent: ((clientCpuEnd - clientCpuStart) / loadMs) * 100,
      eventsPerSecond: (run.finalSeq - stats.recordBase + 1) / (loadMs / 1000),
      pressure: cpuPressure(),
      loadWall: { start: loadStartWall, end: loadStartWall + loadMs },
      writes: 0,
      stats,
      heartbeats: [],
      payloads: [],
    };
  } finally {
    await swarm?.request({ type: 'close' }).catch(() => undefined);
    await swarm?.stop();
    await server.request({ type: 'close' }).catch(() => undefined);
    await server.stop();
  }
}
