// Bench — burst: what a branch switch or a generator costs. N Backlog.md tasks are written at
// once by another process into a project `vigil serve` watches, then the folder is deleted;
// measured: time until a connected client holds the new state, /healthz answers meanwhile,
// and how many `events` frames the client got. Baselines in the same run: a raw fs.watch that
// reads every file of the burst (the floor of seeing it at all), the writer's own time for
// the deletion, and a bare HTTP server answering /healthz during the same burst. Run for
// 1,000 and 5,000 files: linear cost shows as a ratio near 5, quadratic near 25.
import { execFile } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { io } from 'socket.io-client';
import type { EngineEvent } from '../../shared/protocol';
import { startChild } from './lib/children';
import { nowMs, sleep } from './lib/clock';
import { tempDir, watchdog } from './lib/lifetime';
import { machine } from './lib/proc';
import { report, type Row } from './lib/report';
import { summarize } from './lib/stats';
import { serverProfileArgs, serveUnavailable, startServe } from './lib/vigil';

watchdog('burst', 280_000);
const SMALL = 1000;
const BIG = Number(process.env.BENCH_BURST_FILES ?? 5000);
const SIZES = [SMALL, BIG];
const notes: string[] = [];

interface BurstRun {
  files: number;
  createMs: number;
  /** From the writer's last file to the client holding every task. */
  createAfterWriterMs: number;
  floorMs: number;
  deleteMs: number;
  deleteAfterWriterMs: number;
  writerDeleteMs: number;
  healthMaxMs: number;
  healthP99Ms: number;
  bareHealthMaxMs: number;
  bareHealthP99Ms: number;
  createFrames: number;
  deleteFrames: number;
}

/** Run a script in another node process (the writer), resolving with its wall time. */
function nodeRun(script: string, args: string[]): Promise<number> {
  const started = nowMs();
  return new Promise((resolve, reject) =>
    execFile(process.execPath, ['-e', script, ...args], { timeout: 120_000 }, (err) => (err ? reject(err) : resolve(nowMs() - started))),
  );
}

const WRITE = `const fs=require('fs'),p=require('path');const d=process.argv[1],n=+process.argv[2];
for(let i=1;i<=n;i++)fs.writeFileSync(p.join(d,'task-'+i+' - Task '+i+'.md'),'---\\nid: task-'+i+'\\ntitle: Task '+i+'\\nstatus: To Do\\n---\\n\\nDo thing '+i+'.\\n');`;
const REMOVE = `require('fs').rmSync(process.argv[1],{recursive:true,force:true});`;

/** Poll a /healthz every 25 ms until stopped; latencies in ms (a failed poll counts as 10 s). */
function pollHealth(url: string): { stop: () => Promise<number[]> } {
  const latencies: number[] = [];
  let running = true;
  const loop = (async () => {
    while (running) {
      const started = nowMs();
      try {
        const res = await fetch(url, { signal: AbortSignal.timeout(10_000) });
        await res.arrayBuffer();
        latencies.push(nowMs() - started);
      } catch {
        latencies.push(10_000);
      }
      await sleep(25);
    }
  })();
  return {
    stop: async () => {
      running = false;
      await loop;
      return latencies;
    },
  };
}

async function burst(files: number): Promise<BurstRun> {
  const root = tempDir(`burst-${files}`).path;
  const tasks = join(root, 'backlog', 'tasks');
  mkdirSync(tasks, { recursive: true });
  writeFileSync(join(root, 'backlog', 'config.yml'), 'project_name: board\nstatuses: ["To Do", "In Progress", "Done"]\n');
  const serve = await startServe([root], { execArgv: serverProfileArgs() });
  const floor = startChild('burst-floor.mjs');
  try {
    const { port } = await floor.request<{ port: number }>({ type: 'port' });
    const client = io(serve.url, { auth: { token: serve.token }, transports: ['websocket'], reconnection: false, forceNew: true });
    let frames = 0;
    const plans = new Set<string>();
    client.on('events', (batch: EngineEvent[]) => {
      frames += 1;
      for (const e of batch) {
        if (e.type === 'plan:added') plans.add(e.payload.plan.id);
        else if (e.type === 'plan:removed') plans.delete(e.payload.id);
      }
    });
    await new Promise((resolve) => client.once('hello', resolve));
    let startedAt = nowMs();
    const waitUntil = async (check: () => boolean, what: string): Promise<number> => {
      while (!check()) {
        await sleep(5);
        if (nowMs() - startedAt > 120_000) throw new Error(`${what} not reached in 120 s (${plans.size} plans)`);
      }
      return nowMs();
    };

    await floor.request({ type: 'expect', dir: tasks, count: files });
    const floorSeen = floor.next<{ t: number }>('seen', 120_000);
    const vigilHealth = pollHealth(`${serve.url}/healthz`);
    const bareHealth = pollHealth(`http://127.0.0.1:${port}/healthz`);
    startedAt = nowMs();
    const writerMs = await nodeRun(WRITE, [tasks, String(files)]);
    const createdAt = await waitUntil(() => plans.size === files, 'every task on the client');
    const createMs = createdAt - startedAt;
    const createAfterWriterMs = Math.max(0, createMs - writerMs);
    const floorMs = (await floorSeen).t - startedAt;
    const createFrames = frames;

    startedAt = nowMs();
    const writerDeleteMs = await nodeRun(REMOVE, [tasks]);
    const deleteMs = (await waitUntil(() => plans.size === 0, 'every task gone on the client')) - startedAt;
    const deleteAfterWriterMs = Math.max(0, deleteMs - writerDeleteMs);
    const deleteFrames = frames - createFrames;
    const vigilLatency = summarize(await vigilHealth.stop());
    const bareLatency = summarize(await bareHealth.stop());
    client.close();
    return {
      files,
      createMs,
      createAfterWriterMs,
      floorMs,
      deleteMs,
      deleteAfterWriterMs,
      writerDeleteMs,
      healthMaxMs: vigilLatency.max,
      healthP99Ms: vigilLatency.p99,
      bareHealthMaxMs: bareLatency.max,
      bareHealthP99Ms: bareLatency.p99,
      createFrames,
      deleteFrames,
    };
  } finally {
    await floor.request({ type: 'close' }).catch(() => undefined);
    await floor.stop();
    await serve.stop();
  }
}

const runs: BurstRun[] = [];
const unavailable = serveUnavailable();
if (unavailable) notes.push(unavailable);
else {
  for (const files of SIZES) {
    try {
      runs.push(await burst(files));
    } catch (err) {
      notes.push(`${files} files: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
}
const small = runs.find((r) => r.files === SMALL) ?? null;
const big = runs.find((r) => r.files === BIG) ?? null;
const n = BIG;
const rows: Row[] = [
  {
    metric: `create ${n}: the writer's last file → client holds every task`,
    unit: 'ms',
    vigil: big?.createAfterWriterMs ?? null,
    target: { op: '<=', value: 5000 },
  },
  { metric: `create ${n}: write start → client holds every task`, unit: 'ms', vigil: big?.createMs ?? null, baselines: [{ name: 'raw fs.watch reading every file', value: big?.floorMs ?? null }] },
  { metric: `delete ${n}: rm done → client holds none`, unit: 'ms', vigil: big?.deleteAfterWriterMs ?? null, target: { op: '<=', value: 5000 } },
  { metric: `delete ${n}: rm start → client holds none`, unit: 'ms', vigil: big?.deleteMs ?? null, baselines: [{ name: 'the rm itself', value: big?.writerDeleteMs ?? null }] },
  {
    metric: '/healthz slowest answer during both bursts',
    unit: 'ms',
    vigil: big?.healthMaxMs ?? null,
    baselines: [{ name: 'bare HTTP server, same bursts', value: big?.bareHealthMaxMs ?? null }],
    target: { op: '<=', value: 250 },
  },
  { metric: '/healthz p99 during both bursts', unit: 'ms', vigil: big?.healthP99Ms ?? null, baselines: [{ name: 'bare HTTP server, same bursts', value: big?.bareHealthP99Ms ?? null }] },
  { metric: `events frames for the ${n}-file creation`, unit: '', vigil: big?.createFrames ?? null, baselines: [{ name: 'one frame per file', value: n }], target: { op: '<=', value: 500 } },
  { metric: `events frames for the ${n}-file deletion`, unit: '', vigil: big?.deleteFrames ?? null, baselines: [{ name: 'one frame per file', value: n }], target: { op: '<=', value: 500 } },
  {
    metric: `cost growth, create ${n} ÷ create ${SMALL} (linear ≈ ${n / SMALL}, quadratic ≈ ${(n / SMALL) ** 2})`,
    unit: '×',
    vigil: big && small ? big.createMs / small.createMs : null,
    baselines: [{ name: 'raw fs.watch, same ratio', value: big && small ? big.floorMs / small.floorMs : null }],
    target: { op: '<=', value: (n / SMALL) * 2 },
  },
];
report({
  bench: 'burst',
  rows,
  notes,
  setup: { machine: machine(), sizes: SIZES, runs },
  ok: big !== null,
});
