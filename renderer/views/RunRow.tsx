// One run as a row: its state, what it ran on what, who started it, how long, what it cost,
// what it is doing now; and what can be done with it — open its log, cancel it, retry it.
import { memo } from 'react';
import type { Run } from '../../shared/model';
import { useLive } from '../app/context';
import { useNow } from '../app/clock';
import { useUi } from '../app/ui-store';
import { Age } from '../components/Age';
import { ControlButton } from '../components/ControlButton';
import { openRunLog } from '../components/RunMenu';
import { useCommand } from '../components/use-command';
import { formatCost, formatDuration, isActiveRun, RUN_STATE_LABELS } from '../store/runs';

export function RunStateBadge({ run }: { run: Pick<Run, 'state' | 'position' | 'willRetry'> }) {
  const label = run.state === 'queued' && run.position ? `${RUN_STATE_LABELS.queued} #${run.position}` : RUN_STATE_LABELS[run.state];
  return (
    <span className={`badge run-badge run-${run.state}`} data-testid="run-state" data-state={run.state}>
      {label}
      {run.willRetry ? ' · retrying' : ''}
    </span>
  );
}

function Elapsed({ run }: { run: Run }) {
  const now = useNow();
  if (run.startedAt === null) return null;
  return <span>{formatDuration((run.endedAt ?? now) - run.startedAt)}</span>;
}

export const RunRow = memo(function RunRow({ runId, showProject = true }: { runId: string; showProject?: boolean }) {
  const run = useLive((s) => s.runs[runId]);
  const projectName = useLive((s) => (run ? (s.projects[run.projectId]?.name ?? run.projectId) : ''));
  const command = useCommand();
  const logOpen = useUi((s) => s.openLog?.runId === runId);
  if (!run) return null;
  const subject = run.itemTitle ?? (run.itemId === null ? 'the project' : run.itemId);
  const cost = formatCost(run);
  return (
    <div className="item-row run-row" data-testid="run-row" data-run={run.id} data-state={run.state} data-action={run.action} data-item={run.itemId ?? ''}>
      <RunStateBadge run={run} />
      <div className="item-main">
        <div className="item-title" title={`${run.actionLabel} on ${subject}`}>
          <strong>{run.actionLabel}</strong> <span className="muted">on</span> {subject}
          {run.attempt > 1 && <span className="muted small"> · attempt {run.attempt}</span>}
        </div>
        <div className="item-meta muted small">
          {showProject && <span>{projectName}</span>}
          <span title="Who started it">by {run.startedBy}</span>
          {run.startedAt !== null ? (
            <span>
              started <Age at={run.startedAt} />
            </span>
          ) : (
            <span>
              queued <Age at={run.queuedAt} />
            </span>
          )}
          <Elapsed run={run} />
          {run.exitCode !== null && <span className="mono">exit {run.exitCode}</span>}
          {cost && <span data-testid="run-cost">{cost}</span>}
          {run.branch && <span className="mono" title={run.cwd ?? ''}>{run.branch}</span>}
        </div>
        {(run.lastMessage || (run.reason && !isActiveRun(run))) && (
          <div className="run-message small" data-testid="run-message" title={run.reason ?? run.lastMessage ?? ''}>
            {isActiveRun(run) || !run.reason ? run.lastMessage : run.reason}
          </div>
        )}
      </div>
      <div className="row-actions">
        <button type="button" data-testid="run-open-log" className={logOpen ? 'on' : undefined} onClick={() => openRunLog(run, `${run.actionLabel} on ${subject}`)}>
          Log
        </button>
        {isActiveRun(run) ? (
          <ControlButton data-testid="run-cancel" onClick={() => void command('run:cancel', { runId: run.id }, run.state === 'queued' ? 'Cancelled the queued run' : 'Stopping the run…')}>
            Cancel
          </ControlButton>
        ) : (
          <ControlButton data-testid="run-retry" onClick={() => void command('run:retry', { runId: run.id }, `Retrying ${run.actionLabel} (attempt ${run.attempt + 1})`)}>
            Retry
          </ControlButton>
        )}
      </div>
    </div>
  );
});
