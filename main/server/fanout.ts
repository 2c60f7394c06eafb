// Engine events → sockets. One hub sink for the whole server; each batch is filtered and
// serialized once per distinct subscription (a socket.io room), not once per client.
//
// Every socket has a `liveFrom` seq: the hello it got covers everything up to it, and the live
// path delivers everything after it, exactly once. A socket joins its room only when the
// fan-out has sent everything up to its liveFrom; until then it is "pending" and gets the tail
// of each frame on its own. That is what makes hello + events, and resync + events, gap-free
// and duplicate-free.
//
// Under load, writes are what cost: one frame to 500 sockets is 500 socket writes, whatever it
// holds. So events are paced (pacer.ts): a lone event goes out at once, in the hub's flush,
// while events that come within `batchWindowMs` of the previous frame wait for the window's end
// and share one frame. A frame to many sockets is written in slices (slices.ts) so the event
// loop is never held for long; the next frame waits until every slice of this one is out.
import type { Server, Socket } from 'socket.io';
import type { Heartbeat } from '../../shared/model';
import { PROTOCOL_VERSION, type ClientRequests, type EngineEvent, type Hello, type RequestResults, type ServerEvents } from '../../shared/protocol';
import type { Disposable, EngineApi } from '../engine/api';
import { Pacer, type PacerOptions } from './pacer';
import { applyFilter, roomFor, type ProjectFilter } from './project-filter';
import { fixedSlices, LearnedSliceSize, sendInSlices, type SliceGroup, type SliceSize, type Slicing } from './slices';
import type { TokenGrant } from './tokens';

export interface SocketData {
  grant: TokenGrant;
}
// socket.io's generic for server-to-server events; we have none.
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
type NoServerSideEvents = {};
export type VigilIo = Server<ClientRequests, ServerEvents, NoServerSideEvents, SocketData>;
export type VigilSocket = Socket<ClientRequests, ServerEvents, NoServerSideEvents, SocketData>;

/** Every authenticated socket: heartbeats and overflow hellos go here. */
export const CLIENTS_ROOM = 'clients';
/** How many recent events a hello carries (DESIGN.md §5). */
export const HELLO_RECENT = 50;

interface Follower {
  socket: VigilSocket;
  filter: ProjectFilter;
  room: string;
  liveFrom: number;
  joined: boolean;
}

/** Least time between two `events` frames, ms: at most ~100 frames a second per room under load. */
export const DEFAULT_BATCH_WINDOW_MS = 10;
/** How long one slice of a broadcast may hold the event loop, ms (slices.ts learns the size). */
export const SLICE_BUDGET_MS = 1;

export interface FanoutOptions {
  /** A client with more packets than this waiting to be written is too slow to follow: drop it. */
  maxQueuedPackets?: number;
  /**
   * Least ms from one `events` frame to the next. An event that comes later than this after the
   * previous frame goes out at once; events that come sooner share the next frame. 0: one frame
   * per hub batch, as it comes. Default DEFAULT_BATCH_WINDOW_MS.
   */
  batchWindowMs?: number;
  /** Sockets written per turn of the event loop in one broadcast. Default: as many as fit in SLICE_BUDGET_MS. */
  sliceSize?: number;
  /** The pacer's clock and timers, for tests. */
  pacing?: Pick<PacerOptions, 'now' | 'setTimer'>;
  log?: (line: string) => void;
}

/** `auth.sinceSeq` of a handshake: a whole number, or null when absent or not one. */
export function handshakeSinceSeq(auth: unknown): number | null {
  const value = (auth as { sinceSeq?: unknown } | null)?.sinceSeq;
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0 ? value : null;
}

export class EventFanout {
  private readonly followers = new Map<string, Follower>();
  private readonly pending = new Set<Follower>();
  /** Room name → the filter its members share. */
  private readonly rooms = new Map<string, ProjectFilter>();
  /** The newest seq the hub has handed to our sink. */
  private receivedSeq: number;
  /** The newest seq sent (or being sent, slice by slice) to the rooms; `queue` holds the rest. */
  private sentSeq: number;
  /** Events received and not sent yet, in seq order. */
  private queue: EngineEvent[] = [];
  private readonly pacer: Pacer;
  private slicing: Slicing | null = null;
  private beatSlicing: Slicing | null = null;
  private readonly subscriptions: Disposable[];
  private readonly maxQueuedPackets: number;
  private readonly sliceSize: SliceSize;
  private readonly log: (line: string) => void;

  constructor(
    private readonly io: VigilIo,
    private readonly engine: EngineApi,
    options: FanoutOptions = {},
  ) {
    this.maxQueuedPackets = options.maxQueuedPackets ?? 2000;
    this.sliceSize = options.sliceSize === undefined ? new LearnedSliceSize(SLICE_BUDGET_MS) : fixedSlices(options.sliceSize);
    this.log = options.log ?? (() => undefined);
    this.receivedSeq = engine.hub.seq;
    this.sentSeq = engine.hub.seq;
    this.pacer = new Pacer((done) => this.flush(done), { windowMs: options.batchWindowMs ?? DEFAULT_BATCH_WINDOW_MS, ...options.pacing });
    this.subscriptions = [
      engine.hub.addSink({ deliver: (batch) => this.deliver(batch), overflow: () => this.overflow() }),
      engine.onHeartbeat((beat) => this.sendHeartbeat(beat)),
    ];
  }

  /** The picture right now: what a new client, or one that fell too far behind, starts from. */
  hello(): Hello {
    const snapshot = this.engine.snapshot();
    const recent = this.engine.hub.recent(HELLO_RECENT).filter((event) => event.seq <= snapshot.seq);
    return { protocol: PROTOCOL_VERSION, serverTime: Date.now(), seq: snapshot.seq, snapshot, recent };
  }

  /**
   * Send hello and start following, subscribed to all projects until the client says otherwise.
   * A client that says in its handshake which seq it saw last (`auth.sinceSeq`, after a
   * reconnect or a server restart) gets the events it missed instead, when the ring or the
   * journal still holds them all.
   */
  attach(socket: VigilSocket): void {
    const sinceSeq = handshakeSinceSeq(socket.handshake.auth);
    const hub = this.engine.hub;
    const missed = sinceSeq !== null && sinceSeq <= hub.seq ? hub.since(sinceSeq) : null;
    let liveFrom: number;
    if (missed) {
      liveFrom = missed.at(-1)?.seq ?? (sinceSeq as number);
      if (missed.length > 0) socket.emit('events', missed);
    } else {
      const hello = this.hello();
      socket.emit('hello', hello);
      liveFrom = hello.seq;
    }
    void socket.join(CLIENTS_ROOM);
    const follower: Follower = { socket, filter: 'all', room: roomFor('all'), liveFrom, joined: false };
    this.followers.set(socket.id, follower);
    this.pending.add(follower);
    this.settle(follower);
  }

  detach(socket: VigilSocket): void {
    const follower = this.followers.get(socket.id);
    if (!follower) return;
    this.followers.delete(socket.id);
    this.pending.delete(follower);
  }

  setFilter(socket: VigilSocket, filter: ProjectFilter): void {
    const follower = this.followers.get(socket.id);
    if (!follower) return;
    const room = roomFor(filter);
    if (follower.joined && room !== follower.room) {
      void socket.leave(follower.room);
      void socket.join(room);
      this.rooms.set(room, filter);
    }
    follower.filter = filter;
    follower.room = room;
  }

  /** The events after `sinceSeq` this socket missed, or a fresh hello when the ring no longer has them. */
  resync(socket: VigilSocket, sinceSeq: number): RequestResults['resync'] {
    const follower = this.followers.get(socket.id);
    if (!follower) throw new Error('socket is not following events');
    const hub = this.engine.hub;
    // A seq from the future is from before a server restart: nothing it knows is comparable.
    if (sinceSeq > hub.seq) return { hello: this.restart(follower) };
    // The live path already delivers everything after liveFrom.
    if (sinceSeq >= follower.liveFrom) return { events: [] };
    const missed = hub.since(sinceSeq);
    if (missed === null) return { hello: this.restart(follower) };
    const upToLive = missed.filter((event) => event.seq <= follower.liveFrom);
    return { events: applyFilter(upToLive, follower.filter) };
  }

  dispose(): void {
    for (const subscription of this.subscriptions) subscription.dispose();
    this.pacer.dispose();
    this.slicing?.cancel();
    this.slicing = null;
    this.beatSlicing?.cancel();
    this.beatSlicing = null;
    this.queue = [];
    this.followers.clear();
    this.pending.clear();
    this.rooms.clear();
  }

  private restart(follower: Follower): Hello {
    const hello = this.hello();
    follower.liveFrom = hello.seq;
    if (follower.joined && this.sentSeq < follower.liveFrom) {
      void follower.socket.leave(follower.room);
      follower.joined = false;
      this.pending.add(follower);
    }
    return hello;
  }

  /** Join the shared room once the fan-out has sent everything this socket's hello covers. */
  private settle(follower: Follower): void {
    if (follower.joined || this.sentSeq < follower.liveFrom) return;
    follower.joined = true;
    this.pending.delete(follower);
    this.rooms.set(follower.room, follower.filter);
    void follower.socket.join(follower.room);
  }

  private deliver(input: EngineEvent[]): void {
    // After an overflow the hello already covered these.
    const batch = input.length > 0 && input[0]!.seq <= this.receivedSeq ? input.filter((e) => e.seq > this.receivedSeq) : input;
    const last = batch.at(-1);
    if (!last) return;
    this.receivedSeq = last.seq;
    for (const event of batch) this.queue.push(event);
    this.pacer.request();
  }

  /** Send what is queued as one frame per room; `done` once every slice of it is written. */
  private flush(done: () => void): void {
    const batch = this.queue;
    this.queue = [];
    const first = batch[0];
    const last = batch.at(-1);
    if (!first || !last) {
      done();
      return;
    }
    // Who gets the frame is decided now: a socket that joins a room below (or later) has its
    // tail of this batch sent on its own, and a socket whose hello comes to cover this batch
    // before its slice is written (a resync answered with a hello) is skipped then.
    const members = this.io.of('/').adapter.rooms;
    const groups: SliceGroup[] = [];
    for (const [room, filter] of this.rooms) {
      const ids = members.get(room);
      if (!ids?.size) {
        this.rooms.delete(room);
        continue;
      }
      const part = applyFilter(batch, filter);
      if (part.length === 0) continue;
      groups.push({
        ids: [...ids],
        send: (slice) => {
          const targets = slice.filter((id) => (this.followers.get(id)?.liveFrom ?? Number.POSITIVE_INFINITY) < first.seq);
          if (targets.length > 0) this.io.to(targets).emit('events', part);
        },
      });
    }
    this.sentSeq = last.seq;
    for (const follower of [...this.pending]) {
      const part = applyFilter(batch, follower.filter).filter((event) => event.seq > follower.liveFrom);
      if (part.length > 0) follower.socket.emit('events', part);
      this.settle(follower);
    }
    let sent = false;
    const slicing = sendInSlices(groups, this.sliceSize, () => {
      sent = true;
      this.slicing = null;
      this.dropSlowClients();
      done();
    });
    if (!sent) this.slicing = slicing;
  }

  /**
   * To every client, in slices like the events. volatile: a client whose transport is busy skips
   * this beat and gets the next one, so heartbeats never queue up behind a slow connection; and
   * only the latest beat matters, so a new one replaces what is left of the previous one.
   */
  private sendHeartbeat(beat: Heartbeat): void {
    this.beatSlicing?.cancel();
    this.beatSlicing = null;
    const ids = this.io.of('/').adapter.rooms.get(CLIENTS_ROOM);
    if (!ids?.size) return;
    let sent = false;
    const slicing = sendInSlices([{ ids: [...ids], send: (slice) => this.io.to(slice).volatile.emit('heartbeat', beat) }], this.sliceSize, () => {
      sent = true;
      this.beatSlicing = null;
    });
    if (!sent) this.beatSlicing = slicing;
  }

  /** Our sink fell behind in the hub: every client starts again from a fresh hello. */
  private overflow(): void {
    const hello = this.hello();
    this.queue = [];
    this.receivedSeq = hello.seq;
    this.sentSeq = hello.seq;
    for (const follower of this.followers.values()) {
      follower.liveFrom = hello.seq;
      this.settle(follower);
    }
    this.io.to(CLIENTS_ROOM).emit('hello', hello);
  }

  private dropSlowClients(): void {
    for (const follower of this.followers.values()) {
      // engine.io keeps unsent packets in `writeBuffer` (typed private, stable since 2014).
      const queued = (follower.socket.conn as unknown as { writeBuffer?: unknown[] }).writeBuffer?.length ?? 0;
      if (queued > this.maxQueuedPackets) {
        this.log(`dropping client ${follower.socket.id}: ${queued} messages waiting, it cannot keep up`);
        follower.socket.disconnect(true);
      }
    }
  }
}
