// Keeps the store in step with the main side through a Transport: hello → snapshot, events →
// ordered apply, gaps and reconnects → `resync {sinceSeq}`, a periodic cheap resync that
// doubles as the round-trip-time probe, and log subscriptions that survive reconnects.
import type { RequestApi, RequestName, RequestPayload, RequestResults, Reply } from '../../shared/protocol';
import type { Transport } from '../transport/transport';
import type { AppStore } from './app-store';
import { applyConnectionChange } from './connection';
import { applyEvents, applyHeartbeat, applyHello } from './live-model';
import { applyLog, dropLog } from './logs';

export interface LogTarget {
  projectId: string;
  path: string;
  /** A run's log is followed by the run's id; `path` is then the name its messages carry. */
  runId?: string;
}

export interface LiveSyncOptions {
  now?: () => number;
  /** How often to probe the link (rtt) and catch silently missed events. */
  probeIntervalMs?: number;
  setInterval?: (fn: () => void, ms: number) => unknown;
  clearInterval?: (handle: unknown) => void;
  /**
   * How long to wait before asking again when the server said a fresh snapshot was asked for
   * too soon (`rate_limited`; it allows one every few seconds). Default 3000 ms.
   */
  rateLimitRetryMs?: number;
  setTimeout?: (fn: () => void, ms: number) => unknown;
  clearTimeout?: (handle: unknown) => void;
}

export interface LiveSync {
  /** Ask again for whatever we may have missed; `full` asks for a whole new snapshot. */
  refresh(full?: boolean): Promise<void>;
  /**
   * Follow one log (or none) for `owner`: the log panel and an item's detail view each follow
   * one, and the subscription holds every log some owner follows.
   */
  followLog(target: LogTarget | null, owner?: string): Promise<Reply<RequestResults['subscribe']>>;
  /** Send a request and answer with the server's reply. */
  request<R extends RequestName>(name: R, payload: RequestPayload<R>): Promise<Reply<RequestResults[R]>>;
  dispose(): void;
}

export function startLiveSync(transport: Transport, store: AppStore, options: LiveSyncOptions = {}): LiveSync {
  const now = options.now ?? Date.now;
  const setIntervalFn = options.setInterval ?? ((fn, ms) => globalThis.setInterval(fn, ms));
  const clearIntervalFn = options.clearInterval ?? ((h) => globalThis.clearInterval(h as ReturnType<typeof setInterval>));
  const setTimeoutFn = options.setTimeout ?? ((fn, ms) => globalThis.setTimeout(fn, ms));
  const clearTimeoutFn = options.clearTimeout ?? ((h) => globalThis.clearTimeout(h as ReturnType<typeof setTimeout>));
  const followed = new Map<string, LogTarget>();
  /** A snapshot or resync the server asked us to send again later (rate_limited). */
  let retryTimer: unknown = null;
  let resyncInFlight: Promise<void> | null = null;
  let resyncAgain = false;
  let disposed = false;

  const call = <R extends RequestName>(name: R, payload: RequestPayload<R>): Promise<Reply<RequestResults[R]>> =>
    (transport.requests[name] as RequestApi[R])(payload as never) as Promise<Reply<RequestResults[R]>>;

  // What the page may do is asked for, not guessed from refusals: `forbidden` also answers a
  // folder this server may not read, which says nothing about the token.
  async function learnAccess(): Promise<void> {
    const reply = await transport.access();
    if (!disposed && reply.ok && store.getState().access !== reply.data) store.setState({ access: reply.data });
  }

  /** One resync at a time; a gap found meanwhile asks for one more round after it. */
  function resync(sinceSeq?: number): Promise<void> {
    if (resyncInFlight) {
      resyncAgain = true;
      return resyncInFlight;
    }
    resyncInFlight = (async () => {
      do {
        resyncAgain = false;
        const since = sinceSeq ?? store.getState().lastSeq;
        sinceSeq = undefined;
        const started = now();
        const reply = await call('resync', { sinceSeq: since });
        if (disposed) return;
        const rttMs = now() - started;
        if (!reply.ok) {
          if (reply.error.code === 'rate_limited') retryLater(() => void resync());
          else store.setState({ syncError: reply.error.message });
          return;
        }
        store.setState((s) => ({ connection: { ...s.connection, rttMs }, syncError: null }));
        if ('hello' in reply.data) {
          const hello = reply.data.hello;
          store.setState((s) => applyHello(s, hello, now()));
        } else if (Array.isArray(reply.data.events)) {
          const result = applyEvents(store.getState(), reply.data.events, now());
          store.setState(result.state);
          // The reply itself has a hole the server cannot fill with events: start over from a snapshot.
          if (result.gap) {
            await loadSnapshot();
            return;
          }
        } else {
          // A reply of neither shape cannot be trusted to fill anything: start over from a snapshot.
          await loadSnapshot();
          return;
        }
      } while (resyncAgain && !disposed);
    })().finally(() => {
      resyncInFlight = null;
    });
    return resyncInFlight;
  }

  async function loadSnapshot(): Promise<void> {
    const reply = await transport.snapshot();
    if (disposed) return;
    if (reply.ok) store.setState((s) => ({ ...applyHello(s, reply.data, now()), syncError: null }));
    else if (reply.error.code === 'rate_limited') retryLater(() => void loadSnapshot());
    else store.setState({ syncError: reply.error.message });
  }

  /** Not an error the user must see: the server will answer the same question in a moment. */
  function retryLater(again: () => void): void {
    if (retryTimer !== null || disposed) return;
    retryTimer = setTimeoutFn(() => {
      retryTimer = null;
      if (!disposed) again();
    }, options.rateLimitRetryMs ?? 3000);
  }

  const sameLog = (a: LogTarget, b: LogTarget): boolean => a.projectId === b.projectId && a.path === b.path;

  async function subscribe(): Promise<Reply<RequestResults['subscribe']>> {
    const targets: LogTarget[] = [];
    for (const target of followed.values()) if (!targets.some((l) => sameLog(l, target))) targets.push(target);
    // A run's log is followed by the run's id; a file of a project by its path.
    const logs = targets.map((t) => (t.runId ? { runId: t.runId } : { projectId: t.projectId, path: t.path }));
    return call('subscribe', { projects: 'all', logs });
  }

  const offs: (() => void)[] = [
    transport.on('connection', (change) => {
      const wasLoaded = store.getState().loaded;
      store.setState((s) => ({ connection: applyConnectionChange(s.connection, change, now()) }));
      if (change.status !== 'connected') return;
      void subscribe();
      void learnAccess();
      // Back after a drop: fetch what happened meanwhile (the server may also send a hello).
      if (wasLoaded) {
        store.setState((s) => ({ resyncs: s.resyncs + 1 }));
        void resync();
      }
    }),
    transport.on('hello', (hello) => {
      store.setState((s) => ({ ...applyHello(s, hello, now()), syncError: null }));
      // A first round trip at once, so the indicator shows an rtt without waiting for the probe.
      if (store.getState().connection.rttMs === null) void resync();
    }),
    transport.on('events', (batch) => {
      const result = applyEvents(store.getState(), batch, now());
      if (result.state !== store.getState()) store.setState(result.state);
      if (result.gap) {
        store.setState((s) => ({ resyncs: s.resyncs + 1 }));
        void resync(result.gap.sinceSeq);
      }
    }),
    transport.on('heartbeat', (beat) => {
      store.setState((s) => applyHeartbeat(s, beat));
    }),
    transport.on('log', (msg) => {
      store.setState((s) => ({ logs: applyLog(s.logs, msg, now()) }));
    }),
  ];

  const probe = setIntervalFn(() => {
    const s = store.getState();
    if (s.loaded && s.connection.status === 'connected') void resync();
  }, options.probeIntervalMs ?? 5000);

  transport.connect();

  return {
    async refresh(full = false) {
      if (store.getState().connection.status !== 'connected') {
        transport.retry();
        return;
      }
      if (full) await loadSnapshot();
      else await resync();
    },
    async followLog(target, owner = 'panel') {
      const previous = followed.get(owner);
      if (target) followed.set(owner, target);
      else followed.delete(owner);
      // Lines of a log nobody follows any more are dropped; one another owner still follows stays.
      if (previous && ![...followed.values()].some((t) => sameLog(t, previous))) {
        store.setState((s) => ({ logs: dropLog(s.logs, previous.projectId, previous.path) }));
      }
      return subscribe();
    },
    request: call,
    dispose() {
      disposed = true;
      clearIntervalFn(probe);
      if (retryTimer !== null) clearTimeoutFn(retryTimer);
      for (const off of offs) off();
      transport.close();
    },
  };
}
