// Plain sentences above the views when something needs a person: the link has been down a
// while, the server no longer accepts this page's link, or this link may only watch.
import { useLive, useServices } from '../app/context';
import { useNow } from '../app/clock';
import { formatDuration } from '../app/format';
import { READ_ONLY_HINT } from '../components/ControlButton';
import type { ConnectionState } from '../store/connection';

/** How long we stay quiet (indicator and toast only) before saying so in a banner. */
export const RECONNECT_BANNER_AFTER_MS = 60_000;

/** Why the server turned this page away, in words that say what to do. */
export function refusalText(connection: ConnectionState, endpoint: string): string {
  if (!connection.refusedToken) return connection.reason ?? `${endpoint} refused this page.`;
  return connection.everConnected
    ? `This link is no longer valid: ${endpoint} does not accept its token any more. The server was restarted with new tokens (each \`vigil demo\` makes a new link) or the token was revoked. Open the link the server printed last.`
    : `This link is not valid for ${endpoint}: its token is mistyped, revoked, or from an earlier run of the server. Open the link the server printed, or make one with \`vigil token create\`.`;
}

export function Banners() {
  const { transport } = useServices();
  const connection = useLive((s) => s.connection);
  const access = useLive((s) => s.access);
  const syncError = useLive((s) => s.syncError);
  const now = useNow();
  const downFor = connection.downSince !== null ? now - connection.downSince : 0;
  return (
    <>
      {connection.fatal && (
        <div className="banner error" role="alert" data-testid="auth-banner">
          <span>{refusalText(connection, transport.endpoint)}</span>
          <button type="button" onClick={() => transport.retry()}>
            Try again
          </button>
        </div>
      )}
      {!connection.fatal && connection.status !== 'connected' && downFor >= RECONNECT_BANNER_AFTER_MS && (
        <div className="banner warning" role="alert" data-testid="reconnect-banner">
          <span>
            Vigil has been trying to reconnect to {transport.endpoint} for {formatDuration(downFor)}. The server may have
            stopped or the network is down; what you see below is the last state received.
          </span>
          <button type="button" data-testid="retry-button" onClick={() => transport.retry()}>
            Reconnect now
          </button>
        </div>
      )}
      {syncError && connection.status === 'connected' && (
        <div className="banner warning" data-testid="sync-error">
          <span>Could not catch up with the server: {syncError}</span>
        </div>
      )}
      {access === 'read' && (
        <div className="banner info" data-testid="readonly-banner">
          <span>
            <strong>Watching only.</strong> {READ_ONLY_HINT}
          </span>
        </div>
      )}
    </>
  );
}
