// How many bytes are waiting to be written to one socket: what engine.io holds while the
// transport is busy (`writeBuffer`, typed private but stable since 2014) plus what the
// WebSocket has handed to the OS socket and the kernel has not taken (`bufferedAmount`). A
// client that stops reading makes this grow; the session drops it past a limit.
import type { Socket } from 'socket.io';

interface EngineConnection {
  writeBuffer?: { data?: unknown; options?: { wsPreEncodedFrame?: unknown[] } }[];
  transport?: { socket?: { bufferedAmount?: number } };
}

function sizeOf(data: unknown): number {
  if (typeof data === 'string') return data.length;
  if (data instanceof ArrayBuffer || ArrayBuffer.isView(data)) return data.byteLength;
  return 0;
}

export function socketBacklogBytes(socket: Socket): number {
  const conn = socket.conn as unknown as EngineConnection;
  let bytes = conn.transport?.socket?.bufferedAmount ?? 0;
  // A packet with a pre-encoded frame (a broadcast, a hello) is written as that frame.
  for (const packet of conn.writeBuffer ?? []) {
    const frame = packet.options?.wsPreEncodedFrame;
    bytes += frame ? frame.reduce<number>((sum, piece) => sum + sizeOf(piece), 0) : sizeOf(packet.data);
  }
  return bytes;
}
