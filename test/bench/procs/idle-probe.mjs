// Loaded into `vigil serve` with `node --import` by the scale bench when asked
// (BENCH_SCALE_NODE_ARGS='--import <this file>' and BENCH_IDLE_PROBE_FILE=<out.json>), never by
// Vigil itself: what does an idle process do? It records every garbage collection (kind, ms on
// the main thread), every timer callback that runs (where the timer was made, ms it took), and
// once a second the process CPU and the V8 heap. Times are ms since the process started.
// Written as JSON to <BENCH_IDLE_PROBE_FILE>.<pid>.json (the bench starts several serves) when the process is stopped (SIGTERM) or exits.
import { writeFileSync } from 'node:fs';
import { PerformanceObserver, constants } from 'node:perf_hooks';
import v8 from 'node:v8';

const file = process.env.BENCH_IDLE_PROBE_FILE;
if (file) {
  const now = () => Math.round(performance.now() * 10) / 10;
  const GC_KINDS = {
    [constants.NODE_PERFORMANCE_GC_MINOR]: 'scavenge',
    [constants.NODE_PERFORMANCE_GC_MAJOR]: 'mark-compact',
    [constants.NODE_PERFORMANCE_GC_INCREMENTAL]: 'incremental',
    [constants.NODE_PERFORMANCE_GC_WEAKCB]: 'weak-callbacks',
  };
  const gcs = [];
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) {
      gcs.push({ at: Math.round(e.startTime), kind: GC_KINDS[e.detail?.kind] ?? String(e.detail?.kind), ms: Math.round(e.duration * 100) / 100, flags: e.detail?.flags });
    }
  }).observe({ entryTypes: ['gc'] });

  /** Where a timer was made: the first stack frame outside this file and node's own. */
  const site = () => {
    const holder = {};
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 4;
    Error.captureStackTrace(holder, site);
    Error.stackTraceLimit = limit;
    const lines = holder.stack.split('\n').slice(2);
    const line = lines.find((l) => !l.includes('node:internal')) ?? lines[0] ?? '';
    return line.trim().replace(/^at /, '').replace(/\(?file:\/\/\S*\/dist\//, '(dist/');
  };
  const fires = [];
  const wrap = (fn, where, kind) =>
    function probedTimer(...args) {
      const started = performance.now();
      try {
        return fn.apply(this, args);
      } finally {
        fires.push({ at: Math.round(started), kind, where, ms: Math.round((performance.now() - started) * 100) / 100 });
      }
    };
  for (const [name, kind] of [['setTimeout', 'timeout'], ['setInterval', 'interval'], ['setImmediate', 'immediate']]) {
    const original = globalThis[name];
    globalThis[name] = function probedSet(fn, ...rest) {
      return typeof fn === 'function' ? original.call(this, wrap(fn, site(), kind), ...rest) : original.call(this, fn, ...rest);
    };
  }

  const samples = [];
  let last = process.cpuUsage();
  const sampler = setInterval(() => {
    const cpu = process.cpuUsage();
    const heap = v8.getHeapStatistics();
    samples.push({
      at: now(),
      cpuMs: Math.round((cpu.user - last.user + cpu.system - last.system) / 100) / 10,
      heapUsedMB: Math.round(heap.used_heap_size / 1e4) / 100,
      heapTotalMB: Math.round(heap.total_heap_size / 1e4) / 100,
      rssMB: Math.round(process.memoryUsage.rss() / 1e4) / 100,
    });
    last = cpu;
  }, 1000);
  sampler.unref();

  let written = false;
  const write = () => {
    if (written) return;
    written = true;
    writeFileSync(`${file}.${process.pid}.json`, JSON.stringify({ gcs, fires: fires.filter((f) => !f.where.includes('idle-probe')), samples }));
  };
  process.on('exit', write);
  process.once('SIGTERM', () => {
    write();
    process.exit(143);
  });
}
