// Bench 5 — heartbeat: the engine's tick latency (its own work) and drift (how late it fired)
// with 20 projects while the fan-out load runs (500 clients, 200 events/s), as its heartbeat
// messages report them. Baselines: a bare setInterval in an idle process on the same machine,
// after the load (the floor) and during it (how much of the drift is the machine, not Vigil).
import { startChild } from './lib/children';
import { watchdog } from './lib/lifetime';
import { runVigilLoad, type LoadOptions, type LoadResult } from './lib/load-run';
import { machine } from './lib/proc';
import { report, type Row } from './lib/report';
import { summarize, type Summary } from './lib/stats';
import { serverProfileArgs } from './lib/vigil';

const TICK_MS = 100;
const options: LoadOptions = {
  clients: Number(process.env.BENCH_FANOUT_CLIENTS ?? 500),
  rate: 200,
  seconds: Number(process.env.BENCH_HEARTBEAT_SECONDS ?? 30),
  projects: 20,
  plansPerProject: 10,
  // The setting's minimum: ten ticks a second give a p99 that is not just the maximum of 30.
  settings: { heartbeatMs: TICK_MS },
  execArgv: serverProfileArgs(),
};
watchdog('heartbeat', 170_000);
const notes: string[] = [];

interface IntervalRun {
  drift: number[];
  latency: number[];
}

async function bareInterval(ticks: number): Promise<IntervalRun> {
  const child = startChild('interval-baseline.mjs');
  try {
    await child.next('ready');
    return await child.request<IntervalRun>({ type: 'run', intervalMs: TICK_MS, ticks }, ticks * TICK_MS + 30_000);
  } finally {
    await child.stop();
  }
}

let during: IntervalRun | null = null;
let vigil: LoadResult | null = null;
try {
  vigil = await runVigilLoad(options, async () => {
    during = await bareInterval(Math.floor((options.seconds * 1000) / TICK_MS) - 5);
  });
} catch (err) {
  notes.push(`Vigil could not run: ${err instanceof Error ? err.message : String(err)}`);
}
const idle = await bareInterval(150);

const beats = vigil ? vigil.heartbeats.filter((b) => b.ts >= vigil!.loadWall.start && b.ts <= vigil!.loadWall.end) : [];
const vigilLatency: Summary | null = beats.length ? summarize(beats.map((b) => b.latencyMs)) : null;
const vigilDrift: Summary | null = beats.length ? summarize(beats.map((b) => b.driftMs)) : null;
const duringRun = during as IntervalRun | null;
const base = (run: IntervalRun | null, key: keyof IntervalRun) => (run ? summarize(run[key]) : null);
const idleLatency = base(idle, 'latency');
const idleDrift = base(idle, 'drift');
const loadLatency = base(duringRun, 'latency');
const loadDrift = base(duringRun, 'drift');
const baselines = (pick: (s: Summary) => number, idleS: Summary | null, loadS: Summary | null) => [
  { name: 'bare setInterval, idle process, after the load', value: idleS ? pick(idleS) : null },
  { name: 'bare setInterval, idle process, during the load', value: loadS ? pick(loadS) : null },
];

const rows: Row[] = [
  { metric: 'tick latency p50 (the tick’s own work)', unit: 'ms', vigil: vigilLatency?.p50 ?? null, baselines: baselines((s) => s.p50, idleLatency, loadLatency) },
  { metric: 'tick latency p99', unit: 'ms', vigil: vigilLatency?.p99 ?? null, baselines: baselines((s) => s.p99, idleLatency, loadLatency), target: { op: '<=', value: 2 } },
  { metric: 'drift p50 (how late the tick fired)', unit: 'ms', vigil: vigilDrift?.p50 ?? null, baselines: baselines((s) => s.p50, idleDrift, loadDrift) },
  { metric: 'drift p99', unit: 'ms', vigil: vigilDrift?.p99 ?? null, baselines: baselines((s) => s.p99, idleDrift, loadDrift), target: { op: '<=', value: 10 } },
  { metric: 'drift max', unit: 'ms', vigil: vigilDrift?.max ?? null, baselines: baselines((s) => s.max, idleDrift, loadDrift) },
];
const expectedBeats = Math.floor((options.seconds * 1000) / TICK_MS);
if (vigil && beats.length < expectedBeats * 0.9) notes.push(`client 0 received ${beats.length} of ~${expectedBeats} heartbeats in the window (they are volatile: a busy transport skips one)`);

report({
  bench: 'heartbeat',
  rows,
  notes,
  setup: {
    machine: machine(),
    tickMs: TICK_MS,
    projects: options.projects,
    load: `${options.clients} clients, ${options.rate} writes/s for ${options.seconds} s (the fan-out load)`,
    heartbeatsInWindow: beats.length,
    via: vigil?.via ?? null,
    fanoutDuringHeartbeat: vigil ? { stampP99: vigil.stats.stamp.p99, eventsLost: vigil.stats.eventsLost, serverCpuPercent: Math.round(vigil.cpuPercent) } : null,
  },
  ok: vigil !== null && beats.length > 0,
});
