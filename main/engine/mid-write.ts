// A file caught while a writer is still putting it on disk. Writers that pause between chunks
// (a streaming writer, a slow save, a script writing line by line) leave the file empty after
// the truncate, then holding a prefix of the new text, for longer than the coalescer's quiet
// window. Markdown and YAML prefixes parse cleanly — fewer checkboxes, a cut title — so the
// parse alone cannot tell them from a finished file. What can: planning files end with a
// newline, and a prefix almost never does (it ends mid-line), nor is it empty where text was.
// A text that lost the final newline (or all its text) that the last version had is held back
// for a while before it replaces that version; a whole file, newline and all, goes out at once.
// A file that really was saved like that is shown once the hold is over.

/** How the last text read from a file ended: what a newer text is compared with. */
export type TextEnding = 'newline' | 'cut' | 'empty';

export function endingOf(text: string): TextEnding {
  if (text.length === 0) return 'empty';
  return text.endsWith('\n') ? 'newline' : 'cut';
}

/** Does `text` look like the first part of a rewrite of a file whose last text ended as `previous`? */
export function looksMidWrite(previous: TextEnding | null, text: string): boolean {
  if (previous === null || previous === 'empty') return false;
  const now = endingOf(text);
  return now === 'empty' || (previous === 'newline' && now === 'cut');
}
