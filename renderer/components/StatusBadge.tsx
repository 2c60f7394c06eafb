import type { Status } from '../../shared/model';
import { STATUS_LABELS } from '../app/format';

/** The normalized status, with the tool's own word beside it when it says something else. */
export function StatusBadge({ status, raw }: { status: Status; raw?: string }) {
  // 'In Progress', 'in-progress' and 'in_progress' say the same thing as the badge: no need to repeat it.
  const showRaw = raw !== undefined && raw !== '' && raw.toLowerCase().replace(/[^a-z]/g, '') !== status.replace(/_/g, '');
  const label = STATUS_LABELS[status];
  // The badge alone needs no box around it: a list mounts one per row as it scrolls.
  if (!showRaw) {
    return (
      <span className={`status badge badge-${status}`} data-testid="status" data-status={status}>
        {label}
      </span>
    );
  }
  return (
    <span className="status" data-testid="status">
      <span className={`badge badge-${status}`} data-status={status}>
        {label}
      </span>
      <span className="raw-status" title="The status as the file writes it" data-testid="raw-status">
        {raw}
      </span>
    </span>
  );
}
