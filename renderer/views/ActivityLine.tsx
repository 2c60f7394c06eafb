import { useLive } from '../app/context';
import { itemNoun } from '../app/words';
import { Age, Clock } from '../components/Age';
import { StatusBadge } from '../components/StatusBadge';
import type { ActivityEntry } from '../store/live-model';
import { openItem } from './ItemRow';

/** One status transition: when, what (a phase, a story, a work order…) and where, from → to. */
export function ActivityLine({ entry, compact = false }: { entry: ActivityEntry; compact?: boolean }) {
  const projectName = useLive((s) => s.projects[entry.projectId]?.name ?? entry.projectId);
  return (
    <div className={compact ? 'activity-line compact' : 'activity-line'} data-testid="activity-row" data-id={entry.id} data-to={entry.to} data-from={entry.from ?? ''}>
      <span className="activity-time">{compact ? <Age at={entry.at} /> : <Clock at={entry.at} />}</span>
      <span className="activity-what">
        <button type="button" className="item-open activity-title" onClick={() => openItem({ kind: entry.kind, projectId: entry.projectId, id: entry.id })}>
          {entry.title}
        </button>
        <span className="muted small activity-where">
          <span data-testid="activity-kind">{itemNoun(entry.kind, entry.id)}</span> · {projectName}
        </span>
      </span>
      <span className="activity-transition">
        {entry.from ? <StatusBadge status={entry.from} /> : <span className="muted small">new</span>}
        <span className="arrow" aria-label="to">
          →
        </span>
        <StatusBadge status={entry.to} />
      </span>
    </div>
  );
}
