// Heartbeat baseline: a bare setInterval in a process that does nothing else. Drift is how late
// a tick fires against the previous tick + interval (setInterval schedules from the previous
// tick, so lateness against a fixed anchor would only accumulate timer rounding); latency is
// how long the tick's (empty) work takes, as main/engine/heartbeat.ts measures its own.
import { performance } from 'node:perf_hooks';
import { push, serveRequests } from './ipc.mjs';

serveRequests({
  async run(msg) {
    const { intervalMs, ticks } = msg;
    const drift = [];
    const latency = [];
    let previous = performance.now();
    let n = 0;
    await new Promise((resolve) => {
      const timer = setInterval(() => {
        const firedAt = performance.now();
        n += 1;
        drift.push(Math.max(0, firedAt - (previous + intervalMs)));
        previous = firedAt;
        latency.push(performance.now() - firedAt);
        if (n >= ticks) {
          clearInterval(timer);
          resolve();
        }
      }, intervalMs);
    });
    return { drift, latency };
  },
});
push({ type: 'ready' });
