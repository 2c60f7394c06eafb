// Every plan from every source as its tool keeps them: per project, epics holding their stories
// and phases holding their plans, in roadmap and number order (status order is a choice).
// Normalized status with the tool's own word beside it, progress measured from the files.
import { memo, useEffect, useMemo } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { useLive, useServices } from '../app/context';
import { useUi } from '../app/ui-store';
import { count, PLAN_KIND_LABELS } from '../app/words';
import { Age } from '../components/Age';
import { ItemAgents } from '../components/AgentChips';
import { ProgressBar } from '../components/ProgressBar';
import { RevealButtons } from '../components/RevealButtons';
import { RunMenu } from '../components/RunMenu';
import { RunningBadge } from '../components/RunningBadge';
import { SourceChip } from '../components/SourceChip';
import { StatusBadge } from '../components/StatusBadge';
import { issueKey } from '../store/keys';
import { agentsOnItem } from '../store/selectors';
import { createPlanGrouper } from '../store/plan-groups';
import { createPlanTree, type PlanOrder, type PlanTreeRow } from '../store/plan-tree';
import { ItemListView } from './ItemListView';
import { ItemRow } from './ItemRow';

type PlanItemRow = Extract<PlanTreeRow, { type: 'item' }>;

/** The width of a row's tree gutter: 20 px a level, and room for the expander, in a project whose plans nest. */
function treeIndent(row: PlanItemRow): number {
  return row.nested ? row.depth * 20 + 24 : 0;
}

/**
 * One row; it re-renders only when its own plan (or its place in the tree) changes. A list
 * mounts about a dozen of these in every frame of a fast scroll, so a row holds one
 * subscription to the model and as few elements as its content needs.
 */
const PlanRow = memo(function PlanRow({ row }: { row: PlanItemRow }) {
  const [plan, issues, agents] = useLive(
    useShallow((s) => {
      const plan = s.plans.get(row.key);
      if (!plan) return [undefined, 0, null] as const;
      return [plan, s.issues.get(issueKey(plan.projectId, plan.path))?.length ?? 0, agentsOnItem(s.agents, plan.projectId, plan.id)] as const;
    }),
  );
  if (!plan) return null;
  const kind = PLAN_KIND_LABELS[plan.kind];
  return (
    <ItemRow
      item={{ kind: 'plan', projectId: plan.projectId, id: plan.id }}
      title={plan.title}
      className={`plan-row depth-${Math.min(row.depth, 4)}${row.context ? ' context' : ''}`}
      data={{ testid: 'plan-row', key: row.key, id: plan.id, status: plan.status, done: plan.progress.done, total: plan.progress.total, depth: row.depth, kind: plan.kind, context: String(row.context) }}
    >
      {(titleButton) => (
        <>
          {(row.nested || row.children > 0) && (
            <span className="tree-gutter" style={{ width: `${treeIndent(row)}px` }}>
              {row.children > 0 && (
                <button
                  type="button"
                  className="expander"
                  aria-expanded={!row.collapsed}
                  aria-label={`${row.collapsed ? 'Show' : 'Hide'} the ${count(row.children, 'item')} in ${kind} ${plan.title}`}
                  data-testid="expander"
                  onClick={() => useUi.getState().toggleCollapsed(row.key)}
                >
                  {row.collapsed ? '▸' : '▾'}
                </button>
              )}
            </span>
          )}
          <StatusBadge status={plan.status} raw={plan.rawStatus} />
          <div className="item-main">
            {titleButton}
            <div className="item-meta muted small">
              <span className="kind-label" data-testid="kind-label">
                {kind}
              </span>
              <SourceChip source={plan.source} />
              <span className="mono item-path" title={plan.path}>
                {plan.path}
              </span>
              {plan.attachments && plan.attachments.length > 0 && (
                <span data-testid="plan-attachments" title={plan.attachments.join('\n')}>
                  +{count(plan.attachments.length, 'document')}
                </span>
              )}
              {issues > 0 && <span className="text-warning">{count(issues, 'parse issue')}</span>}
              <RunningBadge projectId={plan.projectId} itemId={plan.id} />
              <ItemAgents label={agents} />
            </div>
          </div>
          <RunMenu target={{ projectId: plan.projectId, itemId: plan.id, title: plan.title }} compact />
          <ProgressBar progress={plan.progress} compact />
          <span className="item-age muted small">
            <Age at={plan.updatedAt} />
            <RevealButtons projectId={plan.projectId} path={plan.path} />
          </span>
        </>
      )}
    </ItemRow>
  );
});

function OrderChoice() {
  const order = useUi((s) => s.planOrder);
  const setOrder = useUi((s) => s.setPlanOrder);
  return (
    <label className="inline-label small">
      Order
      <select className="select" value={order} data-testid="plans-order" onChange={(e) => setOrder(e.target.value as PlanOrder)}>
        <option value="tool">As the tool keeps them</option>
        <option value="status">By status</option>
      </select>
    </label>
  );
}

/** One for the tab, kept across its visits: a project whose plans kept their places keeps its rows. */
const planTree = createPlanTree();
/** The plans by project, followed from batch to batch: a frame costs the plans it touched. */
const planGroups = createPlanGrouper();

/**
 * Build the Plans tab's rows once the model has arrived, in the first idle moment, so the first
 * visit to the tab shows them at once instead of sorting every project's plans after the click
 * (10,000 plans: most of that click's time). The visit then finds them kept, and only projects
 * whose plans moved meanwhile are built again.
 */
export function usePlansReadyAhead(): void {
  const { store } = useServices();
  const loaded = useLive((s) => s.loaded);
  useEffect(() => {
    if (!loaded) return;
    const build = () => {
      const { plans, planChanges, projects } = store.getState();
      const { planFilter, planOrder, collapsed } = useUi.getState();
      planTree(planGroups(plans, planChanges), projects, planFilter, planOrder, collapsed);
    };
    // Safari has no requestIdleCallback: a timer still keeps the work out of the first paint.
    if (typeof requestIdleCallback !== 'function') {
      const timer = setTimeout(build, 200);
      return () => clearTimeout(timer);
    }
    const id = requestIdleCallback(build, { timeout: 2000 });
    return () => cancelIdleCallback(id);
  }, [loaded, store]);
}

export function Plans() {
  const plans = useLive((s) => s.plans);
  const changes = useLive((s) => s.planChanges);
  const groups = useMemo(() => planGroups(plans, changes), [plans, changes]);
  const projects = useLive((s) => s.projects);
  const filter = useUi((s) => s.planFilter);
  const setFilter = useUi((s) => s.setPlanFilter);
  const order = useUi((s) => s.planOrder);
  const collapsed = useUi((s) => s.collapsed);
  const rows = useMemo(() => planTree(groups, projects, filter, order, collapsed), [groups, projects, filter, order, collapsed]);
  return (
    <ItemListView
      name="plans"
      noun="plan"
      table={plans}
      parts={groups}
      filter={filter}
      onFilter={setFilter}
      rows={rows}
      controls={<OrderChoice />}
      empty={{
        title: 'No plans found',
        body: 'Vigil reads plans from coderef, GSD, BMAD, spec-kit, Task Master, Backlog.md, Kiro and OpenSpec folders. None of the watched projects has one yet.',
      }}
      renderItem={(row) => <PlanRow row={row} />}
      indentOf={(row) => treeIndent(row) + 14 /* the grid's gap after the gutter's column */}
    />
  );
}
