// Green connected, yellow connecting/reconnecting, red disconnected — always with the word, the
// round-trip time, and while down, when the next try is with a button to try now.
import { useLive, useServices } from '../app/context';
import { useNow } from '../app/clock';
import { formatDuration, formatMs } from '../app/format';
import type { ConnectionStatus } from '../transport/transport';

const LABELS: Record<ConnectionStatus, string> = {
  connecting: 'Connecting',
  connected: 'Connected',
  reconnecting: 'Reconnecting',
  disconnected: 'Disconnected',
};

export function ConnectionIndicator() {
  const { transport } = useServices();
  const connection = useLive((s) => s.connection);
  const now = useNow();
  const retryIn = connection.nextRetryAt ? Math.max(0, connection.nextRetryAt - now) : null;
  const detail =
    connection.status === 'connected'
      ? `Connected to ${transport.endpoint}; round trip ${formatMs(connection.rttMs)}`
      : connection.reason
        ? `${connection.reason}${retryIn !== null ? ` Trying again in ${formatDuration(retryIn)}.` : ''}`
        : LABELS[connection.status];
  return (
    <div className="connection-group">
      <div className={`connection ${connection.status}`} data-testid="connection-indicator" data-status={connection.status} title={detail} role="status">
        <span className="connection-dot" aria-hidden="true" />
        <span className="connection-label">{LABELS[connection.status]}</span>
        {connection.status === 'connected' && connection.rttMs !== null && (
          <span className="connection-rtt" data-testid="rtt">
            {formatMs(connection.rttMs)}
          </span>
        )}
        {connection.status === 'disconnected' && retryIn !== null && (
          <span className="connection-rtt" data-testid="retry-in">
            retry in {formatDuration(retryIn)}
          </span>
        )}
      </div>
      {connection.status === 'disconnected' && !connection.fatal && (
        <button type="button" className="small-button" data-testid="reconnect-now" onClick={() => transport.retry()}>
          Reconnect now
        </button>
      )}
    </div>
  );
}
