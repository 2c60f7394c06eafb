// The `hello` message: the whole picture at one seq and the events that led to it. One builder
// for every transport (socket.io, Electron IPC, `vigil watch`), and one cache so that a
// multi-megabyte snapshot is built and serialized once per seq however many clients ask.
import type { Snapshot } from '../../shared/model';
import { PROTOCOL_VERSION, type EngineEvent, type Hello } from '../../shared/protocol';
import type { EngineApi } from '../engine/api';

/** How many recent events a hello carries, so an activity feed is not empty on arrival. */
export const HELLO_RECENT = 50;

type SnapshotSource = Pick<EngineApi, 'snapshot' | 'hub'>;

/** The events of a hello: the newest HELLO_RECENT, none after the snapshot's seq. */
function recentUpTo(engine: SnapshotSource, seq: number): EngineEvent[] {
  return engine.hub.recent(HELLO_RECENT).filter((event) => event.seq <= seq);
}

/** A hello built now, from nothing cached (`vigil watch`, tests). */
export function buildHello(engine: SnapshotSource): Hello {
  const snapshot = engine.snapshot();
  return { protocol: PROTOCOL_VERSION, serverTime: Date.now(), seq: snapshot.seq, snapshot, recent: recentUpTo(engine, snapshot.seq) };
}

interface CachedSeq {
  seq: number;
  snapshot: Snapshot;
  recent: EngineEvent[];
  snapshotJson: string | null;
  /** What follows the snapshot in every hello of this seq: the snapshot's JSON, then `recent`. */
  helloTail: readonly string[] | null;
}

/**
 * The JSON text of a hello made by a SharedSnapshot, in parts: `head`, this hello's own
 * (`{"protocol":…,"serverTime":…,"seq":…,"snapshot":`), and `tail`, the rest (the snapshot's
 * JSON, then `,"recent":[…]}`), one array shared by every hello of its seq: a transport can
 * tell by its identity that it has encoded it before. head + tail joined is exactly
 * JSON.stringify(hello): same keys, same order, so a client cannot tell the difference.
 */
export interface HelloJson {
  head: string;
  tail: readonly string[];
}

const serialized = new WeakMap<Hello, () => HelloJson>();

/** The parts of a hello made by a SharedSnapshot (serialized on first use), or undefined for any other object. */
export function serializedHelloParts(hello: object): HelloJson | undefined {
  return serialized.get(hello as Hello)?.();
}

/** The JSON text of a hello made by a SharedSnapshot, or undefined for any other object. */
export function serializedHello(hello: object): string | undefined {
  const parts = serializedHelloParts(hello);
  // Joined with `+`: a rope over the shared strings, not a copy of the snapshot per hello.
  return parts?.tail.reduce((joined, piece) => joined + piece, parts.head);
}

/**
 * The snapshot at the hub's current seq, built once per seq and serialized at most once per
 * seq, shared by every hello and every `GET /api/snapshot`. Only the newest seq is kept, so
 * memory does not grow with the number of clients or requests.
 */
export class SharedSnapshot {
  private cached: CachedSeq | null = null;

  constructor(private readonly engine: SnapshotSource) {}

  /** A fresh hello (its own serverTime) around the shared snapshot. */
  hello(): Hello {
    const entry = this.current();
    const hello: Hello = { protocol: PROTOCOL_VERSION, serverTime: Date.now(), seq: entry.seq, snapshot: entry.snapshot, recent: entry.recent };
    serialized.set(hello, () => {
      entry.snapshotJson ??= JSON.stringify(entry.snapshot);
      entry.helloTail ??= [entry.snapshotJson, `,"recent":${JSON.stringify(entry.recent)}}`];
      return { head: `{"protocol":${hello.protocol},"serverTime":${hello.serverTime},"seq":${hello.seq},"snapshot":`, tail: entry.helloTail };
    });
    return hello;
  }

  /** The current snapshot as JSON text (what `GET /api/snapshot` answers). */
  json(): string {
    const entry = this.current();
    entry.snapshotJson ??= JSON.stringify(entry.snapshot);
    return entry.snapshotJson;
  }

  /** Length of the serialized snapshot if it has been serialized at this seq, else 0. */
  knownJsonLength(): number {
    const entry = this.cached;
    return entry && entry.seq === this.engine.hub.seq && entry.snapshotJson !== null ? entry.snapshotJson.length : 0;
  }

  /** Drop what is held (the engine is going away). */
  clear(): void {
    this.cached = null;
  }

  private current(): CachedSeq {
    const seq = this.engine.hub.seq;
    if (this.cached?.seq === seq) return this.cached;
    const snapshot = this.engine.snapshot();
    this.cached = { seq: snapshot.seq, snapshot, recent: recentUpTo(this.engine, snapshot.seq), snapshotJson: null, helloTail: null };
    return this.cached;
  }
}
