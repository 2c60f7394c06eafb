// socket.io ⇄ the protocol session: each socket gets a ClientSession, every message it sends
// goes to the session with its ack, and the session's pushes go back out. No protocol logic
// lives here; see main/session/session.ts.
import type { Server, Socket } from 'socket.io';
import type { ClientRequests, ServerEvents } from '../../shared/protocol';
import { starterOf } from '../runs/runs';
import type { ClientLink } from '../session/client-link';
import type { Broadcast } from '../session/fanout';
import type { ProtocolService } from '../session/service';
import type { Answer } from '../session/session';
import type { EngineConnection, HelloFrames } from './hello-frame';
import { socketBacklogBytes } from './socket-backlog';
import type { TokenGrant } from './tokens';

export interface SocketData {
  grant: TokenGrant;
}
// socket.io's generic for server-to-server events; we have none.
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
type NoServerSideEvents = {};
export type VigilIo = Server<ClientRequests, ServerEvents, NoServerSideEvents, SocketData>;
export type VigilSocket = Socket<ClientRequests, ServerEvents, NoServerSideEvents, SocketData>;

/** One frame to many sockets, encoded once by socket.io. */
export function socketBroadcast(io: VigilIo): Broadcast {
  return (ids, event, payload, options) => {
    const target = options?.volatile ? io.to([...ids]).volatile : io.to([...ids]);
    (target.emit as (event: string, payload: unknown) => void)(event, payload);
  };
}

/** Emit to one socket; a hello goes out through `hellos` when it can (no copy of the snapshot per client). */
function emitter(socket: VigilSocket, hellos: HelloFrames): ClientLink['send'] {
  return (event, ...args) => {
    if (event === 'hello' && hellos.write(socket.conn as unknown as EngineConnection, args[0] as object)) return;
    socket.emit(event, ...args);
  };
}

function linkFor(socket: VigilSocket, send: ClientLink['send']): ClientLink {
  return {
    id: socket.id,
    scope: socket.data.grant.scope,
    label: `client ${socket.id} (token ${socket.data.grant.id}, ${socket.handshake.address})`,
    startedBy: starterOf(socket.data.grant),
    send,
    bufferedBytes: () => socketBacklogBytes(socket),
    close: () => void socket.disconnect(true),
  };
}

export function serveConnection(socket: VigilSocket, service: ProtocolService, hellos: HelloFrames): void {
  const send = emitter(socket, hellos);
  const session = service.open(linkFor(socket, send));
  // Every message goes to the session, known name or not: an unknown one gets an answer
  // instead of socket.io's silence.
  socket.use((packet) => {
    const [event, ...args] = packet as [unknown, ...unknown[]];
    const last = args.at(-1);
    const answer = typeof last === 'function' ? (last as Answer) : undefined;
    const payload = typeof args[0] === 'function' ? undefined : args[0];
    session.receive(event, payload, answer);
  });
  socket.on('disconnect', () => session.close());
  const start = session.start(handshakeSinceSeq(socket.handshake.auth));
  if ('hello' in start) send('hello', start.hello);
  else if (start.events.length > 0) send('events', start.events);
}

/** `auth.sinceSeq` of a handshake: the last seq the client saw, or null when absent or not a whole number. */
export function handshakeSinceSeq(auth: unknown): number | null {
  const value = (auth as { sinceSeq?: unknown } | null)?.sinceSeq;
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0 ? value : null;
}
