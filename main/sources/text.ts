// Text handling every parser needs: real files come with BOMs, CRLF, tabs and glyph checkboxes.

/** Drop a UTF-8 BOM and normalize line endings to \n. */
export function cleanText(text: string): string {
  return (text.charCodeAt(0) === 0xfeff ? text.slice(1) : text).replace(/\r\n?/g, '\n');
}

export function lines(text: string): string[] {
  return cleanText(text).split('\n');
}

export interface Checkbox {
  checked: boolean;
  /** Leading whitespace width (a tab counts as 4), for nesting. */
  indent: number;
  /** The text after the box, trimmed. */
  text: string;
  /** 1-based line number. */
  line: number;
  /** Kiro marks optional tasks `- [ ]*`. */
  optional: boolean;
}

// `- [ ] x`, `* [x] x`, `1. [X] x`, and the glyph forms `☐ x`, `☑ x`, `✅ x`, `- ✅ x`.
const BOX = /^([ \t]*)(?:[-*+]|\d+[.)])?[ \t]*\[([ xX])\](\*)?[ \t]*(.*)$/;
const GLYPH = /^([ \t]*)(?:[-*+]|\d+[.)])?[ \t]*([☐☑✅✔])\uFE0F?[ \t]*(.*)$/u;

function indentWidth(ws: string): number {
  let n = 0;
  for (const ch of ws) n += ch === '\t' ? 4 : 1;
  return n;
}

/** Parse one line as a checkbox, or null. A bare `[x] text` string (coderef checklists) counts too. */
export function parseCheckbox(raw: string, line = 0): Checkbox | null {
  const text = raw.replace(/\s+$/, '');
  const box = BOX.exec(text);
  if (box) {
    return {
      checked: box[2] !== ' ',
      indent: indentWidth(box[1] ?? ''),
      text: (box[4] ?? '').trim(),
      line,
      optional: box[3] === '*',
    };
  }
  const glyph = GLYPH.exec(text);
  if (glyph) {
    return {
      checked: glyph[2] !== '☐',
      indent: indentWidth(glyph[1] ?? ''),
      text: (glyph[3] ?? '').trim(),
      line,
      optional: false,
    };
  }
  return null;
}

/** Every checkbox in a block of text, with 1-based line numbers. */
export function checkboxes(text: string): Checkbox[] {
  const out: Checkbox[] = [];
  lines(text).forEach((l, i) => {
    const box = parseCheckbox(l, i + 1);
    if (box) out.push(box);
  });
  return out;
}

export function countChecked(boxes: readonly Checkbox[]): { done: number; total: number } {
  return { done: boxes.filter((b) => b.checked).length, total: boxes.length };
}

/**
 * What the checkboxes under the first heading that matches `heading` count, up to the next
 * heading of the same or a higher level; null when there is no such heading or no box under it.
 */
export function checkboxProgressUnder(all: readonly string[], heading: RegExp): { done: number; total: number } | null {
  const start = all.findIndex((l) => heading.test(l));
  if (start < 0) return null;
  const level = /^#+/.exec(all[start]!)![0].length;
  let end = all.length;
  for (let i = start + 1; i < all.length; i++) {
    const next = /^(#{1,6})\s/.exec(all[i]!);
    if (next && next[1]!.length <= level) {
      end = i;
      break;
    }
  }
  const boxes = checkboxes(all.slice(start + 1, end).join('\n'));
  return boxes.length > 0 ? countChecked(boxes) : null;
}

/**
 * The text of the first `# Heading` (any level given), or null. A `#` line inside a fenced code
 * block is a shell or YAML comment, not a heading (GSD plans keep such blocks in their tasks).
 */
export function firstHeading(text: string, level = 1): string | null {
  const marker = '#'.repeat(level) + ' ';
  let fence: string | null = null;
  for (const l of lines(text)) {
    const opens = /^\s*(`{3,}|~{3,})/.exec(l)?.[1];
    if (opens !== undefined) {
      if (fence === null) fence = opens[0]!;
      else if (opens[0] === fence) fence = null;
      continue;
    }
    if (fence === null && l.startsWith(marker)) return l.slice(marker.length).trim() || null;
  }
  return null;
}

/** Temp and lock files writers leave while saving (docs/formats.md, rules for every convention), by file name. */
export function isTempOrLockName(name: string): boolean {
  return (
    name.endsWith('.lock') ||
    name.endsWith('.tmp') ||
    name.endsWith('.temp') ||
    name.endsWith('.swp') ||
    name.endsWith('.swx') ||
    name.endsWith('.swo') ||
    name.endsWith('~') ||
    name.startsWith('.#') ||
    name.startsWith('~$') ||
    name === '.DS_Store' ||
    /\.tmp[.-]?\w*$/i.test(name) ||
    /^\..*\.sw[a-p]$/.test(name)
  );
}

/** The same rule for a root-relative path: such files are never parsed. */
export function isTempOrLock(relPath: string): boolean {
  return isTempOrLockName(relPath.slice(relPath.lastIndexOf('/') + 1));
}

/** Split a relative path into segments (accepting Windows separators). */
export function segments(relPath: string): string[] {
  return relPath.replace(/\\/g, '/').split('/').filter(Boolean);
}

/** The last path segment. */
export function basename(relPath: string): string {
  const s = segments(relPath);
  return s[s.length - 1] ?? '';
}

/** Turn a slug (`02-user-auth`, `user_auth`) into words for a title when nothing better exists. */
export function titleFromSlug(slug: string): string {
  const words = slug.replace(/\.[a-z]+$/i, '').replace(/[-_]+/g, ' ').trim();
  return words ? words[0]!.toUpperCase() + words.slice(1) : slug;
}
