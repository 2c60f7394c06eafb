// Log lines to many clients, encoded once. A log's new lines reach every follower as one message
// object (the engine's tail and a run's live feed hand the same object to each); the followers
// that get it in the same turn of the event loop get it in one broadcast, which socket.io
// serializes once, instead of one encoding per client. A run printing a thousand lines a
// second to twenty log panels costs one encoding per message, not twenty.
import type { LogMessage } from '../../shared/protocol';
import type { Broadcast } from './fanout';

export class LogBroadcast {
  private pending = new Map<LogMessage, string[]>();
  private scheduled = false;
  private closed = false;

  constructor(
    private readonly broadcast: Broadcast,
    /** Told which clients a message went to (to drop one that stopped reading). */
    private readonly afterSend: (ids: readonly string[]) => void,
  ) {}

  /** Send `msg` to the client `id`, with everyone else it goes to in this turn. */
  send(id: string, msg: LogMessage): void {
    if (this.closed) return;
    const ids = this.pending.get(msg);
    if (ids) ids.push(id);
    else this.pending.set(msg, [id]);
    if (this.scheduled) return;
    this.scheduled = true;
    queueMicrotask(() => this.flush());
  }

  close(): void {
    this.closed = true;
    this.pending.clear();
  }

  private flush(): void {
    this.scheduled = false;
    const batch = this.pending;
    this.pending = new Map();
    for (const [msg, ids] of batch) {
      this.broadcast(ids, 'log', msg);
      this.afterSend(ids);
    }
  }
}
