// Plain sentences above the views when something needs a person: the link has been down a
// while, the token was refused, or this token may only read.
import { useLive, useServices } from '../app/context';
import { useNow } from '../app/clock';
import { formatDuration } from '../app/format';

/** How long we stay quiet (indicator and toast only) before saying so in a banner. */
export const RECONNECT_BANNER_AFTER_MS = 60_000;

export function Banners() {
  const { transport } = useServices();
  const connection = useLive((s) => s.connection);
  const readOnly = useLive((s) => s.readOnly);
  const syncError = useLive((s) => s.syncError);
  const now = useNow();
  const downFor = connection.downSince !== null ? now - connection.downSince : 0;
  return (
    <>
      {connection.fatal && (
        <div className="banner error" role="alert" data-testid="auth-banner">
          <span>{connection.reason}</span>
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
            Retry now
          </button>
        </div>
      )}
      {syncError && connection.status === 'connected' && (
        <div className="banner warning" data-testid="sync-error">
          <span>Could not catch up with the server: {syncError}</span>
        </div>
      )}
      {readOnly && (
        <div className="banner info" data-testid="readonly-banner">
          <span>
            <strong>Read-only access.</strong> {readOnly} Adding, pausing and removing projects is disabled on this page.
          </span>
        </div>
      )}
    </>
  );
}
