// What the protocol session needs from a transport: a way to push to one client, to tell how
// much is waiting to be written to it, and to hang up; and who the client is. socket.io and
// Electron IPC each implement it in a few lines.
import type { TokenScope } from '../../shared/tokens';
import type { ServerEvents } from '../../shared/protocol';

export interface ClientLink {
  /** Unique among the clients of one protocol service. */
  readonly id: string;
  /** What the client may do: `control` requests need control scope. */
  readonly scope: TokenScope;
  /** Who it is, for log lines: "client 3f… (token t1, 127.0.0.1)". */
  readonly label: string;
  /** Who its runs are recorded as started by: the token's label (else its id), or "desktop". */
  readonly startedBy: string;
  send<E extends keyof ServerEvents>(event: E, ...args: Parameters<ServerEvents[E]>): void;
  /** Bytes handed to the transport for this client and not yet taken by it (0 where it cannot tell). */
  bufferedBytes(): number;
  /** Hang up on the client; `reason` is logged. */
  close(reason: string): void;
}
