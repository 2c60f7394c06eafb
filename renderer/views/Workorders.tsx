// Execution records (coderef WO-… ids), each with a button that follows its log live.
import { memo, useMemo } from 'react';
import { useLive } from '../app/context';
import { useUi } from '../app/ui-store';
import { Age } from '../components/Age';
import { EmptyState } from '../components/EmptyState';
import { GroupedList } from '../components/GroupedList';
import { RevealButtons } from '../components/RevealButtons';
import { StatusBadge } from '../components/StatusBadge';
import { groupByProject } from '../store/selectors';
import { ItemFilterBar } from './ItemFilterBar';

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
    <div className="item-row workorder-row" data-testid="workorder-row" data-key={rowKey} data-id={wo.id} data-status={wo.status}>
      <StatusBadge status={wo.status} />
      <div className="item-main">
        <div className="item-title" title={wo.title}>
          <span className="mono wo-id">{wo.id}</span> {wo.title !== wo.id && wo.title}
        </div>
        <div className="item-meta muted small">
          {wo.activity && (
            <span className="wo-activity" data-testid="workorder-activity" title={wo.activity}>
              {wo.activity}
            </span>
          )}
          <span className="mono" title={wo.path}>
            {wo.path}
          </span>
          {lastActivity !== null && !Number.isNaN(lastActivity) && (
            <span>
              last log line <Age at={lastActivity} />
            </span>
          )}
        </div>
      </div>
      <RevealButtons projectId={wo.projectId} path={wo.path} />
      {wo.logPath ? (
        <button type="button" className={isOpen ? 'on' : undefined} data-testid="open-log" onClick={() => openLog(wo.projectId, wo.logPath!, wo.title === wo.id ? wo.id : `${wo.id} · ${wo.title}`, wo.id)}>
          {isOpen ? 'Log open' : 'Open log'}
        </button>
      ) : (
        <span className="muted small">no log</span>
      )}
    </div>
  );
});

export function Workorders() {
  const workorders = useLive((s) => s.workorders);
  const projects = useLive((s) => s.projects);
  const filter = useUi((s) => s.workorderFilter);
  const setFilter = useUi((s) => s.setWorkorderFilter);
  const rows = useMemo(() => groupByProject(workorders, projects, filter), [workorders, projects, filter]);
  const shown = rows.filter((r) => r.type === 'item').length;
  return (
    <div className="view list-view" data-testid="view-workorders">
      <ItemFilterBar table={workorders} filter={filter} onChange={setFilter} noun="work orders" shown={shown} testPrefix="workorders" />
      {workorders.size === 0 ? (
        <EmptyState title="No work orders">Work orders come from coderef (WO-… ids in coderef/workorder-log.txt, plan.json and communication.json).</EmptyState>
      ) : shown === 0 ? (
        <EmptyState title="No work orders match these filters" />
      ) : (
        <GroupedList rows={rows} rowHeight={52} testId="workorder-list" renderItem={(key) => <WorkorderRow rowKey={key} />} />
      )}
    </div>
  );
}
