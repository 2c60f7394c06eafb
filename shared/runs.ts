// Runs: what Vigil can start (actions), what it started (runs) and the batches that start many.
// The action file format (`.vigil/actions.json`) is a public contract: only `id` and `argv`
// are required, and keys are only ever added.
import { z } from 'zod';
import { ActionOriginSchema, BatchSchema, BatchStateSchema, PlanKindSchema, RunSchema, RunStateSchema, SourceIdSchema } from './model';

/** How many arguments, and how long each, an action may have (a sanity bound, not a style rule). */
export const ACTION_LIMITS = { maxArgs: 256, maxArgChars: 16_384, maxEnv: 128, maxActions: 200 } as const;

/** Characters an action id may use: it appears in CLI commands, branch names and log lines. */
export const ACTION_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/** Which items an action applies to; an empty selector applies to every item. */
export const AppliesToSchema = z
  .object({
    source: SourceIdSchema.optional(),
    /** A plan kind (`plan`, `story`, `feature`, …) or `stub`. */
    kind: z.union([PlanKindSchema, z.literal('stub')]).optional(),
  })
  .strict();
export type AppliesTo = z.infer<typeof AppliesToSchema>;

export const ActionCwdSchema = z.enum(['root', 'worktree']);
export type ActionCwd = z.infer<typeof ActionCwdSchema>;

/** One action as a person writes it, in the user's config or a project's `.vigil/actions.json`. */
export const ActionSpecSchema = z.object({
  id: z.string().regex(ACTION_ID_PATTERN, 'letters, digits, ".", "_" and "-", starting with a letter or digit, at most 64'),
  label: z.string().max(200).optional(),
  /**
   * The program and its arguments. Placeholders (`{root}`, `{item.id}`, `{item.path}`,
   * `{item.title}`, `{item.number}`) are replaced inside an argument, which stays one argument.
   */
  argv: z.array(z.string().max(ACTION_LIMITS.maxArgChars)).min(1).max(ACTION_LIMITS.maxArgs),
  /** `root` (default): the project folder. `worktree`: a fresh git worktree per run, on a branch named after the item. */
  cwd: ActionCwdSchema.optional(),
  /** Empty or absent: the action is offered on the project, not on items. */
  appliesTo: z.array(AppliesToSchema).max(32).optional(),
  /** Stop the run after this long (default: no limit). */
  timeoutMs: z
    .number()
    .int()
    .min(1000)
    .max(7 * 24 * 3600_000)
    .optional(),
  env: z
    .record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'an environment variable name'), z.string().max(ACTION_LIMITS.maxArgChars))
    .optional(),
  /**
   * Run `argv[0]` as a `/bin/sh -c` script; the other elements become `$1`, `$2`, … so a
   * placeholder is never spliced into the script. Off unless an action says so.
   */
  shell: z.boolean().optional(),
  /** Start a failed run again, as a new attempt, up to this many times (default 0). */
  retries: z.number().int().min(0).max(10).optional(),
});
export type ActionSpec = z.infer<typeof ActionSpecSchema>;

/** `.vigil/actions.json`. */
export const ProjectActionsFileSchema = z.object({ actions: z.array(ActionSpecSchema).max(ACTION_LIMITS.maxActions) });

/** An action as clients see it (actions:list): what it runs, where from, and what it applies to. */
export const ActionInfoSchema = z.object({
  id: z.string(),
  label: z.string(),
  origin: ActionOriginSchema,
  argv: z.array(z.string()),
  cwd: ActionCwdSchema,
  appliesTo: z.array(AppliesToSchema),
  timeoutMs: z.number().nullable(),
  shell: z.boolean(),
  retries: z.number().int(),
});
export type ActionInfo = z.infer<typeof ActionInfoSchema>;

/** The state of a project's `.vigil/actions.json` as far as running it goes. */
export const ProjectActionsStateSchema = z.object({
  state: z.enum(['none', 'untrusted', 'changed', 'trusted', 'invalid']),
  /** Root-relative path of the file. */
  path: z.string(),
  /** What to do about it, when there is something to do. */
  message: z.string().nullable(),
  /** How many actions the file defines (0 when it cannot be read). */
  count: z.number().int().nonnegative(),
});
export type ProjectActionsState = z.infer<typeof ProjectActionsStateSchema>;

/** What a command (one run) cost, as the sprint runner reports it. */
export const CommandMetricsSchema = z.object({ duration_ms: z.number().nullable(), tokens: z.number().int().nullable() });

// The sprint runner's event payloads, with its key names, plus the project they belong to.
const batchRef = { projectId: z.string(), batch_id: z.string() };
const commandRef = {
  projectId: z.string(),
  /** Null for a run outside a batch. */
  batch_id: z.string().nullable(),
  /** The item the command works on (BMAD's story key), or null for a project-wide action. */
  story_key: z.string().nullable(),
  /** The action id. */
  command: z.string(),
  /** The run id. */
  task_id: z.string(),
};

export const RunEventPayloadSchemas = {
  'run:queued': z.object({ run: RunSchema }),
  'run:started': z.object({ run: RunSchema }),
  'run:succeeded': z.object({ run: RunSchema }),
  'run:failed': z.object({ run: RunSchema }),
  'run:cancelled': z.object({ run: RunSchema }),
  'run:lost': z.object({ run: RunSchema }),
  /** A queued run moved up the queue (positions are in the runs it names). */
  'run:position': z.object({ projectId: z.string(), positions: z.array(z.object({ runId: z.string(), position: z.number().int().positive() })) }),
  'batch:start': z.object({ ...batchRef, batch: BatchSchema, max_cycles: z.number().int().nonnegative() }),
  'batch:end': z.object({ ...batchRef, batch: BatchSchema, cycles_completed: z.number().int().nonnegative(), status: BatchStateSchema }),
  'cycle:start': z.object({ ...batchRef, cycle_number: z.number().int().positive(), story_keys: z.array(z.string()) }),
  'cycle:end': z.object({ ...batchRef, cycle_number: z.number().int().positive(), completed_stories: z.array(z.string()) }),
  'command:start': z.object(commandRef),
  'command:progress': z.object({ ...commandRef, message: z.string() }),
  'command:end': z.object({ ...commandRef, status: RunStateSchema, metrics: CommandMetricsSchema }),
} as const;

/** Where one action may run, as `actions:list` answers for an item or project. */
export const ActionsListSchema = z.object({
  actions: z.array(ActionInfoSchema),
  /** The project's own actions file, when a project was named. */
  projectFile: ProjectActionsStateSchema.nullable(),
});
export type ActionsList = z.infer<typeof ActionsListSchema>;

// ---- The user's action config (actions.json in the config folder) ----

/** A project's `.vigil/actions.json` the local user allowed to run, by its content. */
export const TrustedActionsFileSchema = z.object({
  /** The project's real root. */
  root: z.string(),
  /** Hex SHA-256 of the file's bytes when it was trusted; any change needs a new trust. */
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  trustedAt: z.number(),
});
export type TrustedActionsFile = z.infer<typeof TrustedActionsFileSchema>;

export const ActionsConfigSchema = z.object({
  /** Actions the user defined. */
  actions: z.array(ActionSpecSchema).max(ACTION_LIMITS.maxActions),
  /** Ids of the presets the user turned on. */
  presets: z.array(z.string()),
  trusted: z.array(TrustedActionsFileSchema),
});
export type ActionsConfig = z.infer<typeof ActionsConfigSchema>;

/** The `path` a run's log messages carry: a name for the run's log, not a file of the project. */
export const runLogPath = (runId: string): string => `runs/${runId}.log`;
