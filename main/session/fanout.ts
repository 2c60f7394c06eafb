// Engine events → clients, whatever carries them. One hub sink per protocol service; each batch
// is filtered once per distinct subscription (a group of clients with the same project filter)
// and handed to the transport as one broadcast, which socket.io serializes once for the group.
//
// Every client has a `liveFrom` seq: the hello it got covers everything up to it, and the live
// path delivers everything after it, exactly once. A client joins its group only when the
// fan-out has sent everything up to its liveFrom; until then it is "pending" and gets the tail
// of each frame on its own. That is what makes hello + events, and resync + events, gap-free
// and duplicate-free.
//
// Under load, writes are what cost: one frame to 500 sockets is 500 socket writes, whatever it
// holds. So events are paced (pacer.ts): a lone event goes out at once, in the hub's flush,
// while events that come within `batchWindowMs` of the previous frame wait for the window's end
// and share one frame. A frame to many clients is written in slices (slices.ts) so the event
// loop is never held for long; the next frame waits until every slice of this one is out. A
// batch of thousands of events (a folder deleted) goes out as several frames, one per turn.
import type { Heartbeat } from '../../shared/model';
import type { EngineEvent, Hello, RequestResults, ServerEvents } from '../../shared/protocol';
import type { Closable, EngineApi } from '../engine/api';
import type { ClientLink } from './client-link';
import { Pacer, type PacerOptions } from './pacer';
import { applyFilter, filterKey, type ProjectFilter } from './project-filter';
import { shareFrame } from './shared-frame';
import { fixedSlices, LearnedSliceSize, sendInSlices, type SliceGroup, type SliceSize, type Slicing } from './slices';

/** The pushes the fan-out broadcasts. */
export type BroadcastEvent = 'events' | 'heartbeat' | 'hello' | 'log';

/**
 * How a transport sends one message to many clients at once (socket.io: one serialization
 * for all of them). `volatile`: a client whose link is busy may skip it (heartbeats).
 */
export type Broadcast = <E extends BroadcastEvent>(
  ids: readonly string[],
  event: E,
  payload: Parameters<ServerEvents[E]>[0],
  options?: { volatile?: boolean },
) => void;

interface Follower {
  link: ClientLink;
  filter: ProjectFilter;
  group: string;
  liveFrom: number;
  joined: boolean;
}

/** Least time between two `events` frames, ms: at most ~100 frames a second per group under load. */
export const DEFAULT_BATCH_WINDOW_MS = 10;
/** How long one slice of a broadcast may hold the event loop, ms (slices.ts learns the size). */
export const SLICE_BUDGET_MS = 1;
/**
 * Most events in one frame. A mass deletion publishes thousands of events at once; as one
 * frame it is serialized in one go (tens of ms per thousand events), written in one go, and
 * applied by each browser in one go, and everything else waits meanwhile (HTTP answers,
 * heartbeats, file events; the browser's input).
 */
export const DEFAULT_MAX_FRAME_EVENTS = 500;

export interface FanoutOptions {
  /**
   * Least ms from one `events` frame to the next. An event that comes later than this after the
   * previous frame goes out at once; events that come sooner share the next frame. 0: one frame
   * per hub batch, as it comes. Default DEFAULT_BATCH_WINDOW_MS.
   */
  batchWindowMs?: number;
  /** Clients written per turn of the event loop in one broadcast. Default: as many as fit in SLICE_BUDGET_MS. */
  sliceSize?: number;
  /** Most events per frame; a larger batch goes out as several frames on successive turns. Default DEFAULT_MAX_FRAME_EVENTS. */
  maxFrameEvents?: number;
  /** The pacer's clock and timers, for tests. */
  pacing?: Pick<PacerOptions, 'now' | 'setTimer'>;
}

export interface FanoutDeps {
  engine: EngineApi;
  broadcast: Broadcast;
  /** A fresh hello for everyone after an overflow (the protocol service's shared snapshot). */
  hello: () => Hello;
  /** Called after each frame is out: the service drops clients that cannot keep up. */
  afterFrame: (links: Iterable<ClientLink>) => void;
}

export class EventFanout {
  private readonly followers = new Map<string, Follower>();
  private readonly pending = new Set<Follower>();
  /** Group key → the filter its members share and who they are. */
  private readonly groups = new Map<string, { filter: ProjectFilter; members: Set<string> }>();
  /** The newest seq the hub has handed to our sink. */
  private receivedSeq: number;
  /** The newest seq sent (or being sent, slice by slice) to the groups; `queue` holds the rest. */
  private sentSeq: number;
  /** Events received and not sent yet, in seq order. */
  private queue: EngineEvent[] = [];
  private readonly pacer: Pacer;
  private slicing: Slicing | null = null;
  /** The next frame of a batch too large for one. */
  private nextFrame: NodeJS.Immediate | null = null;
  private beatSlicing: Slicing | null = null;
  private readonly subscriptions: Closable[];
  private readonly sliceSize: SliceSize;
  private readonly maxFrameEvents: number;

  constructor(
    private readonly deps: FanoutDeps,
    options: FanoutOptions = {},
  ) {
    const hub = deps.engine.hub;
    this.sliceSize = options.sliceSize === undefined ? new LearnedSliceSize(SLICE_BUDGET_MS) : fixedSlices(options.sliceSize);
    this.maxFrameEvents = Math.max(1, Math.floor(options.maxFrameEvents ?? DEFAULT_MAX_FRAME_EVENTS));
    this.receivedSeq = hub.seq;
    this.sentSeq = hub.seq;
    this.pacer = new Pacer((done) => this.flush(done), { windowMs: options.batchWindowMs ?? DEFAULT_BATCH_WINDOW_MS, ...options.pacing });
    this.subscriptions = [
      hub.addSink({ deliver: (batch) => this.deliver(batch), overflow: () => this.overflow() }),
      deps.engine.onHeartbeat((beat) => this.sendHeartbeat(beat)),
    ];
  }

  /** Start following after `hello` (subscribed to every project until told otherwise), or start over from it. */
  follow(link: ClientLink, hello: Pick<Hello, 'seq'>): void {
    const follower = this.followers.get(link.id);
    if (follower) {
      this.restart(follower, hello.seq);
      return;
    }
    const fresh: Follower = { link, filter: 'all', group: filterKey('all'), liveFrom: hello.seq, joined: false };
    this.followers.set(link.id, fresh);
    this.pending.add(fresh);
    this.settle(fresh);
  }

  unfollow(link: ClientLink): void {
    const follower = this.followers.get(link.id);
    if (!follower) return;
    this.followers.delete(link.id);
    this.pending.delete(follower);
    if (follower.joined) this.leaveGroup(follower);
  }

  setFilter(link: ClientLink, filter: ProjectFilter): void {
    const follower = this.followers.get(link.id);
    if (!follower) return;
    const group = filterKey(filter);
    if (follower.joined && group !== follower.group) {
      this.leaveGroup(follower);
      follower.filter = filter;
      follower.group = group;
      this.joinGroup(follower);
      return;
    }
    follower.filter = filter;
    follower.group = group;
  }

  /**
   * The events after `sinceSeq` this client missed; null when they cannot be replayed (the
   * ring no longer reaches back, or the seq is from the future: from before a server restart,
   * so nothing it knows is comparable) and the client needs a fresh hello.
   */
  missed(link: ClientLink, sinceSeq: number): RequestResults['resync'] | null {
    const follower = this.followers.get(link.id);
    if (!follower) return null;
    const hub = this.deps.engine.hub;
    if (sinceSeq > hub.seq) return null;
    // The live path already delivers everything after liveFrom.
    if (sinceSeq >= follower.liveFrom) return { events: [] };
    const missed = hub.since(sinceSeq);
    if (missed === null) return null;
    const upToLive = missed.filter((event) => event.seq <= follower.liveFrom);
    return { events: applyFilter(upToLive, follower.filter) };
  }

  close(): void {
    for (const subscription of this.subscriptions) subscription.close();
    this.pacer.close();
    this.slicing?.cancel();
    this.slicing = null;
    if (this.nextFrame) clearImmediate(this.nextFrame);
    this.nextFrame = null;
    this.beatSlicing?.cancel();
    this.beatSlicing = null;
    this.queue = [];
    this.followers.clear();
    this.pending.clear();
    this.groups.clear();
  }

  private restart(follower: Follower, seq: number): void {
    follower.liveFrom = seq;
    if (follower.joined && this.sentSeq < follower.liveFrom) {
      this.leaveGroup(follower);
      follower.joined = false;
      this.pending.add(follower);
    }
  }

  private joinGroup(follower: Follower): void {
    let group = this.groups.get(follower.group);
    if (!group) this.groups.set(follower.group, (group = { filter: follower.filter, members: new Set() }));
    group.members.add(follower.link.id);
  }

  private leaveGroup(follower: Follower): void {
    const group = this.groups.get(follower.group);
    if (!group) return;
    group.members.delete(follower.link.id);
    if (group.members.size === 0) this.groups.delete(follower.group);
  }

  /** Join the shared group once the fan-out has sent everything this client's hello covers. */
  private settle(follower: Follower): void {
    if (follower.joined || this.sentSeq < follower.liveFrom) return;
    follower.joined = true;
    this.pending.delete(follower);
    this.joinGroup(follower);
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

  /**
   * Send what is queued as one frame per group, or, past `maxFrameEvents`, as several frames on
   * successive turns of the event loop; `done` once every slice of the last one is written.
   */
  private flush(done: () => void): void {
    const batch = this.queue;
    this.queue = [];
    this.sendFrames(batch, done);
  }

  private sendFrames(events: EngineEvent[], done: () => void): void {
    this.nextFrame = null;
    // After an overflow the fresh hello covers what is left of this batch.
    const rest = events.length > 0 && events[0]!.seq <= this.sentSeq ? events.filter((e) => e.seq > this.sentSeq) : events;
    const batch = rest.length > this.maxFrameEvents ? rest.slice(0, this.maxFrameEvents) : rest;
    const first = batch[0];
    const last = batch.at(-1);
    if (!first || !last) {
      done();
      return;
    }
    const more = rest.length > batch.length ? rest.slice(batch.length) : null;
    // Who gets the frame is decided now: a client that joins a group below (or later) has its
    // tail of this batch sent on its own, and a client whose hello comes to cover this batch
    // before its slice is written (a resync answered with a hello) is skipped then.
    const slices: SliceGroup[] = [];
    for (const { filter, members } of this.groups.values()) {
      // The same array goes to every slice of the group: serialized once (shared-frame.ts).
      const part = shareFrame(applyFilter(batch, filter));
      if (part.length === 0) continue;
      slices.push({
        ids: [...members],
        send: (slice) => {
          const targets = slice.filter((id) => (this.followers.get(id)?.liveFrom ?? Number.POSITIVE_INFINITY) < first.seq);
          if (targets.length > 0) this.deps.broadcast(targets, 'events', part);
        },
      });
    }
    this.sentSeq = last.seq;
    for (const follower of [...this.pending]) {
      const part = applyFilter(batch, follower.filter).filter((event) => event.seq > follower.liveFrom);
      if (part.length > 0) follower.link.send('events', part);
      this.settle(follower);
    }
    let sent = false;
    const slicing = sendInSlices(slices, this.sliceSize, () => {
      sent = true;
      this.slicing = null;
      this.deps.afterFrame([...this.followers.values()].map((f) => f.link));
      // The rest of a large batch goes out on a later turn, so other work runs in between.
      if (more) this.nextFrame = setImmediate(() => this.sendFrames(more, done));
      else done();
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
    if (this.followers.size === 0) return;
    let sent = false;
    const group: SliceGroup = { ids: [...this.followers.keys()], send: (slice) => this.deps.broadcast(slice, 'heartbeat', beat, { volatile: true }) };
    const slicing = sendInSlices([group], this.sliceSize, () => {
      sent = true;
      this.beatSlicing = null;
    });
    if (!sent) this.beatSlicing = slicing;
  }

  /** Our sink fell behind in the hub: every client starts again from a fresh hello. */
  private overflow(): void {
    const hello = this.deps.hello();
    this.queue = [];
    this.receivedSeq = hello.seq;
    this.sentSeq = hello.seq;
    for (const follower of this.followers.values()) {
      follower.liveFrom = hello.seq;
      this.settle(follower);
    }
    if (this.followers.size > 0) this.deps.broadcast([...this.followers.keys()], 'hello', hello);
  }
}
