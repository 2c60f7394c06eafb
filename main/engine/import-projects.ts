// coderef keeps a list of the projects it works on (docs/formats.md § coderef): `projects.json`
// `{"projects":[{name, path}]}` or `projects.config.json` `{projects:[{id, name, path, …}]}`.
// Reading one is pure — text in, entries and issues out — so the UI can offer to import
// them. Paths are kept as written (Windows ones included); resolving and checking them
// is the caller's job (ConfigStore.addProject says clearly when a folder is missing).
import type { ParseIssue } from '../../shared/model';

export interface ImportedProject {
  /** The list's own id for it (projects.config.json), or null. */
  id: string | null;
  name: string;
  /** As written in the list, trimmed. */
  path: string;
  /** Absolute on POSIX (`/…`, `~/…`) or Windows (`C:\…`, `\\server\…`); relative paths are relative to the list's folder. */
  absolute: boolean;
}

export interface ImportResult {
  entries: ImportedProject[];
  issues: ParseIssue[];
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const text = (v: unknown): string | null => (typeof v === 'string' && v.trim() !== '' ? v.trim() : null);

export function isAbsoluteAnyOs(path: string): boolean {
  return path.startsWith('/') || path.startsWith('~/') || path === '~' || /^[A-Za-z]:[\\/]/.test(path) || path.startsWith('\\\\');
}

/** The last path segment, for either slash style: the name when the list gives none. */
function lastSegment(path: string): string {
  const parts = path.split(/[\\/]+/).filter((p) => p !== '');
  return parts.at(-1) ?? path;
}

/** Parse a coderef project list. Never throws; `fileName` is used in issues. */
export function parseProjectList(source: string, fileName = 'projects.json'): ImportResult {
  const issues: ParseIssue[] = [];
  const issue = (message: string): ImportResult => ({ entries: [], issues: [{ path: fileName, line: null, message }] });
  let doc: unknown;
  try {
    doc = JSON.parse(source.charCodeAt(0) === 0xfeff ? source.slice(1) : source);
  } catch (err) {
    return issue(`Not valid JSON: ${(err as Error).message}`);
  }

  // Seen shapes: {projects: [...]}, a bare array, and {projects: {name: path}}.
  const list: unknown = isRecord(doc) ? doc.projects : doc;
  let items: { value: unknown; key: string | null }[];
  if (Array.isArray(list)) items = list.map((value) => ({ value, key: null }));
  else if (isRecord(list)) items = Object.entries(list).map(([key, value]) => ({ value, key }));
  else return issue('Expected a "projects" list of {name, path} entries');

  const entries: ImportedProject[] = [];
  const seen = new Set<string>();
  items.forEach(({ value, key }, index) => {
    const where = key === null ? `projects[${index}]` : `projects.${key}`;
    const record = isRecord(value) ? value : typeof value === 'string' ? { path: value } : null;
    if (!record) {
      issues.push({ path: fileName, line: null, message: `${where} is not a project entry` });
      return;
    }
    const path = text(record.path) ?? text(record.root) ?? text(record.dir);
    if (!path) {
      issues.push({ path: fileName, line: null, message: `${where} has no path` });
      return;
    }
    // One entry per folder: trailing slashes never matter, case only on Windows paths.
    const trimmed = path.replace(/[\\/]+$/, '');
    const dedupeKey = /^[A-Za-z]:|\\/.test(path) ? trimmed.toLowerCase() : trimmed;
    if (seen.has(dedupeKey)) return;
    seen.add(dedupeKey);
    const id = text(record.id) ?? (typeof record.id === 'number' ? String(record.id) : null);
    entries.push({
      id,
      name: text(record.name) ?? key ?? lastSegment(path),
      path,
      absolute: isAbsoluteAnyOs(path),
    });
  });
  return { entries, issues };
}
