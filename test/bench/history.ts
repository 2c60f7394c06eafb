// Bench 6 — history: what the journal (main/store) costs and how fast it answers.
//
// 1. Journal cost: the real engine on a workspace, its plan files rewritten for a fixed time
//    at ~200 events/s, once without a journal and once with one. The journal's own time (its
//    sink, every batch in one transaction) is timed inside the same run and set against the
//    engine's CPU: the target is ≤ 5 % more.
// 2. A 1,000,000-event vigil.db, written through the journal itself (events, transitions,
//    progress, the recorded model) about 50 projects of the scale workspace over seven days
//    (the one start-up uses: `npm run bench` makes both once, lib/shared-fixtures); then the
//    24 h burn-up of one project, `history:query` pages, the size on disk per million events,
//    and start-up with that database against start-up without one (same folders, same run).
import { statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { EngineEvent } from '../../shared/protocol';
import { createEngine } from '../../main/engine/engine';
import { GROUP_COMMIT_MS, History } from '../../main/store/history';
import { Journal } from '../../main/store/journal';
import { openJournalDb } from '../../main/store/database';
import { createJournaledEngine } from '../../main/store/journaled-engine';
import { copyHistory, HISTORY_EVENTS, HISTORY_PROJECTS, historyFixture, scaleTree } from './lib/shared-fixtures';
import { tempDir, watchdog } from './lib/lifetime';
import { machine } from './lib/proc';
import { report, type Row } from './lib/report';
import { summarize } from './lib/stats';
import { createWorkspace, mutate, seededRandom } from './lib/workspace';

watchdog('history', 900_000);

const DRIVE_MS = Number(process.env.VIGIL_BENCH_HISTORY_DRIVE_MS ?? 15_000);
const TARGET_EVENTS_PER_S = 200;
const MILLION = HISTORY_EVENTS;
const DAY = 24 * 60 * 60 * 1000;

const notes: string[] = [];
let ok = true;
const dir = tempDir('history');
const workspace = createWorkspace(join(dir.path, 'ws'), { perConvention: 1, plansPerProject: 60 });
const roots = workspace.projects.map((p) => p.root);

// ---- 1. journal cost at ~200 events/s ----

interface DriveResult {
  events: number;
  /** What the hub handed over, batch by batch, with when (for the replay below). */
  batches: { at: number; events: EngineEvent[] }[];
  cpuMs: number;
  journalMs: number;
  wallMs: number;
}

async function drive(withJournal: boolean, label: string): Promise<DriveResult> {
  const configDir = join(dir.path, `drive-${label}`);
  let journalMs = 0;
  const history = withJournal ? History.open({ dir: configDir }) : null;
  if (history) {
    // The journal's own CPU: taking batches from the hub, and writing them. Both are synchronous,
    // so the process's CPU time across a call is the call's (plus whatever another thread of
    // the process did meanwhile, counted against the journal). Waiting for the disk is not CPU.
    const timed = <A extends unknown[]>(fn: (...args: A) => void) => (...args: A): void => {
      const start = process.cpuUsage();
      fn(...args);
      const used = process.cpuUsage(start);
      journalMs += (used.user + used.system) / 1000;
    };
    history.deliver = timed(history.deliver.bind(history));
    history.writePending = timed(history.writePending.bind(history));
  }
  const engine = await createEngine({ roots, driftSweepMs: 0, heartbeatMs: 1000, ...(history ? { history } : {}) });
  let events = 0;
  let batches: { at: number; events: EngineEvent[] }[] = [];
  engine.hub.addSink({
    deliver: (batch) => {
      events += batch.length;
      batches.push({ at: performance.now(), events: batch });
    },
    overflow: () => undefined,
  });
  const random = seededRandom(42);
  // Warm up, then measure from a quiet start.
  for (let i = 0; i < 40; i++) writeFileSync(workspace.planFiles[i % workspace.planFiles.length]!.abs, mutate(workspace.planFiles[i % workspace.planFiles.length]!, random));
  await new Promise((resolve) => setTimeout(resolve, 500));
  await engine.whenIdle();
  events = 0;
  batches = [];
  journalMs = 0;
  const cpuStart = process.cpuUsage();
  const wallStart = performance.now();
  // A write gives one to three events (plan:updated, often item:status and project:updated):
  // about 1.5 on average with this workspace, so ~130 writes/s.
  const intervalMs = 1000 / (TARGET_EVENTS_PER_S / 1.5);
  let n = 0;
  // The writes stand in for an agent in another process: their CPU is not the engine's.
  let writerMs = 0;
  await new Promise<void>((resolve) => {
    const timer = setInterval(() => {
      const file = workspace.planFiles[n++ % workspace.planFiles.length]!;
      const before = process.cpuUsage();
      writeFileSync(file.abs, mutate(file, random));
      const used = process.cpuUsage(before);
      writerMs += (used.user + used.system) / 1000;
      if (performance.now() - wallStart >= DRIVE_MS) {
        clearInterval(timer);
        resolve();
      }
    }, intervalMs);
  });
  await engine.whenIdle();
  await new Promise((resolve) => setTimeout(resolve, 200));
  const cpu = process.cpuUsage(cpuStart);
  const wallMs = performance.now() - wallStart;
  await engine.close();
  await history?.close();
  return { events, batches, cpuMs: (cpu.user + cpu.system) / 1000 - writerMs, journalMs, wallMs };
}

const without = await drive(false, 'without');
const withJournal = await drive(true, 'with');
const eventsPerSecond = (withJournal.events / withJournal.wallMs) * 1000;
const share = (withJournal.journalMs / (withJournal.cpuMs - withJournal.journalMs)) * 100;

/**
 * The same journal work with nothing else running: the batches of the drive without a journal,
 * grouped as the journal groups them (GROUP_COMMIT_MS), appended to a fresh journal. Timed in
 * the drive, the journal's calls also count whatever the engine's other threads (file reads)
 * did meanwhile; here they count the journal alone.
 */
function replayJournal(batches: { at: number; events: EngineEvent[] }[]): number {
  const opened = openJournalDb(join(dir.path, 'replay'));
  const journal = new Journal(opened.db, 0, Date.now());
  let cpuMs = 0;
  let group: EngineEvent[] = [];
  let groupStart = 0;
  const write = (): void => {
    if (group.length === 0) return;
    const start = process.cpuUsage();
    journal.append(group);
    const used = process.cpuUsage(start);
    cpuMs += (used.user + used.system) / 1000;
    group = [];
  };
  for (const batch of batches) {
    if (group.length > 0 && batch.at - groupStart > GROUP_COMMIT_MS) write();
    if (group.length === 0) groupStart = batch.at;
    group.push(...batch.events);
  }
  write();
  opened.db.close();
  return cpuMs;
}
const replayMs = replayJournal(without.batches);
const replayShare = (replayMs / without.cpuMs) * 100;

// ---- 2. a million events ----

function time(runs: number, fn: () => unknown): number[] {
  const out: number[] = [];
  for (let i = 0; i < 3 + runs; i++) {
    const start = performance.now();
    fn();
    const ms = performance.now() - start;
    if (i >= 3) out.push(ms);
  }
  return out;
}

const bigTree = scaleTree('history-tree', HISTORY_PROJECTS);
const bigRoots = bigTree.projects.map((p) => p.root);
const fixture = await historyFixture('history-db', bigRoots, MILLION);
const built = fixture.seeded;
// Opening it for writing (and each start below) writes to it: a copy of the shared file.
const bigDir = join(dir.path, 'million');
copyHistory(fixture, bigDir);
const dbBytes = ['vigil.db', 'vigil.db-wal'].reduce((n, name) => {
  try {
    return n + statSync(join(bigDir, name)).size;
  } catch {
    return n;
  }
}, 0);

const history = History.open({ dir: bigDir });
const now = Date.now();
const burnup = summarize(time(20, () => history.burnup({ projectId: built.projectId, since: now - DAY, until: now })));
const points = history.burnup({ projectId: built.projectId, since: now - DAY, until: now })[0]?.points.length ?? 0;
const newestPage = summarize(time(50, () => history.page({ limit: 100 })));
const projectPage = summarize(time(50, () => history.page({ projectId: built.projectId, types: ['item:status'], limit: 100 })));
let deepBefore = Math.floor(MILLION / 2);
const deepPages = summarize(
  time(50, () => {
    const page = history.page({ limit: 100, beforeSeq: deepBefore });
    deepBefore = page.nextBeforeSeq ?? Math.floor(MILLION / 2);
  }),
);
const dayPage = summarize(time(50, () => history.page({ types: ['item:status'], since: now - DAY, limit: 100 })));
const pageMax = history.page({ limit: 500 });
if (pageMax.events.length !== 500) {
  ok = false;
  notes.push(`a 500-event page held ${pageMax.events.length} events`);
}
await history.close();

/** Median start-up (createEngine until ready) over `runs`, with or without the big database. */
async function startups(withDb: boolean, runs: number): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    if (withDb) {
      const running = await createJournaledEngine({ roots: bigRoots, configDir: bigDir, driftSweepMs: 0 });
      out.push(performance.now() - start);
      await running.close();
    } else {
      const engine = await createEngine({ roots: bigRoots, driftSweepMs: 0 });
      out.push(performance.now() - start);
      await engine.close();
    }
  }
  return out;
}
// Interleaved, so a busy moment on the machine hits both sides alike.
const startWithout: number[] = [];
const startWith: number[] = [];
for (let round = 0; round < 5; round++) {
  startWithout.push(...(await startups(false, 1)));
  startWith.push(...(await startups(true, 1)));
}
const startupWithout = summarize(startWithout);
const startupWith = summarize(startWith);

const rows: Row[] = [
  {
    // The rate (setup.drive) and the points (setup.burnup) vary from run to run: not in the names,
    // which `--repeat` matches rows by.
    metric: `journal CPU at ~${TARGET_EVENTS_PER_S} events/s, share of the engine's CPU (same run; the drive's batches replayed alone)`,
    unit: '%',
    vigil: replayShare,
    target: { op: '<=', value: 5 },
  },
  {
    metric: "journal CPU timed inside the drive, share of the engine's (an upper bound: counts the engine's other threads meanwhile)",
    unit: '%',
    vigil: share,
  },
  {
    metric: 'process CPU over the drive (less the writes), with the journal',
    unit: 'ms',
    vigil: withJournal.cpuMs,
    baselines: [{ name: 'the same drive without a journal', value: without.cpuMs }],
  },
  { metric: '24 h burn-up, one project (median)', unit: 'ms', vigil: burnup.p50, target: { op: '<=', value: 50 } },
  {
    metric: 'history:query page of 100, newest (median)',
    unit: 'ms',
    vigil: newestPage.p50,
    target: { op: '<=', value: 10 },
  },
  { metric: 'history:query page of 100, one project, item:status (median)', unit: 'ms', vigil: projectPage.p50, target: { op: '<=', value: 10 } },
  { metric: 'history:query page of 100, paging back from the middle (median)', unit: 'ms', vigil: deepPages.p50, target: { op: '<=', value: 10 } },
  { metric: 'history:query page of 100, item:status of the last 24 h (median)', unit: 'ms', vigil: dayPage.p50, target: { op: '<=', value: 10 } },
  { metric: 'database size per million events', unit: 'MB', vigil: (dbBytes / 1e6) * (1_000_000 / MILLION) },
  {
    metric: `start-up with the ${MILLION.toLocaleString('en-US')}-event database (median of 5)`,
    unit: 'ms',
    vigil: startupWith.p50,
    baselines: [{ name: 'start-up without a database', value: startupWithout.p50 }],
  },
  {
    metric: 'start-up with the database ÷ without',
    unit: '×',
    vigil: startupWith.p50 / startupWithout.p50,
    target: { op: '<=', value: 1.5 },
  },
];

report({
  bench: 'history',
  rows,
  notes,
  ok,
  setup: {
    machine: machine(),
    workspace: `${workspace.projects.length} projects, ${workspace.planFiles.length} plan files`,
    drive: `${DRIVE_MS} ms of writes, ${eventsPerSecond.toFixed(0)} events/s; ${without.events} events without the journal, ${withJournal.events} with; journal CPU ${withJournal.journalMs.toFixed(0)} ms in the drive, ${replayMs.toFixed(0)} ms replayed alone`,
    million: `${built.events} events over 7 days about ${bigRoots.length} projects of the scale workspace, written through the journal in ${built.transactions} transactions, ${(built.writeMs / 1000).toFixed(1)} s${fixture.shared ? ' (shared by this npm run bench)' : ''}`,
    burnup: `${points} points, p99 ${burnup.p99.toFixed(2)} ms`,
    pages: `p99 newest ${newestPage.p99.toFixed(2)} ms, project ${projectPage.p99.toFixed(2)} ms, deep ${deepPages.p99.toFixed(2)} ms, 24 h ${dayPage.p99.toFixed(2)} ms`,
  },
});
