// Bench 4 — apply: the renderer store's pure functions (renderer/store/live-model.ts) applying
// a 1000-event batch to a model of 10k plans, and a 10k-plan snapshot (hello), in Node. Median
// of many runs; baseline: a plain loop copying the same objects into a Map.
import { applyEvents, applyHello, emptyModel, type LiveModel } from '../../renderer/store/live-model';
import { watchdog } from './lib/lifetime';
import { machine } from './lib/proc';
import { report, type Row } from './lib/report';
import { summarize } from './lib/stats';
import { makeBatch, makeHello, makeSnapshot } from './lib/synthetic';
import type { EngineEvent, Hello } from '../../shared/protocol';

watchdog('apply', 120_000);

const SNAPSHOT_RUNS = 60;
const BATCH_RUNS = 400;
const WARMUP = 10;

const snapshot = makeSnapshot(20, 500); // 10k plans
const hello = makeHello(snapshot);
const batch = makeBatch(snapshot, 1000);
const small = makeSnapshot(2, 50); // 100 plans: a batch's own cost, without copying a big table
const smallHello = makeHello(small);
const smallBatch = makeBatch(small, 1000);

/** Time `fn` `runs` times after a warm-up, in ms per run. */
function time(runs: number, fn: () => unknown): number[] {
  const out: number[] = [];
  let sink: unknown;
  for (let i = 0; i < WARMUP + runs; i++) {
    const start = performance.now();
    sink = fn();
    const ms = performance.now() - start;
    if (i >= WARMUP) out.push(ms);
  }
  if (sink === Symbol.for('never')) console.log(sink); // keep the result alive
  return out;
}

// Baselines: the least a client can do with the same objects.
function mapFromHello(h: Hello): Map<string, unknown> {
  const plans = new Map<string, unknown>();
  for (const plan of h.snapshot.plans) plans.set(`${plan.projectId}/${plan.id}`, plan);
  return plans;
}
function mapFromBatch(into: Map<string, unknown>, events: EngineEvent[]): Map<string, unknown> {
  for (const e of events) {
    if (e.type === 'plan:added' || e.type === 'plan:updated') into.set(`${e.payload.plan.projectId}/${e.payload.plan.id}`, e.payload.plan);
    else into.set(`${e.type}/${e.seq}`, e.payload);
  }
  return into;
}

const loaded: LiveModel = applyHello(emptyModel(), hello);
const smallLoaded: LiveModel = applyHello(emptyModel(), smallHello);
// Correctness first: a fast apply that loses events would be worthless.
const applied = applyEvents(loaded, batch);
const lastSeq = batch[batch.length - 1]!.seq;
const addedPlans = batch.filter((e) => e.type === 'plan:added').length;
const correct =
  applied.gap === null &&
  applied.state.lastSeq === lastSeq &&
  loaded.plans.size === 10_000 &&
  applied.state.plans.size === 10_000 + addedPlans;

const helloFresh = summarize(time(SNAPSHOT_RUNS, () => applyHello(emptyModel(), hello)));
const helloAgain = summarize(time(SNAPSHOT_RUNS, () => applyHello(loaded, hello)));
const helloMap = summarize(time(SNAPSHOT_RUNS, () => mapFromHello(hello)));
const batchBig = summarize(time(BATCH_RUNS, () => applyEvents(loaded, batch)));
const batchSmall = summarize(time(BATCH_RUNS, () => applyEvents(smallLoaded, smallBatch)));
const bigMap = mapFromHello(hello);
const batchMap = summarize(time(BATCH_RUNS, () => mapFromBatch(new Map(bigMap), batch)));
const batchMapOnly = summarize(time(BATCH_RUNS, () => mapFromBatch(new Map(), batch)));

const rows: Row[] = [
  {
    metric: '1000-event batch on a 10k-plan model (median)',
    unit: 'ms',
    vigil: batchBig.p50,
    baselines: [
      { name: 'Map copy of 10k + 1000 sets', value: batchMap.p50 },
      { name: '1000 Map sets', value: batchMapOnly.p50 },
    ],
    target: { op: '<=', value: 4 },
  },
  { metric: '  p99 of runs', unit: 'ms', vigil: batchBig.p99, baselines: [{ name: 'Map copy of 10k + 1000 sets', value: batchMap.p99 }] },
  {
    metric: '1000-event batch on a 100-plan model (median)',
    unit: 'ms',
    vigil: batchSmall.p50,
    baselines: [{ name: '1000 Map sets', value: batchMapOnly.p50 }],
  },
  {
    metric: '10k-plan snapshot into an empty store (median)',
    unit: 'ms',
    vigil: helloFresh.p50,
    baselines: [{ name: '10k Map sets', value: helloMap.p50 }],
    target: { op: '<=', value: 50 },
  },
  { metric: '  p99 of runs', unit: 'ms', vigil: helloFresh.p99, baselines: [{ name: '10k Map sets', value: helloMap.p99 }] },
  {
    metric: '10k-plan snapshot over the same model (reconnect, median)',
    unit: 'ms',
    vigil: helloAgain.p50,
    baselines: [{ name: '10k Map sets', value: helloMap.p50 }],
    target: { op: '<=', value: 50 },
  },
];

report({
  bench: 'apply',
  rows,
  notes: correct ? [] : ['applyEvents did not apply the whole batch (gap, wrong lastSeq or plan count): figures are meaningless'],
  setup: {
    machine: machine(),
    store: 'renderer/store/live-model.ts applyHello/applyEvents (pure, no React, no zustand subscribers)',
    runs: { snapshot: SNAPSHOT_RUNS, batch: BATCH_RUNS, warmup: WARMUP },
    batchMix: Object.entries(batch.reduce<Record<string, number>>((m, e) => ((m[e.type] = (m[e.type] ?? 0) + 1), m), {})).map(([t, n]) => `${t} ${n}`).join(', '),
  },
  ok: correct,
});
