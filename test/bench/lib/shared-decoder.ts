// socket.io-client's own parser, with one difference for the swarm's full clients: an `events`
// frame whose text another client in this process has already decoded is handed over as that
// decoded packet instead of being parsed again. The server broadcasts each frame byte-identical
// to every client, so 100 clients parsed the same text 100 times, one after the other in this
// one process, and the last client's latency carried the 99 parses before it: the bench
// measured its own backlog. Every client still gets the frame off its own socket, applies it to
// its own model, and is judged (lib/client-checks.ts); only the JSON.parse is shared.
//
// The shared packet is frozen all the way down, so a client that changed what it was handed
// (and so what every other client holds) throws instead of passing unnoticed.
import { Decoder, Encoder, type Packet } from 'socket.io-parser';

/** A socket.io EVENT packet (type 2) in the default namespace, without an ack id, named `events`. */
const EVENTS_FRAME = '2["events"';
/** Distinct frames remembered: every client gets a frame within milliseconds of the first. */
const REMEMBERED = 16;

const decodedFrames = new Map<string, Packet>();

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}

function decodeOnce(text: string): Packet {
  const known = decodedFrames.get(text);
  if (known) return known;
  let packet: Packet | null = null;
  const decoder = new Decoder();
  decoder.on('decoded', (decoded: Packet) => (packet = decoded));
  decoder.add(text);
  if (!packet) throw new Error(`socket.io-parser did not decode an events frame: ${text.slice(0, 80)}`);
  decodedFrames.set(text, deepFreeze(packet));
  if (decodedFrames.size > REMEMBERED) decodedFrames.delete(decodedFrames.keys().next().value!);
  return packet;
}

class SharedFrameDecoder extends Decoder {
  override add(obj: unknown): void {
    if (typeof obj === 'string' && obj.startsWith(EVENTS_FRAME)) this.emitReserved('decoded', decodeOnce(obj));
    else super.add(obj);
  }
}

/** For socket.io-client's `parser` option. */
export const sharedFrameParser = { Encoder, Decoder: SharedFrameDecoder };
