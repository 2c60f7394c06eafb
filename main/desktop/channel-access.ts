// The Settings page's view of the alert channels: the config store writes them, the running
// alerts say how deliveries went. A webhook's signing secret leaves only once, on creation.
import type { ChannelAlerts } from '../notify/alerts';
import { channelInfo, makeChannel, type Channel } from '../notify/channel-config';
import type { ChannelAccess } from './desktop-requests';

export interface ChannelStore {
  addChannel(channel: Channel): Promise<Channel>;
  updateChannel(id: string, patch: Partial<Pick<Channel, 'enabled' | 'kinds' | 'projects'>>): Promise<Channel>;
  removeChannel(id: string): Promise<boolean>;
}

export function createChannelAccess(store: ChannelStore, alerts: ChannelAlerts, now: () => number = Date.now): ChannelAccess {
  return {
    state: () => alerts.state(),
    async add(input) {
      const channel = await store.addChannel(makeChannel(input, now()));
      return { channel: channelInfo(channel, 0), secret: channel.type === 'webhook' ? channel.secret : null };
    },
    async update(id, patch) {
      const channel = await store.updateChannel(id, patch);
      return channelInfo(channel, alerts.dispatcher.failuresInARow(id));
    },
    remove: (id) => store.removeChannel(id),
    test: (id) => alerts.test(id),
  };
}
