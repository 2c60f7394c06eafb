// Vigil's settings as the config file, the desktop app and the engine read them.
import { z } from 'zod';

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
  /** Runs Vigil starts: how many at once, overall and per project, and when a silent one is stuck. */
  runs: z.object({
    maxConcurrent: z.number().int().min(1).max(64),
    perProject: z.number().int().min(1).max(64),
    stuckMinutes: z.number().int().min(1).max(24 * 60),
  }),
  /** How much of the journal to keep: whichever limit is reached first prunes the oldest events. */
  history: z.object({
    retentionDays: z.number().int().min(1).max(3650),
    maxEvents: z.number().int().min(1000).max(100_000_000),
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
    onNeedsInput: true,
    mutedProjects: [],
    quietHours: null,
  },
  lan: { enabled: false, host: '0.0.0.0', port: 4317 },
  runs: { maxConcurrent: 4, perProject: 1, stuckMinutes: 5 },
  history: { retentionDays: 90, maxEvents: 1_000_000 },
};

/** A setting's key in settings.json: top-level, or one level into a group (`runs.maxConcurrent`). */
export type SettingKey = {
  [K in keyof Settings]: NonNullable<Settings[K]> extends Record<string, unknown> ? `${K}.${keyof NonNullable<Settings[K]> & string}` : K;
}[keyof Settings];

/**
 * A setting as it is named in settings.json, for the hints every client shows: a browser on
 * `vigil serve` has no Settings screen, and some settings have no control there at all.
 */
export function settingsFileKey(key: SettingKey): string {
  return `\`${key}\` in settings.json in Vigil's config folder`;
}
