// Execution records (coderef WO-… ids), each with a button that follows its log live.
import { memo, useMemo } from 'react';
import { useLive } from '../app/context';
import { useUi } from '../app/ui-store';
import { Age } from '../components/Age';
import { RevealButtons } from '../components/RevealButtons';
import { StatusBadge } from '../components/StatusBadge';
import { groupByProject } from '../store/selectors';
import { ItemListView } from './ItemListView';
import { ItemRow } from './ItemRow';

/** Open a log in the panel (which subscribes to it), narrowed to one work order's lines when given one. */
export function useOpenLog() {
  const setOpenLog = useUi((s) => s.setOpenLog);
  return (projectId: string, path: string, title: string, workorderId?: string) => setOpenLog({ projectId, path, title, workorderId });
}

const WorkorderRow = memo(function WorkorderRow({ rowKey }: { rowKey: string }) {
  const wo = useLive((s) => s.workorders.get(rowKey));
  const openLog = useOpenLog();
  const isOpen = useUi((s) => s.openLog !== null && wo !== undefined && s.openLog.projectId === wo.projectId && s.openLog.path === wo.logPath);
  if (!wo) return null;
  const lastActivity = wo.lastActivity ? Date.parse(wo.lastActivity) : null;
  return (
    <ItemRow
      item={{ kind: 'workorder', projectId: wo.projectId, id: wo.id }}
      title={
        <>
          <span className="mono wo-id">{wo.id}</span> {wo.title !== wo.id && wo.title}
        </>
      }
      className="workorder-row"
      data={{ testid: 'workorder-row', key: rowKey, id: wo.id, status: wo.status }}
    >
      {(titleButton) => (
        <>
          <StatusBadge status={wo.status} />
          <div className="item-main">
            {titleButton}
            <div className="item-meta muted small">
              {wo.activity && (
                <span className="wo-activity" data-testid="workorder-activity" title={wo.activity}>
                  {wo.activity}
                </span>
              )}
              <span className="mono item-path" title={wo.path}>
                {wo.path}
              </span>
              {lastActivity !== null && !Number.isNaN(lastActivity) && (
                <span>
                  last log line <Age at={lastActivity} />
                </span>
              )}
            </div>
          </div>
          <span className="item-actions">
            <RevealButtons projectId={wo.projectId} path={wo.path} />
            {wo.logPath ? (
              <button type="button" className={isOpen ? 'on' : undefined} data-testid="open-log" aria-pressed={isOpen} onClick={() => openLog(wo.projectId, wo.logPath!, wo.title === wo.id ? wo.id : `${wo.id} · ${wo.title}`, wo.id)}>
                {isOpen ? 'Log open' : 'Open log'}
              </button>
            ) : (
              <span className="muted small">no log</span>
            )}
          </span>
        </>
      )}
    </ItemRow>
  );
});

export function Workorders() {
  const workorders = useLive((s) => s.workorders);
  const projects = useLive((s) => s.projects);
  const filter = useUi((s) => s.workorderFilter);
  const setFilter = useUi((s) => s.setWorkorderFilter);
  const rows = useMemo(() => groupByProject(workorders, projects, filter), [workorders, projects, filter]);
  return (
    <ItemListView
      name="workorders"
      noun="work order"
      table={workorders}
      filter={filter}
      onFilter={setFilter}
      rows={rows}
      empty={{ title: 'No work orders', body: 'Work orders come from coderef (WO-… ids in coderef/workorder-log.txt, plan.json and communication.json).' }}
      renderItem={(row) => <WorkorderRow rowKey={row.key} />}
    />
  );
}
