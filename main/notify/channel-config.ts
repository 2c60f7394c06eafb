// The outbound channels a person set up, as kept in `channels.json` (mode 0600, beside the
// tokens: a webhook secret, an ntfy token and a Slack URL are all secrets). What may be shown
// of one is ChannelInfo (shared/desktop.ts): never the secret, never the URL's path.
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { NoticeKindSchema, type ChannelInfo, type ChannelType } from '../../shared/alerts';
import { NOTICE_KINDS } from './rules';

const httpUrl = z
  .string()
  .max(2048)
  .refine((text) => {
    try {
      const url = new URL(text);
      return (url.protocol === 'https:' || url.protocol === 'http:') && url.username === '' && url.password === '';
    } catch {
      return false;
    }
  }, 'must be an http(s) URL without a user name or password in it');

const common = {
  id: z.string().min(1),
  name: z.string().max(100),
  enabled: z.boolean(),
  kinds: z.array(NoticeKindSchema),
  projects: z.array(z.string()).nullable(),
  createdAt: z.number(),
};

export const ChannelSchema = z.discriminatedUnion('type', [
  z.object({ ...common, type: z.literal('ntfy'), url: httpUrl, priority: z.number().int().min(1).max(5), tags: z.array(z.string().max(50)).max(10), token: z.string().max(200).nullable() }),
  z.object({ ...common, type: z.literal('webhook'), url: httpUrl, secret: z.string().min(16) }),
  z.object({ ...common, type: z.literal('slack'), url: httpUrl }),
]);
export type Channel = z.infer<typeof ChannelSchema>;

export const ChannelsFileSchema = z.object({ version: z.literal(1), channels: z.array(ChannelSchema) });

export interface NewChannel {
  type: ChannelType;
  url: string;
  name?: string;
  kinds?: Channel['kinds'];
  projects?: string[] | null;
  priority?: number;
  tags?: string[];
  token?: string;
}

export class ChannelError extends Error {}

/** A complete channel from what a person gave; a webhook gets a fresh signing secret. */
export function makeChannel(input: NewChannel, now: number): Channel {
  const base = {
    id: `ch_${randomBytes(5).toString('hex')}`,
    name: input.name?.trim() || defaultName(input.type, input.url),
    enabled: true,
    kinds: input.kinds ?? [...NOTICE_KINDS],
    projects: input.projects ?? null,
    createdAt: now,
  };
  const candidate =
    input.type === 'ntfy'
      ? { ...base, type: 'ntfy' as const, url: input.url, priority: input.priority ?? 3, tags: input.tags ?? [], token: input.token ?? null }
      : input.type === 'webhook'
        ? { ...base, type: 'webhook' as const, url: input.url, secret: `whsec_${randomBytes(24).toString('base64url')}` }
        : { ...base, type: 'slack' as const, url: input.url };
  const parsed = ChannelSchema.safeParse(candidate);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    throw new ChannelError(`Invalid ${input.type} channel${first?.path.length ? ` ${first.path.join('.')}` : ''}: ${first?.message ?? 'bad value'}`);
  }
  return parsed.data;
}

function defaultName(type: ChannelType, url: string): string {
  const host = safeHost(url);
  return type === 'ntfy' ? `ntfy (${host})` : type === 'webhook' ? `webhook (${host})` : /discord/.test(host) ? 'Discord' : 'Slack';
}

function safeHost(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return '?';
  }
}

/** What may be shown of a channel. */
export function channelInfo(channel: Channel, failuresInARow: number): ChannelInfo {
  let target = '?';
  try {
    const url = new URL(channel.url);
    target = `${url.protocol}//${url.host}/…`;
  } catch {
    // Validated on the way in; an unreadable URL shows as '?'.
  }
  return {
    id: channel.id,
    type: channel.type,
    name: channel.name,
    target,
    enabled: channel.enabled,
    kinds: [...channel.kinds],
    projects: channel.projects ? [...channel.projects] : null,
    ...(channel.type === 'ntfy' ? { priority: channel.priority, tags: [...channel.tags] } : {}),
    failuresInARow,
  };
}
