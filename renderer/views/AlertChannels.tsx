// Settings → Alert channels: ntfy, signed webhooks and Slack/Discord, each with the kinds of
// alert it gets, a test button, and the delivery log. Secrets never come back from the main
// side: a channel shows its scheme and host only, a webhook's secret once, on creation.
import { useEffect, useState } from 'react';
import { toast } from 'sonner';
import type { ChannelInfo, ChannelType, DeliveryEntry } from '../../shared/alerts';
import type { DesktopApi } from '../../shared/desktop-protocol';
import type { Reply } from '../../shared/protocol';
import { Age } from '../components/Age';
import { EmptyState } from '../components/EmptyState';

const TYPE_LABELS: Record<ChannelType, string> = { ntfy: 'ntfy (phone push)', webhook: 'Webhook (signed JSON)', slack: 'Slack or Discord' };
const PLACEHOLDERS: Record<ChannelType, string> = {
  ntfy: 'https://ntfy.sh/your-secret-topic',
  webhook: 'https://example.com/vigil-hook',
  slack: 'https://hooks.slack.com/services/…',
};

function unwrap<T>(reply: Reply<T>, what: string): T | null {
  if (reply.ok) return reply.data;
  toast.error(`Could not ${what}`, { description: reply.error.message });
  return null;
}

export function AlertChannelsSection({ desktop }: { desktop: DesktopApi }) {
  const [state, setState] = useState<{ channels: ChannelInfo[]; log: DeliveryEntry[] } | null>(null);
  const [type, setType] = useState<ChannelType>('ntfy');
  const [url, setUrl] = useState('');
  const [secret, setSecret] = useState<string | null>(null);
  const load = () => void desktop['channels:list']({}).then((r) => setState(unwrap(r, 'read the alert channels')));
  useEffect(load, [desktop]);
  const add = async () => {
    const made = unwrap(await desktop['channels:add']({ type, url: url.trim() }), 'add the channel');
    if (!made) return;
    setUrl('');
    setSecret(made.secret);
    load();
  };
  const test = async (channel: ChannelInfo) => {
    const entry = unwrap(await desktop['channels:test']({ id: channel.id }), `test ${channel.name}`);
    if (entry?.status === 'sent') toast.success(`Sent to ${channel.name}`, { description: `HTTP ${entry.httpStatus} in ${entry.latencyMs} ms` });
    else if (entry) toast.error(`Sending to ${channel.name} failed`, { description: entry.error ?? undefined });
    load();
  };
  const toggle = async (channel: ChannelInfo) => {
    if (unwrap(await desktop['channels:update']({ id: channel.id, enabled: !channel.enabled }), 'switch the channel')) load();
  };
  const remove = async (channel: ChannelInfo) => {
    if (unwrap(await desktop['channels:remove']({ id: channel.id }), 'remove the channel')) load();
  };
  return (
    <section className="card settings-section" data-testid="settings-channels">
      <h2>Alert channels</h2>
      <p className="muted small">Alerts follow the notification rules below (kinds, muted projects, quiet hours); a burst arrives as one message.</p>
      {secret && (
        <div className="banner info">
          <span>
            Webhook signing secret — copy it to the receiver now, it is not shown again: <code className="mono">{secret}</code>
          </span>
          <button type="button" onClick={() => setSecret(null)}>
            Done
          </button>
        </div>
      )}
      {!state ? (
        <EmptyState tone="loading" title="Reading…" />
      ) : state.channels.length === 0 ? (
        <p className="muted">No channels yet. An ntfy topic brings alerts to your phone through the ntfy app.</p>
      ) : (
        <table className="table">
          <tbody>
            {state.channels.map((c) => (
              <tr key={c.id} data-testid="channel-row">
                <td>
                  {c.name}
                  <div className="muted small mono">{c.target}</div>
                </td>
                <td className="small">{c.kinds.join(', ')}</td>
                <td className={c.failuresInARow >= 3 ? 'text-warning small' : 'muted small'}>{c.failuresInARow > 0 ? `${c.failuresInARow} failed in a row` : ''}</td>
                <td>
                  <button type="button" onClick={() => void test(c)}>
                    Test
                  </button>{' '}
                  <button type="button" onClick={() => void toggle(c)}>
                    {c.enabled ? 'Turn off' : 'Turn on'}
                  </button>{' '}
                  <button type="button" className="danger" onClick={() => void remove(c)}>
                    Remove
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <div className="add-folder">
        <select className="select" value={type} onChange={(e) => setType(e.target.value as ChannelType)} aria-label="Channel type">
          {(Object.keys(TYPE_LABELS) as ChannelType[]).map((t) => (
            <option key={t} value={t}>
              {TYPE_LABELS[t]}
            </option>
          ))}
        </select>
        <input type="url" className="path-input" placeholder={PLACEHOLDERS[type]} value={url} onChange={(e) => setUrl(e.target.value)} aria-label="Channel URL" />
        <button type="button" disabled={url.trim() === ''} onClick={() => void add()}>
          Add channel
        </button>
      </div>
      {state && state.log.length > 0 && (
        <details data-testid="delivery-log">
          <summary>Delivery log ({state.log.length})</summary>
          <table className="table small">
            <tbody>
              {state.log.map((e, i) => (
                <tr key={`${e.at}:${i}`}>
                  <td>
                    <Age at={e.at} />
                  </td>
                  <td>{e.channelName}</td>
                  <td className={e.status === 'sent' ? '' : 'text-warning'}>
                    {e.status}
                    {e.attempt > 1 ? ` (attempt ${e.attempt})` : ''}
                  </td>
                  <td>{e.httpStatus ?? ''}</td>
                  <td>{e.latencyMs !== null ? `${e.latencyMs} ms` : ''}</td>
                  <td className="muted">{e.error ?? e.title}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </details>
      )}
    </section>
  );
}
