// `vigil notify add | list | test | remove`: the outbound alert channels of a config folder.
// A running Vigil reads the channel list each time it has something to send, so a channel
// added here works there at once.
import { CHANNEL_TYPES, NoticeKindSchema, type ChannelType } from '../../shared/alerts';
import { ConfigStore } from '../engine/config';
import { defaultConfigDir } from '../engine/config-dir';
import { ChannelError, channelInfo, makeChannel } from '../notify/channel-config';
import { Dispatcher } from '../notify/dispatcher';
import { testNotice } from '../notify/alerts';
import { NOTICE_KINDS } from '../notify/rules';
import { parseCommandArgs, usageError } from './args';
import { NOTIFY } from './specs';


const list = (text: string | undefined): string[] | undefined => (text === undefined ? undefined : text.split(',').map((s) => s.trim()).filter(Boolean));

export async function run(args: string[]): Promise<number> {
  const parsed = parseCommandArgs(NOTIFY, args);
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
        if (!type || !CHANNEL_TYPES.includes(type as ChannelType)) return usageError('notify', `add needs a channel type: ${CHANNEL_TYPES.join(', ')}`);
        if (!url) return usageError('notify', `add ${type} needs a URL`);
        const kinds = list(values.kinds);
        const badKind = kinds?.find((k) => !NoticeKindSchema.safeParse(k).success);
        if (badKind) return usageError('notify', `unknown kind ${JSON.stringify(badKind)}; kinds are ${NOTICE_KINDS.join(', ')}`);
        const priority = values.priority === undefined ? undefined : Number(values.priority);
        if (priority !== undefined && !(Number.isInteger(priority) && priority >= 1 && priority <= 5)) return usageError('notify', '--priority must be 1 to 5');
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
        if (!id) return usageError('notify', 'test needs a channel id (see `vigil notify list`)');
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
        if (!id) return usageError('notify', 'remove needs a channel id (see `vigil notify list`)');
        if (!(await config.removeChannel(id))) return fail(`no channel with id ${id}; \`vigil notify list\` shows them`);
        process.stderr.write(`Removed ${id}.\n`);
        return 0;
      }
      default:
        return action ? usageError('notify', `unknown action '${action}'`) : usageError('notify', 'say what to do');
    }
  } catch (err) {
    if (err instanceof ChannelError) return fail(err.message, 2);
    throw err;
  }
}
