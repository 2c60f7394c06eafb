// socket.io's packet encoder, taught two things: a hello made by the session's shared snapshot
// (main/session/hello.ts) already knows its JSON text, built once per seq, so a packet that
// carries one is written from that text instead of being serialized again per client; and an
// event whose payload is a shared frame (main/session/shared-frame.ts: one `events` frame that
// goes out slice by slice) is serialized once for every broadcast of it. The bytes on the wire
// are the same as the default encoder's; clients use the default decoder.
import { randomUUID } from 'node:crypto';
import * as parser from 'socket.io-parser';
import { serializedHello } from '../session/hello';
import { sharedFrameJson } from '../session/shared-frame';

/** Stands for the hello while the packet around it is serialized; nothing else in it can be equal. */
const placeholder = `vigil-hello-${randomUUID()}`;

type Packet = { type: parser.PacketType; nsp: string; id?: number; data?: unknown };

/**
 * The hello inside a packet's data, where the session puts one: an event's argument
 * (`["hello", hello]`) or an ack's reply (`[{ok, data: {hello}}]`). Only small containers are
 * searched, so an `events` frame of thousands of events costs nothing here.
 */
function findSerialized(value: unknown, depth: number): object | null {
  if (value === null || typeof value !== 'object') return null;
  if (serializedHello(value) !== undefined) return value;
  if (depth === 0) return null;
  const children = Array.isArray(value) ? value : Object.values(value);
  if (children.length > 4) return null;
  for (const child of children) {
    const found = findSerialized(child, depth - 1);
    if (found) return found;
  }
  return null;
}

/** The JSON text of an event `[name, payload]` whose payload is a shared frame, else undefined. */
function sharedFrameEvent(data: unknown): string | undefined {
  if (!Array.isArray(data) || data.length !== 2 || typeof data[0] !== 'string') return undefined;
  const json = sharedFrameJson(data[1]);
  return json === undefined ? undefined : `[${JSON.stringify(data[0])},${json}]`;
}

export class SerializedOnceEncoder extends parser.Encoder {
  override encode(packet: Packet): (string | Buffer | ArrayBuffer)[] {
    const nsp = packet.nsp && packet.nsp !== '/' ? `${packet.nsp},` : '';
    const frame = packet.type === parser.PacketType.EVENT && packet.id === undefined ? sharedFrameEvent(packet.data) : undefined;
    if (frame !== undefined) return [`${packet.type}${nsp}${frame}`];
    const isMessage = packet.type === parser.PacketType.EVENT || packet.type === parser.PacketType.ACK;
    const hello = isMessage ? findSerialized(packet.data, 3) : null;
    if (!hello) return super.encode(packet as never);
    const data = JSON.stringify(packet.data, (_key, value: unknown) => (value === hello ? placeholder : value));
    const text = data.replace(JSON.stringify(placeholder), () => serializedHello(hello)!);
    return [`${packet.type}${nsp}${packet.id ?? ''}${text}`];
  }
}

/** The parser option of socket.io's Server: the default one with this encoder. */
export const serializedOnceParser = { ...parser, Encoder: SerializedOnceEncoder };
