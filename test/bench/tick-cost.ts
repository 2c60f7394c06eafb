// The heartbeat tick's own work, measured in isolation on a big workspace: an engine with
// ~10k plans (8 projects, one per convention, plan files on disk), not watching, its private
// `tick()` called directly. Prints the median and p99 per tick, idle (nothing changed since the
// last tick) and right after a change (one plan file rewritten and re-read).
//
//   npx tsx test/bench/tick-cost.ts [plansPerProject=1250] [ticks=2000]
//
// Not part of `run.mjs`: an investigation tool for docs/bench.md "heartbeat tick latency".
import { writeFileSync } from 'node:fs';
import { createEngine, type Engine } from '../../main/engine/engine';
import { tempDir, watchdog } from './lib/lifetime';
import { summarize, type Summary } from './lib/stats';
import { createWorkspace, mutate, seededRandom } from './lib/workspace';

const plansPerProject = Number(process.argv[2] ?? 1250);
const ticks = Number(process.argv[3] ?? 2000);
const CHANGED_TICKS = 100;
watchdog('tick-cost', 300_000);

const dir = tempDir('tick-cost');
const workspace = createWorkspace(dir.path, { perConvention: 1, plansPerProject });
let engine: Engine | null = null;
try {
  const loadStart = performance.now();
  engine = await createEngine({ roots: workspace.projects.map((p) => p.root), running: false, driftSweepMs: 0 });
  const loadMs = performance.now() - loadStart;
  const snap = engine.snapshot();
  const tick = (engine as unknown as { tick(): void }).tick.bind(engine);
  const files = workspace.projects.reduce((n, p) => n + p.files.size, 0);

  const idle: number[] = [];
  for (let i = 0; i < 50 + ticks; i++) {
    const start = performance.now();
    tick();
    const ms = performance.now() - start;
    if (i >= 50) idle.push(ms);
  }

  const changed: number[] = [];
  const random = seededRandom(7);
  for (let i = 0; i < CHANGED_TICKS; i++) {
    const file = workspace.planFiles[(i * 13) % workspace.planFiles.length]!;
    writeFileSync(file.abs, mutate(file, random));
    const project = snap.projects.find((p) => p.root.endsWith(file.project.name))!;
    await engine.refresh(project.id);
    const start = performance.now();
    tick();
    changed.push(performance.now() - start);
  }

  const fmt = (s: Summary) => `median ${s.p50.toFixed(4)} ms, p99 ${s.p99.toFixed(4)} ms, max ${s.max.toFixed(3)} ms (n=${s.n})`;
  console.log(
    `workspace: ${snap.projects.length} projects, ${snap.plans.length} plans, ${snap.stubs.length} stubs, ` +
      `${snap.workorders.length} workorders, ${files} files; in progress: ` +
      `${[...snap.plans, ...snap.stubs, ...snap.workorders].filter((x) => x.status === 'in_progress').length}; loaded in ${loadMs.toFixed(0)} ms`,
  );
  console.log(`tick, idle:          ${fmt(summarize(idle))}`);
  console.log(`tick, after a change: ${fmt(summarize(changed))}`);
} finally {
  await engine?.close();
  dir.remove();
}
