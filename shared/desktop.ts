// The desktop-only boundary (Electron IPC, never socket.io): settings, the LAN server,
// tokens, folder picking and reveal/open. One typed map, like shared/protocol.ts.
import { z } from 'zod';
import type { Reply } from './protocol';
import { ActionSpecSchema, type ActionInfo, type ActionSpec, type ActionsConfig, type ProjectActionsState } from './runs';

const HHMM = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'expected HH:MM');

export const NotificationRulesSchema = z.object({
  enabled: z.boolean(),
  onCritical: z.boolean(),
  onDone: z.boolean(),
  onFailed: z.boolean(),
  onStall: z.boolean(),
  mutedProjects: z.array(z.string()),
  /** Local times; a window that wraps midnight (22:00 → 07:00) is allowed. */
  quietHours: z.object({ start: HHMM, end: HHMM }).nullable(),
});
export type NotificationRules = z.infer<typeof NotificationRulesSchema>;

export const SettingsSchema = z.object({
  heartbeatMs: z.number().int().min(100).max(60_000),
  /** An `in_progress` item in a project quiet this long is stalled. */
  stallMinutes: z.number().int().min(1).max(24 * 60),
  /** Closing the window keeps Vigil running in the tray. */
  closeToTray: z.boolean(),
  checkForUpdates: z.boolean(),
  notifications: NotificationRulesSchema,
  lan: z.object({ enabled: z.boolean(), host: z.string(), port: z.number().int().min(0).max(65535) }),
  /** Runs Vigil starts: how many at once, overall and per project, and when a silent one is stuck. */
  runs: z.object({
    maxConcurrent: z.number().int().min(1).max(64),
    perProject: z.number().int().min(1).max(64),
    stuckMinutes: z.number().int().min(1).max(24 * 60),
  }),
});
export type Settings = z.infer<typeof SettingsSchema>;

export const DEFAULT_SETTINGS: Settings = {
  heartbeatMs: 1000,
  stallMinutes: 30,
  closeToTray: true,
  checkForUpdates: false,
  notifications: {
    enabled: true,
    onCritical: true,
    onDone: true,
    onFailed: true,
    onStall: true,
    mutedProjects: [],
    quietHours: null,
  },
  lan: { enabled: false, host: '0.0.0.0', port: 4317 },
  runs: { maxConcurrent: 4, perProject: 1, stuckMinutes: 5 },
};

export const TokenScopeSchema = z.enum(['read', 'control']);
export type TokenScope = z.infer<typeof TokenScopeSchema>;

/** A token as it may be shown: never the secret itself after creation. */
export const TokenInfoSchema = z.object({
  id: z.string(),
  scope: TokenScopeSchema,
  label: z.string(),
  createdAt: z.number(),
  lastUsedAt: z.number().nullable(),
});
export type TokenInfo = z.infer<typeof TokenInfoSchema>;

export const LanStateSchema = z.object({
  enabled: z.boolean(),
  /** The URL to open, with a read token in the fragment, when enabled. */
  url: z.string().nullable(),
  error: z.string().nullable(),
});
export type LanState = z.infer<typeof LanStateSchema>;

const relPath = z.string().min(1).max(4096);

export const DesktopRequestSchemas = {
  'dialog:pickFolder': z.object({}).strict(),
  'item:reveal': z.object({ projectId: z.string(), path: relPath }).strict(),
  'item:open': z.object({ projectId: z.string(), path: relPath }).strict(),
  'settings:get': z.object({}).strict(),
  'settings:set': SettingsSchema.partial().strict(),
  'lan:get': z.object({}).strict(),
  'lan:set': z.object({ enabled: z.boolean() }).strict(),
  'tokens:list': z.object({}).strict(),
  'tokens:create': z.object({ scope: TokenScopeSchema, label: z.string().max(100).optional() }).strict(),
  'tokens:revoke': z.object({ id: z.string() }).strict(),
  /**
   * Trust a project's `.vigil/actions.json` as it is now, so its actions may run. Only over IPC:
   * the local user decides, never a network client.
   */
  'actions:trust': z.object({ projectId: z.string() }).strict(),
  /** What a project's actions file says, trusted or not: shown before the user trusts it. */
  'actions:file': z.object({ projectId: z.string() }).strict(),
  /** The user's actions and which presets are on, with every preset there is. */
  'actions:get': z.object({}).strict(),
  /** Replace the user's actions and/or the presets that are on (both validated; nothing is saved on an error). */
  'actions:set': z.object({ actions: z.array(ActionSpecSchema).optional(), presets: z.array(z.string()).optional() }).strict(),
} as const;

export type DesktopRequestName = keyof typeof DesktopRequestSchemas;
export type DesktopRequestPayload<R extends DesktopRequestName> = z.infer<(typeof DesktopRequestSchemas)[R]>;

export interface DesktopResults {
  'dialog:pickFolder': { path: string | null };
  'item:reveal': Record<string, never>;
  'item:open': Record<string, never>;
  'settings:get': Settings;
  'settings:set': Settings;
  'lan:get': LanState;
  'lan:set': LanState;
  'tokens:list': TokenInfo[];
  'tokens:create': { token: TokenInfo; secret: string };
  'tokens:revoke': Record<string, never>;
  'actions:trust': { root: string; sha256: string; count: number };
  'actions:file': { state: ProjectActionsState; actions: ActionSpec[] };
  'actions:get': ActionsSettings;
  'actions:set': ActionsSettings;
}

/** What the Settings view edits: the user's actions, and every preset with whether it is on. */
export interface ActionsSettings {
  actions: ActionsConfig['actions'];
  presets: (ActionInfo & { enabled: boolean })[];
}

export type DesktopApi = {
  [R in DesktopRequestName]: (payload: DesktopRequestPayload<R>) => Promise<Reply<DesktopResults[R]>>;
};

/** Main → window pushes that only the desktop has. */
export interface DesktopEvents {
  /** A notification was clicked: show this item. */
  'focus:item': (target: { projectId: string; kind: 'plan' | 'stub' | 'workorder' | 'project' | 'run'; id: string }) => void;
  'settings:changed': (settings: Settings) => void;
}
