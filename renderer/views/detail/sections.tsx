// The sections of an item's detail view, in order. Each says which items it applies to and
// draws itself from the live model; a new kind of fact about an item (the status history from
// the journal, the runs of an action on it) is one more entry here, and the frame does not change.
import type { ComponentType } from 'react';
import { useMemo } from 'react';
import { toast } from 'sonner';
import type { Plan, Project } from '../../../shared/model';
import { useLive, useServices } from '../../app/context';
import { formatDateTime, formatDuration, STATUS_LABELS } from '../../app/format';
import { cycleOf, type TimelineStep } from '../../history/cycle';
import { useHistory } from '../../history/use-history';
import { count, itemNoun, PLAN_KIND_LABELS } from '../../app/words';
import { Age, Clock } from '../../components/Age';
import { copyText } from '../../components/clipboard';
import { ProgressBar } from '../../components/ProgressBar';
import { RevealButtons } from '../../components/RevealButtons';
import { SourceChip } from '../../components/SourceChip';
import { StatusBadge } from '../../components/StatusBadge';
import { useFollowLog } from '../../components/use-follow-log';
import { childrenOf, issuesOfFile, transitionsOf, type DetailItem } from '../../store/item-detail';
import { linesOfWorkorder } from '../../store/logs';
import { itemKey, logKey } from '../../store/keys';
import { openItem } from '../ItemRow';
import { ItemRuns } from './ItemRuns';
import { highlightLogText } from '../log-text';
import { useOpenLog } from '../Workorders';

export interface DetailContext {
  detail: DetailItem;
  project: Project | undefined;
}

export interface DetailSection {
  id: string;
  title: string;
  applies(ctx: DetailContext): boolean;
  Body: ComponentType<{ ctx: DetailContext }>;
}

const LOG_LINES_SHOWN = 200;

function Summary({ ctx }: { ctx: DetailContext }) {
  const { detail, project } = ctx;
  const item = detail.item;
  const raw = 'rawStatus' in item ? item.rawStatus : '';
  return (
    <dl className="detail-facts">
      <div>
        <dt>Status</dt>
        <dd data-testid="detail-status">
          <StatusBadge status={item.status} />
          {raw && (
            <span className="muted small" data-testid="detail-raw-status">
              {' '}
              the file says <q className="mono">{raw}</q>
            </span>
          )}
        </dd>
      </div>
      {detail.kind === 'plan' && (
        <div>
          <dt>Progress</dt>
          <dd>
            <ProgressBar progress={detail.item.progress} />
          </dd>
        </div>
      )}
      <div>
        <dt>Project</dt>
        <dd>{project?.name ?? item.projectId}</dd>
      </div>
      <div>
        <dt>Source</dt>
        <dd>
          <SourceChip source={item.source} />
        </dd>
      </div>
      <div>
        <dt>Last change seen</dt>
        <dd>
          <Age at={item.updatedAt} />
        </dd>
      </div>
      {detail.kind === 'workorder' && detail.item.lastActivity && (
        <div>
          <dt>Last log line</dt>
          <dd>
            <Age at={Date.parse(detail.item.lastActivity)} />
          </dd>
        </div>
      )}
    </dl>
  );
}

function FileSection({ ctx }: { ctx: DetailContext }) {
  const { transport } = useServices();
  const item = ctx.detail.item;
  const absolute = ctx.project ? `${ctx.project.root.replace(/[\\/]+$/, '')}/${item.path}` : item.path;
  return (
    <div className="detail-file">
      <code className="mono detail-path" data-testid="detail-path" title={absolute}>
        {item.path}
      </code>
      {transport.desktop ? (
        <RevealButtons projectId={item.projectId} path={item.path} labelled />
      ) : (
        <button
          type="button"
          data-testid="copy-path"
          onClick={() =>
            void copyText(absolute).then(
              () => toast.success('Path copied', { description: absolute }),
              (err: unknown) => toast.error('Could not copy the path', { description: err instanceof Error ? err.message : String(err) }),
            )
          }
        >
          Copy path
        </button>
      )}
    </div>
  );
}

function PlanLink({ plan }: { plan: Plan }) {
  return (
    <button type="button" className="link-button plan-link" data-testid="detail-plan-link" data-id={plan.id} onClick={() => openItem({ kind: 'plan', projectId: plan.projectId, id: plan.id })}>
      <StatusBadge status={plan.status} />
      <span className="kind-label">{PLAN_KIND_LABELS[plan.kind]}</span>
      <span className="plan-link-title">{plan.title}</span>
    </button>
  );
}

function Hierarchy({ ctx }: { ctx: DetailContext }) {
  const plan = ctx.detail.item as Plan;
  const plans = useLive((s) => s.plans);
  const parent = plan.parent ? plans.get(itemKey(plan.projectId, plan.parent)) : undefined;
  const children = useMemo(() => childrenOf(plans, plan), [plans, plan]);
  if (!parent && children.length === 0) return <p className="muted small">Nothing above or below this {PLAN_KIND_LABELS[plan.kind]}.</p>;
  return (
    <div className="detail-hierarchy">
      {parent && (
        <div data-testid="detail-parent">
          <span className="muted small">Part of</span>
          <PlanLink plan={parent} />
        </div>
      )}
      {children.length > 0 && (
        <div data-testid="detail-children">
          <span className="muted small">{count(children.length, children.every((c) => c.kind === children[0]!.kind) ? PLAN_KIND_LABELS[children[0]!.kind] : 'item')}</span>
          <ul className="plain-list">
            {children.map((child) => (
              <li key={child.id}>
                <PlanLink plan={child} />
              </li>
            ))}
          </ul>
        </div>
      )}
    </div>
  );
}

function FileIssues({ ctx }: { ctx: DetailContext }) {
  const item = ctx.detail.item;
  const issues = useLive((s) => issuesOfFile(s.issues, item.projectId, item.path));
  return (
    <ul className="plain-list issue-list" data-testid="detail-issues">
      {issues.map((issue, i) => (
        <li key={i}>
          <span className="mono muted">{issue.line !== null ? `line ${issue.line}` : 'file'}</span> {issue.message}
        </li>
      ))}
    </ul>
  );
}

function StatusChanges({ ctx }: { ctx: DetailContext }) {
  const item = ctx.detail.item;
  const activity = useLive((s) => s.activity);
  const changes = useMemo(() => transitionsOf(activity, { kind: ctx.detail.kind, projectId: item.projectId, id: item.id }), [activity, ctx.detail.kind, item]);
  return (
    <ol className="plain-list timeline" data-testid="detail-timeline">
      {changes.map((c) => (
        <li key={c.key}>
          <Clock at={c.at} /> {c.from ? STATUS_LABELS[c.from] : 'new'} → <strong>{STATUS_LABELS[c.to]}</strong>
        </li>
      ))}
    </ol>
  );
}

function WorkorderLog({ ctx }: { ctx: DetailContext }) {
  const wo = ctx.detail.kind === 'workorder' ? ctx.detail.item : null;
  const target = wo?.logPath ? { projectId: wo.projectId, path: wo.logPath } : null;
  const error = useFollowLog(target, 'detail');
  const buffer = useLive((s) => (target ? s.logs[logKey(target.projectId, target.path)] : undefined));
  const lines = useMemo(() => (wo && buffer ? linesOfWorkorder(buffer.lines, wo.id).slice(-LOG_LINES_SHOWN) : []), [buffer, wo]);
  const openLog = useOpenLog();
  if (!wo || !target) return null;
  return (
    <div className="detail-log">
      {error ? (
        <p className="text-failed">{error}</p>
      ) : !buffer ? (
        <p className="muted">Reading the log…</p>
      ) : lines.length === 0 ? (
        <p className="muted">No line of {target.path} is about {wo.id} yet.</p>
      ) : (
        <ol className="log-excerpt" data-testid="detail-log-lines">
          {lines.map((line) => (
            <li key={line.n} className="log-line-static">
              <span className="log-n">{line.n}</span>
              <span className="log-text">{highlightLogText(line.text, line.ts)}</span>
            </li>
          ))}
        </ol>
      )}
      <button type="button" onClick={() => openLog(wo.projectId, target.path, wo.title === wo.id ? wo.id : `${wo.id} · ${wo.title}`, wo.id)} data-testid="detail-open-log">
        Follow in the log panel
      </button>
    </div>
  );
}

function useHasIssues(ctx: DetailContext): boolean {
  return useLive((s) => issuesOfFile(s.issues, ctx.detail.item.projectId, ctx.detail.item.path).length > 0);
}

function IssuesGate({ ctx }: { ctx: DetailContext }) {
  return useHasIssues(ctx) ? <FileIssues ctx={ctx} /> : <p className="muted small">Vigil read this file without trouble.</p>;
}

function TimelineGate({ ctx }: { ctx: DetailContext }) {
  const item = ctx.detail.item;
  const any = useLive((s) => s.activity.some((e) => e.kind === ctx.detail.kind && e.projectId === item.projectId && e.id === item.id));
  return any ? <StatusChanges ctx={ctx} /> : <p className="muted small">No status change of this {itemNoun(ctx.detail.kind, item.id)} since this page opened.</p>;
}

/**
 * The item's status history from the journal, with its cycle time (first in_progress to done
 * or failed); where the server keeps no journal, what this page saw.
 */
function JournalTimeline({ ctx }: { ctx: DetailContext }) {
  const item = ctx.detail.item;
  const answer = useHistory('history:query', { projectId: item.projectId, itemId: item.id, types: ['item:status'], limit: 500 }, item.status, 0);
  const steps = useMemo(() => {
    const events = Array.isArray(answer.data?.events) ? answer.data.events : [];
    const out: (TimelineStep & { seq: number; foundOnStart: boolean })[] = [];
    // Newest first from the journal; the same item id in another kind is another item.
    for (const event of [...events].reverse()) {
      if (event.type === 'item:status' && event.payload.kind === ctx.detail.kind) {
        out.push({ at: event.ts, from: event.payload.from, to: event.payload.to, seq: event.seq, foundOnStart: event.foundOnStart === true });
      }
    }
    return out;
  }, [answer.data, ctx.detail.kind]);
  if (answer.error && !answer.data) return <TimelineGate ctx={ctx} />;
  const cycle = cycleOf(steps);
  return (
    <div data-testid="journal-timeline">
      <p data-testid="item-cycle" data-state={cycle.state}>
        {cycle.state === 'finished'
          ? cycle.ms === null
            ? `${cycle.to === 'done' ? 'Finished' : 'Failed'}; Vigil did not see it start.`
            : `Cycle time ${formatDuration(cycle.ms)} (${cycle.to === 'done' ? 'done' : 'failed'})`
          : cycle.state === 'running'
            ? `In progress since ${formatDateTime(cycle.startedAt)}`
            : 'Not started.'}
      </p>
      {steps.length === 0 ? (
        <p className="muted small">{answer.loading ? 'Reading the journal…' : `No status change of this ${itemNoun(ctx.detail.kind, item.id)} recorded yet.`}</p>
      ) : (
        <ol className="plain-list timeline" data-testid="item-timeline">
          {steps.map((step) => (
            <li key={step.seq} data-testid="timeline-step" data-to={step.to}>
              <Clock at={step.at} /> {step.from ? STATUS_LABELS[step.from] : 'new'} → <strong>{STATUS_LABELS[step.to]}</strong>
              {step.foundOnStart && <span className="muted small"> · found when Vigil started</span>}
            </li>
          ))}
        </ol>
      )}
    </div>
  );
}

export const DETAIL_SECTIONS: readonly DetailSection[] = [
  { id: 'summary', title: 'Summary', applies: () => true, Body: Summary },
  { id: 'file', title: 'File', applies: () => true, Body: FileSection },
  {
    id: 'hierarchy',
    title: 'Parent and children',
    applies: ({ detail }) => detail.kind === 'plan',
    Body: Hierarchy,
  },
  { id: 'issues', title: 'Parse issues', applies: () => true, Body: IssuesGate },
  // The status timeline from the journal (what this page saw, where there is none).
  { id: 'timeline', title: 'Status changes', applies: () => true, Body: JournalTimeline },
  // Runs of actions on this item (plans and stubs are what actions run on).
  {
    id: 'runs',
    title: 'Runs',
    applies: ({ detail }) => detail.kind === 'plan' || detail.kind === 'stub',
    Body: ({ ctx }) => <ItemRuns projectId={ctx.detail.item.projectId} itemId={ctx.detail.item.id} title={ctx.detail.item.title} />,
  },
  { id: 'log', title: 'Work order log', applies: ({ detail }) => detail.kind === 'workorder' && detail.item.logPath !== null, Body: WorkorderLog },
];
