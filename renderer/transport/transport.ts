// The one seam between the renderer and the main side (docs/architecture.md, the protocol session):
// the views and the store never know whether they talk to Electron over IPC or to `vigil serve`
// over socket.io.
import type { DesktopApi, DesktopEvents } from '../../shared/desktop-protocol';
import type { Hello, RequestApi, Reply, ServerEvents } from '../../shared/protocol';

export type ConnectionStatus = 'connecting' | 'connected' | 'reconnecting' | 'disconnected';

/** What this page's access lets it do: watch only, or also change projects. */
export type AccessScope = 'read' | 'control';

export interface ConnectionChange {
  status: ConnectionStatus;
  /** What went wrong, in words a person can act on (null when nothing did). */
  reason: string | null;
  /** ms since epoch of the next automatic attempt, when one is scheduled. */
  nextRetryAt: number | null;
  /** The server refused us (bad or revoked token): retrying by itself would not help. */
  fatal: boolean;
  /** Set with `fatal` when it was the token that was refused (a link from an earlier run, a revoked token). */
  refusedToken?: boolean;
}

/** Everything a transport pushes: the server's events plus the state of the link itself. */
export interface TransportEvents extends ServerEvents {
  connection: (change: ConnectionChange) => void;
}

export interface Transport {
  readonly kind: 'ipc' | 'socket';
  /** Where the data comes from, for the UI ("this window", "http://host:port"). */
  readonly endpoint: string;
  /** Open the link; a `hello` follows once the main side has a snapshot for us. */
  connect(): void;
  /** Skip the backoff wait and try again now. */
  retry(): void;
  /** Close for good; no further events. */
  close(): void;
  readonly requests: RequestApi;
  /** A whole new snapshot, now (the refresh button). */
  snapshot(): Promise<Reply<Hello>>;
  /** What this page may do, asked once connected, so controls it cannot use are disabled from the start. */
  access(): Promise<Reply<AccessScope>>;
  on<E extends keyof TransportEvents>(event: E, listener: TransportEvents[E]): () => void;
  /** Only in the desktop app: settings, LAN server, tokens, folder picker. */
  readonly desktop?: DesktopApi;
  /** Only in the desktop app: the path of a folder dropped on the window. */
  readonly pathForFile?: (file: File) => string;
  readonly onDesktop?: <E extends keyof DesktopEvents>(event: E, listener: DesktopEvents[E]) => () => void;
}
