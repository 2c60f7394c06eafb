// Turns the engine's event stream into notices the user asked for: rules first (mute, quiet
// hours, per-kind toggles), then the burst limiter, whose summary is shown by a timer. The
// Electron shell passes `show`; everything else here runs in plain Node.
import type { NotificationRules } from '../../shared/settings';
import type { Health } from '../../shared/model';
import type { EngineEvent } from '../../shared/protocol';
import { BurstLimiter, type BurstOptions } from '../notify/bursts';
import { applyRules, noticesFromEvents, type Notice } from '../notify/rules';

export interface NotifierOptions {
  /** Read on every batch, so a settings change applies at once. */
  rules: () => NotificationRules;
  projectName: (projectId: string) => string | undefined;
  show: (notice: Notice) => void;
  /** Health at start, so a critical engine does not notify just because the app opened. */
  initialHealth: Health | null;
  burst?: BurstOptions;
  now?: () => number;
}

export interface Notifier {
  handle(events: readonly EngineEvent[]): void;
  close(): void;
}

export function createNotifier(options: NotifierOptions): Notifier {
  const now = options.now ?? Date.now;
  const bursts = new BurstLimiter(options.burst);
  let health = options.initialHealth;
  let timer: ReturnType<typeof setTimeout> | null = null;
  let closed = false;

  const scheduleFlush = (): void => {
    const due = bursts.dueAt();
    if (due === null || timer !== null || closed) return;
    timer = setTimeout(() => {
      timer = null;
      const summary = bursts.flush(now());
      if (summary) options.show(summary);
      scheduleFlush();
    }, Math.max(0, due - now()));
    timer.unref?.();
  };

  return {
    handle(events) {
      if (closed) return;
      const scan = noticesFromEvents(events, health, options.projectName);
      health = scan.health;
      const rules = options.rules();
      for (const notice of scan.notices) {
        if (!applyRules(notice, rules, new Date(now())).show) continue;
        const shown = bursts.offer(notice, now());
        if (shown) options.show(shown);
      }
      scheduleFlush();
    },
    close() {
      closed = true;
      if (timer !== null) clearTimeout(timer);
      timer = null;
    },
  };
}
