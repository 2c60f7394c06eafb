// Every status transition Vigil saw (the newest 200), newest first, filterable.
import { useVirtualizer } from '@tanstack/react-virtual';
import { useMemo, useRef } from 'react';
import { STATUSES } from '../app/statuses';
import { useLive } from '../app/context';
import { STATUS_LABELS } from '../app/format';
import { useUi } from '../app/ui-store';
import { count } from '../app/words';
import { EmptyState } from '../components/EmptyState';
import { SearchInput } from '../components/SearchInput';
import { filterActivity } from '../store/selectors';
import { ActivityLine } from './ActivityLine';
import { ProjectSelect } from './ItemFilterBar';

export function Activity() {
  const activity = useLive((s) => s.activity);
  const filter = useUi((s) => s.activityFilter);
  const setFilter = useUi((s) => s.setActivityFilter);
  const entries = useMemo(() => filterActivity(activity, filter), [activity, filter]);
  const scrollRef = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: entries.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => 44,
    getItemKey: (i) => entries[i]!.key,
    overscan: 10,
  });
  return (
    <div className="view list-view" data-testid="view-activity">
      <div className="filter-bar">
        <div className="filter-row">
          <SearchInput value={filter.search} onChange={(search) => setFilter({ search })} placeholder="Search activity…" testId="activity-search" />
          <ProjectSelect value={filter.projectId} onChange={(projectId) => setFilter({ projectId })} testId="activity-project" />
          <select className="select" aria-label="Kind" value={filter.kind ?? ''} data-testid="activity-kind" onChange={(e) => setFilter({ kind: (e.target.value || null) as typeof filter.kind })}>
            <option value="">Plans, stubs and work orders</option>
            <option value="plan">Plans</option>
            <option value="stub">Stubs</option>
            <option value="workorder">Work orders</option>
          </select>
          <select className="select" aria-label="New status" value={filter.to ?? ''} data-testid="activity-to" onChange={(e) => setFilter({ to: (e.target.value || null) as typeof filter.to })}>
            <option value="">Any new status</option>
            {STATUSES.map((s) => (
              <option key={s} value={s}>
                → {STATUS_LABELS[s]}
              </option>
            ))}
          </select>
          <span className="muted small filter-count">
            {entries.length === activity.length ? count(activity.length, 'status change') : `${entries.length} of ${count(activity.length, 'status change')}`}
          </span>
        </div>
      </div>
      {activity.length === 0 ? (
        <EmptyState title="No activity yet">Status changes (a task ticked, a story moved to review, a work order failing) appear here the moment a file says so.</EmptyState>
      ) : entries.length === 0 ? (
        <EmptyState title="No transitions match these filters" />
      ) : (
        <div className="list-scroll" ref={scrollRef} data-testid="activity-list">
          <div className="list-inner" role="list" aria-label={count(entries.length, 'status change')} style={{ height: virtualizer.getTotalSize() }}>
            {virtualizer.getVirtualItems().map((v) => (
              <div key={v.key} ref={virtualizer.measureElement} data-index={v.index} role="listitem" className="list-slot" style={{ transform: `translateY(${v.start}px)` }}>
                <ActivityLine entry={entries[v.index]!} />
              </div>
            ))}
          </div>
        </div>
      )}
    </div>
  );
}
