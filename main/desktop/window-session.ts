// The desktop window ⇄ the protocol session, over Electron IPC. Electron-free: the shell passes
// a `push` bound to the window's webContents. No protocol logic lives here; see
// main/session/session.ts.
import type { Hello, Reply, ServerEvents } from '../../shared/protocol';
import type { EngineApi } from '../engine/api';
import type { Runs } from '../runs/runs';
import type { HistoryApi } from '../store/history';
import type { DemoStarter } from '../session/handlers';
import { ProtocolService } from '../session/service';

export type Push = <E extends keyof ServerEvents>(event: E, ...args: Parameters<ServerEvents[E]>) => void;

export interface WindowSessionOptions {
  /** `demo:start`: create the demo workspace and add its projects; absent when not offered. */
  startDemo?: DemoStarter;
  /** Where problems go (a log line, never a crash). */
  log?: (message: string) => void;
  /** Runs of actions; the window's runs are recorded as started by "desktop". */
  runs?: Runs;
  /** Least ms between two fresh hellos answered to a resync (the protocol's default unless a test lowers it). */
  freshHelloIntervalMs?: number;
  /** The journal the history requests read; without it they fail with a message. */
  history?: HistoryApi;
}

/** Who the window's runs are recorded as started by. */
export const DESKTOP_STARTER = 'desktop';

export interface WindowSession {
  /** A fresh hello; from then on events after its seq are pushed. Calling again (a reload) starts over. */
  hello(): Hello;
  /** Serve one request; never throws. */
  request(name: unknown, payload: unknown): Promise<Reply<unknown>>;
  close(): void;
}

export function createWindowSession(engine: EngineApi, push: Push, options: WindowSessionOptions = {}): WindowSession {
  const log = options.log ?? (() => undefined);
  // Our own window, whose sender every IPC message is checked against: it may control, and
  // it is not rate-limited. IPC cannot tell what is waiting to be read, nor be hung up on.
  const service = new ProtocolService({
    engine,
    startDemo: options.startDemo,
    runs: options.runs,
    history: options.history,
    log,
    rateLimit: null,
    freshHelloIntervalMs: options.freshHelloIntervalMs,
  });
  const session = service.open({
    id: 'window',
    scope: 'control',
    label: 'the Vigil window',
    startedBy: DESKTOP_STARTER,
    send: push,
    bufferedBytes: () => 0,
    close: (reason) => log(`the Vigil window would have been disconnected ${reason}`),
  });
  return {
    hello: () => session.hello(),
    request: (name, payload) => session.request(name, payload),
    close: () => service.close(),
  };
}
