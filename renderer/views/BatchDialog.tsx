// Start a batch on a project, as the sprint runner does: pick an action, then the next N ready
// items or a selection, how many at a time, and whether a failure stops it; then watch its
// progress (cycle, done, failed) until it ends, with a way to stop it.
import { useEffect, useMemo, useRef, useState } from 'react';
import type { AppliesTo, ActionInfo } from '../../shared/runs';
import { useLive, useServices } from '../app/context';
import { ActionsSetupHint } from '../components/ActionsSetupHint';
import { ControlButton } from '../components/ControlButton';
import { ProgressBar } from '../components/ProgressBar';
import { useCommand } from '../components/use-command';
import { batchProgress } from '../store/runs';

interface Candidate {
  id: string;
  title: string;
  status: string;
  source: string;
  kind: string;
}

const matches = (selectors: AppliesTo[], item: Candidate): boolean =>
  selectors.some((s) => (s.source === undefined || s.source === item.source) && (s.kind === undefined || s.kind === item.kind));

function useItemActions(projectId: string): { actions: ActionInfo[] | null; error: string | null } {
  const { sync } = useServices();
  const [state, setState] = useState<{ actions: ActionInfo[] | null; error: string | null }>({ actions: null, error: null });
  useEffect(() => {
    let current = true;
    void sync.request('actions:list', { projectId, onItems: true }).then((reply) => {
      if (current) setState(reply.ok ? { actions: reply.data.actions, error: null } : { actions: [], error: reply.error.message });
    });
    return () => {
      current = false;
    };
  }, [sync, projectId]);
  return state;
}

function BatchProgress({ batchId, onClose }: { batchId: string; onClose: () => void }) {
  const batch = useLive((s) => s.batches[batchId]);
  const command = useCommand();
  if (!batch) return <p className="muted">Starting…</p>;
  const ended = batch.endedAt !== null;
  return (
    <div className="batch-progress" data-testid="batch-progress" data-state={batch.state}>
      <p>
        {ended ? `The batch ${batch.state === 'completed' ? 'completed' : batch.state === 'stopped' ? 'was stopped' : 'ended with failures'}.` : `Cycle ${batch.cycle} of ${batch.cycles}…`}
      </p>
      <ProgressBar progress={batchProgress(batch)} />
      <p className="muted small">
        {batch.done.succeeded} succeeded · {batch.done.failed} failed · {batch.done.cancelled} cancelled · {batch.done.skipped} skipped
      </p>
      <div className="dialog-actions">
        {!ended && (
          <ControlButton data-testid="batch-dialog-stop" disabled={batch.state === 'stopping'} onClick={() => void command('batch:stop', { batchId }, 'Stopping the batch…')}>
            Stop the batch
          </ControlButton>
        )}
        <button type="button" onClick={onClose}>
          {ended ? 'Close' : 'Close (it goes on; see Runs)'}
        </button>
      </div>
    </div>
  );
}

export function BatchDialog({ projectId, onClose }: { projectId: string; onClose: () => void }) {
  const project = useLive((s) => s.projects[projectId]);
  const plans = useLive((s) => s.plans);
  const stubs = useLive((s) => s.stubs);
  const command = useCommand();
  const { actions, error } = useItemActions(projectId);
  const [actionId, setActionId] = useState<string>('');
  const [mode, setMode] = useState<'next' | 'pick'>('next');
  const [next, setNext] = useState(3);
  const [picked, setPicked] = useState<Set<string>>(new Set());
  const [concurrency, setConcurrency] = useState(1);
  const [stopOnFailure, setStopOnFailure] = useState(true);
  const [batchId, setBatchId] = useState<string | null>(null);
  const dialog = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (actions && actions.length > 0 && !actionId) setActionId(actions[0]!.id);
  }, [actions, actionId]);
  useEffect(() => {
    dialog.current?.focus();
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') onClose();
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [onClose]);

  const action = actions?.find((a) => a.id === actionId);
  const candidates = useMemo<Candidate[]>(() => {
    if (!action) return [];
    const all: Candidate[] = [
      ...[...plans.values()].filter((p) => p.projectId === projectId).map((p) => ({ id: p.id, title: p.title, status: p.status, source: p.source, kind: p.kind })),
      ...[...stubs.values()].filter((s) => s.projectId === projectId).map((s) => ({ id: s.id, title: s.title, status: s.status, source: s.source, kind: 'stub' })),
    ];
    return all.filter((item) => matches(action.appliesTo, item)).sort((a, b) => a.id.localeCompare(b.id, undefined, { numeric: true }));
  }, [action, plans, stubs, projectId]);

  const start = async () => {
    if (!action) return;
    const items = mode === 'next' ? { next } : [...picked];
    const reply = await command('batch:start', { projectId, action: action.id, items, concurrency, stopOnFailure });
    if (reply.ok) setBatchId(reply.data.batch.id);
  };

  const canStart = action !== undefined && (mode === 'next' ? next >= 1 : picked.size > 0);
  return (
    <div className="dialog-backdrop" onMouseDown={(e) => e.target === e.currentTarget && onClose()}>
      <div className="dialog" role="dialog" aria-modal="true" aria-label={`Run a batch on ${project?.name ?? projectId}`} tabIndex={-1} ref={dialog} data-testid="batch-dialog">
        <h2>Run a batch on {project?.name ?? projectId}</h2>
        {batchId ? (
          <BatchProgress batchId={batchId} onClose={onClose} />
        ) : error ? (
          <p className="error">{error}</p>
        ) : !actions ? (
          <p className="muted">Looking for actions…</p>
        ) : actions.length === 0 ? (
          <p className="muted">
            No action of this project applies to items. <ActionsSetupHint forItems />
          </p>
        ) : (
          <form
            onSubmit={(e) => {
              e.preventDefault();
              void start();
            }}
          >
            <label className="field">
              Action
              <select className="select" value={actionId} onChange={(e) => setActionId(e.target.value)} data-testid="batch-action">
                {actions.map((a) => (
                  <option key={a.id} value={a.id}>
                    {a.label}
                  </option>
                ))}
              </select>
            </label>
            <fieldset className="field">
              <legend>Items</legend>
              <label>
                <input type="radio" checked={mode === 'next'} onChange={() => setMode('next')} /> The next{' '}
                <input type="number" min={1} max={200} value={next} onChange={(e) => setNext(Math.max(1, Math.min(200, Number(e.target.value) || 1)))} data-testid="batch-next" aria-label="How many items" /> ready
                items (to do, then backlog)
              </label>
              <label>
                <input type="radio" checked={mode === 'pick'} onChange={() => setMode('pick')} data-testid="batch-pick" /> These items:
              </label>
              {mode === 'pick' && (
                <div className="batch-items" data-testid="batch-items">
                  {candidates.length === 0 && <p className="muted small">No item of this project matches the action.</p>}
                  {candidates.map((item) => (
                    <label key={item.id} className="small">
                      <input
                        type="checkbox"
                        checked={picked.has(item.id)}
                        onChange={(e) =>
                          setPicked((p) => {
                            const nextSet = new Set(p);
                            if (e.target.checked) nextSet.add(item.id);
                            else nextSet.delete(item.id);
                            return nextSet;
                          })
                        }
                      />{' '}
                      {item.title} <span className="muted">({item.status.replace('_', ' ')})</span>
                    </label>
                  ))}
                </div>
              )}
            </fieldset>
            <label className="field">
              At a time{' '}
              <input type="number" min={1} max={16} value={concurrency} onChange={(e) => setConcurrency(Math.max(1, Math.min(16, Number(e.target.value) || 1)))} data-testid="batch-concurrency" />
            </label>
            <label className="field">
              <input type="checkbox" checked={stopOnFailure} onChange={(e) => setStopOnFailure(e.target.checked)} data-testid="batch-stop-on-failure" /> Stop after a cycle with a failure
            </label>
            <div className="dialog-actions">
              <ControlButton type="submit" disabled={!canStart} data-testid="batch-start">
                Start the batch
              </ControlButton>
              <button type="button" onClick={onClose}>
                Cancel
              </button>
            </div>
          </form>
        )}
      </div>
    </div>
  );
}
