// Bench — soak: Vigil left running under everything at once, to find what grows. 50 projects,
// writers on 10 of them, 100 clients connecting and leaving, a burst of 1,000 files now and
// then (created, then deleted), log subscriptions switching all the time. Measured: RSS and
// open file descriptors of `vigil serve` after warm-up and at the end (the end ÷ warm-up ratio
// is the figure: a leak shows as growth), events lost by clients while connected (a gap in
// `seq`), and the heartbeat's drift, beside a bare setInterval in its own process meanwhile.
// 10 minutes by default; BENCH_SOAK_SECONDS shortens it for a smoke run. BENCH_SOAK_NODE_ARGS
// passes Node flags to the server (e.g. V8 heap flags, or `--require` of a memory logger).
import { appendFileSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { io, type Socket } from 'socket.io-client';
import type { Heartbeat } from '../../shared/model';
import type { EngineEvent, Hello } from '../../shared/protocol';
import { startChild } from './lib/children';
import { nowMs, sleep } from './lib/clock';
import { tempDir, watchdog } from './lib/lifetime';
import { machine, rssBytes } from './lib/proc';
import { report, type Row } from './lib/report';
import { summarize } from './lib/stats';
import { serveUnavailable, startServe, type Serve } from './lib/vigil';

const SECONDS = Number(process.env.BENCH_SOAK_SECONDS ?? 600);
const WARMUP_S = Math.max(20, Math.round(SECONDS * 0.15));
const PROJECTS = 50;
const WRITTEN = 10;
const CLIENTS = 100;
const BURST_FILES = 1000;
/** A burst every this many seconds (at least three in a full run). */
const BURST_EVERY_S = Math.max(20, Math.round(SECONDS / 8));
watchdog('soak', (SECONDS + 240) * 1000);
const notes: string[] = [];

function tasksJson(project: number, round: number): string {
  const tasks = Array.from({ length: 5 }, (_, i) => ({
    id: i + 1,
    title: `p${project} task ${i + 1}`,
    status: (round + i) % 3 === 0 ? 'done' : (round + i) % 3 === 1 ? 'in-progress' : 'pending',
    subtasks: [],
  }));
  return JSON.stringify({ master: { tasks } });
}

function workspace(): string[] {
  const base = tempDir('soak').path;
  const roots: string[] = [];
  for (let p = 0; p < PROJECTS; p++) {
    const root = join(base, `project-${p}`);
    mkdirSync(join(root, '.taskmaster', 'tasks'), { recursive: true });
    mkdirSync(join(root, 'coderef'), { recursive: true });
    mkdirSync(join(root, 'backlog', 'tasks'), { recursive: true });
    writeFileSync(join(root, '.taskmaster', 'tasks', 'tasks.json'), tasksJson(p, 0));
    writeFileSync(join(root, 'coderef', 'workorder-log.txt'), `WO-SOAK-P${p}-001 | project-${p} | started | ${new Date().toISOString()}\n`);
    writeFileSync(join(root, 'backlog', 'config.yml'), 'project_name: soak\nstatuses: ["To Do", "In Progress", "Done"]\n');
    roots.push(root);
  }
  return roots;
}

function openFds(pid: number): number | null {
  try {
    return readdirSync(`/proc/${pid}/fd`).length;
  } catch {
    return null;
  }
}

/** One client: follows seq across its life and counts the events it missed while connected. */
class SoakClient {
  readonly socket: Socket;
  lastSeq: number | null = null;
  lost = 0;
  events = 0;
  readonly beats: Heartbeat[] = [];

  constructor(serve: Serve, keepBeats: boolean) {
    this.socket = io(serve.url, { auth: { token: serve.token }, transports: ['websocket'], reconnection: false, forceNew: true });
    this.socket.on('hello', (hello: Hello) => {
      this.lastSeq = hello.seq;
    });
    this.socket.on('events', (batch: EngineEvent[]) => {
      for (const event of batch) {
        if (this.lastSeq !== null && event.seq > this.lastSeq + 1) this.lost += event.seq - this.lastSeq - 1;
        if (this.lastSeq === null || event.seq > this.lastSeq) this.lastSeq = event.seq;
        this.events += 1;
      }
    });
    if (keepBeats) this.socket.on('heartbeat', (beat: Heartbeat) => this.beats.push(beat));
  }

  ready(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.socket.once('hello', () => resolve());
      this.socket.once('connect_error', reject);
    });
  }

  follow(projectId: string | null): void {
    const logs = projectId === null ? [] : [{ projectId, path: 'coderef/workorder-log.txt' }];
    this.socket.emit('subscribe', { projects: 'all', logs }, () => undefined);
  }

  close(): void {
    this.socket.close();
  }
}

interface Sample {
  rssMb: number | null;
  fds: number | null;
}

const sample = (pid: number): Sample => {
  const rss = rssBytes(pid);
  return { rssMb: rss === null ? null : rss / (1024 * 1024), fds: openFds(pid) };
};

/** The second, at or `after`/`before` `at`, that sits three quarters into a burst period (its files deleted, the next not begun). */
function samplePoint(at: number, side: 'after' | 'before'): number {
  const phase = 0.75 * BURST_EVERY_S;
  const cycles = (at - phase) / BURST_EVERY_S;
  return Math.max(phase, (side === 'after' ? Math.ceil(cycles) : Math.floor(cycles)) * BURST_EVERY_S + phase);
}

async function soak(): Promise<{ warm: Sample; end: Sample; settled: Sample; lost: number; events: number; drift: number[]; bareDrift: number[]; bursts: number; connects: number }> {
  const roots = workspace();
  // BENCH_SOAK_HEAP_DIR: write a heap snapshot of the server at both samples, to compare what grew.
  const heapDir = process.env.BENCH_SOAK_HEAP_DIR;
  const execArgv = [...(heapDir ? ['--heapsnapshot-signal=SIGUSR2', `--diagnostic-dir=${heapDir}`] : []), ...(process.env.BENCH_SOAK_NODE_ARGS?.split(' ').filter(Boolean) ?? [])];
  const serve = await startServe(roots, { clients: CLIENTS + 20, timeoutMs: 60_000, execArgv });
  const heapSnapshot = (): void => {
    if (heapDir) process.kill(serve.pid, 'SIGUSR2');
  };
  const interval = startChild('interval-baseline.mjs');
  const timers: NodeJS.Timeout[] = [];
  const clients = new Set<SoakClient>();
  let lost = 0;
  let events = 0;
  let connects = 0;
  let bursts = 0;
  try {
    await interval.next('ready');
    const hello = await new Promise<Hello>((resolve, reject) => {
      const probe = io(serve.url, { auth: { token: serve.token }, transports: ['websocket'], reconnection: false, forceNew: true });
      probe.once('hello', (h: Hello) => {
        probe.close();
        resolve(h);
      });
      probe.once('connect_error', reject);
    });
    const projectIds = hello.snapshot.projects.map((p) => p.id);
    const observer = new SoakClient(serve, true);
    await observer.ready();

    const retire = (client: SoakClient): void => {
      lost += client.lost;
      events += client.events;
      client.close();
      clients.delete(client);
    };
    const connect = async (): Promise<void> => {
      const client = new SoakClient(serve, false);
      clients.add(client);
      connects += 1;
      try {
        await client.ready();
        client.follow(Math.random() < 0.5 ? projectIds[Math.floor(Math.random() * projectIds.length)]! : null);
      } catch (err) {
        notes.push(`a client was refused: ${err instanceof Error ? err.message : String(err)}`);
        clients.delete(client);
      }
    };
    for (let i = 0; i < CLIENTS; i++) await connect();

    // Writers: a planning change and a log line on 10 projects, several times a second.
    let round = 0;
    timers.push(
      setInterval(() => {
        round += 1;
        const p = round % WRITTEN;
        writeFileSync(join(roots[p]!, '.taskmaster', 'tasks', 'tasks.json'), tasksJson(p, round));
        appendFileSync(join(roots[p]!, 'coderef', 'workorder-log.txt'), `WO-SOAK-P${p}-001 | project-${p} | step ${round} | ${new Date().toISOString()}\n`);
      }, 50),
    );
    // Clients come and go: ten leave and ten arrive every second; others switch the log they follow.
    timers.push(
      setInterval(() => {
        const list = [...clients];
        for (let i = 0; i < 10 && list.length > 0; i++) retire(list.splice(Math.floor(Math.random() * list.length), 1)[0]!);
        for (let i = 0; i < 10; i++) void connect();
        for (let i = 0; i < 10 && list.length > 0; i++) {
          const client = list[Math.floor(Math.random() * list.length)]!;
          client.follow(Math.random() < 0.3 ? null : projectIds[Math.floor(Math.random() * projectIds.length)]!);
        }
      }, 1000),
    );
    // Bursts: 1,000 Backlog.md tasks into one project, deleted again half a period later.
    const burst = (): void => {
      const p = WRITTEN + (bursts % (PROJECTS - WRITTEN));
      const dir = join(roots[p]!, 'backlog', 'tasks');
      bursts += 1;
      for (let i = 1; i <= BURST_FILES; i++) {
        writeFileSync(join(dir, `task-${i} - Burst ${i}.md`), `---\nid: task-${i}\ntitle: Burst ${i}\nstatus: To Do\n---\n`);
      }
      timers.push(
        setTimeout(() => {
          rmSync(dir, { recursive: true, force: true });
          mkdirSync(dir, { recursive: true });
        }, (BURST_EVERY_S * 1000) / 2),
      );
    };
    timers.push(setInterval(burst, BURST_EVERY_S * 1000));

    // Both samples are taken under the same load at the same point of the burst cycle (after a
    // burst's deletion, before the next), so what differs between them is what accumulated.
    const started = nowMs();
    const warmAt = samplePoint(WARMUP_S, 'after');
    const endAt = Math.max(warmAt + BURST_EVERY_S, samplePoint(SECONDS, 'before'));
    await sleep(warmAt * 1000 - (nowMs() - started));
    const warm = sample(serve.pid);
    heapSnapshot();
    const beatsFrom = observer.beats.length;
    // The bare interval runs through the last stretch of the soak, beside Vigil's heartbeat.
    const remaining = endAt * 1000 - (nowMs() - started);
    const bareTicks = Math.max(50, Math.floor(Math.min(remaining - 5000, 120_000) / 100));
    await sleep(Math.max(0, remaining - bareTicks * 100 - 2000));
    const bare = await interval.request<{ drift: number[] }>({ type: 'run', intervalMs: 100, ticks: bareTicks }, bareTicks * 100 + 60_000);
    await sleep(Math.max(0, endAt * 1000 - (nowMs() - started)));
    const end = sample(serve.pid);
    heapSnapshot();

    // Stop the load, let the last burst's deletion and every client's departure settle.
    for (const timer of timers.splice(0)) clearInterval(timer);
    for (const client of [...clients]) retire(client);
    for (const root of roots) {
      const dir = join(root, 'backlog', 'tasks');
      rmSync(dir, { recursive: true, force: true });
      mkdirSync(dir, { recursive: true });
    }
    await sleep(5000);
    const settled = sample(serve.pid);
    lost += observer.lost;
    events += observer.events;
    const drift = observer.beats.slice(beatsFrom).map((b) => b.driftMs);
    observer.close();
    return { warm, end, settled, lost, events, drift, bareDrift: bare.drift, bursts, connects };
  } finally {
    for (const timer of timers) clearInterval(timer);
    for (const client of clients) client.close();
    await interval.stop();
    await serve.stop();
  }
}

let result: Awaited<ReturnType<typeof soak>> | null = null;
const unavailable = serveUnavailable();
if (unavailable) notes.push(unavailable);
else {
  try {
    result = await soak();
  } catch (err) {
    notes.push(`the soak could not run: ${err instanceof Error ? err.message : String(err)}`);
  }
}
const ratio = (a: number | null | undefined, b: number | null | undefined): number | null => (a == null || b == null || b === 0 ? null : a / b);
const drift = result && result.drift.length > 0 ? summarize(result.drift) : null;
const bareDrift = result && result.bareDrift.length > 0 ? summarize(result.bareDrift) : null;
const rows: Row[] = [
  { metric: 'RSS at the end', unit: 'MB', vigil: result?.end.rssMb ?? null, baselines: [{ name: 'RSS after warm-up', value: result?.warm.rssMb ?? null }] },
  { metric: 'RSS end ÷ after warm-up', unit: '×', vigil: ratio(result?.end.rssMb, result?.warm.rssMb), target: { op: '<=', value: 1.1 } },
  { metric: 'open file descriptors at the end', unit: '', vigil: result?.end.fds ?? null, baselines: [{ name: 'after warm-up', value: result?.warm.fds ?? null }] },
  { metric: 'open fds end ÷ after warm-up', unit: '×', vigil: ratio(result?.end.fds, result?.warm.fds), target: { op: '<=', value: 1.1 } },
  { metric: 'after the load stopped and clients left: RSS', unit: 'MB', vigil: result?.settled.rssMb ?? null, baselines: [{ name: 'RSS after warm-up', value: result?.warm.rssMb ?? null }] },
  { metric: 'after the load stopped and clients left: open fds', unit: '', vigil: result?.settled.fds ?? null, baselines: [{ name: 'after warm-up', value: result?.warm.fds ?? null }] },
  { metric: 'events lost by connected clients (seq gaps)', unit: '', vigil: result?.lost ?? null, target: { op: '==', value: 0 } },
  { metric: 'heartbeat drift p99 after warm-up', unit: 'ms', vigil: drift?.p99 ?? null, baselines: [{ name: 'bare setInterval in its own process, meanwhile', value: bareDrift?.p99 ?? null }], target: { op: '<=', value: 20 } },
  { metric: 'heartbeat drift max', unit: 'ms', vigil: drift?.max ?? null, baselines: [{ name: 'bare setInterval in its own process, meanwhile', value: bareDrift?.max ?? null }] },
];
report({
  bench: 'soak',
  rows,
  notes,
  setup: {
    machine: machine(),
    seconds: SECONDS,
    warmupSeconds: WARMUP_S,
    sampledAt: result ? `${samplePoint(WARMUP_S, 'after')} s and ${Math.max(samplePoint(WARMUP_S, 'after') + BURST_EVERY_S, samplePoint(SECONDS, 'before'))} s` : null,
    load: `${PROJECTS} projects, writes on ${WRITTEN} (20/s with a log line each), ${CLIENTS} clients (10 leave and 10 join a second, half following a log), a ${BURST_FILES}-file burst every ${BURST_EVERY_S} s deleted half-way`,
    clientsConnected: result?.connects ?? null,
    eventsReceived: result?.events ?? null,
    bursts: result?.bursts ?? null,
    heartbeatsAfterWarmup: result?.drift.length ?? null,
  },
  ok: result !== null && result.lost === 0,
});
