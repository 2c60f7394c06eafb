// One port for everything a browser needs: the built UI, /healthz, /api/snapshot and the socket.io
// event protocol (docs/architecture.md: the protocol session, security). Electron-free; `vigil
// serve` and the desktop app's LAN toggle both start it around an engine they own.
import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { networkInterfaces } from 'node:os';
import { Server } from 'socket.io';
import pkg from '../../package.json';
import { LIMITS } from '../../shared/protocol';
import type { EngineApi } from '../engine/api';
import type { FanoutOptions } from '../session/fanout';
import type { DemoStarter } from '../session/handlers';
import { DEFAULT_RATE_LIMIT, type RateLimitOptions } from '../session/rate-limit';
import type { Runs } from '../runs/runs';
import { ProtocolService } from '../session/service';
import { ConnectRefusedError, authenticate, handshakeToken } from './auth';
import type { HistoryApi } from '../store/history';
import { createHttpHandler } from './http';
import { guardConnections } from './connection-guard';
import { boundResponses, DEFAULT_HTTP_LIMITS, type HttpLimits } from './http-limits';
import { explainListenError } from './listen-error';
import { safeLogLine } from './log-line';
import { createOriginPolicy, isLoopbackHost } from './origin';
import { HelloFrames } from './hello-frame';
import { serializedOnceParser } from './serialized-once-encoder';
import { serveConnection, socketBroadcast, type VigilIo } from './socket';
import { createStaticHandler, defaultRendererDir } from './static';
import type { TokenStore } from './tokens';

export const DEFAULT_PORT = 4317;
export const DEFAULT_HOST = '127.0.0.1';
export const DEFAULT_MAX_CLIENTS = 64;

/** Connections one token may hold by default: a quarter of the client cap, so one token cannot take every slot. */
export function defaultPerTokenCap(maxClients: number): number {
  return Math.max(1, Math.ceil(maxClients / 4));
}

/** A request must arrive whole within this (a connection that trickles its headers is closed). */
const REQUEST_ARRIVAL_MS = 5000;

export interface ServerOptions {
  engine: EngineApi;
  /** The journal behind /api/history (and the history requests); without it they answer `unavailable`. */
  history?: HistoryApi;
  /** Where tokens are checked; the caller owns it (and closes it). */
  tokens: TokenStore;
  /** Default 4317; 0 picks a free port (read it back from `port`). */
  port?: number;
  /** Default 127.0.0.1. Anything else lets the LAN in: say so to the user. */
  host?: string;
  /** The built renderer; default dist/renderer beside the bundle. */
  rendererDir?: string;
  /** Origins besides the served UI itself allowed to open a socket, e.g. a Vite dev server. */
  allowedOrigins?: string[];
  /** Default 64. */
  maxClients?: number;
  /** Sockets one token may hold at once; default a quarter of maxClients. */
  maxClientsPerToken?: number;
  /** A TCP connection that sends nothing for this long is closed (default 5 s). */
  silentConnectionMs?: number;
  /** How many answers one HTTP connection may leave unread (http-limits.ts). */
  httpLimits?: Partial<HttpLimits>;
  /** Open-file limit to plan connections with; default read from the system (tests pass a small one). */
  descriptorLimit?: number | null;
  rateLimit?: Partial<RateLimitOptions>;
  /** What `demo:start` runs; without it the request answers `failed`. */
  startDemo?: DemoStarter;
  /** Runs of actions (run:*, batch:*, runs:list, actions:list, run logs, GET /api/runs); without it those answer `failed`. */
  runs?: Runs;
  /** Reported by /healthz; default the package version. */
  version?: string;
  /** Refused requests, refused connections, dropped clients. Default: stderr. */
  log?: (line: string) => void;
  /** How events are paced and sliced on their way to the sockets (main/session/fanout.ts); the defaults suit every size. */
  fanout?: FanoutOptions;
  /** Least ms between two fresh hellos to one client (default 3 s); tests that restart clients often lower it. */
  freshHelloIntervalMs?: number;
  /** Bytes that may wait to be written to one client before it is dropped (default 16 MiB, or two snapshots). */
  maxBufferedBytes?: number;
  /** Hook posts (POST /api/hook) accepted per second, bursts of twice that; default 1000. */
  hookPostsPerSecond?: number;
  /** socket.io ping interval and timeout; 25 s and 20 s unless a test needs them short. */
  pingIntervalMs?: number;
  pingTimeoutMs?: number;
}

export interface VigilServer {
  readonly host: string;
  readonly port: number;
  /** `http://host:port/`; for a wildcard host, one of this machine's LAN addresses. */
  readonly url: string;
  /** The URL to open in a browser, with the token in the fragment (never sent to a server). */
  urlWithToken(secret: string): string;
  /** Sockets connected right now. */
  readonly clientCount: number;
  /** Close every socket, the HTTP server, the hub sink and every log subscription. */
  close(): Promise<void>;
}

const WILDCARD_HOSTS = new Set(['0.0.0.0', '::', '']);

/** The address a person types: a wildcard bind is reached through a LAN address. */
function reachableHost(host: string): string {
  if (WILDCARD_HOSTS.has(host)) {
    for (const addresses of Object.values(networkInterfaces())) {
      const lan = addresses?.find((a) => a.family === 'IPv4' && !a.internal);
      if (lan) return lan.address;
    }
    return DEFAULT_HOST;
  }
  return host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
}

/** The URL a person opens: `http://host:port/`, with the token in the fragment when given. */
export function dashboardUrl(host: string, port: number, secret?: string): string {
  const base = `http://${reachableHost(host)}:${port}/`;
  return secret === undefined ? base : `${base}#token=${encodeURIComponent(secret)}`;
}

function listen(server: HttpServer, host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (err: NodeJS.ErrnoException): void => {
      server.off('listening', onListening);
      reject(explainListenError(err, host, port));
    };
    const onListening = (): void => {
      server.off('error', onError);
      resolve();
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen({ port, host, exclusive: true });
  });
}

export async function startServer(options: ServerOptions): Promise<VigilServer> {
  const { engine, tokens } = options;
  const host = options.host ?? DEFAULT_HOST;
  const requestedPort = options.port ?? DEFAULT_PORT;
  const maxClients = options.maxClients ?? DEFAULT_MAX_CLIENTS;
  const perToken = options.maxClientsPerToken ?? defaultPerTokenCap(maxClients);
  const rateLimit: RateLimitOptions = { ...DEFAULT_RATE_LIMIT, ...options.rateLimit };
  const rawLog = options.log ?? ((line: string) => process.stderr.write(`vigil server: ${line}\n`));
  // Lines quote what clients sent: escaped, so a newline in a path cannot forge a line.
  const log = (line: string): void => rawLog(safeLogLine(line));
  const checkOrigin = createOriginPolicy({
    allowedOrigins: options.allowedOrigins,
    loopbackOnly: !WILDCARD_HOSTS.has(host) && isLoopbackHost(host),
  });

  const httpServer = createServer(
    { headersTimeout: REQUEST_ARRIVAL_MS, requestTimeout: REQUEST_ARRIVAL_MS * 2, connectionsCheckingInterval: 1000 },
    boundResponses(
      createHttpHandler({
        history: options.history,
        // The snapshot serialized once per seq, shared with every socket's hello.
        snapshotJson: () => service.snapshots.json(),
        agents: engine.agents,
        tokens,
        version: options.version ?? pkg.version,
        startedAt: performance.now(),
        checkOrigin,
        serveStatic: createStaticHandler(options.rendererDir ?? defaultRendererDir()),
        runs: options.runs,
        log,
        hookPostsPerSecond: options.hookPostsPerSecond,
      }),
      { ...DEFAULT_HTTP_LIMITS, ...options.httpLimits },
      log,
    ),
  );
  const connections = guardConnections(httpServer, {
    maxClients,
    silentMs: options.silentConnectionMs,
    descriptorLimit: options.descriptorLimit,
    log,
  });

  const io: VigilIo = new Server(httpServer, {
    path: '/socket.io',
    serveClient: false,
    maxHttpBufferSize: LIMITS.maxMessageBytes,
    // The default parser, with hellos written from the text the shared snapshot serialized once.
    parser: serializedOnceParser,
    // Off (engine.io's default, stated): frames are small JSON, and only without compression does
    // a broadcast build its WebSocket frame once for every socket instead of deflating per socket.
    perMessageDeflate: false,
    pingInterval: options.pingIntervalMs ?? 25_000,
    pingTimeout: options.pingTimeoutMs ?? 20_000,
    // A connection that never sends its namespace CONNECT (and so never shows a token) goes.
    connectTimeout: REQUEST_ARRIVAL_MS,
    // No `cors` option: no CORS headers, so other sites cannot read polling responses either.
    allowRequest: (req, callback) => {
      const verdict = checkOrigin(req.headers);
      if (verdict.ok) {
        callback(null, true);
        return;
      }
      log(`refused a connection from ${req.socket.remoteAddress}: ${verdict.reason}`);
      callback(verdict.reason, false);
    },
  });

  const service = new ProtocolService({
    engine,
    broadcast: socketBroadcast(io),
    startDemo: options.startDemo,
    runs: options.runs,
    history: options.history,
    log,
    rateLimit,
    freshHelloIntervalMs: options.freshHelloIntervalMs,
    maxBufferedBytes: options.maxBufferedBytes,
    fanout: options.fanout,
  });

  try {
    await listen(httpServer, host, requestedPort);
  } catch (err) {
    service.close();
    connections.close();
    await io.close().catch(() => undefined);
    throw err;
  }
  const port = (httpServer.address() as AddressInfo).port;

  /** Sockets past the checks whose connection has not completed yet (id → token id); they count against the caps. */
  const admitting = new Map<string, string>();
  const countHeldBy = (tokenId: string): number => {
    let count = 0;
    for (const socket of io.of('/').sockets.values()) if (socket.data.grant?.id === tokenId) count += 1;
    for (const id of admitting.values()) if (id === tokenId) count += 1;
    return count;
  };

  io.use((socket, next) => {
    const auth = authenticate(tokens, handshakeToken(socket.handshake));
    if (!auth.ok) {
      log(`refused a socket from ${socket.handshake.address}: ${auth.refusal.message}`);
      next(new ConnectRefusedError(auth.refusal));
      return;
    }
    if (io.of('/').sockets.size + admitting.size >= maxClients) {
      log(`refused a socket from ${socket.handshake.address}: ${maxClients} clients already connected`);
      next(
        new ConnectRefusedError({
          code: 'server_full',
          message: `This Vigil server already has ${maxClients} clients connected, its limit. Close another tab or window and try again.`,
        }),
      );
      return;
    }
    const held = countHeldBy(auth.grant.id);
    if (held >= perToken) {
      log(`refused a socket from ${socket.handshake.address}: token ${auth.grant.id} already holds ${held} connections`);
      next(
        new ConnectRefusedError({
          code: 'token_limit',
          message: `This token already has ${held} connections open, its limit of ${perToken}. Close a tab using it, or give this client a token of its own (vigil token create).`,
        }),
      );
      return;
    }
    admitting.set(socket.id, auth.grant.id);
    socket.conn.once('close', () => admitting.delete(socket.id));
    socket.data.grant = auth.grant;
    next();
  });

  const hellos = new HelloFrames();
  io.on('connection', (socket) => {
    admitting.delete(socket.id);
    serveConnection(socket, service, hellos);
  });

  // Revoking a token shuts its sockets at once, whichever process revoked it.
  const revocations = tokens.onRevoked((id) => {
    for (const socket of io.of('/').sockets.values()) {
      if (socket.data.grant?.id === id) {
        log(`disconnecting ${socket.id}: its token ${id} was revoked`);
        socket.disconnect(true);
      }
    }
  });

  const baseUrl = dashboardUrl(host, port);
  let closing: Promise<void> | null = null;

  return {
    host,
    port,
    url: baseUrl,
    urlWithToken: (secret) => dashboardUrl(host, port, secret),
    get clientCount() {
      return io.of('/').sockets.size;
    },
    close() {
      closing ??= (async () => {
        revocations.close();
        connections.close();
        service.close();
        // Disconnect handlers release each socket's log subscriptions.
        const ioClosed = io.close();
        httpServer.closeAllConnections();
        await ioClosed;
      })();
      return closing;
    },
  };
}
