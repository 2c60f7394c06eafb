// Safe readers for structured text (JSON, YAML, frontmatter): they return a value or an issue
// with a line number, never throw, so a half-written file is a parse issue and not a crash.
import matter from 'gray-matter';
import { parse as parseYamlText, YAMLParseError } from 'yaml';
// logLevel 'error': the yaml package prints warnings (odd directives, ambiguous aliases) to the
// process console; a parser of other people's files must stay quiet and report through issues.
import type { ParseIssue } from '../../shared/model';
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

/** Frontmatter at byte 0 (`---` … `---`), parsed with the `yaml` package. A broken block is an issue and the body is still returned. */
export function readFrontmatter(path: string, text: string): { fm: Frontmatter; issue: ParseIssue | null } {
  const clean = cleanText(text);
  if (!clean.startsWith('---')) return { fm: { data: {}, body: clean, bodyLineOffset: 0 }, issue: null };
  // gray-matter reads an unclosed block as all frontmatter; that is a file cut short mid-write.
  const opensBlock = /^---[ \t]*(\n|$)/.test(clean);
  if (opensBlock && !/\n---[ \t]*(\n|$)/.test(clean.slice(3))) {
    return {
      fm: { data: {}, body: '', bodyLineOffset: 0 },
      issue: { path, line: lineOfOffset(clean, clean.length), message: 'Frontmatter is not closed by a --- line' },
    };
  }
  try {
    // Passing options also turns off gray-matter's by-content cache, which would share one object between callers.
    const parsed = matter(clean, {
      engines: { yaml: (s: string) => (parseYamlText(s, { maxAliasCount: 100, logLevel: 'error' }) ?? {}) as object },
    } as never);
    const data = parsed.data && typeof parsed.data === 'object' && !Array.isArray(parsed.data) ? { ...parsed.data } : {};
    const bodyStart = clean.length - parsed.content.length;
    return { fm: { data, body: parsed.content, bodyLineOffset: lineOfOffset(clean, bodyStart) - 1 }, issue: null };
  } catch (err) {
    const message = err instanceof Error ? err.message.split('\n')[0] : String(err);
    // Keep the body readable: skip past the closing fence when there is one.
    const close = clean.indexOf('\n---', 3);
    const body = close >= 0 ? clean.slice(clean.indexOf('\n', close + 1) + 1) : clean;
    return {
      fm: { data: {}, body, bodyLineOffset: close >= 0 ? lineOfOffset(clean, close) + 1 : 0 },
      issue: { path, line: 1, message: `Invalid frontmatter: ${message}` },
    };
  }
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
