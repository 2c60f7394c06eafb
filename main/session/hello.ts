// The `hello` message: the whole picture at one seq and the events that led to it. One builder
// for every transport (socket.io, Electron IPC, `vigil watch`), and one cache so that a
// multi-megabyte snapshot is built and serialized once per seq however many clients ask.
import type { Snapshot } from '../../shared/model';
import { PROTOCOL_VERSION, type EngineEvent, type Hello } from '../../shared/protocol';
import type { Closable, EngineApi } from '../engine/api';

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

/** UTF-8 of the pieces one after the other, without joining them into one string first. */
export function utf8Of(pieces: readonly string[]): Buffer {
  const bytes = Buffer.allocUnsafe(pieces.reduce((sum, piece) => sum + Buffer.byteLength(piece), 0));
  let at = 0;
  for (const piece of pieces) at += bytes.write(piece, at);
  return bytes;
}

interface CachedSeq {
  seq: number;
  snapshot: Snapshot;
  recent: EngineEvent[];
  /** The heartbeat count it was built at (the snapshot carries the newest beat). */
  beat: number;
  snapshotJson: string | null;
  /**
   * What follows the snapshot key in every hello of this seq (the snapshot's JSON, then
   * `recent`), as UTF-8 bytes: written to socket after socket, it is one buffer outside the
   * JavaScript heap, and no multi-megabyte string is kept alive (and promoted) for it.
   */
  helloTail: Buffer | null;
}

/**
 * The JSON of a hello made by a SharedSnapshot, in two parts: `head`, this hello's own text
 * (`{"protocol":…,"serverTime":…,"seq":…,"snapshot":`), and `tail`, the rest as UTF-8 (the
 * snapshot's JSON, then `,"recent":[…]}`), one buffer shared by every hello of its seq: a
 * transport can tell by its identity that it has seen it before. head then tail is exactly
 * JSON.stringify(hello): same keys, same order, so a client cannot tell the difference.
 */
export interface HelloJson {
  head: string;
  tail: Buffer;
}

const serialized = new WeakMap<Hello, () => HelloJson>();

/** The parts of a hello made by a SharedSnapshot (serialized on first use), or undefined for any other object. */
export function serializedHelloParts(hello: object): HelloJson | undefined {
  return serialized.get(hello as Hello)?.();
}

/** The JSON text of a hello made by a SharedSnapshot, or undefined for any other object. */
export function serializedHello(hello: object): string | undefined {
  const parts = serializedHelloParts(hello);
  return parts && parts.head + parts.tail.toString('utf8');
}

/**
 * The snapshot at the hub's current seq, built once per seq and serialized at most once per
 * seq, shared by every hello and every `GET /api/snapshot`. Only the newest seq is kept, so
 * memory does not grow with the number of clients or requests. The snapshot also carries the
 * newest heartbeat, which moves no seq: after a beat the next one asking gets a snapshot built
 * anew, so a quiet workspace does not answer with a heartbeat from hours ago (at most one
 * build per beat, however many clients connect).
 */
export class SharedSnapshot {
  private cached: CachedSeq | null = null;
  private beat = 0;
  private readonly beats: Closable;

  constructor(private readonly engine: SnapshotSource & Pick<EngineApi, 'onHeartbeat'>) {
    this.beats = engine.onHeartbeat(() => this.beat++);
  }

  /** A fresh hello (its own serverTime) around the shared snapshot. */
  hello(): Hello {
    const entry = this.current();
    const hello: Hello = { protocol: PROTOCOL_VERSION, serverTime: Date.now(), seq: entry.seq, snapshot: entry.snapshot, recent: entry.recent };
    serialized.set(hello, () => {
      entry.helloTail ??= utf8Of([entry.snapshotJson ?? JSON.stringify(entry.snapshot), `,"recent":${JSON.stringify(entry.recent)}}`]);
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
    if (!entry || entry.seq !== this.engine.hub.seq) return 0;
    return Math.max(entry.snapshotJson?.length ?? 0, entry.helloTail?.length ?? 0);
  }

  /** Drop what is held (the engine is going away). */
  clear(): void {
    this.cached = null;
    this.beats.close();
  }

  private current(): CachedSeq {
    const seq = this.engine.hub.seq;
    if (this.cached?.seq === seq && this.cached.beat === this.beat) return this.cached;
    const snapshot = this.engine.snapshot();
    this.cached = { seq: snapshot.seq, beat: this.beat, snapshot, recent: recentUpTo(this.engine, snapshot.seq), snapshotJson: null, helloTail: null };
    return this.cached;
  }
}
