// Ideas not yet planned: coderef stubs, Backlog.md drafts, GSD pending todos, BMAD backlog.
import { memo, useMemo } from 'react';
import { useLive } from '../app/context';
import { useUi } from '../app/ui-store';
import { Age } from '../components/Age';
import { EmptyState } from '../components/EmptyState';
import { GroupedList } from '../components/GroupedList';
import { RevealButtons } from '../components/RevealButtons';
import { RunMenu } from '../components/RunMenu';
import { RunningBadge } from '../components/RunningBadge';
import { SourceChip } from '../components/SourceChip';
import { StatusBadge } from '../components/StatusBadge';
import { groupByProject } from '../store/selectors';
import { ItemFilterBar } from './ItemFilterBar';

const StubRow = memo(function StubRow({ rowKey }: { rowKey: string }) {
  const stub = useLive((s) => s.stubs.get(rowKey));
  if (!stub) return null;
  return (
    <div className="item-row stub-row" data-testid="stub-row" data-key={rowKey} data-id={stub.id} data-status={stub.status}>
      <StatusBadge status={stub.status} raw={stub.rawStatus} />
      <div className="item-main">
        <div className="item-title" title={stub.title}>
          {stub.title}
        </div>
        <div className="item-meta muted small">
          <SourceChip source={stub.source} />
          <span className="mono" title={stub.path}>
            {stub.path}
          </span>
          <RunningBadge projectId={stub.projectId} itemId={stub.id} />
        </div>
      </div>
      <RunMenu target={{ projectId: stub.projectId, itemId: stub.id, title: stub.title }} compact />
      <span className="item-age muted small">
        <Age at={stub.updatedAt} />
        <RevealButtons projectId={stub.projectId} path={stub.path} />
      </span>
    </div>
  );
});

export function Stubs() {
  const stubs = useLive((s) => s.stubs);
  const projects = useLive((s) => s.projects);
  const filter = useUi((s) => s.stubFilter);
  const setFilter = useUi((s) => s.setStubFilter);
  const rows = useMemo(() => groupByProject(stubs, projects, filter), [stubs, projects, filter]);
  const shown = rows.filter((r) => r.type === 'item').length;
  return (
    <div className="view list-view" data-testid="view-stubs">
      <ItemFilterBar table={stubs} filter={filter} onChange={setFilter} noun="stubs" shown={shown} testPrefix="stubs" />
      {stubs.size === 0 ? (
        <EmptyState title="No stubs">Ideas that are not planned yet (coderef stubs, Backlog.md drafts, GSD todos) show up here.</EmptyState>
      ) : shown === 0 ? (
        <EmptyState title="No stubs match these filters" />
      ) : (
        <GroupedList rows={rows} rowHeight={52} testId="stub-list" renderItem={(key) => <StubRow rowKey={key} />} />
      )}
    </div>
  );
}
