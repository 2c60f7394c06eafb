// The two transports the contract suite runs every case over: a real socket.io client against
// the real server, and the desktop window's IPC bridge (main/electron/ipc-bridge.ts with the
// window session) with only the `electron` module faked. Both give a test the same client.
// A test file using this must mock electron: vi.mock('electron', () => import('../electron/fake-electron')).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Heartbeat } from '../../../shared/model';
import { HELLO_CHANNEL, REQUEST_CHANNEL, SERVER_EVENT_NAMES, protocolChannel } from '../../../shared/ipc-channels';
import type { EngineEvent, Hello, LogMessage, Reply, RequestName, RequestPayload, RequestResults } from '../../../shared/protocol';
import { createWindowSession } from '../../../main/desktop/window-session';
import { wireIpc } from '../../../main/electron/ipc-bridge';
import { createEngine, type Engine, type EngineOptions } from '../../../main/engine/engine';
import type { HistoryApi } from '../../../main/store/history';
import { projectIdFor } from '../../../main/engine/project-id';
import type { ActionSpec } from '../../../shared/runs';
import { ConfigStore } from '../../../main/engine/config';
import { MemoryRunJournal } from '../../../main/runs/journal';
import { Runs } from '../../../main/runs/runs';
import type { DemoStarter } from '../../../main/session/handlers';
import { checkEvents, checkHeartbeat, checkHello, checkLog, checkReply } from '../../protocol-check';
import { FakeWebContents, ipcMain, resetFakeElectron } from '../electron/fake-electron';
import { createWorld, writeTasks, type TestClient } from '../server/world';

export interface ContractClient {
  readonly hellos: Hello[];
  readonly events: EngineEvent[];
  readonly logs: LogMessage[];
  readonly beats: Heartbeat[];
  /** The first hello. */
  readonly hello: Hello;
  readonly seqs: number[];
  request<R extends RequestName>(name: R, payload: RequestPayload<R>): Promise<Reply<RequestResults[R]>>;
  /** Anything, as a misbehaving client would send it. */
  rawRequest(name: string, payload: unknown): Promise<Reply<unknown>>;
}

export interface ContractWorldOptions {
  projects?: string[];
  engine?: Partial<EngineOptions>;
  startDemo?: DemoStarter;
  freshHelloIntervalMs?: number;
  /** Run actions: these are the user's actions (Runs on the engine, a config folder in the world). */
  actions?: ActionSpec[];
  /** A journal for the history requests (give the engine the same one as `engine.history`). */
  history?: HistoryApi;
}

export interface ContractWorld {
  base: string;
  dirs: Record<string, string>;
  ids: Record<string, string>;
  engine: Engine;
  /** The runs, when the world was made with actions. */
  runs: Runs | null;
  /** Who this transport's client is recorded as starting runs: its token's label, or "desktop". */
  starter: string;
  /** A client with control scope (the window always has it). */
  connect(): Promise<ContractClient>;
  close(): Promise<void>;
}

export interface Transport {
  name: 'socket.io' | 'electron ipc';
  create(options?: ContractWorldOptions): Promise<ContractWorld>;
}

function socketClient(client: TestClient): ContractClient {
  return {
    hellos: client.hellos,
    events: client.events,
    logs: client.logs,
    beats: client.beats,
    get hello() {
      return client.hello;
    },
    get seqs() {
      return client.seqs;
    },
    request: (name, payload) => client.request(name, payload),
    rawRequest: (name, payload) => client.rawRequest(name, payload),
  };
}

/** Runs on `engine` with `actions` as the user's own, in a config folder under `base`. */
async function runsFor(engine: Engine, base: string, actions: ActionSpec[] | undefined): Promise<Runs | null> {
  if (!actions) return null;
  const config = new ConfigStore(join(base, 'runs-config'));
  await config.load();
  await config.updateActions((c) => ({ ...c, actions }));
  return Runs.open({ engine, config, journal: new MemoryRunJournal(), supervisor: { killGraceMs: 500, drainMs: 300 } });
}

const socketTransport: Transport = {
  name: 'socket.io',
  async create(options = {}) {
    let runs: Runs | null = null;
    const world = await createWorld({
      projects: options.projects,
      engine: options.engine,
      server: { startDemo: options.startDemo, freshHelloIntervalMs: options.freshHelloIntervalMs, history: options.history },
      beforeServer: async (engine, base) => {
        const made = await runsFor(engine, base, options.actions);
        runs = made;
        return made ? { options: { runs: made }, close: () => made.close() } : { options: {} };
      },
    });
    return {
      base: world.base,
      dirs: world.dirs,
      ids: world.ids,
      engine: world.engine,
      runs,
      starter: 'test controller',
      connect: async () => socketClient(await world.connect({ token: world.control })),
      close: async () => {
        await world.close();
      },
    };
  },
};

const APP_URL = 'file:///opt/Vigil/resources/app.asar/dist/renderer/index.html';

const ipcTransport: Transport = {
  name: 'electron ipc',
  async create(options = {}) {
    resetFakeElectron();
    const base = await mkdtemp(join(tmpdir(), 'vigil-ipc-'));
    const dirs: Record<string, string> = {};
    const ids: Record<string, string> = {};
    for (const name of options.projects ?? ['alpha']) {
      const dir = join(base, name);
      await writeTasks(dir, [{ id: 1, title: `${name} first task`, status: 'pending' }]);
      dirs[name] = dir;
      ids[name] = projectIdFor(dir);
    }
    const engine = await createEngine({ roots: Object.values(dirs), driftSweepMs: 0, heartbeatMs: 200, ...options.engine });
    const contents = new FakeWebContents();
    const where = 'the IPC bridge';
    const client = {
      hellos: [] as Hello[],
      events: [] as EngineEvent[],
      logs: [] as LogMessage[],
      beats: [] as Heartbeat[],
    };
    // What the window's preload would hear on each push channel.
    const pushes = new Map<string, (payload: unknown) => void>([
      [protocolChannel('hello'), (hello) => (checkHello(hello, where), client.hellos.push(hello as Hello))],
      [protocolChannel('events'), (batch) => (checkEvents(batch, where), client.events.push(...(batch as EngineEvent[])))],
      [protocolChannel('log'), (msg) => (checkLog(msg, where), client.logs.push(msg as LogMessage))],
      [protocolChannel('heartbeat'), (beat) => (checkHeartbeat(beat, where), client.beats.push(beat as Heartbeat))],
    ]);
    contents.send = (channel: string, ...args: unknown[]) => {
      if (!SERVER_EVENT_NAMES.some((name) => protocolChannel(name) === channel)) throw new Error(`push on an unknown channel ${channel}`);
      pushes.get(channel)?.(args[0]);
    };
    const { pushServerEvent } = await import('../../../main/electron/ipc');
    const runs = await runsFor(engine, base, options.actions);
    const session = createWindowSession(engine, (event, ...args) => pushServerEvent(contents as never, event, ...args), {
      startDemo: options.startDemo,
      freshHelloIntervalMs: options.freshHelloIntervalMs,
      ...(runs ? { runs } : {}),
      history: options.history,
    });
    const bridge = wireIpc({
      trustedWindow: () => ({ webContentsId: contents.id, appUrl: APP_URL }),
      session: () => session,
      desktop: (async () => ({ ok: false, error: { event: 'desktop', code: 'unknown', message: 'not in these tests' } })) as never,
      log: () => undefined,
    });
    const invoke = (channel: string, ...args: unknown[]): Promise<unknown> => {
      const handler = ipcMain.handlers.get(channel);
      if (!handler) throw new Error(`no handler for ${channel}`);
      return Promise.resolve(handler({ sender: { id: contents.id }, senderFrame: { url: APP_URL, parent: null } }, ...args));
    };
    const rawRequest = async (name: string, payload: unknown): Promise<Reply<unknown>> => {
      const reply = (await invoke(REQUEST_CHANNEL, name, payload)) as Reply<unknown>;
      checkReply(name, reply, where);
      return reply;
    };
    const contractClient: ContractClient = {
      ...client,
      get hello() {
        const hello = client.hellos[0];
        if (!hello) throw new Error('no hello yet');
        return hello;
      },
      get seqs() {
        return client.events.map((e) => e.seq);
      },
      request: (name, payload) => rawRequest(name, payload) as never,
      rawRequest,
    };
    let connected = false;
    return {
      base,
      dirs,
      ids,
      engine,
      runs,
      starter: 'desktop',
      async connect() {
        if (connected) throw new Error('the IPC transport has one window');
        connected = true;
        const hello = await invoke(HELLO_CHANNEL);
        checkHello(hello, where);
        client.hellos.push(hello as Hello);
        return contractClient;
      },
      async close() {
        bridge.close();
        session.close();
        await runs?.close();
        await engine.close();
        await rm(base, { recursive: true, force: true });
      },
    };
  },
};

export const TRANSPORTS: readonly Transport[] = [socketTransport, ipcTransport];
