// Green connected, yellow connecting/reconnecting, red disconnected — with the round-trip time,
// and on hover what is happening in words.
import { useLive } from '../app/context';
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
  const connection = useLive((s) => s.connection);
  const now = useNow();
  const retryIn = connection.nextRetryAt ? Math.max(0, connection.nextRetryAt - now) : null;
  const detail =
    connection.status === 'connected'
      ? `Round trip ${formatMs(connection.rttMs)}`
      : connection.reason
        ? `${connection.reason}${retryIn !== null ? ` Retrying in ${formatDuration(retryIn)}.` : ''}`
        : LABELS[connection.status];
  return (
    <div className={`connection ${connection.status}`} data-testid="connection-indicator" data-status={connection.status} title={detail} role="status" aria-live="polite">
      <span className="connection-dot" aria-hidden="true" />
      <span className="connection-label">{LABELS[connection.status]}</span>
      {connection.status === 'connected' && connection.rttMs !== null && (
        <span className="connection-rtt" data-testid="rtt">
          {formatMs(connection.rttMs)}
        </span>
      )}
      {connection.status === 'disconnected' && retryIn !== null && (
        <span className="connection-rtt">retry in {formatDuration(retryIn)}</span>
      )}
    </div>
  );
}
