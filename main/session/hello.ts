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
  recentJson: string | null;
}

/** The serialized form of hellos made by a SharedSnapshot, for transports that write JSON. */
const serialized = new WeakMap<Hello, () => string>();

/**
 * The JSON text of `hello` when it came from a SharedSnapshot (the snapshot part shared by
 * every hello of its seq), or undefined for any other object.
 */
export function serializedHello(hello: object): string | undefined {
  return serialized.get(hello as Hello)?.();
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
    // Same keys, same order as JSON.stringify(hello): a client cannot tell the difference.
    serialized.set(hello, () => {
      const snapshotJson = (entry.snapshotJson ??= JSON.stringify(entry.snapshot));
      const recentJson = (entry.recentJson ??= JSON.stringify(entry.recent));
      return `{"protocol":${hello.protocol},"serverTime":${hello.serverTime},"seq":${hello.seq},"snapshot":${snapshotJson},"recent":${recentJson}}`;
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
    this.cached = { seq: snapshot.seq, snapshot, recent: recentUpTo(this.engine, snapshot.seq), snapshotJson: null, recentJson: null };
    return this.cached;
  }
}
