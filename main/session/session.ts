// One client's side of the protocol, whatever carries it: every message passes one gate (rate
// limit, known name, scope, a valid payload) and gets exactly one reply; nothing a client sends
// can throw into the server or reach another client. The transport adapters (socket.io,
// Electron IPC) only move messages in and out of this.
import {
  RequestSchemas,
  isRequestName,
  type EngineEvent,
  type Hello,
  type LogMessage,
  type Reply,
  type RequestError,
  type RequestName,
  type RequestPayload,
  type RequestResults,
} from '../../shared/protocol';
import type { ClientLink } from './client-link';
import { HANDLERS, type HandlerContext } from './handlers';
import { LogFollows } from './log-follows';
import { MessageRateLimiter } from './rate-limit';
import { RequestFailure, requestErrorOf } from './request-failure';
import type { ServiceCore } from './service';

/** How a client's message is answered: its ack when it sent one. */
export type Answer = (reply: Reply<unknown>) => void;

/** A name from a client, cut to a length that is safe to echo and log. */
const shown = (name: unknown): string => (typeof name === 'string' ? name : String(name)).slice(0, 100);

export class ClientSession {
  private readonly logs: LogFollows;
  private readonly limiter: MessageRateLimiter | null;
  /** Subscribes run one after another, so two overlapping ones never interleave their changes. */
  private subscribes: Promise<unknown> = Promise.resolve();
  private lastFreshHelloAt = Number.NEGATIVE_INFINITY;
  private closed = false;
  private readonly context: HandlerContext;

  constructor(
    readonly link: ClientLink,
    private readonly core: ServiceCore,
    private readonly onClose: () => void,
  ) {
    this.limiter = core.rateLimit ? new MessageRateLimiter(core.rateLimit) : null;
    this.logs = new LogFollows(core.engine, (msg, live) => (live ? this.sendLiveLog(msg) : this.send('log', msg)), core.runs ?? null);
    this.context = {
      engine: core.engine,
      startDemo: core.startDemo,
      runs: core.runs,
      startedBy: link.startedBy,
      history: core.history,
      followLogs: (refs) => this.logs.replace(refs),
      setFilter: (filter) => core.fanout.setFilter(link, filter),
      resync: (sinceSeq) => this.resync(sinceSeq),
    };
  }

  /** A fresh hello; from now on the events after its seq follow. Calling again (a reload) starts over. */
  hello(): Hello {
    const hello = this.core.snapshots.hello();
    this.core.fanout.follow(this.link, hello);
    return hello;
  }

  /**
   * How a new connection starts. A client that says which seq it saw last (after a reconnect,
   * or a server restart with the journal) gets the events it missed when the ring or the
   * journal still holds them all, and follows on from there; any other gets a fresh hello.
   */
  start(sinceSeq: number | null): { hello: Hello } | { events: EngineEvent[] } {
    const hub = this.core.engine.hub;
    const missed = sinceSeq !== null && sinceSeq <= hub.seq ? hub.since(sinceSeq) : null;
    if (!missed) return { hello: this.hello() };
    this.core.fanout.follow(this.link, { seq: missed.at(-1)?.seq ?? (sinceSeq as number) });
    return { events: missed };
  }

  /**
   * One message from the client. With `answer`, the reply goes there; without, an error comes
   * back as a `request:error` push and a resync's result as `hello` or `events` pushes.
   */
  receive(name: unknown, payload: unknown, answer?: Answer): void {
    const event = shown(name);
    if (this.limiter) {
      const decision = this.limiter.take();
      if (decision === 'abuse') {
        this.core.hangUp(this.link, 'for sending too many messages after being rate-limited');
        return;
      }
      if (decision === 'refuse') {
        const { perSecond, burst } = this.limiter.options;
        this.refuse({ event, code: 'rate_limited', message: `Too many messages: at most ${perSecond} per second (bursts of ${burst}).` }, answer);
        return;
      }
    }
    if (typeof name !== 'string' || !isRequestName(name)) {
      this.core.log(`${this.link.label}: unknown request ${JSON.stringify(event)}`);
      this.refuse({ event, code: 'unknown', message: `Unknown request ${JSON.stringify(event)}.` }, answer);
      return;
    }
    void this.serve(name, payload).then((reply) => this.deliver(name, reply, answer));
  }

  /** `receive` with the reply as a promise (Electron's invoke). */
  request(name: unknown, payload: unknown): Promise<Reply<unknown>> {
    return new Promise((resolve) => this.receive(name, payload, resolve));
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.onClose();
    this.logs.close();
    this.core.fanout.unfollow(this.link);
  }

  /** New lines of a followed log: shared with its other followers (one encoding for all). */
  private sendLiveLog(msg: LogMessage): void {
    if (this.closed) return;
    this.core.logs.send(this.link.id, msg);
  }

  private send: ClientLink['send'] = (event, ...args) => {
    if (this.closed) return;
    this.link.send(event, ...args);
    this.core.dropIfBacklogged(this.link);
  };

  private refuse(error: RequestError, answer: Answer | undefined): void {
    if (answer) answer({ ok: false, error });
    else this.send('request:error', error);
  }

  private deliver(name: RequestName, reply: Reply<unknown>, answer: Answer | undefined): void {
    if (this.closed) return;
    if (!reply.ok) {
      this.core.log(`${this.link.label}: ${name} refused (${reply.error.code}): ${reply.error.message}`);
      this.refuse(reply.error, answer);
      return;
    }
    if (answer) {
      answer(reply);
      this.core.dropIfBacklogged(this.link);
      return;
    }
    // A client that sent resync without an ack still gets what it asked for.
    if (name === 'resync') {
      const data = reply.data as RequestResults['resync'];
      if ('hello' in data) this.send('hello', data.hello);
      else if (data.events.length > 0) this.send('events', data.events);
    }
  }

  /** Scope, payload, handler: the reply to send, whatever happens. Never rejects. */
  private async serve<R extends RequestName>(name: R, payload: unknown): Promise<Reply<RequestResults[R]>> {
    const spec = RequestSchemas[name];
    if (spec.scope === 'control' && this.link.scope !== 'control') {
      return {
        ok: false,
        error: { event: name, code: 'forbidden', message: `${name} needs a token with control scope (vigil token create --scope control).` },
      };
    }
    const parsed = spec.payload.safeParse(payload ?? {});
    if (!parsed.success) {
      const first = parsed.error.issues[0];
      const where = first && first.path.length > 0 ? ` at ${first.path.join('.')}` : '';
      // A payload that breaks a size bound (a path, a list) is too large, not just invalid.
      const code = parsed.error.issues.some((issue) => issue.code === 'too_big') ? 'too_large' : 'invalid';
      return { ok: false, error: { event: name, code, message: `Invalid ${name} request${where}: ${first?.message ?? 'bad payload'}` } };
    }
    const handler = HANDLERS[name] as (p: RequestPayload<R>, ctx: HandlerContext) => Promise<RequestResults[R]>;
    const run = (): Promise<RequestResults[R]> => handler(parsed.data as RequestPayload<R>, this.context);
    try {
      if (this.closed) throw new RequestFailure('failed', 'The connection is closing.');
      return { ok: true, data: await (name === 'subscribe' ? this.oneAtATime(run) : run()) };
    } catch (err) {
      return { ok: false, error: requestErrorOf(name, err) };
    }
  }

  private oneAtATime<T>(run: () => Promise<T>): Promise<T> {
    const next = this.subscribes.then(run, run);
    this.subscribes = next.catch(() => undefined);
    return next;
  }

  private resync(sinceSeq: number): RequestResults['resync'] {
    const missed = this.core.fanout.missed(this.link, sinceSeq);
    if (missed) return missed;
    // A fresh hello is the whole snapshot: a client gets at most one per interval.
    const now = performance.now();
    const wait = this.lastFreshHelloAt + this.core.freshHelloIntervalMs - now;
    if (wait > 0) {
      throw new RequestFailure(
        'rate_limited',
        `A fresh snapshot was sent less than ${this.core.freshHelloIntervalMs / 1000} s ago; ask again in ${Math.ceil(wait)} ms.`,
      );
    }
    this.lastFreshHelloAt = now;
    return { hello: this.hello() };
  }
}
