// What goes over the wire for each kind of channel. Pure: a channel, a notice and the time in,
// the HTTP request out. Webhooks are signed as `t=<unix seconds>,v1=<hex HMAC-SHA256 of
// "<t>.<body>">` in X-Vigil-Signature, so a receiver can check both origin and freshness.
import { createHmac } from 'node:crypto';
import type { Channel } from './channel-config';
import type { Notice } from './rules';

export interface OutboundRequest {
  url: string;
  headers: Record<string, string>;
  body: string;
}

export const SIGNATURE_HEADER = 'X-Vigil-Signature';

/** The signature header's value for `body` sent at `unixSeconds`. */
export function signature(secret: string, unixSeconds: number, body: string): string {
  const mac = createHmac('sha256', secret).update(`${unixSeconds}.${body}`).digest('hex');
  return `t=${unixSeconds},v1=${mac}`;
}

/** ntfy takes JSON at the server's root, with the topic inside: UTF-8 titles work there, not in headers. */
function ntfyRequest(channel: Extract<Channel, { type: 'ntfy' }>, notice: Notice): OutboundRequest {
  const url = new URL(channel.url);
  const parts = url.pathname.split('/').filter(Boolean);
  const topic = parts.pop() ?? '';
  url.pathname = `/${parts.join('/')}${parts.length > 0 ? '/' : ''}`;
  const body = JSON.stringify({
    topic,
    title: notice.title,
    message: notice.body,
    priority: channel.priority,
    tags: channel.tags.length > 0 ? channel.tags : [notice.kind === 'needs-input' ? 'raising_hand' : notice.kind === 'done' ? 'white_check_mark' : 'warning'],
  });
  const headers: Record<string, string> = { 'Content-Type': 'application/json' };
  if (channel.token) headers.Authorization = `Bearer ${channel.token}`;
  return { url: url.toString(), headers, body };
}

function isDiscord(url: string): boolean {
  try {
    return /(^|\.)discord(app)?\.com$/.test(new URL(url).hostname);
  } catch {
    return false;
  }
}

export function outboundRequest(channel: Channel, notice: Notice, now: number): OutboundRequest {
  switch (channel.type) {
    case 'ntfy':
      return ntfyRequest(channel, notice);
    case 'slack': {
      // Slack reads `text` (mrkdwn), Discord `content` (markdown).
      const body = isDiscord(channel.url) ? { content: `**${notice.title}**\n${notice.body}` } : { text: `*${notice.title}*\n${notice.body}` };
      return { url: channel.url, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) };
    }
    case 'webhook': {
      const body = JSON.stringify({ version: 1, kind: notice.kind, title: notice.title, body: notice.body, projectIds: notice.projectIds, target: notice.target, at: now });
      const t = Math.floor(now / 1000);
      return {
        url: channel.url,
        headers: { 'Content-Type': 'application/json', 'X-Vigil-Event': notice.kind, [SIGNATURE_HEADER]: signature(channel.secret, t, body) },
        body,
      };
    }
  }
}
