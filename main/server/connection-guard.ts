// TCP connections cost a file descriptor each before anyone shows a token, so they are bounded
// the same way clients are: a connection that has not sent a byte after a few seconds is
// closed, and the server accepts no more connections than its client cap (plus room for the
// page's own HTTP requests) and than the descriptors left once Vigil's reserve is kept.
import type { Server as HttpServer } from 'node:http';
import type { Socket } from 'node:net';
import type { Closable } from '../engine/api';
import { connectionBudget } from '../engine/descriptors';

/** A connection that has sent nothing for this long is closed. */
export const DEFAULT_SILENT_CONNECTION_MS = 5000;

export interface ConnectionGuardOptions {
  /** Socket.io clients allowed at once; TCP connections get a little more room (page loads, polling). */
  maxClients: number;
  silentMs?: number;
  /** File descriptors this process may open (default: read from the system). */
  descriptorLimit?: number | null;
  log: (line: string) => void;
}

/** The most TCP connections a server with `maxClients` accepts, given the descriptors it may use. */
export function maxConnectionsFor(maxClients: number, descriptorLimit?: number | null): number {
  const wanted = maxClients + Math.max(16, Math.ceil(maxClients / 4));
  return Math.min(wanted, connectionBudget(descriptorLimit));
}

export function guardConnections(server: HttpServer, options: ConnectionGuardOptions): Closable {
  const silentMs = options.silentMs ?? DEFAULT_SILENT_CONNECTION_MS;
  const limit = maxConnectionsFor(options.maxClients, options.descriptorLimit);
  server.maxConnections = limit;
  let lastDropLog = 0;
  const onDrop = (data?: { remoteAddress?: string }): void => {
    // One line a second at most: a flood must not flood the log too.
    const now = Date.now();
    if (now - lastDropLog < 1000) return;
    lastDropLog = now;
    options.log(`refused a connection from ${data?.remoteAddress ?? 'a client'}: ${limit} connections already open, the limit`);
  };
  const timers = new Set<NodeJS.Timeout>();
  const onConnection = (socket: Socket): void => {
    const timer = setTimeout(() => {
      timers.delete(timer);
      // bytesRead and not a 'data' listener: the HTTP parser may read the socket directly.
      if (socket.bytesRead === 0 && !socket.destroyed) socket.destroy();
    }, silentMs);
    timer.unref();
    timers.add(timer);
    socket.once('close', () => {
      clearTimeout(timer);
      timers.delete(timer);
    });
  };
  server.on('drop', onDrop);
  server.on('connection', onConnection);
  return {
    close: () => {
      server.off('drop', onDrop);
      server.off('connection', onConnection);
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
    },
  };
}
