// The desktop-only boundary (Electron IPC, never socket.io): settings, the LAN server,
// tokens, folder picking and reveal/open. One typed map, like shared/protocol.ts.
import { z } from 'zod';
import type { Reply } from './protocol';

const HHMM = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'expected HH:MM');

export const NotificationRulesSchema = z.object({
  enabled: z.boolean(),
  onCritical: z.boolean(),
  onDone: z.boolean(),
  onFailed: z.boolean(),
  onStall: z.boolean(),
  /** An agent session waits for its user (a permission prompt, a question). */
  onNeedsInput: z.boolean(),
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
    onNeedsInput: true,
    mutedProjects: [],
    quietHours: null,
  },
  lan: { enabled: false, host: '0.0.0.0', port: 4317 },
};

/** `hook` may only post agent events (`vigil hook`): it can read nothing and change nothing else. */
export const TokenScopeSchema = z.enum(['read', 'control', 'hook']);
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

// ---- Outbound alert channels: ntfy, signed webhooks, Slack/Discord-style webhooks ----

export const CHANNEL_TYPES = ['ntfy', 'webhook', 'slack'] as const;
export const ChannelTypeSchema = z.enum(CHANNEL_TYPES);
export type ChannelType = z.infer<typeof ChannelTypeSchema>;

export const NoticeKindSchema = z.enum(['needs-input', 'critical', 'failed', 'done', 'stall']);

/** A channel as it may be shown: never its secret, nor the part of its URL that works as one. */
export const ChannelInfoSchema = z.object({
  id: z.string(),
  type: ChannelTypeSchema,
  name: z.string(),
  /** Scheme and host only (`https://ntfy.sh/…`): a topic or webhook path is a secret. */
  target: z.string(),
  enabled: z.boolean(),
  /** The kinds of alert it gets. */
  kinds: z.array(NoticeKindSchema),
  /** Only alerts about these projects; null for all. */
  projects: z.array(z.string()).nullable(),
  /** ntfy: 1 (min) to 5 (urgent). */
  priority: z.number().int().min(1).max(5).optional(),
  tags: z.array(z.string()).optional(),
  /** Deliveries in a row that failed; a few is a health warning. */
  failuresInARow: z.number().int().nonnegative(),
});
export type ChannelInfo = z.infer<typeof ChannelInfoSchema>;

/** One delivery attempt's outcome, for the delivery log (the newest 100 are kept). */
export const DeliveryEntrySchema = z.object({
  at: z.number(),
  channelId: z.string(),
  channelName: z.string(),
  title: z.string(),
  status: z.enum(['sent', 'retrying', 'failed', 'dropped']),
  /** The HTTP status, when there was an answer. */
  httpStatus: z.number().int().nullable(),
  latencyMs: z.number().nullable(),
  attempt: z.number().int().positive(),
  error: z.string().nullable(),
});
export type DeliveryEntry = z.infer<typeof DeliveryEntrySchema>;

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
  'channels:list': z.object({}).strict(),
  'channels:add': z
    .object({
      type: ChannelTypeSchema,
      url: z.string().min(1).max(2048),
      name: z.string().max(100).optional(),
      kinds: z.array(NoticeKindSchema).optional(),
      projects: z.array(z.string()).nullable().optional(),
      priority: z.number().int().min(1).max(5).optional(),
      tags: z.array(z.string().max(50)).max(10).optional(),
      token: z.string().max(200).optional(),
    })
    .strict(),
  'channels:update': z
    .object({ id: z.string(), enabled: z.boolean().optional(), kinds: z.array(NoticeKindSchema).optional(), projects: z.array(z.string()).nullable().optional() })
    .strict(),
  'channels:remove': z.object({ id: z.string() }).strict(),
  'channels:test': z.object({ id: z.string() }).strict(),
  /** Whether Vigil's hooks are in a project's agent settings, and when they last fired. */
  'hooks:status': z.object({ projectId: z.string() }).strict(),
  'hooks:install': z.object({ projectId: z.string(), agent: z.enum(['claude', 'codex']) }).strict(),
  'hooks:uninstall': z.object({ projectId: z.string(), agent: z.enum(['claude', 'codex']) }).strict(),
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
  'channels:list': { channels: ChannelInfo[]; log: DeliveryEntry[] };
  /** The webhook secret is shown once, on creation. */
  'channels:add': { channel: ChannelInfo; secret: string | null };
  'channels:update': ChannelInfo;
  'channels:remove': Record<string, never>;
  'channels:test': DeliveryEntry;
  'hooks:status': ProjectHooks;
  'hooks:install': ProjectHooks;
  'hooks:uninstall': ProjectHooks;
}

/** A project's agent hooks as the desktop shows them on its card. */
export interface ProjectHooks {
  claude: { installed: boolean; problem: string | null };
  codex: { installed: boolean; problem: string | null };
  /** ms since epoch of the newest hook event from the project, and from which agent. */
  lastEvent: { at: number; agent: string; event: string } | null;
}

export type DesktopApi = {
  [R in DesktopRequestName]: (payload: DesktopRequestPayload<R>) => Promise<Reply<DesktopResults[R]>>;
};

/** Main → window pushes that only the desktop has. */
export interface DesktopEvents {
  /** A notification was clicked: show this item. */
  'focus:item': (target: { projectId: string; kind: 'plan' | 'stub' | 'workorder' | 'project'; id: string }) => void;
  'settings:changed': (settings: Settings) => void;
}
