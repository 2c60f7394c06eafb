// `vigil notify add | list | test | remove`: the outbound alert channels of a config folder.
// A running Vigil reads the channel list each time it has something to send, so a channel
// added here works there at once.
import { CHANNEL_TYPES, NoticeKindSchema, type ChannelType } from '../../shared/alerts';
import { ConfigStore } from '../engine/config';
import { defaultConfigDir } from '../engine/json-file';
import { ChannelError, channelInfo, makeChannel } from '../notify/channel-config';
import { Dispatcher } from '../notify/dispatcher';
import { testNotice } from '../notify/alerts';
import { NOTICE_KINDS } from '../notify/rules';
import { parseCommandArgs, usageError } from './args';

const USAGE = `Usage: vigil notify add ntfy <topic-url> [--priority 1-5] [--tags a,b] [--token T] [options]
       vigil notify add webhook <url> [options]      (prints the signing secret once)
       vigil notify add slack <incoming-webhook-url> [options]   (Slack or Discord)
       vigil notify list [--json]
       vigil notify test <id>
       vigil notify remove <id>
Options: --name N         how the channel is shown
         --kinds K,K      ${NOTICE_KINDS.join(', ')} (default: all)
         --projects P,P   only alerts about these project ids (default: all projects)
         --config-dir D   default: VIGIL_CONFIG_DIR or ~/.config/vigil
Which alerts go out follows the notification rules in Settings (kinds, muted projects,
quiet hours); a burst is sent as one message.
`;

const list = (text: string | undefined): string[] | undefined => (text === undefined ? undefined : text.split(',').map((s) => s.trim()).filter(Boolean));

export async function run(args: string[]): Promise<number> {
  const parsed = parseCommandArgs(
    'notify',
    args,
    {
      name: { type: 'string' },
      kinds: { type: 'string' },
      projects: { type: 'string' },
      priority: { type: 'string' },
      tags: { type: 'string' },
      token: { type: 'string' },
      json: { type: 'boolean' },
      'config-dir': { type: 'string' },
    },
    USAGE,
  );
  if (typeof parsed === 'number') return parsed;
  const { values, positionals } = parsed;
  const [action, ...rest] = positionals;
  const config = new ConfigStore(values['config-dir'] ?? defaultConfigDir());
  const fail = (message: string, code = 1): number => {
    process.stderr.write(`vigil notify: ${message}\n`);
    return code;
  };
  try {
    switch (action) {
      case 'add': {
        const [type, url] = rest;
        if (!type || !CHANNEL_TYPES.includes(type as ChannelType)) return usageError('notify', `add needs a channel type: ${CHANNEL_TYPES.join(', ')}`, USAGE);
        if (!url) return usageError('notify', `add ${type} needs a URL`, USAGE);
        const kinds = list(values.kinds);
        const badKind = kinds?.find((k) => !NoticeKindSchema.safeParse(k).success);
        if (badKind) return usageError('notify', `unknown kind ${JSON.stringify(badKind)}; kinds are ${NOTICE_KINDS.join(', ')}`, USAGE);
        const priority = values.priority === undefined ? undefined : Number(values.priority);
        if (priority !== undefined && !(Number.isInteger(priority) && priority >= 1 && priority <= 5)) return usageError('notify', '--priority must be 1 to 5', USAGE);
        const channel = makeChannel(
          {
            type: type as ChannelType,
            url,
            name: values.name,
            kinds: kinds as never,
            projects: list(values.projects) ?? null,
            priority,
            tags: list(values.tags),
            token: values.token,
          },
          Date.now(),
        );
        await config.addChannel(channel);
        process.stdout.write(`${channel.id}\n`);
        process.stderr.write(`Added ${channel.type} channel ${channel.id} (${channel.name}). Try it: vigil notify test ${channel.id}\n`);
        if (channel.type === 'webhook') {
          process.stderr.write(
            `Signing secret (shown once; keep it with the receiver): ${channel.secret}\n` +
              'Each POST carries X-Vigil-Signature: t=<unix time>,v1=<hex HMAC-SHA256 of "<t>.<body>">.\n',
          );
        }
        return 0;
      }
      case 'list': {
        const { channels, warning } = await config.channels();
        if (warning) process.stderr.write(`vigil notify: ${warning}\n`);
        const infos = channels.map((c) => channelInfo(c, 0));
        if (values.json) {
          process.stdout.write(`${JSON.stringify(infos, null, 2)}\n`);
          return 0;
        }
        if (infos.length === 0) {
          process.stdout.write('No alert channels yet. `vigil notify add ntfy https://ntfy.sh/<your-topic>` sends alerts to your phone.\n');
          return 0;
        }
        for (const c of infos) {
          const scope = c.projects ? `projects ${c.projects.join(', ')}` : 'all projects';
          process.stdout.write(`${c.id}  ${c.type.padEnd(7)}  ${c.enabled ? 'on ' : 'off'}  ${c.name} → ${c.target}  [${c.kinds.join(', ')}; ${scope}]\n`);
        }
        return 0;
      }
      case 'test': {
        const [id] = rest;
        if (!id) return usageError('notify', 'test needs a channel id (see `vigil notify list`)', USAGE);
        const channel = (await config.channels()).channels.find((c) => c.id === id);
        if (!channel) return fail(`no channel with id ${id}; \`vigil notify list\` shows them`);
        // One attempt and a retry, quickly: a person is waiting at the terminal.
        const dispatcher = new Dispatcher({ retryDelaysMs: [500], timeoutMs: 8000 });
        const entry = await dispatcher.send(channel, testNotice());
        await dispatcher.close();
        if (entry.status === 'sent') {
          process.stdout.write(`Sent to ${channel.name}: HTTP ${entry.httpStatus} in ${entry.latencyMs} ms\n`);
          return 0;
        }
        return fail(`sending to ${channel.name} failed: ${entry.error}${entry.httpStatus ? ` (HTTP ${entry.httpStatus})` : ''}`);
      }
      case 'remove': {
        const [id] = rest;
        if (!id) return usageError('notify', 'remove needs a channel id (see `vigil notify list`)', USAGE);
        if (!(await config.removeChannel(id))) return fail(`no channel with id ${id}; \`vigil notify list\` shows them`);
        process.stderr.write(`Removed ${id}.\n`);
        return 0;
      }
      default:
        return action ? usageError('notify', `unknown action '${action}'`, USAGE) : usageError('notify', 'say what to do', USAGE);
    }
  } catch (err) {
    if (err instanceof ChannelError) return fail(err.message, 2);
    throw err;
  }
}
