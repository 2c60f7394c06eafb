// One connected client: its message budget, its requests and their replies, its log files.
// Every incoming message passes one gate (rate limit, known name) and gets one reply; nothing
// a client sends can throw into the server or reach another client.
import { isRequestName, type RequestError, type RequestName } from '../../shared/protocol';
import type { EngineApi } from '../engine/api';
import type { Runs } from '../runs/runs';
import type { EventFanout, VigilSocket } from './fanout';
import { LogFollows } from './log-follows';
import { MessageRateLimiter, type RateLimitOptions } from './rate-limit';
import { serveRequest, type DemoStarter, type RequestContext } from './requests';

export interface ConnectionOptions {
  engine: EngineApi;
  fanout: EventFanout;
  rateLimit: RateLimitOptions;
  startDemo?: DemoStarter;
  runs?: Runs;
  log: (line: string) => void;
}

type Ack = (reply: unknown) => void;

function describe(socket: VigilSocket): string {
  return `client ${socket.id} (token ${socket.data.grant.id}, ${socket.handshake.address})`;
}

export function serveConnection(socket: VigilSocket, options: ConnectionOptions): void {
  const { fanout, log } = options;
  const limiter = new MessageRateLimiter(options.rateLimit);
  const logs = new LogFollows(options.engine, (msg) => socket.emit('log', msg), options.runs ?? null);
  const ctx: RequestContext = { engine: options.engine, fanout, socket, logs, startDemo: options.startDemo, runs: options.runs };

  /** Answer through the ack when there is one, else as a `request:error` event. */
  const refuse = (error: RequestError, ack: Ack | undefined): void => {
    if (ack) ack({ ok: false, error });
    else socket.emit('request:error', error);
  };

  const handle = async (name: RequestName, payload: unknown, ack: Ack | undefined): Promise<void> => {
    const reply = await serveRequest(name, payload, ctx);
    if (!reply.ok) {
      log(`${describe(socket)}: ${name} refused (${reply.error.code}): ${reply.error.message}`);
      refuse(reply.error, ack);
      return;
    }
    if (ack) {
      ack(reply);
      return;
    }
    // A client that sent resync without an ack still gets what it asked for.
    if (name === 'resync') {
      const data = reply.data as { events: never[] } | { hello: never };
      if ('hello' in data) socket.emit('hello', data.hello);
      else if (data.events.length > 0) socket.emit('events', data.events);
    }
  };

  // The gate every message passes. Handlers are not registered per name: the gate dispatches,
  // so an unknown name gets an answer instead of socket.io's silence.
  socket.use((packet) => {
    const [event, ...args] = packet as [unknown, ...unknown[]];
    const last = args.at(-1);
    const ack = typeof last === 'function' ? (last as Ack) : undefined;
    const payload = typeof args[0] === 'function' ? undefined : args[0];
    const name = typeof event === 'string' ? event : String(event);

    const decision = limiter.take();
    if (decision === 'abuse') {
      log(`${describe(socket)}: disconnected for sending too many messages after being rate-limited`);
      socket.disconnect(true);
      return;
    }
    if (decision === 'refuse') {
      refuse({ event: name, code: 'rate_limited', message: `Too many messages: at most ${options.rateLimit.perSecond} per second (bursts of ${options.rateLimit.burst}).` }, ack);
      return;
    }
    if (!isRequestName(name)) {
      log(`${describe(socket)}: unknown request ${JSON.stringify(name.slice(0, 100))}`);
      refuse({ event: name.slice(0, 100), code: 'unknown', message: `Unknown request ${JSON.stringify(name.slice(0, 100))}.` }, ack);
      return;
    }
    handle(name, payload, ack).catch((err: unknown) => {
      // serveRequest never rejects; this is for a bug in the reply path itself.
      log(`${describe(socket)}: ${name} failed: ${err instanceof Error ? err.message : String(err)}`);
    });
  });

  socket.on('disconnect', () => {
    logs.dispose();
    fanout.detach(socket);
  });
  fanout.attach(socket);
}
