// Fan-out baseline: a bare socket.io server (no engine, no auth, no rooms logic) emitting the
// same event payloads at the same rate. What is left is socket.io and the kernel: the floor
// for delivering one event to N clients from one Node process.
import { createServer } from 'node:http';
import { Server } from 'socket.io';
import { nowMs, push, serveRequests } from './ipc.mjs';

let io = null;
let http = null;
let seq = 0;

const EMPTY_SNAPSHOT = {
  seq: 0, running: true, projects: [], plans: [], stubs: [], workorders: [], issues: [],
  health: { level: 'ok', since: 0, conditions: [] },
  throughput: { finishedLastHour: 0, failedLastHour: 0, meanCycleMs: null },
  activity: [], heartbeat: null,
};

serveRequests({
  async listen() {
    http = createServer();
    io = new Server(http, { maxHttpBufferSize: 64 * 1024 });
    io.on('connection', (socket) => {
      socket.emit('hello', { protocol: 1, serverTime: Date.now(), seq, snapshot: { ...EMPTY_SNAPSHOT, seq }, recent: [] });
      socket.on('resync', (_payload, ack) => ack?.({ ok: true, data: { events: [] } }));
    });
    await new Promise((resolve) => http.listen(0, '127.0.0.1', resolve));
    return { url: `http://127.0.0.1:${http.address().port}`, seq };
  },
  /** Emit `payloads` (cycled) at `rate` per second for `seconds`, each stamped like the hub does. */
  async run(msg) {
    const { rate, seconds, payloads } = msg;
    const total = Math.round(rate * seconds);
    // How long one broadcast holds the event loop: the slice everything else waits behind.
    const emitMs = [];
    const start = nowMs();
    for (let i = 0; i < total; i++) {
      const due = start + (i * 1000) / rate;
      const wait = due - nowMs();
      if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
      const { type, payload } = payloads[i % payloads.length];
      seq += 1;
      // The hub's key order (type, payload, seq, ts): the same bytes on the wire.
      const before = nowMs();
      io.emit('events', [{ type, payload, seq, ts: Date.now() }]);
      emitMs.push(nowMs() - before);
    }
    emitMs.sort((a, b) => a - b);
    return { finalSeq: seq, seconds: (nowMs() - start) / 1000, emitP50: emitMs[Math.floor(emitMs.length / 2)], emitP99: emitMs[Math.floor(emitMs.length * 0.99)] };
  },
  seq() {
    return { seq };
  },
  async close() {
    io?.close();
    return {};
  },
});
push({ type: 'ready' });
