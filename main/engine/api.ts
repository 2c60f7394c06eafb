// What the engine offers the transports (server, Electron bridge, CLI). They depend on this
// shape only, so each can be read without the engine's insides.
import type { Heartbeat, Project, Snapshot } from '../../shared/model';
import type { DiscoveredProject, EngineEvent, LogMessage } from '../../shared/protocol';

export interface Closable {
  close(): void;
}

/** A consumer of events. The hub batches per sink and never lets one slow sink block another. */
export interface Sink {
  /**
   * A batch in seq order. A sink that needs back-pressure returns a promise: the hub sends
   * it nothing more until that settles, buffering meanwhile (bounded; see `overflow`).
   */
  deliver(batch: EngineEvent[]): void | Promise<void>;
  /** The sink fell too far behind and its buffer overflowed: it must re-read the snapshot. */
  overflow(): void;
}

export interface EventHub {
  /** The seq of the newest event (0 before any). */
  readonly seq: number;
  addSink(sink: Sink): Closable;
  /** Events after `sinceSeq`, or null when the ring no longer holds them all. */
  since(sinceSeq: number): EngineEvent[] | null;
  /** The newest `n` events, oldest first. */
  recent(n: number): EngineEvent[];
}

export interface LogSubscription extends Closable {
  /** The lines kept for new subscribers, as one message (may be empty). */
  readonly backlog: LogMessage;
}

export interface AddProjectOptions {
  /** Save it in the config (default true); false for projects that live only as long as the engine (the demo). */
  persist?: boolean;
}

export interface EngineApi {
  readonly hub: EventHub;
  readonly running: boolean;
  snapshot(): Snapshot;
  projects(): Project[];
  addProject(root: string, options?: AddProjectOptions): Promise<Project>;
  removeProject(projectId: string): Promise<void>;
  pauseProject(projectId: string, paused: boolean): Promise<void>;
  /** Start or stop the heartbeat and watching; state changes are `engine:state` events. */
  setRunning(running: boolean): Promise<void>;
  /** Projects under `folder`, found by their convention markers; registers nothing. */
  discover(folder: string): Promise<DiscoveredProject[]>;
  /** Re-read one project (or all) from disk. */
  refresh(projectId?: string): Promise<void>;
  onHeartbeat(listener: (beat: Heartbeat) => void): Closable;
  /**
   * Follow a log file inside a project. Rejects with a clear error for a path outside the
   * project root (after realpath, so symlink escapes count), or an unknown project.
   */
  subscribeLog(projectId: string, relPath: string, listener: (msg: LogMessage) => void): Promise<LogSubscription>;
  close(): Promise<void>;
}
