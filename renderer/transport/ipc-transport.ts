// The Electron window's transport: the preload's `window.vigil`. The link cannot drop the way
// a socket does, but main may be slow or fail to build a snapshot, and the UI says so.
import type { PreloadApi } from '../../shared/preload-api';
import type { Hello, Reply, RequestApi, ServerEvents } from '../../shared/protocol';
import { Emitter } from './emitter';
import type { AccessScope, Transport, TransportEvents } from './transport';

const SERVER_EVENTS: readonly (keyof ServerEvents)[] = ['hello', 'events', 'heartbeat', 'log', 'request:error'];

export class IpcTransport implements Transport {
  readonly kind = 'ipc' as const;
  readonly endpoint = 'this window';
  private readonly emitter = new Emitter<TransportEvents>();
  private readonly unsubscribers: (() => void)[] = [];
  private closed = false;

  /** One function per request name, each invoking the preload's one request channel. */
  readonly requests: RequestApi;

  constructor(private readonly api: PreloadApi) {
    this.requests = new Proxy({} as RequestApi, {
      get: (_target, name) => (payload: unknown) => api.request(String(name) as never, payload as never),
    });
  }

  get desktop(): PreloadApi['desktop'] {
    return this.api.desktop;
  }

  get pathForFile(): ((file: File) => string) | undefined {
    const fn = this.api.pathForFile;
    return fn ? (file) => fn.call(this.api, file) : undefined;
  }

  readonly onDesktop: NonNullable<Transport['onDesktop']> = (event, listener) =>
    (this.api.on[event] as (l: typeof listener) => () => void)(listener);

  async snapshot(): Promise<Reply<Hello>> {
    try {
      return { ok: true, data: await this.api.hello() };
    } catch (err) {
      return { ok: false, error: { event: 'hello', code: 'failed', message: err instanceof Error ? err.message : String(err) } };
    }
  }

  /** The window belongs to the person at this machine, who controls everything. */
  async access(): Promise<Reply<AccessScope>> {
    return { ok: true, data: 'control' };
  }

  on<E extends keyof TransportEvents>(event: E, listener: TransportEvents[E]): () => void {
    return this.emitter.on(event, listener);
  }

  connect(): void {
    if (this.closed || this.unsubscribers.length > 0) return;
    for (const event of SERVER_EVENTS) {
      const forward = ((arg: never) => this.emitter.emit(event, arg)) as never;
      this.unsubscribers.push(this.api.on[event](forward));
    }
    this.fetchHello('connecting');
  }

  retry(): void {
    if (!this.closed) this.fetchHello('reconnecting');
  }

  close(): void {
    this.closed = true;
    for (const off of this.unsubscribers.splice(0)) off();
    this.emitter.clear();
  }

  private fetchHello(status: 'connecting' | 'reconnecting'): void {
    this.emitter.emit('connection', { status, reason: null, nextRetryAt: null, fatal: false });
    this.api.hello().then(
      (hello) => {
        if (this.closed) return;
        this.emitter.emit('connection', { status: 'connected', reason: null, nextRetryAt: null, fatal: false });
        this.emitter.emit('hello', hello);
      },
      (err: unknown) => {
        if (this.closed) return;
        const message = err instanceof Error ? err.message : String(err);
        this.emitter.emit('connection', {
          status: 'disconnected',
          reason: `The Vigil engine did not answer (${message}). Retry, or restart the app if it persists.`,
          nextRetryAt: null,
          fatal: false,
        });
      },
    );
  }
}
