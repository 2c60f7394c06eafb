// The LAN server switch of the desktop app (off by default, docs/architecture.md, security): starts
// and stops the same HTTP + socket.io server `vigil serve` runs, and says where a phone should go —
// the URL with a read token in its fragment (fragments never reach a server log). Errors are worded
// for the Settings screen, not the command line.
import type { LanState } from '../../shared/desktop-protocol';
import type { Settings } from '../../shared/settings';

/** What the controller needs of a started server (main/server/server.ts VigilServer). */
export interface RunningLanServer {
  /** The URL to open, with the secret in the fragment, at an address other machines reach. */
  urlWithToken(secret: string): string;
  close(): Promise<void>;
}

export interface LanControllerOptions {
  start: (where: { host: string; port: number }) => Promise<RunningLanServer>;
  /** The read token whose secret goes in the URL. */
  readToken: () => Promise<{ secret: string }>;
}

export const LAN_OFF: LanState = { enabled: false, url: null, error: null };

/** A start failure a person can act on. */
export function describeStartError(err: unknown, where: { host: string; port: number }): string {
  const code = (err as NodeJS.ErrnoException | null)?.code;
  if (code === 'EADDRINUSE') {
    return `Port ${where.port} is in use — pick another port in Settings, or 0 for any free one.`;
  }
  if (code === 'EADDRNOTAVAIL') return `This machine has no address ${where.host} — set the host to 0.0.0.0 in Settings.`;
  if (code === 'EACCES') return `Not allowed to listen on port ${where.port} — use a port above 1024.`;
  return `The LAN server could not start on ${where.host}:${where.port}: ${err instanceof Error ? err.message : String(err)}`;
}

export class LanController {
  private server: RunningLanServer | null = null;
  private current: LanState = LAN_OFF;
  /** Switches run one after another, so a double click cannot start two servers. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly options: LanControllerOptions) {}

  state(): LanState {
    return this.current;
  }

  setEnabled(enabled: boolean, where: Settings['lan']): Promise<LanState> {
    const next = this.queue.then(() => (enabled ? this.start(where) : this.stop()));
    this.queue = next.catch(() => undefined);
    return next;
  }

  close(): Promise<LanState> {
    return this.setEnabled(false, { enabled: false, host: '', port: 0 });
  }

  private async start(where: Settings['lan']): Promise<LanState> {
    if (this.server) return this.current;
    try {
      const server = await this.options.start({ host: where.host, port: where.port });
      this.server = server;
      const { secret } = await this.options.readToken();
      this.current = { enabled: true, url: server.urlWithToken(secret), error: null };
    } catch (err) {
      await this.server?.close().catch(() => undefined);
      this.server = null;
      this.current = { enabled: false, url: null, error: describeStartError(err, where) };
    }
    return this.current;
  }

  private async stop(): Promise<LanState> {
    const server = this.server;
    this.server = null;
    this.current = LAN_OFF;
    await server?.close();
    return this.current;
  }
}
