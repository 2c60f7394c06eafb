// A log a tool appends to (a work-order log) is read and parsed again after every append. Parsed
// from its first line each time, an append costs work and memory in proportion to the whole
// log, so a log written to all day makes every later append dearer: a server watching a few
// busy logs spends more and more of its time, and its garbage collector's, on lines it has
// already read. A line-by-line parse whose state after a text's whole lines is kept can pick
// up where it stopped when the next text starts with that one, and fold only the new lines.
//
// The parse is a pure function of the text, so a kept state serves any text that starts with
// the text it was made from, whichever file that was: the result is the same as a fresh parse,
// line numbers included. What is kept is bounded (entries and characters); an evicted or
// rewritten log is parsed from the start, as before.

/** A parse that folds a text's lines into a state, one line at a time, in order. */
export interface LineFold<S> {
  empty(): S;
  /** A copy that later lines can be folded into without changing `state`. */
  copy(state: S): S;
  /** Fold line `index` (0-based, as in the text after line endings are normalized to \n). */
  line(state: S, line: string, index: number): void;
}

interface Kept<S> {
  text: string;
  /** Offset in `text` just after its last \n: the whole lines end there. */
  consumed: number;
  /** How many lines end before `consumed`. */
  lines: number;
  /** The fold of those lines; never changed once kept. */
  state: S;
}

export interface AppendedLinesLimits {
  /**
   * Most texts kept (default 64: the logs being appended to at a time; with more than that in
   * turn, the least recently read is parsed from the start, as without this memo).
   */
  entries?: number;
  /** Most characters kept over all texts (default 8 Mi). */
  chars?: number;
}

/** Line breaks as the parsers see them: \r\n and a lone \r are \n. */
const normalizeBreaks = (text: string): string => text.replace(/\r\n?/g, '\n');

export class AppendedLines<S> {
  /** Least recently used first. */
  private readonly kept: Kept<S>[] = [];
  private keptChars = 0;
  private readonly maxEntries: number;
  private readonly maxChars: number;

  constructor(
    private readonly fold: LineFold<S>,
    limits: AppendedLinesLimits = {},
  ) {
    this.maxEntries = limits.entries ?? 64;
    this.maxChars = limits.chars ?? 8 * 1024 * 1024;
  }

  /**
   * The fold of every line of `text` (a BOM dropped, line endings normalized), the same as
   * folding them all from `empty()`. The caller may change the state it gets.
   */
  parse(text: string): S {
    const from = this.takeLongestPrefixOf(text);
    const state = from ? this.fold.copy(from.state) : this.fold.empty();
    let index = from ? from.lines : 0;
    const start = from ? from.consumed : 0;
    const end = text.lastIndexOf('\n') + 1;
    if (end > start) {
      const whole = normalizeBreaks(start === 0 ? withoutBom(text.slice(0, end)) : text.slice(start, end)).split('\n');
      // The last piece is the empty one after the final \n.
      for (let i = 0; i < whole.length - 1; i++) this.fold.line(state, whole[i]!, index++);
      this.keep({ text, consumed: end, lines: index, state });
    } else if (from) {
      // No new whole line: what was kept still serves the next append.
      this.keep(from);
    }
    const tail = text.slice(Math.max(end, start));
    const rest = normalizeBreaks(end === 0 ? withoutBom(tail) : tail).split('\n');
    // The kept state stays as it is: the unfinished last line is folded into a copy.
    const out = end > start ? this.fold.copy(state) : state;
    for (const line of rest) this.fold.line(out, line, index++);
    return out;
  }

  /** The kept entry for the longest text `text` starts with, removed (it is replaced by `text`'s). */
  private takeLongestPrefixOf(text: string): Kept<S> | null {
    let best = -1;
    for (let i = 0; i < this.kept.length; i++) {
      const entry = this.kept[i]!;
      if (entry.text.length <= text.length && (best < 0 || entry.consumed > this.kept[best]!.consumed) && text.startsWith(entry.text)) best = i;
    }
    if (best < 0) return null;
    const [entry] = this.kept.splice(best, 1);
    this.keptChars -= entry!.text.length;
    return entry!;
  }

  private keep(entry: Kept<S>): void {
    if (entry.text.length > this.maxChars) return;
    this.kept.push(entry);
    this.keptChars += entry.text.length;
    while (this.kept.length > this.maxEntries || this.keptChars > this.maxChars) {
      const dropped = this.kept.shift()!;
      this.keptChars -= dropped.text.length;
    }
  }
}

function withoutBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}
