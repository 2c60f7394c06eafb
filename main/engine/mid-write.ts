// A file caught while a writer is still putting it on disk. Writers that pause between chunks
// (a streaming writer, a slow save, a script writing line by line) leave the file empty after
// the truncate, then holding a prefix of the new text, for longer than the coalescer's quiet
// window. Markdown and YAML prefixes parse cleanly — fewer checkboxes, a cut title — so the
// parse alone cannot tell them from a finished file. What can: planning files end with a
// newline, and a prefix almost never does (it ends mid-line), nor is it empty where text was.
// A text that lost the final newline (or all its text) that the last version had is held back
// for a while before it replaces that version; a whole file, newline and all, goes out at once.
// A file that really was saved like that is shown once the hold is over.
//
// "Almost never" is not never: a chunk boundary can fall at the end of a line, and that prefix
// looks whole. More signs tell it. A writer that changes a few lines rewrites the rest as it
// was, so a prefix ending before its first change is a strict prefix of the last version — a
// file cut short at a line's end, which a person rarely does and a writer between chunks always
// shows. A prefix ending after a change still stops short of the file's last line: a finished
// rewrite keeps that line or changes it in place, so a shorter text that lacks it — shorter by
// at least that line, or ending on a line the last version had above it — is held too. Deleting
// the last lines looks just the same, so that hold is short: the file must stay quiet for
// several of a streaming writer's pauses (SHORT_TEXT_HOLD_MS), then the text is shown. And once a file has been caught mid-write, its writer is known to pause, and no
// text of it is shown until the file has been quiet for longer than the pauses it has shown —
// the writer that paused 30 ms between chunks is given more than 30 ms before its newline-ended
// text counts as finished. Writers that are never caught (one writeFile, a rename into place)
// pay nothing.
//
// Where the watch says when a writer closed the file (inotify: IN_CLOSE_WRITE, or IN_MOVED_TO
// for a rename into place), none of this guessing is needed at that moment: a text read after
// the writer's close, with no write since, is the one it left, and is shown at once. The signs
// above still hold back what is read while a writer has the file open.

/** How the last text read from a file ended. */
export type TextEnding = 'newline' | 'cut' | 'empty';

/** What a newer text of a file is compared with. */
export interface LastText {
  ending: TextEnding;
  /** The text itself, when small enough to keep (planning files are a few KiB). */
  text: string | null;
}

/** Texts longer than this are not kept: only their ending is compared. */
export const MAX_KEPT_TEXT = 256 * 1024;

export function endingOf(text: string): TextEnding {
  if (text.length === 0) return 'empty';
  return text.endsWith('\n') ? 'newline' : 'cut';
}

export function lastTextOf(text: string): LastText {
  return { ending: endingOf(text), text: text.length <= MAX_KEPT_TEXT ? text : null };
}

/**
 * What in `text` says it may be the first part of a rewrite of a file whose last text was
 * `previous`: 'cut' (emptied, cut mid-line, or a strict prefix of the last version), 'short'
 * (it stops before the last version's last line, which a rewrite keeps: also what deleting the
 * last lines looks like), or null.
 */
export function midWriteSign(previous: LastText | null, text: string): 'cut' | 'short' | null {
  if (previous === null || previous.ending === 'empty') return null;
  const now = endingOf(text);
  if (now === 'empty' || (previous.ending === 'newline' && now === 'cut')) return 'cut';
  if (previous.text === null || text.length >= previous.text.length) return null;
  if (previous.text.startsWith(text)) return 'cut';
  return stopsShortOfLastLine(previous.text, text) ? 'short' : null;
}

/** Does `text` look like the first part of a rewrite of a file whose last text was `previous`? */
export function looksMidWrite(previous: LastText | null, text: string): boolean {
  return midWriteSign(previous, text) !== null;
}

/**
 * Does the shorter `text` stop before the last line `previous` had, without that line having
 * been rewritten? A rewrite keeps the file's last line, or changes it in place (a ticked last
 * box, a shorter status word, a few characters either way). A prefix of it ends somewhere in
 * the middle: it lacks the last line and is shorter than the last version by at least about
 * that line, or it ends on a line the last version had before its last one.
 */
function stopsShortOfLastLine(previous: string, text: string): boolean {
  const lastLine = lastLineOf(previous);
  if (lastLine === null) return false;
  const textLastLine = lastLineOf(text);
  if (textLastLine === lastLine) return false;
  if (previous.length - text.length >= lastLine.length + 1) return true;
  return textLastLine !== null && isLineBeforeLast(previous, textLastLine);
}

/** The last line of a newline-ended text that holds more than white space, trimmed at its end. */
function lastLineOf(text: string): string | null {
  if (!text.endsWith('\n')) return null;
  const body = text.trimEnd();
  return body.length === 0 ? null : body.slice(body.lastIndexOf('\n') + 1);
}

/** Is `line` a whole line of `text` before its last non-blank one? */
function isLineBeforeLast(text: string, line: string): boolean {
  const body = text.trimEnd();
  return `\n${body.slice(0, body.lastIndexOf('\n') + 1)}`.includes(`\n${line}\n`);
}

/**
 * A file caught mid-write must be quiet this many times its longest pause before its text is
 * taken as finished: pauses on a loaded machine vary, and the next one may be longer than the last.
 */
export const SETTLE_FACTOR = 2;

/**
 * The least pause counted for a writer caught mid-write, whatever it showed: its settle is at
 * least SETTLE_FACTOR times this. The coalescer reads 1 ms after a file's last event, so a
 * writer pausing 3 ms between chunks is caught at its first chunk and shows 3 ms pauses; a
 * loaded machine stretches one of them past 6 ms often enough (the latency bench with four
 * busy processes on two cores showed a GSD plan cut before its task list), and 10 ms of quiet
 * is what the hold had when it was tuned with a 5 ms window.
 */
export const MIN_CAUGHT_PAUSE_MS = 5;

/**
 * How long a text that only stops short of the last version's last line must stay quiet before
 * it is shown: several times a streaming writer's pause between chunks on a loaded machine.
 */
export const SHORT_TEXT_HOLD_MS = 20;

/** How long a pause a writer showed counts towards the short hold of other files in its project. */
export const RECENT_PAUSE_MS = 10_000;

interface CaughtWrite {
  /** Newest file event seen by the last read of it (performance.now()). */
  lastEventAt: number;
  /** The longest the writer has been seen to pause between its events. */
  longestPauseMs: number;
}

export interface ReadMoment {
  /** performance.now() of the newest event for the file before this read. */
  lastEventAt: number;
  /** How long the file had been quiet when it was read. */
  quietFor: number;
  /** The longest gap between two of its events since the last read. */
  longestGapMs: number;
  /** Its newest event said the writer was done (closed the file, or moved it into place). */
  complete?: boolean;
}

/**
 * The files of one project caught mid-write and not yet settled, with the pauses their
 * writers showed. Each read of a changed text asks how long to keep the last version instead.
 */
export class WritesInProgress {
  private readonly caught = new Map<string, CaughtWrite>();
  /** The longest pause any writer caught in this project showed lately, and when. */
  private recentPause = { ms: 0, at: -Infinity };

  /** @param maxHoldMs the longest any text is held back: a file that stays so is shown then */
  constructor(private readonly maxHoldMs: number) {}

  /**
   * `text` was read from `rel`, whose last shown text was `previous` and differs from it.
   * Returns how many ms longer to keep showing the last version (0: show `text` now).
   */
  holdFor(rel: string, previous: LastText | null, text: string, read: ReadMoment): number {
    // The writer closed the file (or renamed it into place) after its last write: whatever the
    // text looks like, it is what the writer left.
    if (read.complete === true || read.quietFor >= this.maxHoldMs) {
      this.caught.delete(rel);
      return 0;
    }
    let caught = this.caught.get(rel);
    // A write caught long ago that ended unseen (its last text was the one already shown).
    if (caught && read.lastEventAt - caught.lastEventAt > this.maxHoldMs) caught = undefined;
    const sign = midWriteSign(previous, text);
    if (sign === 'short') {
      // Deleting the last lines looks the same, so a text that only stops short is held no
      // longer than a writer between chunks needs to go on: twice the pauses writers in this
      // project were seen to make lately (a loaded machine stretches them all), or its own.
      const pause = Math.max(caught?.longestPauseMs ?? 0, read.longestGapMs);
      const wait = Math.min(this.maxHoldMs, Math.max(SHORT_TEXT_HOLD_MS, SETTLE_FACTOR * Math.max(pause, this.recentPauseAt(read.lastEventAt))));
      if (read.quietFor >= wait) {
        this.caught.delete(rel);
        return 0;
      }
      this.caught.set(rel, { lastEventAt: read.lastEventAt, longestPauseMs: pause });
      return wait - read.quietFor;
    }
    if (sign === 'cut') {
      // The writer has paused at least as long as the file has been quiet now.
      const pause = Math.max(caught?.longestPauseMs ?? 0, read.quietFor, read.longestGapMs);
      this.caught.set(rel, { lastEventAt: read.lastEventAt, longestPauseMs: pause });
      this.notePause(pause, read.lastEventAt);
      return this.maxHoldMs - read.quietFor;
    }
    if (!caught) {
      this.caught.delete(rel);
      return 0;
    }
    const pause = Math.max(caught.longestPauseMs, read.longestGapMs, MIN_CAUGHT_PAUSE_MS);
    const settle = Math.min(this.maxHoldMs, SETTLE_FACTOR * pause);
    this.notePause(pause, read.lastEventAt);
    if (read.quietFor >= settle) {
      this.caught.delete(rel);
      return 0;
    }
    this.caught.set(rel, { lastEventAt: read.lastEventAt, longestPauseMs: pause });
    return settle - read.quietFor;
  }

  private notePause(ms: number, at: number): void {
    // The longest pause counts for a while after it was seen, then the next one takes over.
    if (ms >= this.recentPause.ms || at - this.recentPause.at > RECENT_PAUSE_MS) this.recentPause = { ms, at };
  }

  private recentPauseAt(now: number): number {
    return now - this.recentPause.at > RECENT_PAUSE_MS ? 0 : this.recentPause.ms;
  }

  /** The file is gone or was read whole by other means: nothing of it is pending. */
  forget(rel: string): void {
    this.caught.delete(rel);
  }
}
