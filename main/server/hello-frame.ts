// The hello written to one WebSocket client without copying the snapshot for it. Every client
// that connects (or resyncs) gets a hello of its own, since each carries its own `serverTime`;
// written as an ordinary message, the whole snapshot's JSON was joined into one string per
// client, flattened by the WebSocket and copied into the socket's queue — a multi-megabyte
// string per connect that lived as long as the client took to read it. Here the frame goes out
// in two pieces: the frame header with this hello's head (`42["hello",{"protocol":…,
// "serverTime":…,"seq":…,"snapshot":`), and the rest — the snapshot, `recent`, the closing
// brackets — as one buffer per seq that every client connecting at that seq is written from.
// The bytes on the wire are what socket.io would have written; clients use the default decoder.
import { serializedHelloParts } from '../session/hello';

const CLOSE_EVENT = Buffer.from(']');

/** The engine.io connection under a socket.io socket, as much of it as this needs. */
export interface EngineConnection {
  readyState: string;
  transport: { name: string; perMessageDeflate?: unknown; socket?: { _sender?: { sendFrame?: unknown } } };
  write(data: string, options: { wsPreEncodedFrame: Buffer[] }): unknown;
}

/** engine.io's packet type "message": what the WebSocket frame starts with. */
const ENGINE_IO_MESSAGE = '4';
/** socket.io's packet type "event", on the default namespace: what the packet text starts with. */
const SOCKET_IO_EVENT = '2';

/** A WebSocket frame header (RFC 6455 §5.2): final text frame, not masked, of `length` bytes. */
function textFrameHeader(length: number): Buffer {
  if (length < 126) return Buffer.from([0x81, length]);
  if (length < 0x10000) {
    const header = Buffer.allocUnsafe(4);
    header[0] = 0x81;
    header[1] = 126;
    header.writeUInt16BE(length, 2);
    return header;
  }
  const header = Buffer.allocUnsafe(10);
  header[0] = 0x81;
  header[1] = 127;
  header.writeBigUInt64BE(BigInt(length), 2);
  return header;
}

/** Whether engine.io writes a pre-encoded frame to this connection (what its WebSocket transport checks). */
function takesFrames(conn: EngineConnection): boolean {
  const { transport } = conn;
  return conn.readyState === 'open' && transport.name === 'websocket' && !transport.perMessageDeflate && typeof transport.socket?._sender?.sendFrame === 'function';
}

/** Writes hellos to WebSocket clients; keeps the bytes of the newest seq's shared part. */
export class HelloFrames {
  private shared: { tail: Buffer; bytes: Buffer } | null = null;
  /** How many times a shared part was encoded (one per seq written): what tests count. */
  encodedTails = 0;

  /**
   * Write `hello` to the client as one frame in two pieces and answer true, or answer false
   * when this cannot be done (a hello not from the shared snapshot, a transport other than a
   * plain WebSocket) and the caller emits it as usual.
   */
  write(conn: EngineConnection, hello: object): boolean {
    if (!takesFrames(conn)) return false;
    const parts = serializedHelloParts(hello);
    if (!parts) return false;
    const tail = this.tailBytes(parts.tail);
    const head = Buffer.from(`${ENGINE_IO_MESSAGE}${SOCKET_IO_EVENT}["hello",${parts.head}`);
    const frame = [Buffer.concat([textFrameHeader(head.length + tail.length), head]), tail];
    // engine.io queues a packet's text beside its frame and writes the frame whenever the
    // transport is a WebSocket without compression with ws's sender (checked above), so the text
    // is never written: it is only this hello's own part, not a copy of the snapshot.
    conn.write(head.toString('utf8', ENGINE_IO_MESSAGE.length), { wsPreEncodedFrame: frame });
    return true;
  }

  private tailBytes(tail: Buffer): Buffer {
    if (this.shared?.tail !== tail) {
      this.shared = { tail, bytes: Buffer.concat([tail, CLOSE_EVENT]) };
      this.encodedTails++;
    }
    return this.shared.bytes;
  }
}
