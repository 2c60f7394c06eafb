import { useLive } from '../app/context';
import { Age, Clock } from '../components/Age';
import { StatusBadge } from '../components/StatusBadge';
import type { ActivityEntry } from '../store/live-model';

/** One status transition: when, where, what, from → to. */
export function ActivityLine({ entry, compact = false }: { entry: ActivityEntry; compact?: boolean }) {
  const projectName = useLive((s) => s.projects[entry.projectId]?.name ?? entry.projectId);
  return (
    <div className={compact ? 'activity-line compact' : 'activity-line'} data-testid="activity-row" data-id={entry.id} data-to={entry.to} data-from={entry.from ?? ''}>
      <span className="activity-time">{compact ? <Age at={entry.at} /> : <Clock at={entry.at} />}</span>
      <span className="activity-what">
        <span className="activity-title">{entry.title}</span>
        <span className="muted small">
          {' '}
          {entry.kind} · {projectName}
        </span>
      </span>
      <span className="activity-transition">
        {entry.from ? <StatusBadge status={entry.from} /> : <span className="muted small">new</span>}
        <span className="arrow" aria-label="to">→</span>
        <StatusBadge status={entry.to} />
      </span>
    </div>
  );
}
