// Bench 11 — start-up: `vigil serve` on 50 projects of the scale workspace whose config folder
// holds a 1,000,000-event history, from spawn until a socket.io client holds the first hello
// with the full snapshot (every project, every plan). Beside it, in the same run and
// interleaved: the same serve on the same folders with no history at all. The workspace and
// the history are the ones `npm run bench` made for every bench (lib/shared-fixtures), or this
// bench's own when run alone. A user's starts but the first of a build run from V8's code cache
// (main/code-cache.ts): a warm-up start writes it first, and the first start of a build, with no
// cache, is measured beside them.
import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { io } from 'socket.io-client';
import type { Hello } from '../../shared/protocol';
import { ADAPTERS } from '../../main/sources/index';
import { nowMs } from './lib/clock';
import { tempDir, watchdog } from './lib/lifetime';
import { expectedPlans } from './lib/mirror';
import { machine, rssBytes } from './lib/proc';
import { report, type Row } from './lib/report';
import { copyHistory, FILES_PER_PROJECT, HISTORY_EVENTS, HISTORY_PROJECTS, historyFixture, scaleTree } from './lib/shared-fixtures';
import { median } from './lib/stats';
import { codeCacheDir, serverProfileArgs, serveUnavailable, startServe } from './lib/vigil';

const PROJECTS = HISTORY_PROJECTS;
const EVENTS = HISTORY_EVENTS;
const ROUNDS = Number(process.env.BENCH_STARTUP_ROUNDS ?? 5);
const MB = 1024 * 1024;

watchdog('startup', 590_000);
const notes: string[] = [];
let ok = true;

const unavailable = serveUnavailable();
if (unavailable) {
  report({ bench: 'startup', rows: [], notes: [`Vigil could not run: ${unavailable}`], setup: { machine: machine() }, ok: false });
  process.exit();
}

const tree = scaleTree('startup', PROJECTS);
const projects = tree.projects;
const roots = projects.map((p) => p.root);
const wantPlans = projects.reduce((n, p) => n + expectedPlans(ADAPTERS, p.planningFiles).size, 0);

// Written once per run, copied into each start's fresh config folder (a start writes to it).
const history = await historyFixture('startup-db', roots, EVENTS);
const seeded = history.seeded;

interface Start {
  urlMs: number;
  helloMs: number;
  /** Hellos that came before the snapshot was whole (none expected: serve listens once ready). */
  partialHellos: number;
  helloBytes: number;
  rssMB: number;
}

/** A socket.io client's first hello, as the dashboard gets it. */
function firstHello(url: string, token: string): Promise<Hello> {
  return new Promise((resolve, reject) => {
    const socket = io(url, { auth: { token }, transports: ['websocket'], forceNew: true, reconnection: false, extraHeaders: { Origin: url }, timeout: 60_000 });
    socket.once('hello', (hello: Hello) => {
      socket.close();
      resolve(hello);
    });
    socket.once('connect_error', (err) => {
      socket.close();
      reject(err);
    });
  });
}

/** Serve's code cache files in `dir`. */
const cacheFiles = (dir: string): string[] => readdirSync(dir).filter((name) => name.endsWith('.v8cache'));

/**
 * A start of serve until its first whole hello. `firstOfBuild`: with an empty code cache folder,
 * as the first start after an install or an upgrade; `untilCached`: kept running until it has
 * written the code cache (the warm-up).
 */
async function start(withHistory: boolean, how: { firstOfBuild?: boolean; untilCached?: boolean } = {}): Promise<Start> {
  const config = tempDir('startup-config');
  const configDir = config.path;
  if (withHistory) copyHistory(history, configDir);
  const emptyCache = how.firstOfBuild ? tempDir('startup-no-code-cache') : null;
  const before = nowMs();
  const profile = serverProfileArgs(how.firstOfBuild ? 'first' : withHistory ? 'with' : 'without');
  const serve = await startServe(roots, { configDir, cacheDir: emptyCache?.path, timeoutMs: 120_000, execArgv: profile });
  const spawnedAt = nowMs() - serve.startedInMs;
  try {
    let partialHellos = 0;
    for (;;) {
      const hello = await firstHello(serve.url, serve.token);
      const whole = hello.snapshot.projects.length === PROJECTS && hello.snapshot.plans.length >= wantPlans;
      if (whole) {
        const helloMs = nowMs() - spawnedAt;
        while (how.untilCached && cacheFiles(codeCacheDir()).length === 0) {
          if (nowMs() - before > 60_000) throw new Error('the warm-up start wrote no code cache within 60 s');
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
        return { urlMs: serve.startedInMs, helloMs, partialHellos, helloBytes: JSON.stringify(hello).length, rssMB: (rssBytes(serve.pid) ?? 0) / MB };
      }
      partialHellos++;
      if (nowMs() - before > 120_000) throw new Error(`no whole snapshot within 120 s (last: ${hello.snapshot.projects.length} projects, ${hello.snapshot.plans.length} plans)`);
    }
  } finally {
    await serve.stop();
    // A copy of the history is hundreds of MB: gone before the next start, not all at the end.
    config.remove();
    emptyCache?.remove();
  }
}

/** spawn → exit of `node -e 0`: what any Node program costs to start on this machine at this moment. */
async function bareNode(): Promise<number> {
  const started = nowMs();
  await new Promise<void>((resolve, reject) => {
    const child = spawn(process.execPath, ['-e', '0'], { stdio: 'ignore' });
    child.once('error', reject);
    child.once('exit', () => resolve());
  });
  return nowMs() - started;
}

// Interleaved, so a busy moment on the shared machine hits both sides alike.
const withRuns: Start[] = [];
const withoutRuns: Start[] = [];
const firstRuns: Start[] = [];
const nodeRuns: number[] = [];
try {
  await start(true, { untilCached: true });
  for (let round = 0; round < ROUNDS; round++) {
    nodeRuns.push(await bareNode());
    withoutRuns.push(await start(false));
    withRuns.push(await start(true));
    firstRuns.push(await start(true, { firstOfBuild: true }));
  }
} catch (err) {
  ok = false;
  notes.push(`a start failed: ${err instanceof Error ? err.message : String(err)}`);
}
if ([...withRuns, ...withoutRuns, ...firstRuns].some((r) => r.partialHellos > 0)) notes.push('a first hello came before the snapshot was whole: the time counts until one was');

const med = (runs: Start[], pick: (r: Start) => number) => (runs.length ? median(runs.map(pick)) : null);
const rows: Row[] = [
  {
    metric: `spawn → first hello with the full snapshot, ${PROJECTS} projects, ${EVENTS.toLocaleString('en-US')}-event history (median of ${ROUNDS})`,
    unit: 'ms',
    vigil: med(withRuns, (r) => r.helloMs),
    baselines: [
      { name: 'the same serve with no history', value: med(withoutRuns, (r) => r.helloMs) },
      { name: 'node -e 0, spawn → exit', value: nodeRuns.length ? median(nodeRuns) : null },
    ],
    target: { op: '<=', value: 1000 },
  },
  {
    metric: 'the same, on the first start of a build (no code cache yet)',
    unit: 'ms',
    vigil: med(firstRuns, (r) => r.helloMs),
    baselines: [{ name: 'a later start (from the code cache)', value: med(withRuns, (r) => r.helloMs) }],
  },
  {
    metric: 'spawn → URL printed (listening)',
    unit: 'ms',
    vigil: med(withRuns, (r) => r.urlMs),
    baselines: [{ name: 'the same serve with no history', value: med(withoutRuns, (r) => r.urlMs) }],
  },
  {
    metric: 'RSS after the first hello',
    unit: 'MB',
    vigil: med(withRuns, (r) => r.rssMB),
    baselines: [{ name: 'the same serve with no history', value: med(withoutRuns, (r) => r.rssMB) }],
  },
];

report({
  bench: 'startup',
  rows,
  notes,
  ok,
  setup: {
    machine: machine(),
    workspace: `${PROJECTS} projects × ${FILES_PER_PROJECT} files (scale workspace${tree.shared ? ', shared by this npm run bench' : ''}), ${wantPlans} plans, generated in ${Math.round(tree.generatedMs)} ms`,
    history: `${seeded.events} events in ${seeded.transactions} transactions through the journal in ${(seeded.writeMs / 1000).toFixed(1)} s${history.shared ? ' (shared by this npm run bench)' : ''}, copied into each start's config folder`,
    helloBytes: withRuns[0]?.helloBytes,
    withHistoryMs: withRuns.map((r) => Math.round(r.helloMs)),
    withoutHistoryMs: withoutRuns.map((r) => Math.round(r.helloMs)),
    firstOfBuildMs: firstRuns.map((r) => Math.round(r.helloMs)),
    bareNodeMs: nodeRuns.map((ms) => Math.round(ms)),
  },
});
