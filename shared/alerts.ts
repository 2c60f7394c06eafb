// Outbound alerts and agent hooks as the desktop shows them: channels (ntfy, signed webhooks,
// Slack/Discord) without their secrets, the delivery log, and a project's hook status.
import { z } from 'zod';

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

/** A project's agent hooks as the desktop shows them on its card. */
export interface ProjectHooks {
  claude: { installed: boolean; problem: string | null };
  codex: { installed: boolean; problem: string | null };
  /** ms since epoch of the newest hook event from the project, and from which agent. */
  lastEvent: { at: number; agent: string; event: string } | null;
}
