// The run-log clients of the runs bench, in a process of their own: N socket.io clients that
// follow one run's log, as a dashboard's log panel does. Each line carries the number and the
// monotonic time the printer gave it; a client records when it got each line, once.
import { io, type Socket } from 'socket.io-client';
import type { ClientRequests, LogMessage, ServerEvents } from '../../../shared/protocol';
import { serveRequests } from '../lib/children';
import { nowMs } from '../lib/clock';
import { summarize } from '../lib/stats';

interface LogClient {
  socket: Socket<ServerEvents, ClientRequests>;
  seen: Uint8Array;
  received: number;
}

const LINE = /L (\d+) ([\d.]+)$/;
let clients: LogClient[] = [];
let latencies = new Float64Array(1 << 16);
let latencyCount = 0;
let expectedTotal = 0;

function record(ms: number): void {
  if (latencyCount === latencies.length) {
    const grown = new Float64Array(latencies.length * 2);
    grown.set(latencies);
    latencies = grown;
  }
  latencies[latencyCount++] = ms;
}

function onLog(client: LogClient, msg: LogMessage): void {
  const at = nowMs();
  for (const line of msg.lines) {
    const match = LINE.exec(line.text);
    if (!match) continue;
    const n = Number(match[1]);
    if (n < 1 || n > expectedTotal || client.seen[n]) continue;
    client.seen[n] = 1;
    client.received += 1;
    record(at - Number(match[2]));
  }
}

serveRequests({
  /** Connect `count` clients; with `runId`, each subscribes to that run's log (Vigil), else it just listens (the bare relay). */
  async connect(msg) {
    const { url, token, count, runId, total } = msg as unknown as { url: string; token: string; count: number; runId: string | null; total: number };
    expectedTotal = total;
    latencyCount = 0;
    const started = nowMs();
    clients = await Promise.all(
      Array.from({ length: count }, async () => {
        const socket: Socket<ServerEvents, ClientRequests> = io(url, { auth: { token }, transports: ['websocket'], reconnection: false, forceNew: true });
        const client: LogClient = { socket, seen: new Uint8Array(total + 1), received: 0 };
        socket.on('log', (m) => onLog(client, m));
        await new Promise<void>((resolve, reject) => {
          socket.once('connect_error', reject);
          socket.once(runId ? 'hello' : 'connect', () => resolve());
        });
        if (runId) {
          const reply = await socket.timeout(10_000).emitWithAck('subscribe', { projects: [], logs: [{ runId }] });
          if (!reply.ok) throw new Error(`subscribe refused: ${reply.error.message}`);
        }
        return client;
      }),
    );
    return { connected: clients.length, ms: nowMs() - started };
  },
  /** Lines every client has so far (the least of them). */
  progress() {
    return { least: Math.min(...clients.map((c) => c.received)), most: Math.max(...clients.map((c) => c.received)) };
  },
  result() {
    const missing = clients.map((c) => expectedTotal - c.received);
    const summary = latencyCount > 0 ? summarize(latencies.subarray(0, latencyCount)) : null;
    return { clients: clients.length, missing, lost: missing.reduce((a, b) => a + b, 0), summary };
  },
  close() {
    for (const c of clients) c.socket.disconnect();
    clients = [];
    return {};
  },
});
process.send?.({ type: 'ready' });
