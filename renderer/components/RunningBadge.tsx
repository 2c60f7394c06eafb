// The sign on an item's row that a run is working on it (or waiting to): a click opens its log.
import type { Run } from '../../shared/model';
import { openRunLog } from './RunMenu';

/** The run given is the row's own (activeRunOn in its model selector): the badge subscribes to nothing. */
export function RunningBadge({ run, itemId }: { run: Run | undefined; itemId: string }) {
  if (!run) return null;
  const label = run.state === 'running' ? 'running' : run.position ? `queued #${run.position}` : 'queued';
  return (
    <button
      type="button"
      className={`running-badge ${run.state}`}
      data-testid="running-badge"
      data-state={run.state}
      title={`${run.actionLabel} is ${label}${run.lastMessage ? `: ${run.lastMessage}` : ''} — open its log`}
      onClick={(e) => {
        e.stopPropagation();
        openRunLog(run, `${run.actionLabel} on ${run.itemTitle ?? itemId}`);
      }}
    >
      <span className="running-dot" aria-hidden="true" />
      {run.actionLabel} {label}
    </button>
  );
}
