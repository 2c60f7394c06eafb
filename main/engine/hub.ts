// The one place events leave the engine: every DomainEvent is stamped with a monotonic
// `seq` and a `ts`, kept in a replay ring for clients that reconnect, and fanned out to the
// sinks (IPC, socket.io rooms, NDJSON). Delivery is batched per sink and flushed on the
// next turn of the event loop (setImmediate — never a timer that would add milliseconds),
// and one slow sink never holds up another: each has its own bounded buffer. With an
// archive (the journal), seq continues where the journal left off and `since`/`recent` reach
// back past the ring into it, so a client can resync across a restart.
import type { DomainEvent, EngineEvent } from '../../shared/protocol';
import type { Closable, EventArchive, EventHub, Sink } from './api';

export interface HubOptions {
  /** How many events the replay ring keeps. */
  ringSize?: number;
  /** How many undelivered events a busy sink may hold before it is told to resync. */
  sinkBufferLimit?: number;
  /** Wall clock for `ts`; Date.now unless a test fixes it. */
  now?: () => number;
  /** Told about a sink that threw; the other sinks still get their batch. */
  onSinkError?: (err: unknown) => void;
  /** The seq of the newest event before this hub (the journal's); the first event gets the next. */
  startSeq?: number;
  /** Events older than the ring, for `since` and `recent`. */
  archive?: EventArchive;
}

export const DEFAULT_RING_SIZE = 1000;
export const DEFAULT_SINK_BUFFER_LIMIT = 10_000;

/** Per-sink delivery state: what it has not had yet, and whether it is still busy with a batch. */
interface SinkSlot {
  sink: Sink;
  buffer: EngineEvent[];
  /** A batch whose returned promise has not settled: the sink is applying back-pressure. */
  busy: boolean;
  removed: boolean;
}

export class Hub implements EventHub {
  private seqValue = 0;
  private readonly ring: (EngineEvent | undefined)[];
  /** Index in `ring` where the next event goes. */
  private ringNext = 0;
  private ringCount = 0;
  private readonly slots = new Set<SinkSlot>();
  private flushScheduled: NodeJS.Immediate | null = null;
  private readonly ringSize: number;
  private readonly sinkBufferLimit: number;
  private readonly now: () => number;
  private readonly onSinkError: (err: unknown) => void;
  private readonly archive: EventArchive | null;
  private closed = false;

  constructor(options: HubOptions = {}) {
    this.seqValue = Math.max(0, Math.floor(options.startSeq ?? 0));
    this.archive = options.archive ?? null;
    this.ringSize = Math.max(1, options.ringSize ?? DEFAULT_RING_SIZE);
    this.sinkBufferLimit = Math.max(1, options.sinkBufferLimit ?? DEFAULT_SINK_BUFFER_LIMIT);
    this.now = options.now ?? Date.now;
    this.onSinkError = options.onSinkError ?? (() => undefined);
    this.ring = new Array<EngineEvent | undefined>(this.ringSize);
  }

  get seq(): number {
    return this.seqValue;
  }

  /**
   * Stamp and queue events. Stamping is synchronous, so a snapshot taken right after this
   * call and `hub.seq` agree: the snapshot holds exactly the events up to `seq`.
   */
  publish(events: readonly DomainEvent[]): EngineEvent[] {
    if (events.length === 0 || this.closed) return [];
    const ts = this.now();
    const stamped: EngineEvent[] = [];
    for (const event of events) {
      // Built field by field, never `{ ...event, seq, ts }`: on Node 20's V8 a spread followed by
      // more properties gives every object a hidden class of its own, so each event cost
      // microseconds to make, a few hundred bytes of classes, and a megamorphic lookup wherever
      // it was read (docs/architecture.md, "Objects on hot paths"). seq and ts stay last.
      const engineEvent = (
        event.foundOnStart
          ? { type: event.type, payload: event.payload, foundOnStart: true, seq: ++this.seqValue, ts }
          : { type: event.type, payload: event.payload, seq: ++this.seqValue, ts }
      ) as EngineEvent;
      stamped.push(engineEvent);
      this.ring[this.ringNext] = engineEvent;
      this.ringNext = (this.ringNext + 1) % this.ringSize;
      if (this.ringCount < this.ringSize) this.ringCount += 1;
    }
    for (const slot of this.slots) this.enqueue(slot, stamped);
    this.scheduleFlush();
    return stamped;
  }

  addSink(sink: Sink): Closable {
    const slot: SinkSlot = { sink, buffer: [], busy: false, removed: false };
    this.slots.add(slot);
    return {
      close: () => {
        slot.removed = true;
        slot.buffer = [];
        this.slots.delete(slot);
      },
    };
  }

  since(sinceSeq: number): EngineEvent[] | null {
    if (sinceSeq >= this.seqValue) return [];
    const oldest = this.oldestSeq() ?? this.seqValue + 1;
    // The ring holds the event right after `sinceSeq`: no need to look further back.
    if (sinceSeq + 1 >= oldest) return this.fromRing(this.seqValue - sinceSeq);
    if (!this.archive) return null;
    const older = this.archive.since(sinceSeq, oldest - 1);
    return older === null ? null : [...older, ...this.fromRing(this.ringCount)];
  }

  recent(n: number): EngineEvent[] {
    const wanted = Math.max(0, Math.floor(n));
    if (wanted <= this.ringCount || !this.archive) return this.fromRing(wanted);
    const oldest = this.oldestSeq() ?? this.seqValue + 1;
    return [...this.archive.recent(wanted - this.ringCount, oldest - 1), ...this.fromRing(this.ringCount)];
  }

  private fromRing(n: number): EngineEvent[] {
    const count = Math.max(0, Math.min(Math.floor(n), this.ringCount));
    const out: EngineEvent[] = [];
    for (let i = count; i > 0; i--) {
      const event = this.ring[(this.ringNext - i + this.ringSize) % this.ringSize];
      if (event) out.push(event);
    }
    return out;
  }

  /** Deliver what is queued now, synchronously (used on close so nothing is lost). */
  flush(): void {
    if (this.flushScheduled) {
      clearImmediate(this.flushScheduled);
      this.flushScheduled = null;
    }
    for (const slot of this.slots) this.deliver(slot);
  }

  /** Deliver what is queued, then stop: no more events are accepted and no sink is called again. */
  close(): void {
    this.flush();
    this.closed = true;
    this.slots.clear();
  }

  private oldestSeq(): number | null {
    if (this.ringCount === 0) return null;
    return this.seqValue - this.ringCount + 1;
  }

  private enqueue(slot: SinkSlot, events: readonly EngineEvent[]): void {
    if (slot.removed) return;
    // Only a busy sink (one still working through an earlier batch) can fall behind; a sink
    // that keeps up gets everything, however large the burst.
    if (slot.busy && slot.buffer.length + events.length > this.sinkBufferLimit) {
      slot.buffer = [];
      this.callSafely(() => slot.sink.overflow());
      return;
    }
    for (const event of events) slot.buffer.push(event);
  }

  private scheduleFlush(): void {
    if (this.flushScheduled) return;
    this.flushScheduled = setImmediate(() => {
      this.flushScheduled = null;
      for (const slot of this.slots) this.deliver(slot);
    });
  }

  private deliver(slot: SinkSlot): void {
    if (slot.busy || slot.removed || slot.buffer.length === 0) return;
    const batch = slot.buffer;
    slot.buffer = [];
    let result: void | Promise<void>;
    try {
      result = slot.sink.deliver(batch);
    } catch (err) {
      this.onSinkError(err);
      return;
    }
    if (result && typeof (result as Promise<void>).then === 'function') {
      slot.busy = true;
      const settle = (): void => {
        slot.busy = false;
        if (!this.closed && slot.buffer.length > 0) this.scheduleFlush();
      };
      (result as Promise<void>).then(settle, (err: unknown) => {
        this.onSinkError(err);
        settle();
      });
    }
  }

  private callSafely(fn: () => void): void {
    try {
      fn();
    } catch (err) {
      this.onSinkError(err);
    }
  }
}
