// A first number for write → event latency (issue 3), in-process: the engine watches a temp
// spec-kit project and this script ticks a checkbox in tasks.md ~200 times, measuring from
// just before each write to the moment the hub delivers the plan:updated it causes. Every
// write changes the model (the box flips), so a write without its event is a lost update.
// Then a burst phase writes back to back and checks the model ends equal to the file.
//
//   npx tsx test/bench/latency-probe.ts [--writes 200] [--pace 25] [--quiet 10] [--max-wait 100]
//
// Full benchmarks with baselines are `npm run bench`; this is a probe, not a claim.
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createEngine } from '../../main/engine/engine';
import type { EngineEvent } from '../../shared/protocol';

const { values } = parseArgs({
  options: {
    writes: { type: 'string', default: '200' },
    pace: { type: 'string', default: '25' },
    quiet: { type: 'string' },
    'max-wait': { type: 'string' },
  },
});
const WRITES = Number(values.writes);
const PACE_MS = Number(values.pace);

const root = mkdtempSync(join(tmpdir(), 'vigil-latency-'));
const tasks = join(root, 'specs/001-probe/tasks.md');
mkdirSync(join(root, 'specs/001-probe'), { recursive: true });
const text = (done: boolean, n: number): string =>
  `# Tasks: Probe\n\n## Phase 1\n\n- [${done ? 'X' : ' '}] T001 Flip me\n- [ ] T002 Stay\n\n<!-- write ${n} -->\n`;
writeFileSync(tasks, text(false, 0));

const engine = await createEngine({
  roots: [root],
  driftSweepMs: 0,
  ...(values.quiet !== undefined ? { quietMs: Number(values.quiet) } : {}),
  ...(values['max-wait'] !== undefined ? { maxWaitMs: Number(values['max-wait']) } : {}),
});

let waiting: ((at: number) => void) | null = null;
const updates: EngineEvent[] = [];
engine.hub.addSink({
  deliver(batch) {
    const at = performance.now();
    for (const event of batch) {
      if (event.type !== 'plan:updated') continue;
      updates.push(event);
      waiting?.(at);
    }
  },
  overflow() {
    throw new Error('the probe sink overflowed');
  },
});

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
const latencies: number[] = [];
let lost = 0;
for (let i = 1; i <= WRITES; i++) {
  const got = new Promise<number | null>((resolve) => {
    const timer = setTimeout(() => resolve(null), 2000);
    waiting = (at) => {
      clearTimeout(timer);
      resolve(at);
    };
  });
  const start = performance.now();
  writeFileSync(tasks, text(i % 2 === 1, i));
  const at = await got;
  waiting = null;
  if (at === null) lost += 1;
  else latencies.push(at - start);
  await sleep(PACE_MS);
}

// Burst: 100 writes back to back, alternating, ending on the opposite of where the paced
// phase left the box; the model must end equal to the file.
const before = updates.length;
const startDone = WRITES % 2 === 1;
for (let i = 1; i <= 100; i++) writeFileSync(tasks, text(i % 2 === 1 ? !startDone : startDone, 10_000 + i));
const finalDone = startDone; // 100 is even: back where it started…
writeFileSync(tasks, text(!finalDone, 20_000)); // …and one more flip, so the model must move
const expectDone = !finalDone;
const deadline = Date.now() + 3000;
let burstOk = false;
while (Date.now() < deadline) {
  await engine.whenIdle();
  const plan = engine.snapshot().plans[0];
  if (plan && plan.progress.done === (expectDone ? 1 : 0)) {
    burstOk = true;
    break;
  }
  await sleep(20);
}
const burstEvents = updates.length - before;

await engine.close();
rmSync(root, { recursive: true, force: true });

const sorted = [...latencies].sort((a, b) => a - b);
const pct = (p: number): number => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? NaN;
const fmt = (ms: number): string => `${ms.toFixed(1)} ms`;
console.log(`write → plan:updated latency over ${WRITES} writes (${PACE_MS} ms apart), Node ${process.version}, ${cpus().length} cores, load ${loadavg()[0]?.toFixed(2)}`);
console.log(`  median ${fmt(pct(50))}   p90 ${fmt(pct(90))}   p99 ${fmt(pct(99))}   max ${fmt(sorted[sorted.length - 1] ?? NaN)}   min ${fmt(sorted[0] ?? NaN)}`);
console.log(`  lost updates: ${lost} of ${WRITES}`);
console.log(`burst of 101 back-to-back writes: ${burstEvents} plan:updated event(s); model equals the file: ${burstOk ? 'yes' : 'NO'}`);
process.exitCode = lost > 0 || !burstOk ? 1 : 0;
