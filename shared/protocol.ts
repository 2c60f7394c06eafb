// The one protocol (docs/architecture.md, the protocol session), for Electron IPC and socket.io
// alike. Each boundary is one typed map (GitHub Desktop's ipc-shared.ts pattern): adding a message
// is a line here, and the compiler finds every place that must handle it.
import { z } from 'zod';
import {
  AgentSessionSchema,
  HealthSchema,
  PlanSchema,
  ProjectIssueSchema,
  ProjectSchema,
  ProjectStateSchema,
  SnapshotSchema,
  SourceIdSchema,
  StubSchema,
  ThroughputBucketSchema,
  ThroughputSchema,
  TransitionSchema,
  WorkorderSchema,
  type Heartbeat,
  type Snapshot,
  BatchSchema,
  RunSchema,
} from './model';
import { ACTION_ID_PATTERN, ActionsListSchema, RunEventPayloadSchemas } from './runs';
import { BurnupQuerySchema, BurnupSeriesSchema, DigestQuerySchema, DigestSchema, HistoryQuerySchema, ThroughputQuerySchema } from './history';

export const PROTOCOL_VERSION = 1;

// ---- Domain events: facts about the model, never about files ----

const removed = z.object({ projectId: z.string(), id: z.string() });

/** Every event type with its payload. */
export const EventPayloadSchemas = {
  'project:added': z.object({ project: ProjectSchema }),
  'project:updated': z.object({ project: ProjectSchema }),
  'project:removed': z.object({ projectId: z.string() }),
  'project:state': z.object({ projectId: z.string(), from: ProjectStateSchema, to: ProjectStateSchema }),
  'plan:added': z.object({ plan: PlanSchema }),
  'plan:updated': z.object({ plan: PlanSchema }),
  'plan:removed': removed,
  'stub:added': z.object({ stub: StubSchema }),
  'stub:updated': z.object({ stub: StubSchema }),
  'stub:removed': removed,
  'workorder:added': z.object({ workorder: WorkorderSchema }),
  'workorder:updated': z.object({ workorder: WorkorderSchema }),
  'workorder:removed': removed,
  /** A Transition as it happens; the engine adds `at` when it records it in the activity feed. */
  'item:status': TransitionSchema.omit({ at: true }),
  /** The full, current list of issues for one file; an empty list clears them. */
  'parse:issue': z.object({ projectId: z.string(), path: z.string(), issues: z.array(ProjectIssueSchema) }),
  'health:changed': z.object({ health: HealthSchema }),
  'throughput:changed': z.object({ throughput: ThroughputSchema }),
  'engine:state': z.object({ running: z.boolean() }),
  ...RunEventPayloadSchemas,
  /** A session Vigil had not seen: its first hook event, or a run that started. */
  'agent:started': z.object({ session: AgentSessionSchema }),
  /** A session changed state or said something new. */
  'agent:updated': z.object({ session: AgentSessionSchema }),
  /** A session began waiting for its user (a permission prompt, a question): carries the session in that state. */
  'agent:needs-input': z.object({ session: AgentSessionSchema }),
  /** A session ended (SessionEnd, the run exited) or went silent for good; it stays listed, ended, for an hour. */
  'agent:ended': z.object({ session: AgentSessionSchema }),
} as const;

export type EventType = keyof typeof EventPayloadSchemas;
export type EventPayload<T extends EventType> = z.infer<(typeof EventPayloadSchemas)[T]>;

/**
 * An event before the hub stamps it. `foundOnStart` marks a difference Vigil found when it
 * started, between what it last recorded and what is on disk now: it happened while Vigil
 * was not running.
 */
export type DomainEvent = { [T in EventType]: { type: T; payload: EventPayload<T>; foundOnStart?: boolean } }[EventType];

/** An event as it travels: stamped with a monotonic `seq` and a `ts` by the hub. */
export type EngineEvent = DomainEvent & { seq: number; ts: number };

export const EngineEventSchema = z.union(
  (Object.keys(EventPayloadSchemas) as EventType[]).map((type) =>
    z.object({
      seq: z.number().int().nonnegative(),
      ts: z.number(),
      type: z.literal(type),
      payload: EventPayloadSchemas[type],
      foundOnStart: z.boolean().optional(),
    }),
  ) as unknown as [z.ZodTypeAny, z.ZodTypeAny, ...z.ZodTypeAny[]],
) as unknown as z.ZodType<EngineEvent>;

// ---- Server → client messages ----

export const HelloSchema = z.object({
  protocol: z.number().int(),
  serverTime: z.number(),
  seq: z.number().int().nonnegative(),
  snapshot: SnapshotSchema,
  /** The last events up to `seq` (at most 50), for an activity feed that is not empty on arrival. */
  recent: z.array(EngineEventSchema),
});
export type Hello = { protocol: number; serverTime: number; seq: number; snapshot: Snapshot; recent: EngineEvent[] };

export const LogLineSchema = z.object({
  /** 1-based line number in the file since it was last truncated. */
  n: z.number().int().positive(),
  text: z.string(),
  /** A time found on the line (`[HH:MM:SS]` or ISO), as written. */
  ts: z.string().optional(),
  /** The line was longer than the cap and was cut. */
  truncated: z.boolean().optional(),
});
export type LogLine = z.infer<typeof LogLineSchema>;

export const LogMessageSchema = z.object({
  projectId: z.string(),
  path: z.string(),
  lines: z.array(LogLineSchema),
  /** The file was truncated or replaced: drop what you hold and start again from these lines. */
  reset: z.boolean().optional(),
  /** Lines before these were not sent (the backlog kept for new subscribers is bounded). */
  truncated: z.boolean().optional(),
  /** Set on a run's log (subscribed by run id); `path` is then a name for it, not a file in the project. */
  runId: z.string().optional(),
});
export type LogMessage = z.infer<typeof LogMessageSchema>;

export const RequestErrorSchema = z.object({
  /** The request event it answers. */
  event: z.string(),
  code: z.enum(['invalid', 'unknown', 'too_large', 'rate_limited', 'forbidden', 'not_found', 'failed']),
  message: z.string(),
});
export type RequestError = z.infer<typeof RequestErrorSchema>;

export interface ServerEvents {
  hello: (msg: Hello) => void;
  events: (batch: EngineEvent[]) => void;
  heartbeat: (beat: Heartbeat) => void;
  log: (msg: LogMessage) => void;
  /** A request without an ack callback that could not be served. */
  'request:error': (err: RequestError) => void;
}

// ---- Client → server requests ----

/** Limits a client must stay within; the server enforces them and the client can read them. */
export const LIMITS = {
  /** socket.io `maxHttpBufferSize`: a bigger message closes the connection. */
  maxMessageBytes: 64 * 1024,
  maxLogSubscriptions: 16,
  maxPathLength: 4096,
  maxProjectsPerSubscribe: 1000,
} as const;

const relPath = z.string().min(1).max(LIMITS.maxPathLength);
const projectId = z.string().min(1).max(200);
const nothing = z.object({}).strict();
const runId = z.string().regex(/^r_[a-z0-9]{1,40}$/, 'a run id (r_…)');
const batchId = z.string().regex(/^b_[a-z0-9]{1,40}$/, 'a batch id (b_…)');
const actionId = z.string().regex(ACTION_ID_PATTERN, 'an action id');
const itemId = z.string().min(1).max(500);

/** A log to follow: a file of a project by its path, or a run's log by the run's id (its file is Vigil's, never named by a client). */
export const LogRefSchema = z.union([z.object({ projectId, path: relPath }).strict(), z.object({ runId }).strict()]);
export type LogRefPayload = z.infer<typeof LogRefSchema>;

/** Most items one batch may name, and most runs one list returns. */
export const RUN_LIMITS = { maxBatchItems: 200, maxBatchConcurrency: 16, maxListed: 1000 } as const;

/** A folder that looks like a project, found by `projects:discover` / `vigil discover`. */
export const DiscoveredProjectSchema = z.object({
  root: z.string(),
  name: z.string(),
  sources: z.array(SourceIdSchema),
  /** Already registered with this engine. */
  registered: z.boolean(),
});
export type DiscoveredProject = z.infer<typeof DiscoveredProjectSchema>;

/** One request: who may send it, what it carries, and what it answers with. */
interface RequestSpec {
  /** `control` requests change state and need a token with control scope; `read` ones only look. */
  scope: 'read' | 'control';
  payload: z.ZodType;
  result: z.ZodType;
}

/**
 * Every request a client may send. Adding one is an entry here and its handler in
 * main/session/handlers.ts; the handler map is typed over these names, so a request without a
 * handler does not compile.
 */
export const RequestSchemas = {
  subscribe: {
    scope: 'read',
    payload: z
      .object({
        projects: z.union([z.literal('all'), z.array(projectId).max(LIMITS.maxProjectsPerSubscribe)]),
        logs: z.array(LogRefSchema).max(LIMITS.maxLogSubscriptions).optional(),
      })
      .strict(),
    result: z.object({ projects: z.array(z.string()), logs: z.array(z.union([z.object({ projectId: z.string(), path: z.string() }), z.object({ runId: z.string() })])) }),
  },
  /** The missed events, or a fresh hello when they cannot be replayed. */
  resync: {
    scope: 'read',
    payload: z.object({ sinceSeq: z.number().int().nonnegative() }).strict(),
    result: z.union([z.object({ events: z.array(EngineEventSchema) }), z.object({ hello: HelloSchema })]),
  },
  'project:add': {
    scope: 'control',
    payload: z.object({ root: z.string().min(1).max(LIMITS.maxPathLength) }).strict(),
    result: z.object({ projectId: z.string() }),
  },
  'project:remove': { scope: 'control', payload: z.object({ projectId }).strict(), result: nothing },
  'project:pause': { scope: 'control', payload: z.object({ projectId, paused: z.boolean() }).strict(), result: nothing },
  'engine:start': { scope: 'control', payload: nothing, result: nothing },
  'engine:stop': { scope: 'control', payload: nothing, result: nothing },
  refresh: { scope: 'control', payload: z.object({ projectId: projectId.optional() }).strict(), result: nothing },
  /** Look under a folder for projects by their planning files (nothing is added). */
  'projects:discover': {
    scope: 'control',
    payload: z.object({ folder: z.string().min(1).max(LIMITS.maxPathLength) }).strict(),
    result: z.object({ candidates: z.array(DiscoveredProjectSchema) }),
  },
  /** Create the demo workspace with its simulated agent and add its projects. */
  'demo:start': { scope: 'control', payload: nothing, result: z.object({ projectIds: z.array(z.string()) }) },
  /** Run an action (by id: no client sends a command line) on a project, or on one of its items. */
  'run:start': {
    scope: 'control',
    payload: z.object({ projectId, action: actionId, itemId: itemId.optional() }).strict(),
    result: z.object({ run: RunSchema }),
  },
  /** Cancel a queued run, or stop a running one (SIGTERM to its processes, SIGKILL after a grace period). */
  'run:cancel': { scope: 'control', payload: z.object({ runId }).strict(), result: z.object({ run: RunSchema }) },
  /** Start an ended run again as its next attempt. */
  'run:retry': { scope: 'control', payload: z.object({ runId }).strict(), result: z.object({ run: RunSchema }) },
  /** Run an action on several items, `concurrency` at a time, in cycles (the sprint runner's batch). */
  'batch:start': {
    scope: 'control',
    payload: z
      .object({
        projectId,
        action: actionId,
        items: z.union([z.array(itemId).min(1).max(RUN_LIMITS.maxBatchItems), z.object({ next: z.number().int().min(1).max(RUN_LIMITS.maxBatchItems) }).strict()]),
        concurrency: z.number().int().min(1).max(RUN_LIMITS.maxBatchConcurrency).default(1),
        stopOnFailure: z.boolean().default(true),
      })
      .strict(),
    result: z.object({ batch: BatchSchema }),
  },
  'batch:stop': { scope: 'control', payload: z.object({ batchId }).strict(), result: z.object({ batch: BatchSchema }) },
  /** Runs, newest first: active ones, then the history. */
  'runs:list': {
    scope: 'read',
    payload: z
      .object({ projectId: projectId.optional(), itemId: itemId.optional(), active: z.boolean().optional(), limit: z.number().int().min(1).max(RUN_LIMITS.maxListed).optional() })
      .strict(),
    result: z.object({ runs: z.array(RunSchema) }),
  },
  /**
   * What can be run on a project, on one of its items, or (`onItems`) on any of its items, as a
   * batch picks them; the user's own actions and presets when no project is named.
   */
  'actions:list': {
    scope: 'read',
    payload: z.object({ projectId: projectId.optional(), itemId: itemId.optional(), onItems: z.boolean().optional() }).strict(),
    result: ActionsListSchema,
  },
  /**
   * Past events from the journal, newest first, a page at a time (shared/history.ts):
   * pass `nextBeforeSeq` as `beforeSeq` for the next, older page; null after the last.
   */
  'history:query': {
    scope: 'read',
    payload: HistoryQuerySchema,
    result: z.object({ events: z.array(EngineEventSchema), nextBeforeSeq: z.number().int().nullable() }),
  },
  /** Done and total over time, per project. */
  'history:burnup': { scope: 'read', payload: BurnupQuerySchema, result: z.object({ series: z.array(BurnupSeriesSchema) }) },
  /** Items finished and failed per hour or day. */
  'history:throughput': { scope: 'read', payload: ThroughputQuerySchema, result: z.object({ buckets: z.array(ThroughputBucketSchema) }) },
  /** What finished, failed, started and stalled after a seq ("while you were away"). */
  'history:digest': { scope: 'read', payload: DigestQuerySchema, result: DigestSchema },
} as const satisfies Record<string, RequestSpec>;

export type RequestName = keyof typeof RequestSchemas;
export type RequestPayload<R extends RequestName> = z.infer<(typeof RequestSchemas)[R]['payload']>;
/** What each request answers with. */
export type RequestResults = { [R in RequestName]: z.infer<(typeof RequestSchemas)[R]['result']> };

export const REQUEST_NAMES = Object.keys(RequestSchemas) as RequestName[];

/** Requests that change state: they need a token with `control` scope. */
export const CONTROL_REQUESTS: readonly RequestName[] = REQUEST_NAMES.filter((name) => RequestSchemas[name].scope === 'control');

export type Reply<T> = { ok: true; data: T } | { ok: false; error: RequestError };

/** socket.io client → server map: every request carries an ack that receives the reply. */
export type ClientRequests = {
  [R in RequestName]: (payload: RequestPayload<R>, ack: (reply: Reply<RequestResults[R]>) => void) => void;
};

/** The same requests as plain async calls: what a `Transport` exposes. */
export type RequestApi = {
  [R in RequestName]: (payload: RequestPayload<R>) => Promise<Reply<RequestResults[R]>>;
};

export function isRequestName(name: string): name is RequestName {
  return Object.prototype.hasOwnProperty.call(RequestSchemas, name);
}
