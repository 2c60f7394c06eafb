// Safe readers for structured text (JSON, YAML, frontmatter): they return a value or an issue
// with a line number, never throw, so a half-written file is a parse issue and not a crash.
import { parse as parseYamlText, YAMLParseError } from 'yaml';
// logLevel 'error': the yaml package prints warnings (odd directives, ambiguous aliases) to the
// process console; a parser of other people's files must stay quiet and report through issues.
import type { ParseIssue } from '../../shared/model';
import { readFlatYaml } from './flat-yaml';
import { cleanText } from './text';

export type Read<T> = { ok: true; value: T } | { ok: false; issue: ParseIssue };

function lineOfOffset(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < text.length; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

export function readJson(path: string, text: string): Read<unknown> {
  const clean = cleanText(text);
  if (clean.trim() === '') return { ok: false, issue: { path, line: null, message: 'File is empty' } };
  try {
    return { ok: true, value: JSON.parse(clean) as unknown };
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    const pos = /position (\d+)/.exec(message);
    const lineCol = /line (\d+)/.exec(message);
    // A half-written file ends early: point at its last line rather than at nothing.
    const atEnd = /end of (JSON )?input/i.test(message) ? lineOfOffset(clean, clean.length) : null;
    const line = lineCol ? Number(lineCol[1]) : pos ? lineOfOffset(clean, Number(pos[1])) : atEnd;
    return { ok: false, issue: { path, line, message: `Invalid JSON: ${message}` } };
  }
}

export function readYaml(path: string, text: string): Read<unknown> {
  try {
    return { ok: true, value: parseYamlText(cleanText(text), { prettyErrors: false, maxAliasCount: 100, logLevel: 'error' }) as unknown };
  } catch (err) {
    // Without prettyErrors the package leaves linePos unset, but always gives the offset.
    const line = err instanceof YAMLParseError ? (err.linePos?.[0].line ?? lineOfOffset(cleanText(text), err.pos[0])) : null;
    const message = err instanceof Error ? err.message.split('\n')[0] : String(err);
    return { ok: false, issue: { path, line, message: `Invalid YAML: ${message}` } };
  }
}

export interface Frontmatter {
  /** The frontmatter fields, {} when there is none. */
  data: Record<string, unknown>;
  /** The text after the frontmatter. */
  body: string;
  /** How many lines the frontmatter took, so body line numbers can be reported against the file. */
  bodyLineOffset: number;
}

export interface FrontmatterOptions {
  /** Rewrite the YAML block before it is parsed (a tool's own known fixes, e.g. quoting `@name`). */
  prepare?: (yaml: string) => string;
  /**
   * When the block is still not YAML, read its `key: value` lines one by one instead of giving
   * up (strings and lists only; nothing is evaluated). The issue is still returned.
   */
  lineByLine?: boolean;
  /**
   * The caller reads only the body: the block is split off and not parsed, so its YAML cannot be
   * wrong (GSD's PLAN and SUMMARY blocks: GSD reads them line by line and never fails, and Vigil
   * takes none of their fields); a block never closed is read as body to the end. A fence that
   * names a language is still an issue.
   */
  bodyOnly?: boolean;
}

export interface FrontmatterRead {
  fm: Frontmatter;
  issue: ParseIssue | null;
  /** The block was not YAML and its fields were read line by line (see FrontmatterOptions). */
  readLineByLine?: boolean;
}

/**
 * Frontmatter at byte 0 (`---` … `---`), parsed as YAML with the `yaml` package and nothing else.
 * A fence that names a language (`---js`, `---coffee`, `---toml`) is an issue, never an engine:
 * frontmatter is data from other people's files, and a parser that picks an evaluator from the
 * file lets any planning file run code. The split is a few lines, so no frontmatter library
 * (the ones we tried pick engines from the fence). A broken block is an issue and the body is
 * still returned.
 */
export function readFrontmatter(path: string, text: string, options: FrontmatterOptions = {}): FrontmatterRead {
  const clean = cleanText(text);
  const none = { fm: { data: {}, body: clean, bodyLineOffset: 0 }, issue: null };
  if (!clean.startsWith('---')) return none;
  const firstLineEnd = clean.indexOf('\n');
  const firstLine = firstLineEnd < 0 ? clean : clean.slice(0, firstLineEnd);
  const tag = firstLine.slice(3).trim();
  // `----` and longer are Markdown rules, not a frontmatter fence.
  if (/^-+$/.test(tag)) return none;

  const close = /\n---[ \t]*(\n|$)/.exec(clean.slice(firstLine.length));
  if (!close) {
    // GSD reads such a PLAN to its end, objective and tasks included (the block was never closed).
    if (options.bodyOnly) return { fm: { data: {}, body: clean, bodyLineOffset: 0 }, issue: null };
    // An unclosed block is a file cut short mid-write, not a file that is all frontmatter.
    return {
      fm: { data: {}, body: tag === '' ? '' : clean, bodyLineOffset: 0 },
      issue: { path, line: lineOfOffset(clean, clean.length), message: 'Frontmatter is not closed by a --- line' },
    };
  }
  const closeStart = firstLine.length + close.index;
  const bodyStart = closeStart + close[0].length;
  const body = clean.slice(bodyStart);
  const bodyLineOffset = lineOfOffset(clean, bodyStart) - (close[1] === '' ? 0 : 1);
  const broken = (message: string): FrontmatterRead => ({
    fm: { data: {}, body, bodyLineOffset },
    issue: { path, line: 1, message },
  });
  if (tag !== '') {
    return broken(`Frontmatter opened with ---${tag.slice(0, 40)}: only YAML frontmatter is read (a plain --- fence)`);
  }
  if (options.bodyOnly) return { fm: { data: {}, body, bodyLineOffset }, issue: null };
  const block = clean.slice(firstLine.length + 1, closeStart);
  const yaml = options.prepare ? options.prepare(block) : block;
  try {
    const data = readFlatYaml(yaml) ?? (parseYamlText(yaml, { maxAliasCount: 100, logLevel: 'error' }) as unknown);
    return { fm: { data: isRecord(data) ? { ...data } : {}, body, bodyLineOffset }, issue: null };
  } catch (err) {
    const reason = err instanceof Error ? err.message.split('\n')[0]! : String(err);
    if (!options.lineByLine) return broken(`Invalid frontmatter: ${reason}`);
    const { data, unread } = readKeyValueLines(block);
    const skipped = unread.length > 0 ? `; ${unread.length === 1 ? 'line' : 'lines'} ${unread.map((n) => n + 1).join(', ')} could not be read` : '';
    return {
      fm: { data, body, bodyLineOffset },
      issue: { path, line: 1, message: `Frontmatter is not valid YAML (${reason}); its key: value lines were read one by one${skipped}` },
      readLineByLine: true,
    };
  }
}

/**
 * The top-level `key: value` lines of a frontmatter block that is not valid YAML, read the way
 * a person reads them: the value is everything after the first `: ` (so `title: Fix: login`
 * keeps its colon), quotes around it are dropped, `[a, b]` and `- item` lines below a bare key
 * are lists. Nothing is evaluated; lines that fit none of this are returned as unread (1-based
 * within the block: add 1 for the line in the file, whose line 1 is the opening fence).
 */
export function readKeyValueLines(block: string): { data: Record<string, string | string[]>; unread: number[] } {
  const data: Record<string, string | string[]> = {};
  const unread: number[] = [];
  const bare = new Set<string>();
  let listKey: string | null = null;
  block.split('\n').forEach((line, i) => {
    if (line.trim() === '' || /^\s*#/.test(line)) return;
    const item = /^\s+-\s+(.*)$/.exec(line) ?? /^-\s+(.*)$/.exec(line);
    if (item && listKey !== null) {
      const list = data[listKey];
      if (Array.isArray(list)) list.push(unquote(item[1]!));
      return;
    }
    const pair = /^([A-Za-z_][\w-]*)\s*:(?:\s+(.*))?$/.exec(line);
    if (!pair) {
      unread.push(i + 1);
      return;
    }
    const key = pair[1]!;
    const value = (pair[2] ?? '').trim();
    if (Object.prototype.hasOwnProperty.call(data, key) || key === '__proto__') {
      unread.push(i + 1);
      return;
    }
    listKey = null;
    if (value === '') {
      data[key] = [];
      bare.add(key);
      listKey = key;
    } else if (/^\[.*\]$/.test(value)) {
      data[key] = value.slice(1, -1).split(',').map((v) => unquote(v.trim())).filter((v) => v !== '');
    } else {
      data[key] = unquote(value);
    }
  });
  // A bare key with no list under it had no value at all.
  for (const key of bare) if ((data[key] as string[]).length === 0) data[key] = '';
  return { data, unread };
}

function unquote(value: string): string {
  const v = value.replace(/\s+#.*$/, '').trim();
  return /^(['"]).*\1$/.test(v) ? v.slice(1, -1) : v;
}

/** Narrow helpers for reading loosely-typed objects from parsed files. */
export const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

export function str(v: unknown): string | null {
  if (typeof v === 'string') return v.trim() || null;
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  return null;
}

/** Case-insensitive key lookup: real coderef files write `6_IMPLEMENTATION_PHASES` as often as `6_implementation_phases`. */
export function getCi(obj: Record<string, unknown>, key: string): unknown {
  if (key in obj) return obj[key];
  const lower = key.toLowerCase();
  for (const k of Object.keys(obj)) if (k.toLowerCase() === lower) return obj[k];
  return undefined;
}
