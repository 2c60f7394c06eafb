// One HTTP connection cannot make the server hold unbounded answers. A client may pipeline
// hundreds of requests without reading a byte of the answers; Node answers them in order and
// keeps every answer not yet written, so four such connections asking for a 5 MB snapshot
// 400 times each once took the process to gigabytes. Here a connection may have a few answers
// outstanding and a bounded amount of unwritten data; past either it is closed, with a reason.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

export interface HttpLimits {
  /** Requests one connection may have waiting for their answers (pipelined). */
  maxOutstanding: number;
  /** Bytes of answers one connection may leave unread before it gets no more. */
  maxUnreadBytes: number;
}

export const DEFAULT_HTTP_LIMITS: HttpLimits = { maxOutstanding: 8, maxUnreadBytes: 16 * 1024 * 1024 };

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

export function boundResponses(handler: Handler, limits: HttpLimits, log: (line: string) => void): Handler {
  const outstanding = new WeakMap<Socket, number>();
  return (req, res) => {
    const socket = req.socket;
    const count = (outstanding.get(socket) ?? 0) + 1;
    const unread = socket.writableLength;
    if (count > limits.maxOutstanding || unread > limits.maxUnreadBytes) {
      if (!socket.destroyed) {
        const why =
          count > limits.maxOutstanding
            ? `more than ${limits.maxOutstanding} requests waiting for answers it does not read`
            : `${Math.round(unread / 1024 / 1024)} MB of answers left unread`;
        log(`closed an HTTP connection from ${socket.remoteAddress}: ${why}`);
        socket.destroy();
      }
      return;
    }
    outstanding.set(socket, count);
    res.once('close', () => outstanding.set(socket, (outstanding.get(socket) ?? 1) - 1));
    handler(req, res);
  };
}
