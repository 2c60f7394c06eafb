// What the engine offers the transports (server, Electron bridge, CLI). They depend on this
// shape only, so each can be read without the engine's insides.
import type { AgentSession, Completion, HealthCondition, Heartbeat, Project, Snapshot, ThroughputBucket, Transition } from '../../shared/model';
import type { DiscoveredProject, DomainEvent, EngineEvent, LogMessage } from '../../shared/protocol';

/** What a hook post came to: the session as it now stands, or why the post was refused. */
export type HookReceipt = { ok: true; session: AgentSession } | { ok: false; message: string };

/** The agent sessions, as transports reach them. */
export interface AgentsApi {
  /** A body posted by `vigil hook` (validated here); never throws. */
  receive(body: unknown): Promise<HookReceipt>;
  list(): AgentSession[];
}

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

/** Where events are kept beyond the hub's replay ring (the store's journal). */
export interface EventArchive {
  /** Events with afterSeq < seq <= throughSeq, oldest first; null when any of them is not kept. */
  since(afterSeq: number, throughSeq: number): EngineEvent[] | null;
  /** The newest `n` kept events with seq <= throughSeq, oldest first. */
  recent(n: number, throughSeq: number): EngineEvent[];
}

/** A condition another part of Vigil raises in health (the journal paused, the database moved aside). */
export type ExternalCondition = Omit<HealthCondition, 'since'>;

/**
 * What the engine needs from a history (main/store implements it), so the engine itself
 * never touches a database: seq continues from it, the replay ring reaches back into it,
 * the activity feed starts from it, and the differences found on start are published
 * through the hub like any other change.
 */
export interface EngineHistory extends EventArchive {
  /** The seq of the newest event ever journaled (0 for a new journal): the hub counts on from it. */
  readonly lastSeq: number;
  /** Transitions to replay into the activity feed and the throughput windows on start, oldest first. */
  seedTransitions(now: number): Transition[];
  /**
   * Called as the engine is made, before anything is published: the journal's sink joins the
   * hub here, so it sees every seq the hub hands out from the first one (a project's watch
   * stats or a run may be published while other projects are still loading).
   */
  attach(engine: JournaledEngine): void;
  /**
   * Called once the engine has loaded its projects: the events that take the journaled model
   * (with what was published during the load) to the one just loaded; the engine publishes
   * them marked `foundOnStart`.
   */
  foundOnStart(): DomainEvent[];
  /** The journal's part of the snapshot. */
  recentCompletions(): Completion[];
  hourlyThroughput(now: number): ThroughputBucket[];
  /** Conditions to show in health; the engine reads them on each heartbeat. */
  conditions(): readonly ExternalCondition[];
}

/** What the journal may see of the engine it is attached to. */
export interface JournaledEngine {
  readonly hub: EventHub;
  /** The model as clients see it now (without the journal's own parts). */
  snapshot(): Snapshot;
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
  readonly agents: AgentsApi;
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
