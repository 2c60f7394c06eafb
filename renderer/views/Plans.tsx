// Every plan from every source, grouped by project: normalized status with the raw one beside
// it, progress measured from the files.
import { memo, useMemo } from 'react';
import { useLive } from '../app/context';
import { useUi } from '../app/ui-store';
import { Age } from '../components/Age';
import { EmptyState } from '../components/EmptyState';
import { GroupedList } from '../components/GroupedList';
import { ProgressBar } from '../components/ProgressBar';
import { RevealButtons } from '../components/RevealButtons';
import { RunMenu } from '../components/RunMenu';
import { RunningBadge } from '../components/RunningBadge';
import { SourceChip } from '../components/SourceChip';
import { StatusBadge } from '../components/StatusBadge';
import { issueKey } from '../store/keys';
import { groupByProject } from '../store/selectors';
import { ItemFilterBar } from './ItemFilterBar';

/** One row; it re-renders only when its own plan object changes. */
const PlanRow = memo(function PlanRow({ rowKey }: { rowKey: string }) {
  const plan = useLive((s) => s.plans.get(rowKey));
  const issues = useLive((s) => (plan ? s.issues.get(issueKey(plan.projectId, plan.path))?.length ?? 0 : 0));
  if (!plan) return null;
  return (
    <div className={`item-row plan-row${plan.parent ? ' child' : ''}`} data-testid="plan-row" data-key={rowKey} data-id={plan.id} data-status={plan.status} data-done={plan.progress.done} data-total={plan.progress.total}>
      <StatusBadge status={plan.status} raw={plan.rawStatus} />
      <div className="item-main">
        <div className="item-title" title={plan.title}>
          {plan.title}
        </div>
        <div className="item-meta muted small">
          <SourceChip source={plan.source} />
          <span>{plan.kind}</span>
          <span className="mono" title={plan.path}>
            {plan.path}
          </span>
          {plan.attachments && plan.attachments.length > 0 && (
            <span data-testid="plan-attachments" title={plan.attachments.join('\n')}>
              +{plan.attachments.length} document{plan.attachments.length === 1 ? '' : 's'}
            </span>
          )}
          {issues > 0 && <span className="text-warning">{issues} parse issue{issues === 1 ? '' : 's'}</span>}
          <RunningBadge projectId={plan.projectId} itemId={plan.id} />
        </div>
      </div>
      <RunMenu target={{ projectId: plan.projectId, itemId: plan.id, title: plan.title }} compact />
      <ProgressBar progress={plan.progress} compact />
      <span className="item-age muted small">
        <Age at={plan.updatedAt} />
        <RevealButtons projectId={plan.projectId} path={plan.path} />
      </span>
    </div>
  );
});

export function Plans() {
  const plans = useLive((s) => s.plans);
  const projects = useLive((s) => s.projects);
  const filter = useUi((s) => s.planFilter);
  const setFilter = useUi((s) => s.setPlanFilter);
  const rows = useMemo(() => groupByProject(plans, projects, filter), [plans, projects, filter]);
  const shown = rows.filter((r) => r.type === 'item').length;
  return (
    <div className="view list-view" data-testid="view-plans">
      <ItemFilterBar table={plans} filter={filter} onChange={setFilter} noun="plans" shown={shown} testPrefix="plans" />
      {plans.size === 0 ? (
        <EmptyState title="No plans found">
          Vigil reads plans from coderef, GSD, BMAD, spec-kit, Task Master, Backlog.md, Kiro and OpenSpec folders. None of the watched projects has one yet.
        </EmptyState>
      ) : shown === 0 ? (
        <EmptyState title="No plans match these filters" />
      ) : (
        <GroupedList rows={rows} rowHeight={56} testId="plan-list" renderItem={(key) => <PlanRow rowKey={key} />} />
      )}
    </div>
  );
}
