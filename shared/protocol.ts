// The one protocol of DESIGN.md §5, for Electron IPC and socket.io alike. Each boundary is
// one typed map (GitHub Desktop's ipc-shared.ts pattern): adding a message is a line here,
// and the compiler finds every place that must handle it.
import { z } from 'zod';
import {
  HealthSchema,
  PlanSchema,
  ProjectIssueSchema,
  ProjectSchema,
  ProjectStateSchema,
  SnapshotSchema,
  SourceIdSchema,
  StubSchema,
  ThroughputSchema,
  TransitionSchema,
  WorkorderSchema,
  type Heartbeat,
  type Snapshot,
} from './model';
import { ACTION_ID_PATTERN, RunEventPayloadSchemas, type ActionsList } from './runs';
import type { Batch, Run } from './model';

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
} as const;

export type EventType = keyof typeof EventPayloadSchemas;
export type EventPayload<T extends EventType> = z.infer<(typeof EventPayloadSchemas)[T]>;

/** An event before the hub stamps it. */
export type DomainEvent = { [T in EventType]: { type: T; payload: EventPayload<T> } }[EventType];

/** An event as it travels: stamped with a monotonic `seq` and a `ts` by the hub. */
export type EngineEvent = DomainEvent & { seq: number; ts: number };

export const EngineEventSchema = z.union(
  (Object.keys(EventPayloadSchemas) as EventType[]).map((type) =>
    z.object({
      seq: z.number().int().nonnegative(),
      ts: z.number(),
      type: z.literal(type),
      payload: EventPayloadSchemas[type],
    }),
  ) as unknown as [z.ZodTypeAny, z.ZodTypeAny, ...z.ZodTypeAny[]],
);

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
const runId = z.string().regex(/^r_[a-z0-9]{1,40}$/, 'a run id (r_…)');
const batchId = z.string().regex(/^b_[a-z0-9]{1,40}$/, 'a batch id (b_…)');
const actionId = z.string().regex(ACTION_ID_PATTERN, 'an action id');
const itemId = z.string().min(1).max(500);

/** A log to follow: a file of a project by its path, or a run's log by the run's id (its file is Vigil's, never named by a client). */
export const LogRefSchema = z.union([z.object({ projectId, path: relPath }).strict(), z.object({ runId }).strict()]);
export type LogRefPayload = z.infer<typeof LogRefSchema>;

/** Most items one batch may name, and most runs one list returns. */
export const RUN_LIMITS = { maxBatchItems: 200, maxBatchConcurrency: 16, maxListed: 1000 } as const;

export const RequestSchemas = {
  subscribe: z
    .object({
      projects: z.union([z.literal('all'), z.array(projectId).max(LIMITS.maxProjectsPerSubscribe)]),
      logs: z.array(LogRefSchema).max(LIMITS.maxLogSubscriptions).optional(),
    })
    .strict(),
  resync: z.object({ sinceSeq: z.number().int().nonnegative() }).strict(),
  'project:add': z.object({ root: z.string().min(1).max(LIMITS.maxPathLength) }).strict(),
  'project:remove': z.object({ projectId }).strict(),
  'project:pause': z.object({ projectId, paused: z.boolean() }).strict(),
  'engine:start': z.object({}).strict(),
  'engine:stop': z.object({}).strict(),
  refresh: z.object({ projectId: projectId.optional() }).strict(),
  /** Look under a folder for projects by their planning files (nothing is added). */
  'projects:discover': z.object({ folder: z.string().min(1).max(LIMITS.maxPathLength) }).strict(),
  /** Create the demo workspace with its simulated agent and add its projects. */
  'demo:start': z.object({}).strict(),
  /** Run an action (by id: no client sends a command line) on a project, or on one of its items. */
  'run:start': z.object({ projectId, action: actionId, itemId: itemId.optional() }).strict(),
  /** Cancel a queued run, or stop a running one (SIGTERM to its processes, SIGKILL after a grace period). */
  'run:cancel': z.object({ runId }).strict(),
  /** Start an ended run again as its next attempt. */
  'run:retry': z.object({ runId }).strict(),
  /** Run an action on several items, `concurrency` at a time, in cycles (the sprint runner's batch). */
  'batch:start': z
    .object({
      projectId,
      action: actionId,
      items: z.union([z.array(itemId).min(1).max(RUN_LIMITS.maxBatchItems), z.object({ next: z.number().int().min(1).max(RUN_LIMITS.maxBatchItems) }).strict()]),
      concurrency: z.number().int().min(1).max(RUN_LIMITS.maxBatchConcurrency).default(1),
      stopOnFailure: z.boolean().default(true),
    })
    .strict(),
  'batch:stop': z.object({ batchId }).strict(),
  /** Runs, newest first: active ones, then the history. */
  'runs:list': z
    .object({ projectId: projectId.optional(), itemId: itemId.optional(), active: z.boolean().optional(), limit: z.number().int().min(1).max(RUN_LIMITS.maxListed).optional() })
    .strict(),
  /**
   * What can be run on a project, on one of its items, or (`onItems`) on any of its items, as a
   * batch picks them; the user's own actions and presets when no project is named.
   */
  'actions:list': z.object({ projectId: projectId.optional(), itemId: itemId.optional(), onItems: z.boolean().optional() }).strict(),
} as const;

export type RequestName = keyof typeof RequestSchemas;
export type RequestPayload<R extends RequestName> = z.infer<(typeof RequestSchemas)[R]>;

/** Requests that change state: they need a token with `control` scope. */
export const CONTROL_REQUESTS: readonly RequestName[] = [
  'project:add',
  'project:remove',
  'project:pause',
  'engine:start',
  'engine:stop',
  'refresh',
  'projects:discover',
  'demo:start',
  'run:start',
  'run:cancel',
  'run:retry',
  'batch:start',
  'batch:stop',
];

/** A folder that looks like a project, found by `projects:discover` / `vigil discover`. */
export const DiscoveredProjectSchema = z.object({
  root: z.string(),
  name: z.string(),
  sources: z.array(SourceIdSchema),
  /** Already registered with this engine. */
  registered: z.boolean(),
});
export type DiscoveredProject = z.infer<typeof DiscoveredProjectSchema>;

/** What a request answers with. `resync` answers with the missed events, or a fresh hello. */
export interface RequestResults {
  subscribe: { projects: string[]; logs: LogRefPayload[] };
  resync: { events: EngineEvent[] } | { hello: Hello };
  'project:add': { projectId: string };
  'project:remove': Record<string, never>;
  'project:pause': Record<string, never>;
  'engine:start': Record<string, never>;
  'engine:stop': Record<string, never>;
  refresh: Record<string, never>;
  'projects:discover': { candidates: DiscoveredProject[] };
  'demo:start': { projectIds: string[] };
  'run:start': { run: Run };
  'run:cancel': { run: Run };
  'run:retry': { run: Run };
  'batch:start': { batch: Batch };
  'batch:stop': { batch: Batch };
  'runs:list': { runs: Run[] };
  'actions:list': ActionsList;
}

export type Reply<T> = { ok: true; data: T } | { ok: false; error: RequestError };

/** socket.io client → server map: every request carries an ack that receives the reply. */
export type ClientRequests = {
  [R in RequestName]: (payload: RequestPayload<R>, ack: (reply: Reply<RequestResults[R]>) => void) => void;
};

/** The same requests as plain async calls: what a `Transport` and the preload expose. */
export type RequestApi = {
  [R in RequestName]: (payload: RequestPayload<R>) => Promise<Reply<RequestResults[R]>>;
};

/** Parse a request payload; never throws. */
export function parseRequest<R extends RequestName>(
  name: R,
  payload: unknown,
): { ok: true; value: RequestPayload<R> } | { ok: false; error: RequestError } {
  const result = RequestSchemas[name].safeParse(payload ?? {});
  if (result.success) return { ok: true, value: result.data as RequestPayload<R> };
  const first = result.error.issues[0];
  const where = first && first.path.length > 0 ? ` at ${first.path.join('.')}` : '';
  return {
    ok: false,
    error: { event: name, code: 'invalid', message: `Invalid ${name} request${where}: ${first?.message ?? 'bad payload'}` },
  };
}

export function isRequestName(name: string): name is RequestName {
  return Object.prototype.hasOwnProperty.call(RequestSchemas, name);
}

// ---- Electron IPC channels, derived from the same maps ----

/** Main → window pushes use the server event names; window → main requests use the request names. */
export const IPC_PREFIX = 'vigil:';
export const ipcChannel = (name: keyof ServerEvents | RequestName): string => `${IPC_PREFIX}${name}`;
