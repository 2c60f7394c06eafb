// A plan's history, under the list when its row is clicked: every status it went through, when,
// and its cycle time (first in_progress to done or failed), from the journal.
import { useMemo } from 'react';
import { useLive } from '../app/context';
import { formatDuration } from '../app/format';
import { Clock } from '../components/Age';
import { StatusBadge } from '../components/StatusBadge';
import { cycleOf, type TimelineStep } from '../history/cycle';
import { useHistory } from '../history/use-history';

export function PlanDetail({ rowKey, onClose }: { rowKey: string; onClose: () => void }) {
  const plan = useLive((s) => s.plans.get(rowKey));
  const answer = useHistory(
    'history:query',
    { projectId: plan?.projectId ?? '', itemId: plan?.id ?? '', types: ['item:status'], limit: 500 },
    plan?.status,
    0,
  );
  const steps = useMemo<(TimelineStep & { seq: number; foundOnStart: boolean })[]>(() => {
    const out: (TimelineStep & { seq: number; foundOnStart: boolean })[] = [];
    const events = Array.isArray(answer.data?.events) ? answer.data.events : [];
    for (const event of [...events].reverse()) {
      if (event.type === 'item:status') out.push({ at: event.ts, from: event.payload.from, to: event.payload.to, seq: event.seq, foundOnStart: event.foundOnStart === true });
    }
    return out;
  }, [answer.data]);
  const cycle = cycleOf(steps);
  if (!plan) return null;
  return (
    <section className="item-detail" aria-label={`History of ${plan.title}`} data-testid="plan-detail" data-id={plan.id}>
      <div className="card-head">
        <h2>{plan.title}</h2>
        <button type="button" onClick={onClose} aria-label="Close the plan's history">
          Close
        </button>
      </div>
      <p data-testid="plan-cycle" data-state={cycle.state}>
        {cycle.state === 'finished'
          ? cycle.ms === null
            ? `${cycle.to === 'done' ? 'Finished' : 'Failed'}; Vigil did not see it start.`
            : `Cycle time ${formatDuration(cycle.ms)} (${cycle.to === 'done' ? 'done' : 'failed'})`
          : cycle.state === 'running'
            ? `In progress since ${new Date(cycle.startedAt).toLocaleString()}`
            : 'Not started.'}
      </p>
      {answer.error ? (
        <p className="muted">{answer.error}</p>
      ) : steps.length === 0 ? (
        <p className="muted">{answer.loading ? 'Reading the journal…' : 'No status change recorded yet.'}</p>
      ) : (
        <ol className="timeline" data-testid="plan-timeline">
          {steps.map((step) => (
            <li key={step.seq} data-testid="timeline-step" data-to={step.to}>
              <Clock at={step.at} />
              {step.from ? <StatusBadge status={step.from} /> : <span className="muted small">new</span>}
              <span aria-label="to">→</span>
              <StatusBadge status={step.to} />
              {step.foundOnStart && <span className="muted small">found on start</span>}
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
