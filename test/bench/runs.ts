// Bench 6 — runs: an agent run printing 1,000 lines a second for 10 s while 20 clients follow
// its log. Every line must reach every client; the p99 from the agent printing a line to a
// client holding it is compared with a bare relay (the same printer, its pipe read by a bare
// Node process that emits each chunk to the same 20 clients). And the run must not slow the
// rest of Vigil down: the file-change latency (the latency bench's pass, shorter) is measured
// before, during and after the run, and during must stay within 10 % of without; two passes beside
// the same printer and clients through the bare relay split that ratio into the machine's share
// and Vigil's.
import { execFileSync } from 'node:child_process';
import { realpathSync } from 'node:fs';
import { join } from 'node:path';
import { io, type Socket } from 'socket.io-client';
import type { ClientRequests, Hello, ServerEvents } from '../../shared/protocol';
import { WRITE_GAP_MS } from '../../main/runs/run-log';
import { ADAPTERS } from '../../main/sources/index';
import { BENCH_DIR, startChild } from './lib/children';
import { nowMs, sleep, waitFor } from './lib/clock';
import { CONVENTIONS } from './lib/conventions';
import { tempDir, watchdog } from './lib/lifetime';
import { vigilPipeline } from './lib/pipelines';
import { machine } from './lib/proc';
import { report, type Row } from './lib/report';
import { summarize, type Summary } from './lib/stats';
import { CLI, serverProfileArgs, serveUnavailable, startServe } from './lib/vigil';
import { latencies, runPass, type PassResult } from './lib/write-pass';
import { createWorkspace } from './lib/workspace';

const RATE = 1000;
const SECONDS = Number(process.env.BENCH_RUNS_SECONDS ?? 10);
const TOTAL = RATE * SECONDS;
const LOG_CLIENTS = 20;
const LATENCY_CLIENTS = Number(process.env.BENCH_RUNS_LATENCY_CLIENTS ?? 20);
/** The printer waits this long before its first line, so every client is subscribed. */
const PRINTER_DELAY_MS = 1500;
const PACE_MS = 20;
const WARMUP_WRITES = 25;
/** A pass fits inside the run: (warm-up + writes) × pace < the run's printing time. */
const PASS_WRITES = Math.max(50, Math.floor((SECONDS * 1000 - 1000) / PACE_MS) - WARMUP_WRITES);
/** The untimed pass before the first timed one (below). */
const WARMING_WRITES = 200;

watchdog('runs', 300_000);

const notes: string[] = [];
const unavailable = serveUnavailable();
if (unavailable) {
  report({ bench: 'runs', rows: [], notes: [unavailable], setup: {}, ok: false });
  process.exit(1);
}

const printerArgv = [process.execPath, join(BENCH_DIR, 'procs', 'printer.mjs'), String(RATE), String(SECONDS), String(PRINTER_DELAY_MS)];
const adapterIds = new Set(ADAPTERS.map((a) => a.id));
const wsDir = realpathSync(tempDir('runs').path);
const ws = createWorkspace(wsDir, { perConvention: 1, plansPerProject: 4, conventions: CONVENTIONS.filter((c) => adapterIds.has(c.source)) });
const writer = startChild('writer.ts');
await writer.next('ready');

const serve = await startServe(
  ws.projects.map((p) => p.root),
  {
    clients: LATENCY_CLIENTS + LOG_CLIENTS + 2,
    execArgv: serverProfileArgs(),
    configFiles: { 'actions.json': JSON.stringify({ actions: [{ id: 'printer', label: 'Printer', argv: printerArgv }], presets: [], trusted: [] }) },
  },
);
// A control token, made as a user makes one; the running serve picks it up from tokens.json.
const control = execFileSync(process.execPath, [CLI, 'token', 'create', '--scope', 'control', '--label', 'bench', '--config-dir', serve.configDir], { encoding: 'utf8' }).trim();

const latency = vigilPipeline({ clients: LATENCY_CLIENTS, serve });
const latencySetup = await latency.start(ws);
const passOptions = (seed: number) => ({ writes: PASS_WRITES, warmup: WARMUP_WRITES, paceMs: PACE_MS, timeoutMs: 3000, seed, adapters: ADAPTERS, writer });

interface LogOutcome {
  summary: Summary | null;
  lost: number | null;
  error?: string;
  seconds?: number;
}

async function controlClient(): Promise<Socket<ServerEvents, ClientRequests>> {
  const deadline = nowMs() + 10_000;
  for (;;) {
    const socket: Socket<ServerEvents, ClientRequests> = io(serve.url, { auth: { token: control }, transports: ['websocket'], reconnection: false, forceNew: true });
    try {
      await new Promise<Hello>((resolve, reject) => {
        socket.once('hello', resolve);
        socket.once('connect_error', reject);
      });
      return socket;
    } catch (err) {
      socket.disconnect();
      if (nowMs() > deadline) throw err;
      await sleep(100);
    }
  }
}

/**
 * The same printer through a bare relay (its own process: pipe → socket.io, no log file, no
 * engine) to the log clients. With `meanwhile`, that runs from the first line a client got to
 * the end of the printing, as Vigil's pass during its run does.
 */
async function bareRelayRun({ meanwhile, gapMs = 0 }: { meanwhile?: () => Promise<PassResult>; gapMs?: number } = {}): Promise<{ log: LogOutcome; pass: PassResult | null }> {
  let log: LogOutcome = { summary: null, lost: null };
  let pass: PassResult | null = null;
  const relay = startChild('bare-log-relay.mjs');
  try {
    await relay.next('ready');
    const { url } = await relay.request<{ url: string }>({ type: 'listen' });
    await logSwarm.request({ type: 'connect', url, token: 'none', count: LOG_CLIENTS, runId: null, total: TOTAL }, 60_000);
    const running = relay.request({ type: 'run', argv: printerArgv, gapMs }, SECONDS * 1000 + 30_000);
    // Awaited below; if the pass fails first, the relay's close must not be an unhandled rejection.
    running.catch(() => undefined);
    if (meanwhile) {
      const printing = await waitFor(async () => (await logSwarm.request<{ most: number }>({ type: 'progress' })).most > 0, PRINTER_DELAY_MS + 10_000, 20);
      if (!printing) throw new Error('no line of the bare relay reached a client');
      pass = await meanwhile();
    }
    await running;
    await waitFor(async () => (await logSwarm.request<{ least: number }>({ type: 'progress' })).least >= TOTAL, 10_000, 50);
    const result = await logSwarm.request<{ lost: number; summary: Summary | null }>({ type: 'result' });
    log = { summary: result.summary, lost: result.lost };
  } catch (err) {
    log = { summary: null, lost: null, error: err instanceof Error ? err.message : String(err) };
  } finally {
    await logSwarm.request({ type: 'close' }).catch(() => undefined);
    await relay.request({ type: 'close' }).catch(() => undefined);
    await relay.stop();
  }
  return { log, pass };
}

/**
 * The same pass beside a run Vigil has no part in. The printer and the 20 log clients load this
 * 2-core machine even when Vigil does none of the run's work: here the same printer goes through
 * the bare relay, which sends its lines once a frame as Vigil does, to the same clients, while
 * Vigil gets the same pass. Beside ÷ without is the machine's share of the judged ratio, during
 * ÷ beside is Vigil's. Passes here get faster as a run goes on (the pass after the run beat the
 * one before it in all but one of 19 runs), so the passes stand in mirror order around the run
 * — before, beside, during, beside, after — and each ratio compares passes whose mean place is
 * the same.
 * (The log figures of these relay runs are not used: the log baseline runs alone, after Vigil
 * has stopped, step 5.)
 */
async function passBesideBareRelay(seed: number): Promise<PassResult | null> {
  const { log, pass } = await bareRelayRun({ meanwhile: () => runPass(latency, ws, passOptions(seed)), gapMs: WRITE_GAP_MS });
  if (log.error) notes.push(`a pass beside the bare relay's run: could not be measured — ${log.error}`);
  return pass;
}

// ---- 1. file-change latency without a run ----
// A server just started, and the clients' process, are still compiling the file-change path:
// the first pass ran 12–40 % slower than the later ones (docs/bench.md, "runs: the pass before
// the run on a cold server"). One pass, checked for loss but not timed, warms both, so the
// pass before the run is as warm as the one after it.
const warming = await runPass(latency, ws, { ...passOptions(10), writes: WARMING_WRITES });
const before = await runPass(latency, ws, passOptions(11));

// ---- 1b. beside the bare relay's run (passBesideBareRelay) ----
const logSwarm = startChild('log-swarm.ts');
await logSwarm.next('ready');
const besideFirst = await passBesideBareRelay(14);

// ---- 2. the run, 20 log clients, and the same latency pass meanwhile ----
let during: PassResult | null = null;
let vigilLog: LogOutcome = { summary: null, lost: null };
try {
  const socket = await controlClient();
  const snapshot = (await (await fetch(`${serve.url}/api/snapshot`, { headers: { Authorization: `Bearer ${serve.token}` } })).json()) as { projects: { id: string; root: string }[] };
  const project = snapshot.projects.find((p) => p.root === ws.projects[0]!.root);
  if (!project) throw new Error('the workspace project is not in the snapshot');
  const started = await socket.timeout(10_000).emitWithAck('run:start', { projectId: project.id, action: 'printer' });
  if (!started.ok) throw new Error(`run:start refused: ${started.error.message}`);
  const runId = started.data.run.id;
  await logSwarm.request({ type: 'connect', url: serve.url, token: serve.token, count: LOG_CLIENTS, runId, total: TOTAL }, 60_000);
  // The pass starts with the first line, so it runs while the agent prints.
  const printing = await waitFor(async () => (await logSwarm.request<{ most: number }>({ type: 'progress' })).most > 0, PRINTER_DELAY_MS + 10_000, 20);
  if (!printing) throw new Error('no line of the run reached a client');
  const runStart = nowMs();
  during = await runPass(latency, ws, passOptions(12));
  const passEndedInRun = nowMs() - runStart < SECONDS * 1000;
  if (!passEndedInRun) notes.push('the latency pass during the run outlasted the run (the machine was slow); its last writes were measured without it');
  await waitFor(async () => (await logSwarm.request<{ least: number }>({ type: 'progress' })).least >= TOTAL, SECONDS * 1000 + 20_000, 50);
  const result = await logSwarm.request<{ lost: number; summary: Summary | null }>({ type: 'result' });
  vigilLog = { summary: result.summary, lost: result.lost, seconds: (nowMs() - runStart) / 1000 };
  socket.disconnect();
} catch (err) {
  vigilLog = { summary: null, lost: null, error: err instanceof Error ? err.message : String(err) };
} finally {
  await logSwarm.request({ type: 'close' }).catch(() => undefined);
}

// ---- 3. beside the bare relay's run again, then without a run ----
const besideSecond = await passBesideBareRelay(15);
const after = await runPass(latency, ws, passOptions(13));

await latency.stop();
await serve.stop();
await writer.stop();

// ---- 5. the baseline: the same printer through a bare relay to the same 20 clients, alone ----
const bareLog = (await bareRelayRun()).log;
await logSwarm.stop();

// ---- report ----
const pooled = (...passes: (PassResult | null)[]) => {
  const values = passes.flatMap((p) => (p ? latencies(p.records) : []));
  return values.length > 0 ? summarize(values) : null;
};
const without = pooled(before, after);
const withRun = pooled(during);
const besideBare = pooled(besideFirst, besideSecond);
const lostWrites = [warming, before, besideFirst, during, besideSecond, after].reduce((n, p) => n + (p ? p.records.filter((r) => r.lost).length + p.finalMismatches : 0), 0);
const ratio = (a: number | undefined, b: number | undefined) => (a !== undefined && b !== undefined && b > 0 ? a / b : null);
const bareName = `bare relay: pipe → socket.io, same printer, ${LOG_CLIENTS} clients`;

const rows: Row[] = [
  { metric: `run log p99 line printed → all ${LOG_CLIENTS} clients`, unit: 'ms', vigil: vigilLog.summary?.p99 ?? null, baselines: [{ name: bareName, value: bareLog.summary?.p99 ?? null }], target: { op: '<=', value: 50 } },
  { metric: 'run log p50 line → client', unit: 'ms', vigil: vigilLog.summary?.p50 ?? null, baselines: [{ name: bareName, value: bareLog.summary?.p50 ?? null }] },
  { metric: 'run log max line → client', unit: 'ms', vigil: vigilLog.summary?.max ?? null, baselines: [{ name: bareName, value: bareLog.summary?.max ?? null }] },
  { metric: `run log lines lost (of ${TOTAL} × ${LOG_CLIENTS})`, unit: '', vigil: vigilLog.lost, baselines: [{ name: bareName, value: bareLog.lost }], target: { op: '==', value: 0 } },
  {
    metric: `file change p50 → ${LATENCY_CLIENTS} clients, during the run`,
    unit: 'ms',
    vigil: withRun?.p50 ?? null,
    baselines: [{ name: 'the same passes without a run (before + after)', value: without?.p50 ?? null }],
  },
  { metric: 'file change p50, during ÷ without the run', unit: '×', vigil: ratio(withRun?.p50, without?.p50), target: { op: '<=', value: 1.1 } },
  {
    metric: "file change p50 beside the bare relay's run (the machine's share)",
    unit: 'ms',
    vigil: besideBare?.p50 ?? null,
    baselines: [{ name: 'the same passes without a run (before + after)', value: without?.p50 ?? null }],
  },
  {
    metric: "file change p50, during Vigil's run ÷ beside the bare relay's (Vigil's share)",
    unit: '×',
    vigil: ratio(withRun?.p50, besideBare?.p50),
  },
  {
    metric: 'file change p99, during the run',
    unit: 'ms',
    vigil: withRun?.p99 ?? null,
    baselines: [{ name: 'the same passes without a run (before + after)', value: without?.p99 ?? null }],
  },
  { metric: 'file changes lost (all six passes)', unit: '', vigil: lostWrites, target: { op: '==', value: 0 } },
];
if (vigilLog.error) notes.push(`Vigil run log: could not be measured — ${vigilLog.error}`);
if (bareLog.error) notes.push(`bare relay: could not be measured — ${bareLog.error}`);
const split = (p: PassResult | null) => {
  const recs = p ? p.records.filter((r) => !r.warmup && r.delivered !== null && r.t0 !== null && r.detail) : [];
  if (recs.length === 0) return '—';
  const engine = summarize(recs.map((r) => r.detail!.stamp - r.t0!)).p50;
  const onward = summarize(recs.map((r) => r.delivered! - r.detail!.stamp)).p50;
  return `write → hub stamp ${engine.toFixed(2)} + hub stamp → all correct ${onward.toFixed(2)} ms`;
};
notes.push(`latency split at p50: before ${split(before)}; beside the bare relay ${split(besideFirst)}; during ${split(during)}; beside again ${split(besideSecond)}; after ${split(after)}`);
notes.push(`latency passes: before p50 ${before ? summarize(latencies(before.records)).p50.toFixed(1) : '—'} ms, after p50 ${after ? summarize(latencies(after.records)).p50.toFixed(1) : '—'} ms (their spread is this machine's noise)`);

report({
  bench: 'runs',
  rows,
  notes,
  setup: {
    machine: machine(),
    run: `${TOTAL} lines at ${RATE}/s for ${SECONDS} s, ${LOG_CLIENTS} clients following the run's log by run id`,
    latency: `${PASS_WRITES} writes per pass (after ${WARMUP_WRITES} warm-up), one every ${PACE_MS} ms, ${LATENCY_CLIENTS} clients; before, beside the bare relay's run (once a frame), during Vigil's run, beside the bare relay's again, after`,
    projects: ws.projects.length,
    vigil: latencySetup,
    runSeconds: vigilLog.seconds,
  },
  ok: vigilLog.lost === 0 && lostWrites === 0 && !vigilLog.error,
});
process.exit(0);
