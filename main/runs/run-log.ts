// A run's log: every line the agent prints on stdout or stderr, stamped `[HH:MM:SS]`, in
// `<config>/runs/<runId>.log` (mode 0600: agents print secrets too), ending with the
// `=== Run Complete === exit=<code> duration=<ms>` line a reader waits for. Lines are
// gathered and written at most once every two frames (33 ms; the first after a quiet spell at
// once), so an agent printing a thousand lines a second costs thirty writes, and thirty messages
// to each follower, not a thousand; whoever tails the file is told after each write. Two frames,
// not one: each message is a socket write per follower on the engine's thread (20 followers of a
// chatty agent were 1,200 writes a second at one frame, the most of what a run cost the rest of
// Vigil), and a log read by a person gains nothing from lines that come 16 ms sooner.
import { mkdir, open, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';
import { StringDecoder } from 'node:string_decoder';

/** The last line of every run that ran: exit code and how long it took. */
export const RUN_COMPLETE_PATTERN = /^=== Run Complete === exit=(-?\d+) duration=(\d+)$/;

export function runCompleteLine(exitCode: number, durationMs: number): string {
  return `=== Run Complete === exit=${exitCode} duration=${Math.max(0, Math.round(durationMs))}`;
}

/** `HH:MM:SS` in local time. */
export function clockTime(at: number): string {
  const d = new Date(at);
  const two = (n: number): string => String(n).padStart(2, '0');
  return `${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}`;
}

/** clockTime for a stream of times: an agent prints many lines a second, and they share one stamp. */
function stamper(now: () => number): () => string {
  let second = Number.NaN;
  let text = '';
  return () => {
    const at = now();
    const s = Math.floor(at / 1000);
    if (s !== second) {
      second = s;
      text = clockTime(at);
    }
    return text;
  };
}

/** A chatty agent's lines are written (and sent to followers) at most once per this many ms: two frames at 60 Hz. */
export const WRITE_GAP_MS = 33;

export interface RunLogOptions {
  /** Told after each write reached the file, with what was written (whole lines). */
  onWritten?: (text: string) => void;
  /** Past this many bytes, output is dropped with one note (default 256 MiB). */
  maxBytes?: number;
  now?: () => number;
  onError?: (err: Error) => void;
}

export class RunLog {
  private pending: string[] = [];
  private flushScheduled = false;
  private lastWriteAt = Number.NEGATIVE_INFINITY;
  private writing: Promise<void> = Promise.resolve();
  private bytes = 0;
  private capped = false;
  private closed = false;
  private readonly maxBytes: number;
  private readonly now: () => number;
  private readonly stamp: () => string;

  private constructor(
    readonly path: string,
    private readonly handle: FileHandle,
    private readonly options: RunLogOptions,
  ) {
    this.maxBytes = options.maxBytes ?? 256 * 1024 * 1024;
    this.now = options.now ?? Date.now;
    this.stamp = stamper(this.now);
  }

  /** Open (or go on appending to) the log at `path`; its folder is made private to the user. */
  static async open(path: string, options: RunLogOptions = {}): Promise<RunLog> {
    await mkdir(dirname(path), { recursive: true, mode: 0o700 });
    const handle = await open(path, 'a', 0o600);
    // `open` applies the mode only to a new file: a log that existed keeps its mode, so set it.
    await handle.chmod(0o600);
    const log = new RunLog(path, handle, options);
    log.bytes = (await handle.stat()).size;
    return log;
  }

  /** One line of the agent's output. */
  line(text: string): void {
    this.add(`[${this.stamp()}] ${text}`);
  }

  /** A line from Vigil itself (start, cancel, timeout), told apart from the agent's. */
  note(text: string): void {
    this.add(`[${this.stamp()}] [vigil] ${text}`);
  }

  /** The sentinel; nothing is written after it. */
  complete(exitCode: number, durationMs: number): void {
    this.capped = false; // the sentinel always goes in, even past the cap
    this.add(runCompleteLine(exitCode, durationMs), true);
  }

  /** Resolves when everything given so far is in the file. */
  async flush(): Promise<void> {
    this.writeNow();
    await this.writing;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    await this.flush();
    this.closed = true;
    await this.handle.close().catch(() => undefined);
  }

  private add(text: string, always = false): void {
    if (this.closed) return;
    const line = `${text}\n`;
    if (!always) {
      if (this.capped) return;
      if (this.bytes + line.length > this.maxBytes) {
        this.capped = true;
        this.pending.push(`[${clockTime(this.now())}] [vigil] the log reached ${this.maxBytes} bytes; further output is not kept\n`);
        this.schedule();
        return;
      }
    }
    this.bytes += Buffer.byteLength(line);
    this.pending.push(line);
    this.schedule();
  }

  private schedule(): void {
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    const wait = this.lastWriteAt + WRITE_GAP_MS - performance.now();
    if (wait <= 0) setImmediate(() => this.writeNow());
    else setTimeout(() => this.writeNow(), wait);
  }

  private writeNow(): void {
    this.flushScheduled = false;
    if (this.pending.length === 0) return;
    this.lastWriteAt = performance.now();
    const text = this.pending.join('');
    this.pending = [];
    this.writing = this.writing.then(async () => {
      try {
        await this.handle.write(text);
        this.options.onWritten?.(text);
      } catch (err) {
        this.options.onError?.(err instanceof Error ? err : new Error(String(err)));
      }
    });
  }
}

/**
 * Bytes from a pipe → whole lines. UTF-8 split across chunks is put back together; CRLF and
 * a last line without a newline are handled; a line longer than `maxChars` is cut in pieces
 * so one runaway line cannot hold everything in memory.
 */
export class LineSplitter {
  private readonly decoder = new StringDecoder('utf8');
  private partial = '';

  constructor(
    private readonly onLine: (line: string) => void,
    private readonly maxChars = 64 * 1024,
  ) {}

  push(chunk: Buffer): void {
    const text = this.partial + this.decoder.write(chunk);
    let start = 0;
    for (let nl = text.indexOf('\n'); nl !== -1; nl = text.indexOf('\n', start)) {
      this.emit(text.slice(start, nl));
      start = nl + 1;
    }
    let rest = text.slice(start);
    while (rest.length > this.maxChars) {
      this.emit(rest.slice(0, this.maxChars));
      rest = rest.slice(this.maxChars);
    }
    this.partial = rest;
  }

  /** The stream ended: whatever is left is the last line. */
  end(): void {
    const rest = this.partial + this.decoder.end();
    this.partial = '';
    if (rest.length > 0) this.emit(rest);
  }

  private emit(line: string): void {
    this.onLine(line.endsWith('\r') ? line.slice(0, -1) : line);
  }
}
