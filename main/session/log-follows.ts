// The log files one client follows. A subscribe names the complete set: files no longer named
// are released, new ones are opened, and if any new one is refused nothing changes.
import type { LogMessage, LogRefPayload } from '../../shared/protocol';
import type { EngineApi, LogSubscription } from '../engine/api';
import { resolveInside } from '../engine/path-guard';
import type { Runs } from '../runs/runs';
import { RequestFailure, failureOf } from './request-failure';

/** A project's log file by path, or a run's log by the run's id. */
export type LogRef = LogRefPayload;

const keyOf = (ref: LogRef): string => ('runId' in ref ? `run\n${ref.runId}` : `${ref.projectId}\n${ref.path}`);

export class LogFollows {
  private readonly active = new Map<string, { ref: LogRef; subscription: LogSubscription }>();
  private closed = false;
  /** Subscribes from one client run one after another, so two never interleave their changes. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly engine: Pick<EngineApi, 'projects' | 'subscribeLog'>,
    /** `live`: new lines, the same message every follower of the log gets; else this client's backlog. */
    private readonly send: (msg: LogMessage, live: boolean) => void,
    private readonly runs: Pick<Runs, 'subscribeLog'> | null = null,
  ) {}

  /** Follow exactly `refs`. Sends each new file's backlog before resolving. */
  replace(refs: LogRef[]): Promise<LogRef[]> {
    const run = (): Promise<LogRef[]> => this.replaceNow(refs);
    const next = this.queue.then(run, run);
    this.queue = next.catch(() => undefined);
    return next;
  }

  private async replaceNow(refs: LogRef[]): Promise<LogRef[]> {
    const wanted = new Map(refs.map((ref) => [keyOf(ref), ref]));
    const opened: { key: string; ref: LogRef; subscription: LogSubscription }[] = [];
    try {
      for (const [key, ref] of wanted) {
        if (this.active.has(key)) continue;
        opened.push({ key, ref, subscription: await this.open(ref) });
      }
    } catch (err) {
      for (const { subscription } of opened) subscription.close();
      throw err;
    }
    if (this.closed) {
      // The client went away while files were being opened.
      for (const { subscription } of opened) subscription.close();
      return [];
    }
    for (const [key, { subscription }] of this.active) {
      if (!wanted.has(key)) {
        subscription.close();
        this.active.delete(key);
      }
    }
    for (const { key, ref, subscription } of opened) {
      this.active.set(key, { ref, subscription });
      const backlog = subscription.backlog;
      if (backlog.lines.length > 0 || backlog.reset || backlog.truncated) this.send(backlog, false);
    }
    return [...this.active.values()].map(({ ref }) => ref);
  }

  close(): void {
    this.closed = true;
    for (const { subscription } of this.active.values()) subscription.close();
    this.active.clear();
  }

  private async open(ref: LogRef): Promise<LogSubscription> {
    if ('runId' in ref) {
      // A run's log is found by the run: its path is Vigil's own record, never the client's.
      if (!this.runs) throw new RequestFailure('not_found', 'This server does not run actions, so it has no run logs.');
      try {
        return await this.runs.subscribeLog(ref.runId, (msg) => {
          if (!this.closed) this.send(msg, true);
        });
      } catch (err) {
        throw failureOf(err);
      }
    }
    const project = this.engine.projects().find((p) => p.id === ref.projectId);
    if (!project) throw new RequestFailure('not_found', `No project with id ${ref.projectId}.`);
    // The engine checks again in subscribeLog; a client's path is refused here first, with the
    // same guard, so a change on the engine side cannot open the session to escapes.
    await resolveInside(project.root, ref.path).catch((err: unknown) => {
      throw failureOf(err);
    });
    try {
      return await this.engine.subscribeLog(ref.projectId, ref.path, (msg) => {
        if (!this.closed) this.send(msg, true);
      });
    } catch (err) {
      throw failureOf(err);
    }
  }
}
