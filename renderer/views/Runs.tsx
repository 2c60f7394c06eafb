// The Runs tab: what runs now, what waits (in queue order), and what ran (newest first, with
// older ones from the history); filtered by project and outcome. Batches going on show their
// progress above. Each run opens its log, and can be cancelled or retried.
import { useEffect, useMemo, useState } from 'react';
import type { RunState } from '../../shared/model';
import { useLive, useServices } from '../app/context';
import { ActionsSetupHint } from '../components/ActionsSetupHint';
import { EmptyState } from '../components/EmptyState';
import { ProgressBar } from '../components/ProgressBar';
import { ControlButton } from '../components/ControlButton';
import { useCommand } from '../components/use-command';
import { mergeRuns } from '../store/live-model';
import { activeBatches, batchProgress, emptyRunFilter, groupRuns, RUN_OUTCOMES, RUN_STATE_LABELS, type RunFilter } from '../store/runs';
import { RunRow } from './RunRow';

/** Ended runs from the history, fetched when the tab opens (the live model has what ended while watching). */
function useRunHistory(): string | null {
  const { sync, store } = useServices();
  const [error, setError] = useState<string | null>(null);
  const connected = useLive((s) => s.connection.status === 'connected');
  useEffect(() => {
    if (!connected) return;
    let current = true;
    void sync.request('runs:list', { limit: 200 }).then((reply) => {
      if (!current) return;
      if (reply.ok) store.setState((s) => mergeRuns(s, reply.data.runs));
      else setError(reply.error.message);
    });
    return () => {
      current = false;
    };
  }, [sync, store, connected]);
  return error;
}

function Batches() {
  const batches = useLive((s) => s.batches);
  const projects = useLive((s) => s.projects);
  const command = useCommand();
  const going = activeBatches(batches);
  if (going.length === 0) return null;
  return (
    <section className="runs-section" data-testid="batches">
      <h2>Batches</h2>
      {going.map((batch) => {
        const { done, total } = batchProgress(batch);
        return (
          <div className="item-row batch-row" key={batch.id} data-testid="batch-row" data-batch={batch.id}>
            <span className={`badge run-badge run-${batch.state === 'stopping' ? 'cancelled' : 'running'}`}>{batch.state === 'stopping' ? 'Stopping' : 'Running'}</span>
            <div className="item-main">
              <div className="item-title">
                <strong>{batch.action}</strong> on {batch.items.length} items of {projects[batch.projectId]?.name ?? batch.projectId}
              </div>
              <div className="item-meta muted small">
                <span>
                  cycle {batch.cycle} of {batch.cycles}
                </span>
                <span>{batch.concurrency} at a time</span>
                <span>
                  {batch.done.succeeded} succeeded, {batch.done.failed} failed{batch.done.cancelled ? `, ${batch.done.cancelled} cancelled` : ''}
                </span>
                {batch.stopOnFailure && <span>stops on a failure</span>}
              </div>
              <ProgressBar progress={{ done, total }} />
            </div>
            <ControlButton data-testid="batch-stop" disabled={batch.state === 'stopping'} onClick={() => void command('batch:stop', { batchId: batch.id }, 'Stopping the batch…')}>
              Stop
            </ControlButton>
          </div>
        );
      })}
    </section>
  );
}

export function Runs() {
  const runs = useLive((s) => s.runs);
  const projects = useLive((s) => s.projects);
  const [filter, setFilter] = useState<RunFilter>(emptyRunFilter);
  const historyError = useRunHistory();
  const groups = useMemo(() => groupRuns(runs, filter), [runs, filter]);
  const toggleOutcome = (state: RunState) =>
    setFilter((f) => ({ ...f, outcomes: f.outcomes.includes(state) ? f.outcomes.filter((s) => s !== state) : [...f.outcomes, state] }));
  const total = groups.running.length + groups.queued.length + groups.recent.length;
  return (
    <div className="view runs-view" data-testid="view-runs">
      <div className="toolbar">
        <label className="small">
          Project{' '}
          <select className="select" value={filter.projectId ?? ''} onChange={(e) => setFilter((f) => ({ ...f, projectId: e.target.value || null }))} data-testid="runs-project">
            <option value="">All projects</option>
            {Object.values(projects)
              .sort((a, b) => a.name.localeCompare(b.name))
              .map((p) => (
                <option key={p.id} value={p.id}>
                  {p.name}
                </option>
              ))}
          </select>
        </label>
        <div className="chips" role="group" aria-label="Outcome">
          {RUN_OUTCOMES.map((state) => (
            <button key={state} type="button" className={filter.outcomes.includes(state) ? 'chip toggle on' : 'chip toggle'} aria-pressed={filter.outcomes.includes(state)} onClick={() => toggleOutcome(state)} data-testid={`runs-outcome-${state}`}>
              {RUN_STATE_LABELS[state]}
            </button>
          ))}
        </div>
      </div>
      {historyError && <p className="muted small">Older runs could not be loaded: {historyError}</p>}
      <Batches />
      {total === 0 ? (
        <EmptyState title={Object.keys(runs).length === 0 ? 'No runs yet' : 'No runs match these filters'} testId="runs-empty">
          {Object.keys(runs).length === 0 && (
            <p>
              Start one with the Run button of a plan, a stub or a project, once it has an action. <ActionsSetupHint />
            </p>
          )}
        </EmptyState>
      ) : (
        <>
          {groups.running.length > 0 && (
            <section className="runs-section" data-testid="runs-running">
              <h2>Running ({groups.running.length})</h2>
              {groups.running.map((run) => (
                <RunRow key={run.id} runId={run.id} />
              ))}
            </section>
          )}
          {groups.queued.length > 0 && (
            <section className="runs-section" data-testid="runs-queued">
              <h2>Queued ({groups.queued.length})</h2>
              {groups.queued.map((run) => (
                <RunRow key={run.id} runId={run.id} />
              ))}
            </section>
          )}
          {groups.recent.length > 0 && (
            <section className="runs-section" data-testid="runs-recent">
              <h2>Recent ({groups.recent.length})</h2>
              {groups.recent.map((run) => (
                <RunRow key={run.id} runId={run.id} />
              ))}
            </section>
          )}
        </>
      )}
    </div>
  );
}
