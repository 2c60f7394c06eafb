// The protocol served to any number of clients over one transport: the shared snapshot, the
// event fan-out and the limits every client session is held to. A transport server creates one
// and opens a ClientSession per connection (main/server/socket.ts, the desktop window's bridge).
import type { EngineApi } from '../engine/api';
import type { Runs } from '../runs/runs';
import type { HistoryApi } from '../store/history';
import type { ClientLink } from './client-link';
import { EventFanout, type Broadcast, type FanoutOptions } from './fanout';
import type { DemoStarter } from './handlers';
import { SharedSnapshot } from './hello';
import { LogBroadcast } from './log-broadcast';
import type { RateLimitOptions } from './rate-limit';
import { ClientSession } from './session';

/** A client gets at most one fresh hello (a whole snapshot) per this many ms. */
export const DEFAULT_FRESH_HELLO_INTERVAL_MS = 3000;
/**
 * Bytes that may wait to be written to one client before it counts as not reading and is
 * disconnected; raised to two snapshots' worth when the snapshot is bigger.
 */
export const DEFAULT_MAX_BUFFERED_BYTES = 16 * 1024 * 1024;

export interface ProtocolServiceOptions {
  engine: EngineApi;
  /** One message to many clients; default: each client's own `send`. socket.io serializes once. */
  broadcast?: Broadcast;
  /** What `demo:start` runs; without it the request answers `failed`. */
  startDemo?: DemoStarter;
  /** Runs of actions (run:*, batch:*, runs:list, actions:list, run logs); without it those answer `failed`. */
  runs?: Runs;
  /** The journal behind the history requests (main/store). */
  history?: HistoryApi;
  /** Refused requests and dropped clients. */
  log?: (line: string) => void;
  /** Per-client message budget; none for a trusted transport (our own window). */
  rateLimit?: RateLimitOptions | null;
  freshHelloIntervalMs?: number;
  maxBufferedBytes?: number;
  fanout?: FanoutOptions;
}

/** What a ClientSession shares with the others of its service. */
export interface ServiceCore {
  readonly engine: EngineApi;
  readonly snapshots: SharedSnapshot;
  readonly fanout: EventFanout;
  readonly startDemo: DemoStarter | undefined;
  readonly runs: Runs | undefined;
  readonly history: HistoryApi | undefined;
  readonly rateLimit: RateLimitOptions | null;
  readonly freshHelloIntervalMs: number;
  /** New log lines to their followers, encoded once for all of them. */
  readonly logs: LogBroadcast;
  log(line: string): void;
  /** Hang up on a client with more waiting to be written than it may have. */
  dropIfBacklogged(link: ClientLink): void;
  /** Hang up on a client, saying why in the log. */
  hangUp(link: ClientLink, reason: string): void;
}

export class ProtocolService {
  /** The snapshot of the current seq, serialized once: also what `GET /api/snapshot` answers. */
  readonly snapshots: SharedSnapshot;
  private readonly sessions = new Map<string, ClientSession>();
  private readonly core: ServiceCore;
  private readonly fanout: EventFanout;

  constructor(options: ProtocolServiceOptions) {
    const log = options.log ?? (() => undefined);
    const maxBufferedBytes = options.maxBufferedBytes ?? DEFAULT_MAX_BUFFERED_BYTES;
    const snapshots = new SharedSnapshot(options.engine);
    const broadcast: Broadcast =
      options.broadcast ??
      ((ids, event, payload) => {
        for (const id of ids) {
          const link = this.sessions.get(id)?.link;
          (link?.send as ((event: string, payload: unknown) => void) | undefined)?.call(link, event, payload);
        }
      });
    const hangUp = (link: ClientLink, reason: string): void => {
      log(`${link.label}: disconnected ${reason}`);
      link.close(reason);
    };
    const dropIfBacklogged = (link: ClientLink): void => {
      const waiting = link.bufferedBytes();
      const limit = Math.max(maxBufferedBytes, 2 * snapshots.knownJsonLength());
      if (waiting > limit) hangUp(link, `because ${waiting} bytes wait to be written to it, over the limit of ${limit}: it is not reading`);
    };
    this.snapshots = snapshots;
    this.fanout = new EventFanout(
      {
        engine: options.engine,
        broadcast,
        hello: () => snapshots.hello(),
        afterFrame: (links) => {
          for (const link of links) dropIfBacklogged(link);
        },
      },
      options.fanout,
    );
    this.core = {
      engine: options.engine,
      snapshots,
      fanout: this.fanout,
      startDemo: options.startDemo,
      runs: options.runs,
      history: options.history,
      rateLimit: options.rateLimit ?? null,
      freshHelloIntervalMs: options.freshHelloIntervalMs ?? DEFAULT_FRESH_HELLO_INTERVAL_MS,
      logs: new LogBroadcast(broadcast, (ids) => {
        for (const id of ids) {
          const link = this.sessions.get(id)?.link;
          if (link) dropIfBacklogged(link);
        }
      }),
      log,
      dropIfBacklogged,
      hangUp,
    };
  }

  /** A session for a new client; close it when the client goes. */
  open(link: ClientLink): ClientSession {
    const session = new ClientSession(link, this.core, () => this.sessions.delete(link.id));
    this.sessions.set(link.id, session);
    return session;
  }

  close(): void {
    for (const session of [...this.sessions.values()]) session.close();
    this.core.logs.close();
    this.fanout.close();
    this.snapshots.clear();
  }
}
