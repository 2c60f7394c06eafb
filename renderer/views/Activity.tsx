// Every status transition Vigil saw, newest first, filterable: the live feed (the newest 200),
// and below it the journal's pages, loaded as the list is scrolled to its end.
import { useVirtualizer } from '@tanstack/react-virtual';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { STATUSES } from '../app/statuses';
import { useLive, useServices } from '../app/context';
import { STATUS_LABELS } from '../app/format';
import { useUi } from '../app/ui-store';
import { count } from '../app/words';
import { EmptyState } from '../components/EmptyState';
import { SearchInput } from '../components/SearchInput';
import { pagingStart, toEntries } from '../history/older-activity';
import type { ActivityEntry } from '../store/live-model';
import { filterActivity } from '../store/selectors';
import { ActivityLine } from './ActivityLine';
import { ProjectSelect } from './ItemFilterBar';

interface Older {
  projectId: string | null;
  entries: ActivityEntry[];
  nextBeforeSeq: number | null;
  /** The journal has nothing older (or there is no journal). */
  done: boolean;
  loading: boolean;
  error: string | null;
}

/** The journal's pages under the live feed, for one project filter (the others filter on screen). */
function useOlderActivity(live: readonly ActivityEntry[], projectId: string | null) {
  const { sync } = useServices();
  const lastSeq = useLive((s) => s.lastSeq);
  const [older, setOlder] = useState<Older>({ projectId, entries: [], nextBeforeSeq: null, done: false, loading: false, error: null });
  const current = older.projectId === projectId ? older : { projectId, entries: [], nextBeforeSeq: null, done: false, loading: false, error: null };
  const inFlight = useRef(false);

  const loadMore = useCallback(() => {
    if (inFlight.current || current.done) return;
    inFlight.current = true;
    const below = current.entries[0]?.seq ?? pagingStart(live, lastSeq);
    const beforeSeq = current.nextBeforeSeq ?? below;
    setOlder({ ...current, loading: true });
    void sync
      .request('history:query', { types: ['item:status'], beforeSeq: Math.max(1, beforeSeq), limit: 100, ...(projectId ? { projectId } : {}) })
      .then((reply) => {
        inFlight.current = false;
        setOlder((before) => {
          const base = before.projectId === projectId ? before : current;
          if (!reply.ok) return { ...base, loading: false, done: true, error: reply.error.message };
          const entries = [...toEntries(Array.isArray(reply.data.events) ? reply.data.events : [], below), ...base.entries];
          return { ...base, entries, nextBeforeSeq: reply.data.nextBeforeSeq, done: reply.data.nextBeforeSeq === null || beforeSeq <= 1, loading: false, error: null };
        });
      });
  }, [current, live, lastSeq, projectId, sync]);

  return { older: current, loadMore };
}

export function Activity() {
  const activity = useLive((s) => s.activity);
  const filter = useUi((s) => s.activityFilter);
  const setFilter = useUi((s) => s.setActivityFilter);
  const { older, loadMore } = useOlderActivity(activity, filter.projectId);
  const all = useMemo(() => (older.entries.length > 0 ? [...older.entries, ...activity] : activity), [older.entries, activity]);
  const entries = useMemo(() => filterActivity(all, filter), [all, filter]);
  const scrollRef = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: entries.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => 44,
    getItemKey: (i) => entries[i]!.key,
    overscan: 10,
  });
  const lastVisible = virtualizer.getVirtualItems().at(-1)?.index ?? -1;
  // Near the end of what is loaded: fetch the next page back (and again while filters hide it all).
  useEffect(() => {
    if (!older.done && !older.loading && lastVisible >= entries.length - 5) loadMore();
  }, [lastVisible, entries.length, older.done, older.loading, loadMore]);
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
          <span className="muted small filter-count" data-testid="activity-count">
            {entries.length === all.length ? count(all.length, 'status change') : `${entries.length} of ${count(all.length, 'status change')}`}
            {older.done ? '' : ', more in the journal'}
          </span>
        </div>
      </div>
      {all.length === 0 && older.loading ? (
        <EmptyState tone="loading" title="Reading the journal…" />
      ) : all.length === 0 ? (
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
          <div className="activity-more muted small" data-testid="activity-more">
            {older.loading ? 'Loading older activity…' : older.error ? `Older activity is not available: ${older.error}` : older.done ? 'The beginning of the journal.' : (
              <button type="button" onClick={loadMore}>
                Load older activity
              </button>
            )}
          </div>
        </div>
      )}
    </div>
  );
}
