// Following run logs. A run's log lives in Vigil's config folder, outside every project, so it
// is never reached through a client's path: a client names the run, and the path comes from
// Vigil's own record of it. The supervisor says when a log was written, so no watcher is needed.
import type { Run } from '../../shared/model';
import type { LogMessage } from '../../shared/protocol';
import type { LogSubscription } from '../engine/api';
import { LogTailer } from '../engine/log-tail';

/** The path a run's log messages carry: not a file in the project, a name for the run's log. */
export const runLogPath = (runId: string): string => `runs/${runId}.log`;

export class RunLogTails {
  private readonly tails = new Map<string, LogTailer>();

  constructor(private readonly onError: (err: unknown) => void = () => undefined) {}

  async subscribe(run: Pick<Run, 'id' | 'projectId' | 'logPath'>, listener: (msg: LogMessage) => void): Promise<LogSubscription> {
    let tailer = this.tails.get(run.id);
    if (!tailer) {
      tailer = new LogTailer({ path: run.logPath, projectId: run.projectId, relPath: runLogPath(run.id), onError: (err) => this.onError(err) });
      this.tails.set(run.id, tailer);
    }
    const tail = tailer;
    const withRun = (msg: LogMessage): void => listener({ ...msg, runId: run.id });
    const subscription = tail.subscribe(withRun);
    await tail.loaded();
    let disposed = false;
    return {
      backlog: { ...tail.backlog(), runId: run.id },
      dispose: () => {
        if (disposed) return;
        disposed = true;
        subscription.dispose();
        if (tail.subscriberCount === 0 && this.tails.get(run.id) === tail) {
          tail.dispose();
          this.tails.delete(run.id);
        }
      },
    };
  }

  /** The run's log has new lines. */
  poke(runId: string): void {
    const tail = this.tails.get(runId);
    if (tail) void tail.poke().catch((err: unknown) => this.onError(err));
  }

  close(): void {
    for (const tail of this.tails.values()) tail.dispose();
    this.tails.clear();
  }
}
