// The sign on an item's row that a run is working on it (or waiting to): a click opens its log.
import { useLive } from '../app/context';
import { itemKey } from '../store/keys';
import { activeRunsOf } from '../store/runs';
import { openRunLog } from './RunMenu';

export function RunningBadge({ projectId, itemId }: { projectId: string; itemId: string }) {
  const run = useLive((s) => activeRunsOf(s.runs).get(itemKey(projectId, itemId)));
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
