// How a run's log stands, in the log panel's header: Streaming while lines come, then Complete
// or Failed (with the exit code) once the sentinel line arrives; a run that ended without one
// (cancelled before it started, lost) says so from the run itself.
import type { LogLine } from '../../shared/protocol';
import { useLive } from '../app/context';
import { useNow } from '../app/clock';
import { logOutcome, RUN_STATE_LABELS } from '../store/runs';

const STREAMING_WINDOW_MS = 5000;

export function RunLogState({ runId, lines, lastLineAt, hasBuffer }: { runId: string; lines: LogLine[]; lastLineAt: number | null; hasBuffer: boolean }) {
  const run = useLive((s) => s.runs[runId]);
  const now = useNow();
  const outcome = logOutcome(lines);
  let state: string;
  let label: string;
  if (outcome) {
    const ok = outcome.exitCode === 0;
    state = ok ? 'complete' : 'failed';
    label = ok ? 'Complete' : `Failed (exit ${outcome.exitCode})`;
    if (run?.state === 'cancelled') label = `Cancelled (exit ${outcome.exitCode})`;
  } else if (run && run.state !== 'running' && run.state !== 'queued') {
    state = run.state === 'succeeded' ? 'complete' : 'failed';
    label = RUN_STATE_LABELS[run.state];
  } else if (run?.state === 'queued') {
    state = 'waiting';
    label = run.position ? `Queued (#${run.position})` : 'Queued';
  } else {
    state = lastLineAt !== null && now - lastLineAt < STREAMING_WINDOW_MS ? 'streaming' : hasBuffer ? 'following' : 'waiting';
    label = { streaming: 'Streaming', following: 'Running, quiet', waiting: 'Waiting for output' }[state] ?? 'Running';
  }
  return (
    <span className={`log-streaming ${state}`} data-testid="log-streaming" data-state={state} data-run-state={run?.state ?? ''}>
      <span className="log-streaming-dot" aria-hidden="true" />
      {label}
    </span>
  );
}
