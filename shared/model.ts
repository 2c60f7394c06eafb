// The one model every side shares: what a project holds once its planning files are
// understood. Zod schemas describe what crosses a process or network boundary; the
// TypeScript types are inferred from them so the two can never disagree.
import { z } from 'zod';

/** The normalized status vocabulary (docs/architecture.md, the model); the raw value is kept beside it. */
export const STATUSES = [
  'backlog',
  'todo',
  'in_progress',
  'review',
  'blocked',
  'done',
  'failed',
  'cancelled',
  'unknown',
] as const;
export const StatusSchema = z.enum(STATUSES);
export type Status = z.infer<typeof StatusSchema>;

/** Statuses after which an item does not move on by itself. */
export const FINISHED_STATUSES: readonly Status[] = ['done', 'failed', 'cancelled'];

export const SOURCE_IDS = ['coderef', 'gsd', 'bmad', 'speckit', 'taskmaster', 'backlog', 'kiro', 'openspec'] as const;
export const SourceIdSchema = z.enum(SOURCE_IDS);
export type SourceId = z.infer<typeof SourceIdSchema>;

export const PLAN_KINDS = ['feature', 'phase', 'plan', 'quick', 'epic', 'story', 'task', 'spec', 'change'] as const;
export const PlanKindSchema = z.enum(PLAN_KINDS);
export type PlanKind = z.infer<typeof PlanKindSchema>;

export const ProgressSchema = z.object({
  done: z.number().int().nonnegative(),
  total: z.number().int().nonnegative(),
});
export type Progress = z.infer<typeof ProgressSchema>;

/** Something a parser could not understand in a file. `line` is 1-based, null when unknown. */
export const ParseIssueSchema = z.object({
  path: z.string(),
  line: z.number().int().nullable(),
  message: z.string(),
});
export type ParseIssue = z.infer<typeof ParseIssueSchema>;

// ---- Items as a source adapter derives them (pure, no project or clock) ----

export const PlanItemSchema = z.object({
  /** Unique within a project; starts with the source id, e.g. `gsd:plan:02-01`. */
  id: z.string(),
  source: SourceIdSchema,
  kind: PlanKindSchema,
  title: z.string(),
  status: StatusSchema,
  /** The tool's own word for the status, as written ('' when the file gives none). */
  rawStatus: z.string(),
  progress: ProgressSchema,
  /** Relative to the project root, forward slashes. */
  path: z.string(),
  /** Id of the parent plan (a GSD plan's phase, a BMAD story's epic), or null. */
  parent: z.string().nullable(),
  /**
   * Other documents about the same plan (a BMAD story's review report or decision note),
   * relative to the project root; absent when there are none.
   */
  attachments: z.array(z.string()).optional(),
});
export type PlanItem = z.infer<typeof PlanItemSchema>;

export const StubItemSchema = z.object({
  id: z.string(),
  source: SourceIdSchema,
  title: z.string(),
  status: StatusSchema,
  rawStatus: z.string(),
  path: z.string(),
});
export type StubItem = z.infer<typeof StubItemSchema>;

export const WorkorderItemSchema = z.object({
  /** The coderef id as written, e.g. `WO-AUTH-SYSTEM-001`. */
  id: z.string(),
  source: SourceIdSchema,
  title: z.string(),
  status: StatusSchema,
  /** The file the work order is best described by (plan.json, communication.json or the log). */
  path: z.string(),
  /** The log a person opens to follow it (coderef `workorder-log.txt`), when there is one. */
  logPath: z.string().nullable(),
  /** ISO time of the newest log line naming it, when known. */
  lastActivity: z.string().nullable(),
  /** What the newest log line naming it says (its latest activity), when a log names it. */
  activity: z.string().nullable().optional(),
});
export type WorkorderItem = z.infer<typeof WorkorderItemSchema>;

/** What a source reports about itself, beside what Vigil measured (GSD STATE.md says 60%, files say 40%). */
export const ReportedSchema = z.object({
  source: SourceIdSchema,
  path: z.string(),
  status: z.string().nullable(),
  percent: z.number().nullable(),
  text: z.string().nullable(),
});
export type Reported = z.infer<typeof ReportedSchema>;

// ---- Items in the live model (the engine adds the project and the time) ----

export const PlanSchema = PlanItemSchema.extend({
  projectId: z.string(),
  /**
   * ms since epoch when this plan last changed: the modification time of its file (of the file
   * whose change altered it), not when Vigil read it.
   */
  updatedAt: z.number(),
});
export type Plan = z.infer<typeof PlanSchema>;

export const StubSchema = StubItemSchema.extend({ projectId: z.string(), updatedAt: z.number() });
export type Stub = z.infer<typeof StubSchema>;

export const WorkorderSchema = WorkorderItemSchema.extend({ projectId: z.string(), updatedAt: z.number() });
export type Workorder = z.infer<typeof WorkorderSchema>;

export const PROJECT_STATES = ['ok', 'missing', 'degraded', 'paused'] as const;
export const ProjectStateSchema = z.enum(PROJECT_STATES);
export type ProjectState = z.infer<typeof ProjectStateSchema>;

export const WatchStatsSchema = z.object({
  backend: z.enum(['native', 'polling', 'none']),
  watchedDirs: z.number().int().nonnegative(),
  /** ms since epoch of the last file event in this project, null before any. */
  lastEventAt: z.number().nullable(),
  errors: z.array(z.string()),
});
export type WatchStats = z.infer<typeof WatchStatsSchema>;

export const ProjectSchema = z.object({
  id: z.string(),
  name: z.string(),
  root: z.string(),
  sources: z.array(SourceIdSchema),
  state: ProjectStateSchema,
  watch: WatchStatsSchema,
  /** Measured from files: finished plans over plans (leaf plans where a source nests them). */
  progress: ProgressSchema,
  reported: z.array(ReportedSchema),
});
export type Project = z.infer<typeof ProjectSchema>;

export const ProjectIssueSchema = ParseIssueSchema.extend({ projectId: z.string() });
export type ProjectIssue = z.infer<typeof ProjectIssueSchema>;

// ---- Health, heartbeat, activity ----

export const HEALTH_LEVELS = ['ok', 'warning', 'critical'] as const;
export const HealthLevelSchema = z.enum(HEALTH_LEVELS);
export type HealthLevel = z.infer<typeof HealthLevelSchema>;

export const HealthConditionSchema = z.object({
  /** Stable key, e.g. `project-missing:<projectId>`, so a condition keeps its `since`. */
  key: z.string(),
  level: HealthLevelSchema,
  message: z.string(),
  /** What a person can do about it, when there is something. */
  hint: z.string().nullable(),
  projectId: z.string().nullable(),
  since: z.number(),
});
export type HealthCondition = z.infer<typeof HealthConditionSchema>;

export const HealthSchema = z.object({
  level: HealthLevelSchema,
  /** ms since epoch when `level` last changed. */
  since: z.number(),
  conditions: z.array(HealthConditionSchema),
});
export type Health = z.infer<typeof HealthSchema>;

export const ThroughputSchema = z.object({
  /** Items that reached `done` in the last hour. */
  finishedLastHour: z.number().int().nonnegative(),
  failedLastHour: z.number().int().nonnegative(),
  /** Mean ms from `in_progress` to `done`, over transitions Vigil saw both ends of; null before any. */
  meanCycleMs: z.number().nullable(),
});
export type Throughput = z.infer<typeof ThroughputSchema>;

export const ITEM_KINDS = ['plan', 'stub', 'workorder'] as const;
export const ItemKindSchema = z.enum(ITEM_KINDS);
export type ItemKind = z.infer<typeof ItemKindSchema>;

/** One status transition of one item; the activity feed is a ring of these. */
export const TransitionSchema = z.object({
  projectId: z.string(),
  kind: ItemKindSchema,
  id: z.string(),
  title: z.string(),
  from: StatusSchema.nullable(),
  to: StatusSchema,
  at: z.number(),
  /** Found when Vigil started: it happened while Vigil was not running, some time before `at`. */
  foundOnStart: z.boolean().optional(),
  /** The seq of the `item:status` event that told it, so a feed can join the journal's pages to it. */
  seq: z.number().int().nonnegative().optional(),
});
export type Transition = z.infer<typeof TransitionSchema>;

/** One item reaching done or failed, with how long it took from its first `in_progress`. */
export const CompletionSchema = z.object({
  seq: z.number().int().nonnegative(),
  at: z.number(),
  projectId: z.string(),
  kind: ItemKindSchema,
  id: z.string(),
  title: z.string(),
  to: z.enum(['done', 'failed']),
  /** ms from the first `in_progress` of this stretch of work; null when Vigil never saw it start. */
  cycleMs: z.number().nullable(),
});
export type Completion = z.infer<typeof CompletionSchema>;

/** Items that reached done and failed in one bucket (an hour or a day) starting at `start`. */
export const ThroughputBucketSchema = z.object({
  start: z.number(),
  finished: z.number().int().nonnegative(),
  failed: z.number().int().nonnegative(),
});
export type ThroughputBucket = z.infer<typeof ThroughputBucketSchema>;

export const HeartbeatSchema = z.object({
  tick: z.number().int().nonnegative(),
  /** How long the last tick's work took. */
  latencyMs: z.number(),
  /** How late the last tick fired against its schedule (event-loop drift). */
  driftMs: z.number(),
  running: z.boolean(),
  ts: z.number(),
});
export type Heartbeat = z.infer<typeof HeartbeatSchema>;

/** Where an action was defined: the user's config, a preset the user enabled, or a trusted project file. */
export const ActionOriginSchema = z.enum(['user', 'preset', 'project']);
export type ActionOrigin = z.infer<typeof ActionOriginSchema>;

// ---- Runs ----

export const RUN_STATES = ['queued', 'running', 'succeeded', 'failed', 'cancelled', 'lost'] as const;
export const RunStateSchema = z.enum(RUN_STATES);
export type RunState = z.infer<typeof RunStateSchema>;
export const FINISHED_RUN_STATES: readonly RunState[] = ['succeeded', 'failed', 'cancelled', 'lost'];
export const isActiveRunState = (state: RunState): boolean => state === 'queued' || state === 'running';

export const RunTokensSchema = z.object({
  input: z.number().int().nonnegative(),
  output: z.number().int().nonnegative(),
  cacheRead: z.number().int().nonnegative(),
  cacheCreation: z.number().int().nonnegative(),
});
export type RunTokens = z.infer<typeof RunTokensSchema>;

export const RunSchema = z.object({
  id: z.string(),
  projectId: z.string(),
  /** The action's id, and its label when the run was made. */
  action: z.string(),
  actionLabel: z.string(),
  actionOrigin: ActionOriginSchema,
  itemId: z.string().nullable(),
  itemTitle: z.string().nullable(),
  state: RunStateSchema,
  /** 1-based place in the queue while queued, else null. */
  position: z.number().int().positive().nullable(),
  /** 1 for a first run; a retry is the attempt after the run it retries. */
  attempt: z.number().int().positive(),
  /** The run this one retries. */
  retryOf: z.string().nullable(),
  batchId: z.string().nullable(),
  /** Who asked for it: a token's label, "desktop", or "cli". */
  startedBy: z.string(),
  /** ms since epoch. */
  queuedAt: z.number(),
  startedAt: z.number().nullable(),
  endedAt: z.number().nullable(),
  /** The exit code; 128 + the signal number when a signal ended it; null while running or when unknown. */
  exitCode: z.number().int().nullable(),
  /** A failed run that will be started again as a new attempt. */
  willRetry: z.boolean(),
  /** Why it failed, was cancelled or lost, in words; null when it succeeded or is not over. */
  reason: z.string().nullable(),
  tokens: RunTokensSchema.nullable(),
  costUsd: z.number().nullable(),
  /** The last progress message the agent printed (stream-json), if any. */
  lastMessage: z.string().nullable(),
  /** ms since epoch of the last line of output. */
  lastOutputAt: z.number().nullable(),
  /** The process group leader's pid while it runs. */
  pid: z.number().int().nullable(),
  /** When that process started, as the OS counts it: tells the run from a later process given the same pid. */
  pidStartTime: z.string().nullable(),
  /** Where it ran (the project root or its worktree), once it started. */
  cwd: z.string().nullable(),
  /** The branch of its worktree, for `cwd: worktree` actions. */
  branch: z.string().nullable(),
  /** Absolute path of its log, in the config folder. */
  logPath: z.string(),
});
export type Run = z.infer<typeof RunSchema>;

// ---- Batches (the sprint runner's batch → cycle → command) ----

export const BATCH_STATES = ['running', 'stopping', 'completed', 'failed', 'stopped'] as const;
export const BatchStateSchema = z.enum(BATCH_STATES);
export type BatchState = z.infer<typeof BatchStateSchema>;

export const BatchSchema = z.object({
  id: z.string(),
  projectId: z.string(),
  action: z.string(),
  items: z.array(z.string()),
  concurrency: z.number().int().positive(),
  stopOnFailure: z.boolean(),
  state: BatchStateSchema,
  /** The cycle running now (1-based), or the last one once the batch is over; 0 before the first. */
  cycle: z.number().int().nonnegative(),
  cycles: z.number().int().nonnegative(),
  done: z.object({ succeeded: z.number().int(), failed: z.number().int(), cancelled: z.number().int(), skipped: z.number().int() }),
  startedBy: z.string(),
  startedAt: z.number(),
  endedAt: z.number().nullable(),
});
export type Batch = z.infer<typeof BatchSchema>;
// ---- Agent sessions: agents at work, seen through their hooks or started as runs ----

export const AGENT_STATES = ['working', 'needs-input', 'idle', 'ended'] as const;
export const AgentStateSchema = z.enum(AGENT_STATES);
export type AgentState = z.infer<typeof AgentStateSchema>;

export const AgentSessionSchema = z.object({
  /** `<agent>:<the agent's own session id>`, stable for the session's life. */
  id: z.string(),
  /** Who is working: `claude`, `codex`, or the name a generic hook gave. */
  agent: z.string(),
  /** The registered project whose root (or one of its git worktrees) holds the session's cwd; null when none does. */
  projectId: z.string().nullable(),
  /** The session's working folder as the agent reported it. */
  cwd: z.string(),
  state: AgentStateSchema,
  /** ms since epoch when `state` last changed. */
  since: z.number(),
  startedAt: z.number(),
  /** ms since epoch of the newest event from the session. */
  lastEventAt: z.number(),
  /** What the agent last said: the question it waits on, or its final words. */
  message: z.string().optional(),
  /** The plan or work order it works on, when the hook, the run or its worktree names one. */
  itemId: z.string().optional(),
  /** Set when Vigil started the session as a run. */
  runId: z.string().optional(),
});
export type AgentSession = z.infer<typeof AgentSessionSchema>;

/** The whole live picture at one `seq`: what `hello` and `GET /api/snapshot` carry. */
export const SnapshotSchema = z.object({
  seq: z.number().int().nonnegative(),
  running: z.boolean(),
  projects: z.array(ProjectSchema),
  plans: z.array(PlanSchema),
  stubs: z.array(StubSchema),
  workorders: z.array(WorkorderSchema),
  issues: z.array(ProjectIssueSchema),
  health: HealthSchema,
  throughput: ThroughputSchema,
  activity: z.array(TransitionSchema),
  heartbeat: HeartbeatSchema.nullable(),
  /** Runs queued or running now (servers before runs existed leave it out). */
  runs: z.array(RunSchema).optional(),
  /** Batches going on now. */
  batches: z.array(BatchSchema).optional(),
  /** The last 100 items that reached done or failed, newest first (from the journal; empty without one). */
  recentCompletions: z.array(CompletionSchema).optional(),
  /** Finished and failed per hour for the last 24 hours, oldest first, the current hour last. */
  hourlyThroughput: z.array(ThroughputBucketSchema).optional(),
  /** Agent sessions: live ones, and ended ones for an hour. */
  agents: z.array(AgentSessionSchema),
});
export type Snapshot = z.infer<typeof SnapshotSchema>;
