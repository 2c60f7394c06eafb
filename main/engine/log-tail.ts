// Follow one log file while someone watches it: read what was appended since the last
// offset, keep the last lines for whoever subscribes later, and cope with what logs do —
// not existing yet, being truncated or rotated, half-written last lines, CRLF, lines of
// megabytes. The engine's watcher says when to look (`poke`); a slow poll covers for a
// missed event. A huge file is never read whole: only its tail. Every (re)open is checked
// on the opened file itself (safe-open.ts): a log swapped for a symlink, a folder on its way
// swapped for a link out of the project, or a named pipe is refused on the read that meets it.
import type { FileHandle } from 'node:fs/promises';
import type { LogLine, LogMessage } from '../../shared/protocol';
import type { Closable } from './api';
import { PathGuardError } from './path-guard';
import { openInsideRoot } from './safe-open';

export interface LogTailerOptions {
  /** The project root's real path: every open is checked to stay inside it. */
  root: string;
  /** The file, relative to `root` with forward slashes and no `..` (path-guard resolved it). */
  rel: string;
  projectId: string;
  /** The path as the client named it, relative to the project root; echoed in messages. */
  relPath: string;
  /** Lines kept for new subscribers, and the most one message carries. */
  keepLines?: number;
  /** Longer lines are cut and marked `truncated`. */
  maxLineChars?: number;
  /** Fallback poll while subscribed, for events the watcher missed; 0 turns it off. */
  pollMs?: number;
  /** How much of the end of a big file the first read (or a skip) takes. */
  tailBytes?: number;
  /** Growth beyond this between two reads is skipped to the last `tailBytes`. */
  maxCatchUpBytes?: number;
  /** A skipped head up to this size is scanned for newlines so line numbers stay right. */
  countLinesUpTo?: number;
  /** Told about read errors (permissions, a folder where a file was expected). */
  onError?: (err: Error) => void;
}

type Subscriber = (msg: LogMessage) => void;

const NEWLINE = 0x0a;
const CHUNK_BYTES = 64 * 1024;

const BRACKET_TIME = /\[(\d{1,2}:\d{2}:\d{2}(?:[.,]\d+)?)\]/;
const ISO_TIME = /\b(\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)(?![\d:])/;

/** A time written on a log line, `[HH:MM:SS]` or ISO 8601, as written (without brackets). */
export function extractTimestamp(text: string): string | undefined {
  return BRACKET_TIME.exec(text)?.[1] ?? ISO_TIME.exec(text)?.[1];
}

const isErrno = (err: unknown, code: string): boolean => (err as NodeJS.ErrnoException | null)?.code === code;

export class LogTailer implements Closable {
  readonly root: string;
  readonly rel: string;
  readonly projectId: string;
  readonly relPath: string;
  private readonly keepLines: number;
  private readonly maxLineChars: number;
  private readonly maxLineBytes: number;
  private readonly pollMs: number;
  private readonly tailBytes: number;
  private readonly maxCatchUpBytes: number;
  private readonly countLinesUpTo: number;
  private readonly onError: ((err: Error) => void) | undefined;
  private readonly subscribers = new Set<Subscriber>();

  private closed = false;
  // Bumped on every start and stop, so a read that finishes after a stop changes nothing.
  private generation = 0;
  private timer: NodeJS.Timeout | null = null;
  private reading: Promise<void> | null = null;
  private rerun = false;
  private isLoaded = false;
  private loadedPromise: Promise<void> = Promise.resolve();
  private resolveLoaded: () => void = () => undefined;
  private lastErrorText: string | null = null;

  // Where we are in the file.
  private identity: string | null = null;
  private seenFile = false;
  private offset = 0;
  private lineNo = 0;
  private partial: Buffer[] = [];
  private partialBytes = 0;
  private partialOverflow = false;
  private skipToNewline = false;
  private ring: LogLine[] = [];
  private ringTruncated = false;

  constructor(options: LogTailerOptions) {
    this.root = options.root;
    this.rel = options.rel;
    this.projectId = options.projectId;
    this.relPath = options.relPath;
    this.keepLines = Math.max(1, options.keepLines ?? 500);
    this.maxLineChars = Math.max(1, options.maxLineChars ?? 4000);
    // UTF-8 takes at most 4 bytes a character: holding this many bytes is always enough.
    this.maxLineBytes = this.maxLineChars * 4;
    this.pollMs = options.pollMs ?? 2000;
    this.tailBytes = options.tailBytes ?? 256 * 1024;
    this.maxCatchUpBytes = Math.max(this.tailBytes, options.maxCatchUpBytes ?? 1024 * 1024);
    this.countLinesUpTo = options.countLinesUpTo ?? 32 * 1024 * 1024;
    this.onError = options.onError;
  }

  get subscriberCount(): number {
    return this.subscribers.size;
  }

  /** The last read error, cleared by the next successful read. */
  get lastError(): string | null {
    return this.lastErrorText;
  }

  /** Starts tailing on the first subscriber; the last one leaving stops it and forgets the state. */
  subscribe(listener: Subscriber): Closable {
    if (this.closed) throw new Error(`The tail of ${this.relPath} was closed; subscribe again through the engine`);
    // A fresh function per subscription, so the same listener may subscribe twice.
    const sub: Subscriber = (msg) => listener(msg);
    this.subscribers.add(sub);
    if (this.subscribers.size === 1) this.start();
    let done = false;
    return {
      close: () => {
        if (done) return;
        done = true;
        this.subscribers.delete(sub);
        if (this.subscribers.size === 0) this.stop();
      },
    };
  }

  /** Resolves when the first read after the first subscribe finished (at once when not tailing). */
  loaded(): Promise<void> {
    return this.loadedPromise;
  }

  /** The kept lines, as one message for a new subscriber; `truncated` when older lines were dropped. */
  backlog(): LogMessage {
    const msg: LogMessage = { projectId: this.projectId, path: this.relPath, lines: [...this.ring] };
    if (this.ringTruncated || (this.ring[0]?.n ?? 1) > 1) msg.truncated = true;
    return msg;
  }

  /** Look at the file now (it changed, appeared or disappeared). Never rejects. */
  poke(): Promise<void> {
    if (this.subscribers.size === 0 || this.closed) return Promise.resolve();
    if (this.reading) {
      this.rerun = true;
      return this.reading;
    }
    const generation = this.generation;
    const reading: Promise<void> = (async () => {
      do {
        this.rerun = false;
        await this.readOnce(generation);
      } while (this.rerun && generation === this.generation);
    })().finally(() => {
      // A stop and a new start may have begun another read meanwhile: leave that one be.
      if (this.reading === reading) this.reading = null;
    });
    this.reading = reading;
    return reading;
  }

  close(): void {
    this.closed = true;
    this.subscribers.clear();
    this.stop();
  }

  private start(): void {
    this.generation += 1;
    this.resetPosition();
    this.seenFile = false;
    this.identity = null;
    this.isLoaded = false;
    this.loadedPromise = new Promise((resolve) => {
      this.resolveLoaded = resolve;
    });
    if (this.pollMs > 0) {
      this.timer = setInterval(() => void this.poke(), this.pollMs);
      this.timer.unref();
    }
    void this.poke();
  }

  private stop(): void {
    this.generation += 1;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.rerun = false;
    this.reading = null;
    this.resetPosition();
    this.identity = null;
    this.seenFile = false;
    this.isLoaded = false;
    this.resolveLoaded();
    this.loadedPromise = Promise.resolve();
  }

  private resetPosition(): void {
    this.offset = 0;
    this.lineNo = 0;
    this.clearPartial();
    this.skipToNewline = false;
    this.ring = [];
    this.ringTruncated = false;
  }

  private clearPartial(): void {
    this.partial = [];
    this.partialBytes = 0;
    this.partialOverflow = false;
  }

  private async readOnce(generation: number): Promise<void> {
    const initial = !this.isLoaded;
    let handle: FileHandle | null = null;
    try {
      let stat;
      try {
        ({ handle, stats: stat } = await openInsideRoot(this.root, this.rel));
      } catch (err) {
        // Not there (yet, or any more): when it comes back it is a new file, read from its start.
        if (isErrno(err, 'ENOENT') || isErrno(err, 'ENOTDIR')) {
          if (generation === this.generation) this.identity = null;
          this.lastErrorText = null;
          return;
        }
        // A symlink, a pipe, or a way out of the project: nothing of it is read, and whatever
        // comes there next is a new file.
        if (generation === this.generation && (err instanceof PathGuardError || isErrno(err, 'ELOOP'))) this.identity = null;
        if (isErrno(err, 'ELOOP')) throw new PathGuardError('outside_root', `${this.relPath} is a symbolic link; it was not read.`);
        throw err;
      }
      if (generation !== this.generation) return;
      const identity = `${stat.dev}:${stat.ino}`;
      const size = stat.size;

      // A different inode is a rotated or replaced file; a file that went away and came back
      // is new as well; a smaller size is a truncation. Either way: start again from 0.
      const replaced = this.identity !== null && identity !== this.identity && stat.ino !== 0;
      const reappeared = this.identity === null && this.seenFile;
      const reset = replaced || reappeared || size < this.offset;
      if (reset) this.resetPosition();
      this.identity = identity;
      this.seenFile = true;

      const lines: LogLine[] = [];
      let skipped = false;
      let start = this.offset;
      if (size - start > (initial ? this.tailBytes : this.maxCatchUpBytes)) {
        start = Math.max(start, size - this.tailBytes);
        skipped = true;
        if (!(await this.skipHead(handle, this.offset, start, generation))) return;
      }
      if (!(await this.readRange(handle, start, size, lines, generation))) return;
      this.offset = size;
      this.lastErrorText = null;

      for (const line of lines) this.ring.push(line);
      if (this.ring.length > this.keepLines) {
        this.ring.splice(0, this.ring.length - this.keepLines);
        this.ringTruncated = true;
      }
      if (initial) return;
      if (lines.length === 0 && !reset) return;
      const shown = lines.length > this.keepLines ? lines.slice(-this.keepLines) : lines;
      const msg: LogMessage = { projectId: this.projectId, path: this.relPath, lines: shown };
      if (reset) msg.reset = true;
      if (skipped || shown.length < lines.length) msg.truncated = true;
      for (const sub of this.subscribers) this.deliver(sub, msg);
    } catch (err) {
      const error = err instanceof Error ? err : new Error(String(err));
      this.lastErrorText = `Cannot read ${this.relPath}: ${error.message}`;
      try {
        this.onError?.(error);
      } catch {
        // A failing reporter must not break the tail.
      }
    } finally {
      await handle?.close().catch(() => undefined);
      if (initial && generation === this.generation) this.finishLoad();
    }
  }

  private finishLoad(): void {
    this.isLoaded = true;
    this.resolveLoaded();
  }

  private deliver(sub: Subscriber, msg: LogMessage): void {
    try {
      sub(msg);
    } catch (err) {
      this.onError?.(err instanceof Error ? err : new Error(String(err)));
    }
  }

  /**
   * Jump from `from` to `to` without keeping the lines in between. Line numbers stay right
   * when the gap is small enough to count its newlines; otherwise they go on from where
   * they were, and the backlog says it is truncated. False when a stop made this read stale.
   */
  private async skipHead(handle: FileHandle, from: number, to: number, generation: number): Promise<boolean> {
    this.clearPartial();
    this.ringTruncated = true;
    if (to - from <= this.countLinesUpTo) {
      const counted = await this.readChunks(handle, from, to, generation, (chunk) => {
        for (let at = chunk.indexOf(NEWLINE); at !== -1; at = chunk.indexOf(NEWLINE, at + 1)) this.lineNo += 1;
      });
      if (!counted) return false;
    }
    // Start at a line boundary: unless the byte before `to` ends a line, drop the rest of that line.
    const before = Buffer.alloc(1);
    const { bytesRead } = await handle.read(before, 0, 1, to - 1);
    if (generation !== this.generation) return false;
    this.skipToNewline = !(bytesRead === 1 && before[0] === NEWLINE);
    return true;
  }

  /** Read [from, to) into lines; false when a stop made this read stale (its results must be dropped). */
  private readRange(handle: FileHandle, from: number, to: number, out: LogLine[], generation: number): Promise<boolean> {
    return this.readChunks(handle, from, to, generation, (chunk) => this.consume(chunk, out));
  }

  /**
   * Hand [from, to) to `onChunk` a chunk at a time (a shorter file ends it early); false when a
   * stop made this read stale, and then no chunk read after the stop is handed on.
   */
  private async readChunks(
    handle: FileHandle,
    from: number,
    to: number,
    generation: number,
    onChunk: (chunk: Buffer) => void,
  ): Promise<boolean> {
    // Sized to the read: a log that grew by a line costs a small slice of Node's shared pool,
    // not a fresh 64 KiB allocation per append (tens a second, freed only by the next GC).
    const buffer = Buffer.allocUnsafe(Math.max(1, Math.min(CHUNK_BYTES, to - from)));
    let position = from;
    while (position < to) {
      const { bytesRead } = await handle.read(buffer, 0, Math.min(CHUNK_BYTES, to - position), position);
      if (generation !== this.generation) return false;
      if (bytesRead === 0) break;
      onChunk(buffer.subarray(0, bytesRead));
      position += bytesRead;
    }
    return true;
  }

  private consume(chunk: Buffer, out: LogLine[]): void {
    let begin = 0;
    if (this.skipToNewline) {
      const nl = chunk.indexOf(NEWLINE);
      if (nl === -1) return;
      this.skipToNewline = false;
      this.lineNo += 1;
      begin = nl + 1;
    }
    for (;;) {
      const nl = chunk.indexOf(NEWLINE, begin);
      if (nl === -1) break;
      this.hold(chunk.subarray(begin, nl));
      out.push(this.finishLine());
      begin = nl + 1;
    }
    // The rest has no newline yet: a line still being written. Hold it until it ends.
    if (begin < chunk.length) this.hold(chunk.subarray(begin));
  }

  private hold(bytes: Buffer): void {
    const room = this.maxLineBytes + 1 - this.partialBytes;
    if (room <= 0) {
      if (bytes.length > 0) this.partialOverflow = true;
      return;
    }
    // Copy: the read buffer is reused for the next chunk.
    const kept = Buffer.from(bytes.subarray(0, room));
    if (kept.length < bytes.length) this.partialOverflow = true;
    this.partial.push(kept);
    this.partialBytes += kept.length;
  }

  private finishLine(): LogLine {
    let text = Buffer.concat(this.partial, this.partialBytes).toString('utf8');
    let truncated = this.partialOverflow;
    this.clearPartial();
    if (text.endsWith('\r')) text = text.slice(0, -1);
    if (text.length > this.maxLineChars) {
      let cut = this.maxLineChars;
      // Do not split a surrogate pair in two.
      const last = text.charCodeAt(cut - 1);
      if (last >= 0xd800 && last <= 0xdbff) cut -= 1;
      text = text.slice(0, cut);
      truncated = true;
    }
    this.lineNo += 1;
    const line: LogLine = { n: this.lineNo, text };
    const ts = extractTimestamp(text);
    if (ts !== undefined) line.ts = ts;
    if (truncated) line.truncated = true;
    return line;
  }
}
