// Following run logs. A run's log lives in Vigil's config folder, outside every project, so it
// is never reached through a client's path: a client names the run, and the path comes from
// Vigil's own record of it. While a run is going, its lines are handed to followers as they
// are written to the file (the same lines, numbered as the file numbers them), so a chatty
// agent costs no re-reading; a run that ended before anyone followed it is read from its file.
import { basename, dirname } from 'node:path';
import type { Run } from '../../shared/model';
import type { LogLine, LogMessage } from '../../shared/protocol';
import { runLogPath } from '../../shared/runs';
import type { LogSubscription } from '../engine/api';
import { LogTailer, extractTimestamp } from '../engine/log-tail';

/** Lines kept for a new follower, and the longest line sent whole: as the log tail does. */
const KEEP_LINES = 500;
const MAX_LINE_CHARS = 4000;

type Listener = (msg: LogMessage) => void;

/** The lines of a run that is being written now. */
class LiveFeed {
  private lineNo = 0;
  private partial = '';
  private ring: string[] = [];
  readonly listeners = new Set<Listener>();
  ended = false;

  constructor(private readonly run: Pick<Run, 'id' | 'projectId'>) {}

  /** Text just written to the file (whole lines; a last line without a newline waits). */
  written(text: string): void {
    const all = this.partial + text;
    const end = all.lastIndexOf('\n');
    if (end < 0) {
      this.partial = all;
      return;
    }
    this.partial = all.slice(end + 1);
    const texts = all.slice(0, end).split('\n');
    const first = this.lineNo + 1;
    this.lineNo += texts.length;
    this.ring.push(...texts);
    if (this.ring.length > KEEP_LINES) this.ring.splice(0, this.ring.length - KEEP_LINES);
    if (this.listeners.size === 0) return;
    const shown = texts.length > KEEP_LINES ? texts.slice(-KEEP_LINES) : texts;
    const msg = this.message(shown, first + (texts.length - shown.length));
    if (shown.length < texts.length) msg.truncated = true;
    for (const listener of [...this.listeners]) {
      try {
        listener(msg);
      } catch {
        // One follower's failure is its own.
      }
    }
  }

  backlog(): LogMessage {
    const msg = this.message(this.ring, this.lineNo - this.ring.length + 1);
    if (this.lineNo > this.ring.length) msg.truncated = true;
    return msg;
  }

  private message(texts: readonly string[], firstN: number): LogMessage {
    return { projectId: this.run.projectId, path: runLogPath(this.run.id), runId: this.run.id, lines: texts.map((text, i) => toLogLine(firstN + i, text)) };
  }
}

/** The `[HH:MM:SS]` every line of a run log starts with (run-log.ts), read without a regex. */
function stampOf(text: string): string | undefined {
  if (text.charCodeAt(0) === 91 /* [ */ && text.charCodeAt(9) === 93 /* ] */ && text.charCodeAt(3) === 58 && text.charCodeAt(6) === 58) return text.slice(1, 9);
  return extractTimestamp(text);
}

function toLogLine(n: number, text: string): LogLine {
  const cut = text.length > MAX_LINE_CHARS;
  const shown = cut ? text.slice(0, MAX_LINE_CHARS) : text;
  const line: LogLine = { n, text: shown };
  const ts = stampOf(shown);
  if (ts !== undefined) line.ts = ts;
  if (cut) line.truncated = true;
  return line;
}

export class RunLogTails {
  private readonly feeds = new Map<string, LiveFeed>();
  private readonly tails = new Map<string, LogTailer>();

  constructor(private readonly onError: (err: unknown) => void = () => undefined) {}

  /** A run started writing its log: from now on its lines are handed to followers as written. */
  started(run: Pick<Run, 'id' | 'projectId'>): void {
    if (!this.feeds.has(run.id)) this.feeds.set(run.id, new LiveFeed(run));
  }

  /** `text` reached the run's log file. */
  written(runId: string, text: string): void {
    this.feeds.get(runId)?.written(text);
  }

  /** The run's log is complete; followers keep what they have, and the feed goes with the last of them. */
  ended(runId: string): void {
    const feed = this.feeds.get(runId);
    if (!feed) return;
    feed.ended = true;
    if (feed.listeners.size === 0) this.feeds.delete(runId);
  }

  async subscribe(run: Pick<Run, 'id' | 'projectId' | 'logPath'>, listener: Listener): Promise<LogSubscription> {
    const feed = this.feeds.get(run.id);
    if (feed) {
      feed.listeners.add(listener);
      let closed = false;
      return {
        backlog: feed.backlog(),
        close: () => {
          if (closed) return;
          closed = true;
          feed.listeners.delete(listener);
          if (feed.ended && feed.listeners.size === 0 && this.feeds.get(run.id) === feed) this.feeds.delete(run.id);
        },
      };
    }
    return this.subscribeFile(run, listener);
  }

  close(): void {
    for (const tail of this.tails.values()) tail.close();
    this.tails.clear();
    this.feeds.clear();
  }

  /** A run nobody followed while it was written (it ended, or ran before a restart): its file. */
  private async subscribeFile(run: Pick<Run, 'id' | 'projectId' | 'logPath'>, listener: Listener): Promise<LogSubscription> {
    let tailer = this.tails.get(run.id);
    if (!tailer) {
      // The log's own folder is the root every open is checked against: the file is Vigil's, by the run's record.
      tailer = new LogTailer({ root: dirname(run.logPath), rel: basename(run.logPath), projectId: run.projectId, relPath: runLogPath(run.id), onError: (err) => this.onError(err) });
      this.tails.set(run.id, tailer);
    }
    const tail = tailer;
    const subscription = tail.subscribe((msg) => listener({ ...msg, runId: run.id }));
    await tail.loaded();
    let closed = false;
    return {
      backlog: { ...tail.backlog(), runId: run.id },
      close: () => {
        if (closed) return;
        closed = true;
        subscription.close();
        if (tail.subscriberCount === 0 && this.tails.get(run.id) === tail) {
          tail.close();
          this.tails.delete(run.id);
        }
      },
    };
  }
}
