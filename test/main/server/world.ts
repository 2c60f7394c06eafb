// The world a server test needs: real project folders in a temp dir, a real engine watching
// them, a token store in a temp config dir, the server on a free loopback port, and real
// socket.io clients. Everything is closed by `closeWorlds()` in afterEach.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { io, type Socket } from 'socket.io-client';
import type { ClientRequests, EngineEvent, Hello, LogMessage, Reply, RequestError, RequestName, RequestPayload, RequestResults, ServerEvents } from '../../../shared/protocol';
import type { Heartbeat } from '../../../shared/model';
import { createEngine, type Engine, type EngineOptions } from '../../../main/engine/engine';
import { projectIdFor } from '../../../main/engine/project-id';
import { startServer, type ServerOptions, type VigilServer } from '../../../main/server/server';
import { TokenStore } from '../../../main/server/tokens';
import { checkEvents, checkHeartbeat, checkHello, checkLog, checkReply, checkRequestError } from '../../protocol-check';

export type ClientSocket = Socket<ServerEvents, ClientRequests>;

export interface WorldOptions {
  projects?: string[];
  server?: Partial<Omit<ServerOptions, 'engine' | 'tokens'>>;
  engine?: Partial<EngineOptions>;
  /** Follow tokens.json as `vigil serve` does, so another store's revoke takes effect. */
  watchTokens?: boolean;
  /** More server options made from the engine (runs on it); `close` runs after the server closes. */
  beforeServer?: (engine: Engine, base: string) => Promise<{ options: Partial<ServerOptions>; close?: () => Promise<void> }>;
}

export interface World {
  base: string;
  configDir: string;
  /** Project folder by name. */
  dirs: Record<string, string>;
  ids: Record<string, string>;
  engine: Engine;
  tokens: TokenStore;
  server: VigilServer;
  read: string;
  control: string;
  logLines: string[];
  connect(options?: ConnectOptions): Promise<TestClient>;
  /** Connect and resolve with the refusal, for clients that must not get in. */
  refused(options?: ConnectOptions): Promise<Error & { data?: { code?: string; message?: string } }>;
  close(): Promise<void>;
}

export interface ConnectOptions {
  token?: string | null;
  headers?: Record<string, string>;
  transports?: ('websocket' | 'polling')[];
}

const worlds: World[] = [];

/** A Task Master tasks.json with one task per entry. */
export function tasksJson(tasks: { id: number; title: string; status: string }[]): string {
  return JSON.stringify({ master: { tasks: tasks.map((t) => ({ ...t, description: '', subtasks: [] })) } }, null, 2);
}

export async function writeTasks(dir: string, tasks: { id: number; title: string; status: string }[]): Promise<void> {
  await mkdir(join(dir, '.taskmaster', 'tasks'), { recursive: true });
  await writeFile(join(dir, '.taskmaster', 'tasks', 'tasks.json'), tasksJson(tasks));
}

export class TestClient {
  readonly hellos: Hello[] = [];
  readonly events: EngineEvent[] = [];
  readonly batches: EngineEvent[][] = [];
  readonly logs: LogMessage[] = [];
  readonly errors: RequestError[] = [];
  readonly beats: Heartbeat[] = [];
  disconnectReason: string | null = null;

  constructor(readonly socket: ClientSocket) {
    const where = 'the socket.io server';
    socket.on('hello', (hello) => {
      checkHello(hello, where);
      this.hellos.push(hello);
    });
    socket.on('events', (batch) => {
      checkEvents(batch, where);
      this.batches.push(batch);
      this.events.push(...batch);
    });
    socket.on('log', (msg) => {
      checkLog(msg, where);
      this.logs.push(msg);
    });
    socket.on('request:error', (err) => {
      checkRequestError(err, where);
      this.errors.push(err);
    });
    socket.on('heartbeat', (beat) => {
      checkHeartbeat(beat, where);
      this.beats.push(beat);
    });
    socket.on('disconnect', (reason) => {
      this.disconnectReason = reason;
    });
  }

  get hello(): Hello {
    const hello = this.hellos[0];
    if (!hello) throw new Error('no hello yet');
    return hello;
  }

  get seqs(): number[] {
    return this.events.map((e) => e.seq);
  }

  request<R extends RequestName>(name: R, payload: RequestPayload<R>, timeoutMs = 5000): Promise<Reply<RequestResults[R]>> {
    return this.rawRequest(name, payload, timeoutMs) as Promise<Reply<RequestResults[R]>>;
  }

  /** Send anything with an ack, as a misbehaving client would. */
  rawRequest(event: string, payload: unknown, timeoutMs = 5000): Promise<Reply<unknown>> {
    const loose = this.socket.timeout(timeoutMs) as unknown as { emitWithAck(event: string, ...args: unknown[]): Promise<Reply<unknown>> };
    return loose.emitWithAck(event, payload).then((reply) => {
      checkReply(event, reply, 'the socket.io server');
      return reply;
    });
  }

  /** Send anything without an ack. */
  raw(event: string, ...args: unknown[]): void {
    (this.socket as unknown as { emit(event: string, ...args: unknown[]): void }).emit(event, ...args);
  }

  close(): void {
    this.socket.disconnect();
  }
}

/** Wait until `check` returns something truthy (polling; the world is real and asynchronous). */
export async function until<T>(check: () => T | undefined | null | false, what: string, timeoutMs = 8000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

export async function createWorld(options: WorldOptions = {}): Promise<World> {
  const base = await mkdtemp(join(tmpdir(), 'vigil-server-'));
  const configDir = join(base, 'config');
  const dirs: Record<string, string> = {};
  const ids: Record<string, string> = {};
  for (const name of options.projects ?? ['alpha']) {
    const dir = join(base, name);
    await writeTasks(dir, [{ id: 1, title: `${name} first task`, status: 'pending' }]);
    dirs[name] = dir;
    ids[name] = projectIdFor(dir);
  }
  const engine = await createEngine({ roots: Object.values(dirs), driftSweepMs: 0, heartbeatMs: 200, ...options.engine });
  const tokens = await TokenStore.open(configDir, { watch: options.watchTokens ?? false });
  const read = (await tokens.create('read', 'test reader')).secret;
  const control = (await tokens.create('control', 'test controller')).secret;
  const logLines: string[] = [];
  const extra = options.beforeServer ? await options.beforeServer(engine, base) : { options: {} };
  const server = await startServer({ engine, tokens, port: 0, log: (line) => logLines.push(line), ...options.server, ...extra.options });
  const clients: TestClient[] = [];

  const open = (opts: ConnectOptions): ClientSocket =>
    io(server.url, {
      auth: opts.token === null ? {} : { token: opts.token ?? read },
      transports: opts.transports ?? ['websocket'],
      reconnection: false,
      forceNew: true,
      extraHeaders: opts.headers,
    });

  const world: World = {
    base,
    configDir,
    dirs,
    ids,
    engine,
    tokens,
    server,
    read,
    control,
    logLines,
    async connect(opts = {}) {
      const client = new TestClient(open(opts));
      clients.push(client);
      await new Promise<void>((resolve, reject) => {
        client.socket.once('connect_error', reject);
        client.socket.once('hello', () => resolve());
      });
      return client;
    },
    async refused(opts = {}) {
      const socket = open(opts);
      clients.push(new TestClient(socket));
      return new Promise((resolve, reject) => {
        socket.once('connect', () => reject(new Error('the server let this client in')));
        socket.once('connect_error', (err) => resolve(err as Error & { data?: { code?: string } }));
      });
    },
    async close() {
      for (const client of clients) client.close();
      await server.close();
      await extra.close?.();
      await engine.close();
      await tokens.close();
      await rm(base, { recursive: true, force: true });
    },
  };
  worlds.push(world);
  return world;
}

export async function closeWorlds(): Promise<void> {
  for (const world of worlds.splice(0)) await world.close();
}
