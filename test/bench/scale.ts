// Bench 2 — scale: 200 projects × 2,000 files (source, node_modules, .git, build output, with
// convention folders inside). Vigil (`vigil serve`, a child process) against chokidar watching
// the same roots whole (its own child process): time to ready, RSS, inotify watches, idle CPU.
// The workspace is the one `npm run bench` made for every bench and repeat (lib/shared-fixtures),
// or this bench's own, written and removed here, when run alone. BENCH_SCALE_NODE_ARGS passes
// Node flags to Vigil's processes (e.g. `--cpu-prof --cpu-prof-dir=<dir>`, or `--import` of a
// script logging GC events), to find out what the idle window holds.
import { ADAPTERS } from '../../main/sources/index';
import { startChild, type Child } from './lib/children';
import { nowMs, sleep } from './lib/clock';
import { watchdog } from './lib/lifetime';
import { expectedPlans } from './lib/mirror';
import { cpuPercentSlices, inotifyWatches, machine, maxUserWatches, peakRssBytes, rssBytes, userInotifyWatches } from './lib/proc';
import { report, type Row } from './lib/report';
import { median } from './lib/stats';
import { scaleTree } from './lib/shared-fixtures';
import type { TreeProject } from './lib/tree';
import { fetchSnapshot, serveUnavailable, startServe, type Serve } from './lib/vigil';

const PROJECTS = Number(process.env.BENCH_SCALE_PROJECTS ?? 200);
const VIGIL_RUNS = 3;
const IDLE_WINDOW_MS = 30_000;
/** Share of the user's inotify limit the chokidar baseline may take: others use this machine too. */
const WATCH_BUDGET_SHARE = 0.4;
const MB = 1024 * 1024;
const VIGIL_NODE_ARGS = process.env.BENCH_SCALE_NODE_ARGS?.split(' ').filter(Boolean) ?? [];

watchdog('scale', 470_000);
const notes: string[] = [];

const tree = scaleTree('scale', PROJECTS);
const projects = tree.projects;
const totalFiles = projects.reduce((n, p) => n + p.fileCount, 0);
const totalDirs = projects.reduce((n, p) => n + p.dirCount, 0);

interface VigilRun {
  readyMs: number;
  urlMs: number;
  watches: number;
  rss: number;
  serve: Serve;
  /** When ready was seen, on the bench's clock. */
  readyAt: number;
}

/** Spawn → the moment /api/snapshot shows every project with every plan its files hold. */
async function vigilReady(subset: TreeProject[]): Promise<VigilRun> {
  const want = new Map(subset.map((p) => [p.root, expectedPlans(ADAPTERS, p.planningFiles).size]));
  const started = nowMs();
  const serve = await startServe(subset.map((p) => p.root), { timeoutMs: 60_000, execArgv: VIGIL_NODE_ARGS });
  const urlMs = nowMs() - started;
  for (;;) {
    const snap = await fetchSnapshot(serve).catch(() => null);
    if (snap) {
      const counts = new Map<string, number>();
      const rootOf = new Map(snap.projects.map((p) => [p.id, p.root]));
      for (const plan of snap.plans) {
        const root = rootOf.get(plan.projectId);
        if (root) counts.set(root, (counts.get(root) ?? 0) + 1);
      }
      if ([...want].every(([root, n]) => rootOf.size >= want.size && (counts.get(root) ?? 0) >= n)) break;
    }
    if (nowMs() - started > 60_000) throw new Error('Vigil did not show every project and plan within 60 s');
    await sleep(20);
  }
  const readyAt = nowMs();
  return { readyMs: readyAt - started, urlMs, watches: inotifyWatches(serve.pid), rss: rssBytes(serve.pid) ?? 0, serve, readyAt };
}

interface ChokidarRun {
  readyMs: number;
  watches: number;
  rss: number;
  child: Child;
}

async function chokidarReady(subset: TreeProject[]): Promise<ChokidarRun> {
  const started = nowMs();
  const child = startChild('chokidar-whole.mjs', [], { execArgv: ['--max-old-space-size=8192'] });
  await child.next('ready');
  await child.request({ type: 'watch', roots: subset.map((p) => p.root) }, 180_000);
  return { readyMs: nowMs() - started, watches: inotifyWatches(child.pid), rss: rssBytes(child.pid) ?? 0, child };
}

// ---- Vigil, all 20 projects, several runs ----
const unavailable = serveUnavailable();
const vigilRuns: VigilRun[] = [];
let vigilError = unavailable;
if (!unavailable) {
  try {
    for (let i = 0; i < VIGIL_RUNS; i++) {
      const run = await vigilReady(projects);
      vigilRuns.push(run);
      if (i < VIGIL_RUNS - 1) await run.serve.stop();
    }
  } catch (err) {
    vigilError = err instanceof Error ? err.message : String(err);
  }
}
const vigilLive = vigilRuns.at(-1);

// ---- chokidar on as many whole roots as the shared inotify budget allows ----
const perProjectWatches = Math.ceil((totalFiles + totalDirs) / PROJECTS);
const budget = Math.floor(maxUserWatches() * WATCH_BUDGET_SHARE) - userInotifyWatches();
const chokidarProjects = Math.max(1, Math.min(PROJECTS, Math.floor(budget / perProjectWatches)));
const subset = projects.slice(0, chokidarProjects);
if (chokidarProjects < PROJECTS) {
  notes.push(
    `chokidar watches every file and folder (~${perProjectWatches} watches per project); all ${PROJECTS} would need ~${perProjectWatches * PROJECTS} ` +
      `against a per-user limit of ${maxUserWatches()} shared with everyone on this machine, so it watched ${chokidarProjects} projects ` +
      `(≤ ${Math.round(WATCH_BUDGET_SHARE * 100)}% of the limit). Its figures are measured on those, and shown ×${PROJECTS}/${chokidarProjects} where marked.`,
  );
}
let chokidar: ChokidarRun | null = null;
let chokidarError: string | null = null;
try {
  chokidar = await chokidarReady(subset);
} catch (err) {
  chokidarError = err instanceof Error ? err.message : String(err);
}

// ---- Vigil on the same subset, for a like-for-like ratio ----
let vigilSubset: VigilRun | null = null;
if (!vigilError && chokidarProjects < PROJECTS) {
  try {
    vigilSubset = await vigilReady(subset);
    await vigilSubset.serve.stop();
  } catch (err) {
    notes.push(`Vigil on the ${chokidarProjects}-project subset failed: ${err instanceof Error ? err.message : String(err)}`);
  }
}

// ---- idle CPU, both at once (neither does anything the other could slow down) ----
// In 10 s slices as well, so a one-off burst (a GC, the drift sweep) shows as what it is.
const idleStartAfterReadyMs = vigilLive ? nowMs() - vigilLive.readyAt : null;
const [vigilSlices, chokidarSlices] = await Promise.all([
  vigilLive ? cpuPercentSlices(vigilLive.serve.pid, IDLE_WINDOW_MS, 3) : Promise.resolve(null),
  chokidar ? cpuPercentSlices(chokidar.child.pid, IDLE_WINDOW_MS, 3) : Promise.resolve(null),
]);
const meanOf = (xs: number[] | null) => (xs ? xs.reduce((a, b) => a + b, 0) / xs.length : null);
const vigilIdle = meanOf(vigilSlices);
const chokidarIdle = meanOf(chokidarSlices);
const vigilRssAfterIdle = vigilLive ? rssBytes(vigilLive.serve.pid) : null;
const vigilPeakRss = vigilLive ? peakRssBytes(vigilLive.serve.pid) : null;
await vigilLive?.serve.stop();
await chokidar?.child.request({ type: 'close' }).catch(() => undefined);
await chokidar?.child.stop();

const scaleUp = PROJECTS / chokidarProjects;
const label = chokidarProjects < PROJECTS ? `chokidar whole, ${chokidarProjects} roots ×${PROJECTS}/${chokidarProjects}` : `chokidar whole, ${PROJECTS} roots`;
const same = `chokidar whole, same ${chokidarProjects} roots`;
const med = (pick: (r: VigilRun) => number) => (vigilRuns.length ? median(vigilRuns.map(pick)) : null);
const vigilWatches = med((r) => r.watches);
const rows: Row[] = [
  {
    metric: `time to ready, ${PROJECTS} projects (median of ${VIGIL_RUNS})`,
    unit: 'ms',
    vigil: med((r) => r.readyMs),
    baselines: [{ name: label, value: chokidar ? chokidar.readyMs * scaleUp : null }],
    target: { op: '<=', value: 2000 },
  },
  {
    metric: `inotify watches, ${PROJECTS} projects`,
    unit: '',
    vigil: vigilWatches,
    baselines: [{ name: label, value: chokidar ? Math.round(chokidar.watches * scaleUp) : null }],
    target: { op: '<=', value: 2500 },
  },
  {
    metric: 'RSS after ready',
    unit: 'MB',
    vigil: med((r) => r.rss / MB),
    baselines: [{ name: label, value: chokidar ? (chokidar.rss / MB) * scaleUp : null }],
    target: { op: '<=', value: 200 },
  },
  {
    // What one more project costs: the RSS at all the projects less the RSS at the subset, per project between.
    metric: `memory per project (RSS at ${PROJECTS} − RSS at ${chokidarProjects}, ÷ ${PROJECTS - chokidarProjects})`,
    unit: 'KB',
    vigil: vigilSubset && vigilLive && chokidarProjects < PROJECTS ? (vigilLive.rss - vigilSubset.rss) / 1024 / (PROJECTS - chokidarProjects) : null,
    baselines: [{ name: `chokidar whole, per project of ${chokidarProjects}`, value: chokidar ? chokidar.rss / 1024 / chokidarProjects : null }],
  },
  { metric: 'RSS after 30 s idle', unit: 'MB', vigil: vigilRssAfterIdle === null ? null : vigilRssAfterIdle / MB },
  { metric: 'peak RSS (VmHWM)', unit: 'MB', vigil: vigilPeakRss === null ? null : vigilPeakRss / MB },
  {
    metric: 'idle CPU over 30 s (% of one core)',
    unit: '%',
    vigil: vigilIdle,
    baselines: [{ name: `chokidar whole, ${chokidarProjects} roots (measured)`, value: chokidarIdle }],
    target: { op: '<=', value: 0.5 },
  },
  {
    metric: 'fewer watches than whole-root chokidar (chokidar ÷ Vigil)',
    unit: '×',
    vigil: vigilSubset && chokidar ? chokidar.watches / Math.max(1, vigilSubset.watches) : vigilWatches !== null && chokidar ? (chokidar.watches * scaleUp) / Math.max(1, vigilWatches) : null,
    target: { op: '>=', value: 20 },
  },
];
if (vigilSubset && chokidar) {
  rows.push(
    { metric: `time to ready, same ${chokidarProjects} projects`, unit: 'ms', vigil: vigilSubset.readyMs, baselines: [{ name: same, value: chokidar.readyMs }] },
    { metric: `inotify watches, same ${chokidarProjects} projects`, unit: '', vigil: vigilSubset.watches, baselines: [{ name: same, value: chokidar.watches }] },
    { metric: `RSS after ready, same ${chokidarProjects} projects`, unit: 'MB', vigil: vigilSubset.rss / MB, baselines: [{ name: same, value: chokidar.rss / MB }] },
  );
}
if (vigilError) notes.push(`Vigil could not run: ${vigilError}`);
if (chokidarError) notes.push(`chokidar baseline failed: ${chokidarError}`);

report({
  bench: 'scale',
  rows,
  notes,
  setup: {
    machine: machine(),
    projects: PROJECTS,
    files: totalFiles,
    folders: totalDirs,
    generatedInMs: Math.round(tree.generatedMs),
    tree: tree.shared ? 'shared by this npm run bench (made once, removed at its end)' : 'made by this bench, removed at its exit',
    vigilRuns: vigilRuns.map((r) => ({ readyMs: Math.round(r.readyMs), urlMs: Math.round(r.urlMs), watches: r.watches, rssMB: Math.round(r.rss / MB) })),
    chokidarProjects,
    idleWindowStartsAfterReadyMs: idleStartAfterReadyMs === null ? null : Math.round(idleStartAfterReadyMs),
    idleCpuPercentPer10s: { vigil: vigilSlices?.map((x) => Math.round(x * 100) / 100), chokidar: chokidarSlices?.map((x) => Math.round(x * 100) / 100) },
    ready: 'spawn → /api/snapshot lists every project with every plan its files hold (Vigil); spawn → chokidar "ready" (baseline)',
  },
  ok: !vigilError,
});
