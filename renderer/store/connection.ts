// The state of the link to the main side, as the header, banner and stale-data greying read it.
import type { ConnectionChange, ConnectionStatus } from '../transport/transport';

export interface ConnectionState {
  status: ConnectionStatus;
  /** ms since epoch when `status` last changed. */
  since: number;
  /** ms since epoch when we last stopped being connected (null while connected or before the first connect). */
  downSince: number | null;
  everConnected: boolean;
  reason: string | null;
  nextRetryAt: number | null;
  fatal: boolean;
  /** With `fatal`: the server no longer accepts this page's token. */
  refusedToken: boolean;
  /** Round-trip time of the last probe, ms. */
  rttMs: number | null;
  /** How many times we came back after losing the link. */
  reconnects: number;
}

export function initialConnection(now: number = Date.now()): ConnectionState {
  return {
    status: 'connecting',
    since: now,
    downSince: null,
    everConnected: false,
    reason: null,
    nextRetryAt: null,
    fatal: false,
    refusedToken: false,
    rttMs: null,
    reconnects: 0,
  };
}

export function applyConnectionChange(state: ConnectionState, change: ConnectionChange, now: number = Date.now()): ConnectionState {
  const connected = change.status === 'connected';
  const statusChanged = change.status !== state.status;
  return {
    ...state,
    status: change.status,
    since: statusChanged ? now : state.since,
    downSince: connected ? null : state.everConnected ? (state.downSince ?? now) : null,
    everConnected: state.everConnected || connected,
    reason: change.reason,
    nextRetryAt: change.nextRetryAt,
    fatal: change.fatal,
    refusedToken: change.refusedToken === true,
    reconnects: state.reconnects + (connected && state.everConnected && statusChanged ? 1 : 0),
  };
}
