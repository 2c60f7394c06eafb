// Ideas not yet planned: coderef stubs, Backlog.md drafts, GSD pending todos, BMAD backlog.
import { memo, useMemo } from 'react';
import { useLive } from '../app/context';
import { useUi } from '../app/ui-store';
import { Age } from '../components/Age';
import { RevealButtons } from '../components/RevealButtons';
import { RunMenu } from '../components/RunMenu';
import { RunningBadge } from '../components/RunningBadge';
import { SourceChip } from '../components/SourceChip';
import { StatusBadge } from '../components/StatusBadge';
import { groupByProject } from '../store/selectors';
import { ItemListView } from './ItemListView';
import { ItemRow } from './ItemRow';

const StubRow = memo(function StubRow({ rowKey }: { rowKey: string }) {
  const stub = useLive((s) => s.stubs.get(rowKey));
  if (!stub) return null;
  return (
    <ItemRow
      item={{ kind: 'stub', projectId: stub.projectId, id: stub.id }}
      title={stub.title}
      className="stub-row"
      data={{ testid: 'stub-row', key: rowKey, id: stub.id, status: stub.status }}
    >
      {(titleButton) => (
        <>
          <StatusBadge status={stub.status} raw={stub.rawStatus} />
          <div className="item-main">
            {titleButton}
            <div className="item-meta muted small">
              <SourceChip source={stub.source} />
              <span className="mono item-path" title={stub.path}>
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
        </>
      )}
    </ItemRow>
  );
});

export function Stubs() {
  const stubs = useLive((s) => s.stubs);
  const projects = useLive((s) => s.projects);
  const filter = useUi((s) => s.stubFilter);
  const setFilter = useUi((s) => s.setStubFilter);
  const rows = useMemo(() => groupByProject(stubs, projects, filter), [stubs, projects, filter]);
  return (
    <ItemListView
      name="stubs"
      noun="stub"
      table={stubs}
      filter={filter}
      onFilter={setFilter}
      rows={rows}
      empty={{ title: 'No stubs', body: 'Ideas that are not planned yet (coderef stubs, Backlog.md drafts, GSD todos) show up here.' }}
      renderItem={(row) => <StubRow rowKey={row.key} />}
    />
  );
}
