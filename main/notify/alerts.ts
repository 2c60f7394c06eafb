// The outbound channels follow the engine: each batch of events becomes notices (the same
// rules as the desktop's: kind toggles, muted projects, quiet hours), each channel takes the
// kinds and projects it was set up for, and a burst (an agent finishing ten tasks in one save)
// reaches a channel as one message. Delivery is the dispatcher's, off the engine's path.
import type { ChannelInfo, DeliveryEntry } from '../../shared/alerts';
import type { NotificationRules } from '../../shared/settings';
import type { Health, Project } from '../../shared/model';
import type { Closable, EventHub } from '../engine/api';
import type { ConfigStore } from '../engine/config';
import type { HealthConditionDraft } from '../engine/health';
import { BurstLimiter, type BurstOptions } from './bursts';
import { channelInfo, type Channel } from './channel-config';
import { Dispatcher, type DispatcherOptions } from './dispatcher';
import { applyRules, noticesFromEvents, type Notice } from './rules';

/** Notices gathered this long from the first are sent as one message (bursts land within milliseconds). */
export const CHANNEL_BURST: BurstOptions = { max: 0, windowMs: 1000 };

export interface ChannelAlertsOptions {
  hub: EventHub;
  /** The channels now (read fresh: another process may have added one). */
  channels: () => Promise<{ channels: Channel[]; warning: string | null }>;
  rules: () => NotificationRules;
  projectName: (projectId: string) => string | undefined;
  /** Health at start, so a critical engine does not alert just because Vigil started. */
  initialHealth: Health | null;
  dispatcher?: DispatcherOptions;
  burst?: BurstOptions;
  now?: () => number;
  log: (line: string) => void;
}

export interface ChannelAlerts {
  readonly dispatcher: Dispatcher;
  /** Health conditions for channels that keep failing. */
  conditions(): readonly HealthConditionDraft[];
  /** The channels as they may be shown, and the delivery log. */
  state(): Promise<{ channels: ChannelInfo[]; log: DeliveryEntry[] }>;
  /** Send a test message to one channel now and wait for the outcome. */
  test(id: string): Promise<DeliveryEntry>;
  close(): Promise<void>;
}

/** What the alerts need of a running engine. */
export interface AlertedEngine {
  readonly hub: EventHub;
  projects(): readonly Pick<Project, 'id' | 'name'>[];
  snapshot(): { health: Health | null };
  addConditionSource(source: () => readonly HealthConditionDraft[]): Closable;
}

/**
 * The channels of a config folder alerting on an engine's events, their failures among the
 * engine's health conditions: one wiring for `vigil serve` and the desktop app.
 */
export function startEngineAlerts(engine: AlertedEngine, config: Pick<ConfigStore, 'channels' | 'settings'>, log: (line: string) => void): ChannelAlerts {
  const alerts = startChannelAlerts({
    hub: engine.hub,
    channels: () => config.channels(),
    rules: () => config.settings().notifications,
    projectName: (id) => engine.projects().find((p) => p.id === id)?.name,
    initialHealth: engine.snapshot().health,
    log,
  });
  const health = engine.addConditionSource(() => alerts.conditions());
  return {
    ...alerts,
    async close() {
      health.close();
      await alerts.close();
    },
  };
}

export function startChannelAlerts(options: ChannelAlertsOptions): ChannelAlerts {
  const now = options.now ?? Date.now;
  const dispatcher = new Dispatcher({ now, ...options.dispatcher });
  const bursts = new Map<string, { limiter: BurstLimiter; timer: NodeJS.Timeout | null; channel: Channel }>();
  let health = options.initialHealth;
  let closed = false;
  /** Batches are routed one after another: the channel list is read between them. */
  let routing: Promise<void> = Promise.resolve();

  const flushLater = (id: string): void => {
    const slot = bursts.get(id);
    const due = slot?.limiter.dueAt();
    if (!slot || due == null || slot.timer || closed) return;
    slot.timer = setTimeout(() => {
      slot.timer = null;
      const summary = slot.limiter.flush(now());
      if (summary) dispatcher.enqueue(slot.channel, summary);
      flushLater(id);
    }, Math.max(0, due - now()));
    slot.timer.unref();
  };

  const wants = (channel: Channel, notice: Notice): boolean =>
    channel.enabled &&
    channel.kinds.includes(notice.kind) &&
    (channel.projects === null || notice.projectIds.length === 0 || notice.projectIds.some((id) => channel.projects?.includes(id)));

  const route = async (notices: Notice[]): Promise<void> => {
    const rules = options.rules();
    // The master switch is for the desktop's own pop-ups; channels have their own.
    const passing = notices.filter((n) => applyRules(n, { ...rules, enabled: true }, new Date(now())).show);
    if (passing.length === 0) return;
    const { channels, warning } = await options.channels();
    if (warning) options.log(warning);
    for (const channel of channels) {
      for (const notice of passing) {
        if (!wants(channel, notice)) continue;
        let slot = bursts.get(channel.id);
        if (!slot) {
          slot = { limiter: new BurstLimiter(options.burst ?? CHANNEL_BURST), timer: null, channel };
          bursts.set(channel.id, slot);
        }
        slot.channel = channel;
        const shown = slot.limiter.offer(notice, now());
        if (shown) dispatcher.enqueue(channel, shown);
        flushLater(channel.id);
      }
    }
  };

  const sink: Closable = options.hub.addSink({
    deliver: (batch) => {
      if (closed) return;
      const scan = noticesFromEvents(batch, health, options.projectName);
      health = scan.health;
      if (scan.notices.length === 0) return;
      routing = routing.then(() => route(scan.notices)).catch((err: unknown) => options.log(`alerts: ${err instanceof Error ? err.message : String(err)}`));
    },
    overflow: () => undefined,
  });

  return {
    dispatcher,
    conditions: () => dispatcher.conditions(),
    async state() {
      const { channels } = await options.channels();
      return { channels: channels.map((c) => channelInfo(c, dispatcher.failuresInARow(c.id))), log: dispatcher.log() };
    },
    async test(id) {
      const { channels } = await options.channels();
      const channel = channels.find((c) => c.id === id);
      if (!channel) throw new Error(`No alert channel with id ${id}; \`vigil notify list\` shows them`);
      return dispatcher.send(channel, testNotice());
    },
    async close() {
      closed = true;
      sink.close();
      for (const slot of bursts.values()) if (slot.timer) clearTimeout(slot.timer);
      await routing;
      await dispatcher.close();
    },
  };
}

export function testNotice(): Notice {
  return { kind: 'done', projectIds: [], title: 'Vigil: test alert', body: 'This channel works: Vigil alerts will arrive here.', target: null };
}
