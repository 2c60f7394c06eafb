// Engine events → sockets. One hub sink for the whole server; each batch is filtered and
// serialized once per distinct subscription (a socket.io room), not once per client.
//
// Every socket has a `liveFrom` seq: the hello it got covers everything up to it, and the live
// path delivers everything after it, exactly once. A socket joins its room only when the sink
// has caught up to its liveFrom; until then it is "pending" and gets the tail of each batch
// on its own. That is what makes hello + events, and resync + events, gap-free and duplicate-free.
import type { Server, Socket } from 'socket.io';
import { PROTOCOL_VERSION, type ClientRequests, type EngineEvent, type Hello, type RequestResults, type ServerEvents } from '../../shared/protocol';
import type { Disposable, EngineApi } from '../engine/api';
import { applyFilter, roomFor, type ProjectFilter } from './project-filter';
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

export interface FanoutOptions {
  /** A client with more packets than this waiting to be written is too slow to follow: drop it. */
  maxQueuedPackets?: number;
  log?: (line: string) => void;
}

export class EventFanout {
  private readonly followers = new Map<string, Follower>();
  private readonly pending = new Set<Follower>();
  /** Room name → the filter its members share. */
  private readonly rooms = new Map<string, ProjectFilter>();
  /** The newest seq the hub has handed to our sink. */
  private deliveredSeq: number;
  private readonly subscriptions: Disposable[];
  private readonly maxQueuedPackets: number;
  private readonly log: (line: string) => void;

  constructor(
    private readonly io: VigilIo,
    private readonly engine: EngineApi,
    options: FanoutOptions = {},
  ) {
    this.maxQueuedPackets = options.maxQueuedPackets ?? 2000;
    this.log = options.log ?? (() => undefined);
    this.deliveredSeq = engine.hub.seq;
    this.subscriptions = [
      engine.hub.addSink({ deliver: (batch) => this.deliver(batch), overflow: () => this.overflow() }),
      // volatile: a client whose transport is busy skips this beat and gets the next one, so
      // heartbeats never queue up behind a slow connection.
      engine.onHeartbeat((beat) => this.io.to(CLIENTS_ROOM).volatile.emit('heartbeat', beat)),
    ];
  }

  /** The picture right now: what a new client, or one that fell too far behind, starts from. */
  hello(): Hello {
    const snapshot = this.engine.snapshot();
    const recent = this.engine.hub.recent(HELLO_RECENT).filter((event) => event.seq <= snapshot.seq);
    return { protocol: PROTOCOL_VERSION, serverTime: Date.now(), seq: snapshot.seq, snapshot, recent };
  }

  /** Send hello and start following, subscribed to all projects until the client says otherwise. */
  attach(socket: VigilSocket): void {
    const hello = this.hello();
    socket.emit('hello', hello);
    void socket.join(CLIENTS_ROOM);
    const follower: Follower = { socket, filter: 'all', room: roomFor('all'), liveFrom: hello.seq, joined: false };
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
    this.followers.clear();
    this.pending.clear();
    this.rooms.clear();
  }

  private restart(follower: Follower): Hello {
    const hello = this.hello();
    follower.liveFrom = hello.seq;
    if (follower.joined && this.deliveredSeq < follower.liveFrom) {
      void follower.socket.leave(follower.room);
      follower.joined = false;
      this.pending.add(follower);
    }
    return hello;
  }

  /** Join the shared room once the sink has caught up with what this socket already has. */
  private settle(follower: Follower): void {
    if (follower.joined || this.deliveredSeq < follower.liveFrom) return;
    follower.joined = true;
    this.pending.delete(follower);
    this.rooms.set(follower.room, follower.filter);
    void follower.socket.join(follower.room);
  }

  private deliver(input: EngineEvent[]): void {
    // After an overflow the hello already covered these.
    const batch = input.length > 0 && input[0]!.seq <= this.deliveredSeq ? input.filter((e) => e.seq > this.deliveredSeq) : input;
    const last = batch.at(-1);
    if (!last) return;
    const members = this.io.of('/').adapter.rooms;
    for (const [room, filter] of this.rooms) {
      if (!members.get(room)?.size) {
        this.rooms.delete(room);
        continue;
      }
      const part = applyFilter(batch, filter);
      if (part.length > 0) this.io.to(room).emit('events', part);
    }
    this.deliveredSeq = last.seq;
    for (const follower of [...this.pending]) {
      const part = applyFilter(batch, follower.filter).filter((event) => event.seq > follower.liveFrom);
      if (part.length > 0) follower.socket.emit('events', part);
      this.settle(follower);
    }
    this.dropSlowClients();
  }

  /** Our sink fell behind in the hub: every client starts again from a fresh hello. */
  private overflow(): void {
    const hello = this.hello();
    this.deliveredSeq = hello.seq;
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
