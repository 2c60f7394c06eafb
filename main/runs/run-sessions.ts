// A run Vigil started is an agent session too, so the agents list is one list: hook-reported
// sessions and runs side by side, a run's session carrying its runId. This turns run events
// into the signals the agent tracker applies. Pure.
import type { Run } from '../../shared/model';
import type { DomainEvent } from '../../shared/protocol';
import type { AgentSignal } from '../agents/hook-signal';
import type { SessionPlace } from '../agents/sessions';

export interface RunSessionSignal {
  signal: AgentSignal;
  place: SessionPlace;
}

/** What the tracker needs to take a run's session (AgentTracker.applyKnown). */
export interface RunSessionSink {
  applyKnown(signal: AgentSignal, place: SessionPlace): unknown;
}

/** The session of a run: named after its action, identified by the run. */
function signalOf(run: Run, kind: AgentSignal['kind'], message?: string): RunSessionSignal {
  return {
    signal: { agent: run.action, sessionId: run.id, cwd: run.cwd ?? '', kind, ...(message ? { message } : {}) },
    place: { projectId: run.projectId, ...(run.itemId ? { itemId: run.itemId } : {}), runId: run.id },
  };
}

/** How a run ended, in the words a session's last message holds. */
function outcome(run: Run): string {
  if (run.state === 'succeeded') return 'The run succeeded.';
  return run.reason ?? (run.state === 'failed' ? `The run failed with exit code ${run.exitCode}.` : `The run was ${run.state}.`);
}

/**
 * The session changes these events make: a started run is a working session, its progress
 * messages (stream-json) are what it says, and its end ends it. A run that never started
 * (cancelled or lost while queued) had no session.
 */
export function runSessionSignals(events: readonly DomainEvent[], runsById: (id: string) => Run | undefined): RunSessionSignal[] {
  const out: RunSessionSignal[] = [];
  for (const event of events) {
    switch (event.type) {
      case 'run:started':
        out.push(signalOf(event.payload.run, 'working'));
        break;
      case 'command:progress': {
        const run = runsById(event.payload.task_id);
        if (run?.state === 'running') out.push(signalOf(run, 'working', event.payload.message));
        break;
      }
      case 'run:succeeded':
      case 'run:failed':
      case 'run:cancelled':
      case 'run:lost': {
        const { run } = event.payload;
        if (run.startedAt !== null) out.push(signalOf(run, 'end', outcome(run)));
        break;
      }
      default:
        break;
    }
  }
  return out;
}
