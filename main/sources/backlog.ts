// Backlog.md: `backlog/` (or `.backlog/`) holds one Markdown file per task,
// `<prefix>-<id> - <Title>.md`, with YAML frontmatter and acceptance criteria as checkboxes.
// `tasks/` and `completed/` are plans, `drafts/` are stubs, `archive/` is off the board and
// not read at all. Which status is "done" depends on `config.yml`, so parse() keeps the raw
// status and derive() applies the config.
//
// Which files are on the board is Backlog.md's own rule: the `<prefix>-*.md` files directly in
// tasks/, completed/ and drafts/ (the prefix from config.yml, `task` by default; drafts also
// `draft-`). Every other Markdown file there (one in a subfolder, one with another name) is
// reported as a parse issue on that file, never dropped without a word.
import type { ParseIssue, PlanItem, Status, StubItem } from '../../shared/model';
import { canonical, normalizeStatus, progressFromStatus } from './status';
import { isRecord, readFrontmatter, readYaml, str } from './structured';
import { checkboxes, countChecked, isTempOrLock, segments } from './text';
import { emptyItems, type FileParse, type SourceAdapter, type SourceItems } from './types';

const ROOTS = ['backlog', '.backlog'] as const;
const DEFAULT_STATUSES = ['To Do', 'In Progress', 'Done'];
const DEFAULT_PREFIX = 'task';

/** Folders whose files are read, and what a file in each one is. */
const FOLDERS = { tasks: 'plan', completed: 'plan', drafts: 'stub' } as const;
type Folder = keyof typeof FOLDERS;

// `task-12 - Fix typo.md`, `task-epic-11.1 - Title.md`, and `back-196-add-packaging.md` written
// without the ` - ` separator. Only the prefix and id are read from the name; the title and
// status come from the frontmatter.
const NAMED = /^(.+?) - (.*)$/;
const NUMBERED_ID = /^([A-Za-z][A-Za-z0-9_]*-\d+(?:\.\d+)*)(?:-.*)?$/;

interface ConfigFacts {
  kind: 'config';
  /** Board columns in order, as written; null when the config names none (the defaults apply). */
  statuses: string[] | null;
  prefix: string | null;
}

interface TaskFacts {
  kind: 'task';
  folder: Folder;
  /** The file sits in a subfolder of its folder, where Backlog.md does not look. */
  nested: boolean;
  /** The file has no frontmatter: its id and title come from its name (said once the file is known to be on the board). */
  bare: boolean;
  /** The file name without `.md`. */
  stem: string;
  /** The id as the frontmatter writes it, or null. */
  declaredId: string | null;
  /** `task-12.1`, from the file name. */
  fileId: string;
  title: string;
  rawStatus: string;
  parentId: string | null;
  /** Acceptance criteria, or null when the task has none. */
  criteria: { done: number; total: number } | null;
}

export type BacklogFacts = ConfigFacts | TaskFacts;

interface Location {
  root: string;
  /** The path below the root, split. */
  rest: string[];
}

function locate(relPath: string): Location | null {
  // Paths from the engine already use forward slashes and no empty segments: split them as they are.
  const parts = relPath.includes('\\') || relPath.includes('//') || relPath.startsWith('/') || relPath.endsWith('/') ? segments(relPath) : relPath.split('/');
  const root = parts[0];
  if (!root || !(ROOTS as readonly string[]).includes(root)) return null;
  return { root, rest: parts.slice(1) };
}

function folderOf(loc: Location): Folder | null {
  const first = loc.rest[0];
  return first && first in FOLDERS && loc.rest.length >= 2 ? (first as Folder) : null;
}

function isConfig(loc: Location): boolean {
  return loc.rest.length === 1 && loc.rest[0] === 'config.yml';
}

// ---- config.yml ----

function stringList(value: unknown): string[] | null {
  if (!Array.isArray(value)) return null;
  const list = value.map(str).filter((s): s is string => s !== null);
  return list.length > 0 ? list : null;
}

function parseConfig(path: string, text: string): FileParse<BacklogFacts> {
  const read = readYaml(path, text);
  if (!read.ok) return { facts: null, issues: [read.issue] };
  // An empty config is a config that takes every default.
  const config = read.value ?? {};
  if (!isRecord(config)) {
    return { facts: null, issues: [{ path, line: null, message: 'config.yml is not a map of settings' }] };
  }
  const issues: ParseIssue[] = [];
  const statuses = stringList(config.statuses);
  if (config.statuses !== undefined && statuses === null) {
    issues.push({ path, line: null, message: '"statuses" is not a list of names; the defaults (To Do, In Progress, Done) apply' });
  }
  const prefixes = isRecord(config.prefixes) ? config.prefixes : {};
  const prefix = str(config.task_prefix) ?? str(prefixes.task);
  return { facts: { kind: 'config', statuses, prefix }, issues };
}

// ---- task files ----

const AC_BEGIN = /<!--\s*AC:BEGIN\s*-->/i;
const AC_END = /<!--\s*AC:END\s*-->/i;

/** The part of the body that holds acceptance criteria: the marked block, else the section under its heading, else all of it. */
function criteriaText(body: string): string {
  const begin = AC_BEGIN.exec(body);
  if (begin) {
    const after = body.slice(begin.index + begin[0].length);
    const end = AC_END.exec(after);
    return end ? after.slice(0, end.index) : after;
  }
  const heading = /^(#+)[ \t]*acceptance criteria.*$/im.exec(body);
  if (!heading) return body;
  const after = body.slice(heading.index + heading[0].length);
  const next = new RegExp(`^#{1,${heading[1]!.length}}[ \\t]`, 'm').exec(after);
  return next ? after.slice(0, next.index) : after;
}

function acceptanceCriteria(body: string): { done: number; total: number } | null {
  const progress = countChecked(checkboxes(criteriaText(body)));
  return progress.total > 0 ? progress : null;
}

/** `task-12 - Fix typo` → id `task-12`, title `Fix typo`; `back-196-add-packaging` → id `back-196`. */
function nameParts(stem: string): { fileId: string; title: string | null } {
  const named = NAMED.exec(stem);
  if (named) return { fileId: named[1]!.trim(), title: named[2]!.trim() || null };
  const numbered = NUMBERED_ID.exec(stem);
  return { fileId: numbered ? numbered[1]! : stem, title: null };
}

/**
 * Backlog.md's own fix-ups before it parses frontmatter as YAML: `assignee: @sara` and
 * `reporter: @sam` (a YAML reserved character) are quoted, in lists too.
 */
function quoteHandles(yaml: string): string {
  return yaml
    .split('\n')
    .map((line) => {
      const m = /^(\s*(?:assignee|reporter)\s*:\s*)(.*)$/.exec(line);
      if (!m) return line;
      const value = m[2]!.trim();
      const quote = (v: string): string => (v.startsWith('@') ? JSON.stringify(v) : v);
      const list = /^\[(.*)\]$/.exec(value);
      if (list) return `${m[1]}[${list[1]!.split(',').map((v) => quote(v.trim())).join(', ')}]`;
      return value.startsWith('@') ? `${m[1]}${JSON.stringify(value)}` : line;
    })
    .join('\n');
}

function parseTask(path: string, folder: Folder, nested: boolean, text: string): FileParse<BacklogFacts> {
  const stem = (segments(path).pop() ?? '').replace(/\.md$/i, '');
  // A file in a subfolder is off the board (derive says so once per folder): its own oddities are not news.
  if (nested) return { facts: { kind: 'task', folder, nested, bare: false, stem, declaredId: null, fileId: stem, title: stem, rawStatus: '', parentId: null, criteria: null }, issues: [] };
  // An empty or unclosed file is most likely one caught mid-write: keep the last good facts.
  if (text.trim() === '') return { facts: null, issues: [{ path, line: null, message: 'File is empty' }] };
  const { fm, issue, readLineByLine } = readFrontmatter(path, text, { prepare: quoteHandles, lineByLine: true });
  if (issue && !readLineByLine) return { facts: null, issues: [issue] };
  const issues: ParseIssue[] = issue ? [issue] : [];
  const { fileId, title } = nameParts(stem);
  const declaredId = str(fm.data.id);
  const facts: TaskFacts = {
    kind: 'task',
    folder,
    nested,
    bare: !issue && Object.keys(fm.data).length === 0,
    stem,
    declaredId,
    fileId,
    title: str(fm.data.title) ?? title ?? declaredId ?? fileId,
    rawStatus: str(fm.data.status) ?? '',
    parentId: str(fm.data.parent_task_id),
    criteria: acceptanceCriteria(fm.body),
  };
  return { facts, issues };
}

// ---- derive ----

interface BoardConfig {
  statuses: string[];
  prefix: string;
}

function boardConfig(files: ReadonlyMap<string, BacklogFacts>, root: string): BoardConfig {
  const facts = files.get(`${root}/config.yml`);
  const config = facts?.kind === 'config' ? facts : null;
  return { statuses: config?.statuses ?? DEFAULT_STATUSES, prefix: config?.prefix ?? DEFAULT_PREFIX };
}

/**
 * Backlog.md's done rule: the last board column is done. Boards that add columns after a
 * literal "Done" (Blocked, Archived, Released) keep "Done" as done, and the later columns
 * then keep their own meaning, falling back to done only when their word says nothing.
 * Other words map through the shared synonyms, then by position: the first column is to do,
 * columns between first and done are in progress.
 */
export function boardStatus(raw: string, statuses: readonly string[]): Status {
  const key = canonical(raw);
  if (!key) return 'unknown';
  if (key === 'done') return 'done';
  const columns = statuses.map(canonical);
  const doneColumn = columns.includes('done') ? columns.indexOf('done') : columns.length - 1;
  if (!columns.includes('done') && key === columns[doneColumn]) return 'done';
  const word = normalizeStatus(raw);
  if (word !== 'unknown') return word;
  const column = columns.indexOf(key);
  if (column < 0) return 'unknown';
  if (column >= doneColumn) return 'done';
  return column === 0 ? 'todo' : 'in_progress';
}

const BARE_NUMBER = /^\d+(\.\d+)*$/;

/** Backlog ids compare case-insensitively (`BACK-3` in frontmatter, `back-3 - x.md` on disk). */
function taskId(facts: TaskFacts): string {
  const declared = facts.declaredId;
  // A bare number (`id: 12`) is the number part of the id; the file name has the whole of it.
  if (declared && BARE_NUMBER.test(declared)) return facts.fileId.toLowerCase();
  return (declared ?? facts.fileId).toLowerCase();
}

/** The parent a subtask names, or the one its id implies (`task-12.1` → `task-12`). */
function parentId(facts: TaskFacts, id: string, prefix: string): string | null {
  const named = facts.parentId;
  if (named) return (BARE_NUMBER.test(named) ? `${prefix}-${named}` : named).toLowerCase();
  const dot = id.lastIndexOf('.');
  return dot > 0 ? id.slice(0, dot) : null;
}

interface Entry {
  path: string;
  facts: TaskFacts;
  id: string;
  config: BoardConfig;
}

/** Why Backlog.md leaves a top-level file off its board, or null when the file is on it. */
function offBoard(root: string, facts: TaskFacts, config: BoardConfig): string | null {
  const prefixes = facts.folder === 'drafts' ? [config.prefix, 'draft'] : [config.prefix];
  const stem = facts.stem.toLowerCase();
  if (prefixes.some((prefix) => stem.startsWith(`${prefix.toLowerCase()}-`))) return null;
  const where = `${root}/${facts.folder}/`;
  // Backlog.md names new drafts `draft-…` (older boards kept the task prefix there too).
  const suggested = facts.folder === 'drafts' ? 'draft' : config.prefix.toLowerCase();
  return `Backlog.md reads only ${prefixes.map((p) => `${p.toLowerCase()}-*.md`).join(' and ')} files in ${where}; this file is not on its board (name it ${suggested}-<id> - <Title>.md)`;
}

/**
 * The board's files of one folder, in path order. Files the board leaves out are reported: a
 * misnamed file on that file, files in subfolders once per subfolder (a board with an archive
 * of hundreds of files in `tasks/epics/…` gets one line per folder, not hundreds).
 */
function entries(files: ReadonlyMap<string, BacklogFacts>, folder: Folder, issues: ParseIssue[], configs: Map<string, BoardConfig>): Entry[] {
  const out: Entry[] = [];
  const nested = new Map<string, number>();
  for (const [path, facts] of files) {
    if (facts.kind !== 'task' || facts.folder !== folder) continue;
    if (facts.nested) {
      const dir = segments(path).slice(0, -1).join('/');
      nested.set(dir, (nested.get(dir) ?? 0) + 1);
      continue;
    }
    // One config per board root, looked up once per derive (a board holds thousands of tasks).
    const root = locate(path)?.root ?? ROOTS[0];
    let config = configs.get(root);
    if (!config) configs.set(root, (config = boardConfig(files, root)));
    const why = offBoard(root, facts, config);
    if (why !== null) {
      issues.push({ path, line: null, message: why });
      continue;
    }
    if (facts.bare) issues.push({ path, line: 1, message: 'No frontmatter: id and title come from the file name, status is unknown' });
    out.push({ path, facts, id: taskId(facts), config });
  }
  for (const [dir, count] of nested) {
    const where = `${segments(dir).slice(0, 2).join('/')}/`;
    const files = count === 1 ? '1 Markdown file' : `${count} Markdown files`;
    issues.push({ path: dir, line: null, message: `${files} in this subfolder ${count === 1 ? 'is' : 'are'} not on the Backlog.md board: it reads only the files directly in ${where}` });
  }
  return out.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

function taskPlan({ path, facts, id, config }: Entry, parent: string | null): PlanItem {
  // A file in completed/ is done whatever its header says: the folder is the evidence.
  const status = facts.folder === 'completed' ? 'done' : boardStatus(facts.rawStatus, config.statuses);
  return {
    id: `backlog:task:${id}`,
    source: 'backlog',
    kind: 'task',
    title: facts.title,
    status,
    rawStatus: facts.rawStatus,
    progress: facts.criteria ?? progressFromStatus(status),
    path,
    parent,
  };
}

function draftStub({ path, facts, id, config }: Entry): StubItem {
  const status = boardStatus(facts.rawStatus, config.statuses);
  return {
    id: `backlog:draft:${id}`,
    source: 'backlog',
    title: facts.title,
    // A draft is an idea until it says otherwise.
    status: status === 'unknown' ? 'backlog' : status,
    rawStatus: facts.rawStatus,
    path,
  };
}

/**
 * One entry per id across folders: a task caught between tasks/ and completed/ is listed once
 * (callers put the preferred folder first). Two files in one folder with one id are two tasks
 * on Backlog.md's board, so both stay; the second gets an id that names its file.
 */
function unique(list: Entry[], issues: ParseIssue[]): Entry[] {
  const seen = new Map<string, Entry>();
  const out: Entry[] = [];
  for (const entry of list) {
    const first = seen.get(entry.id);
    if (first === undefined) {
      seen.set(entry.id, entry);
      out.push(entry);
    } else if (first.facts.folder !== entry.facts.folder) {
      issues.push({ path: entry.path, line: null, message: `Task id ${entry.id} is also used by ${first.path}; that one is shown` });
    } else {
      issues.push({ path: entry.path, line: null, message: `Task id ${entry.id} is also used by ${first.path}; both are shown` });
      out.push({ ...entry, id: `${entry.id}@${entry.facts.stem.toLowerCase()}` });
    }
  }
  return out;
}

function derive(files: ReadonlyMap<string, BacklogFacts>): SourceItems {
  const items = emptyItems();
  // A task caught between tasks/ and completed/ appears in both: completed/ is the newer truth.
  const configs = new Map<string, BoardConfig>();
  const planEntries = unique([...entries(files, 'completed', items.issues, configs), ...entries(files, 'tasks', items.issues, configs)], items.issues);
  const planIds = new Set(planEntries.map((e) => e.id));
  items.plans = planEntries.map((entry) => {
    const parent = parentId(entry.facts, entry.id, entry.config.prefix);
    // Only link to a parent that is on the board; a dangling reference would point nowhere.
    const onBoard = parent !== null && parent !== entry.id && planIds.has(parent);
    return taskPlan(entry, onBoard ? `backlog:task:${parent}` : null);
  });
  items.stubs = unique(entries(files, 'drafts', items.issues, configs), items.issues).map(draftStub);
  items.issues.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return items;
}

export const backlog: SourceAdapter<BacklogFacts> = {
  id: 'backlog',
  label: 'Backlog.md',
  roots: ROOTS.map((path) => ({ path })),
  owns(relPath) {
    if (isTempOrLock(relPath)) return false;
    const loc = locate(relPath);
    if (!loc) return false;
    if (isConfig(loc)) return true;
    // Every Markdown file in a board folder: the ones Backlog.md does not read are reported by derive().
    return folderOf(loc) !== null && /\.md$/i.test(loc.rest[loc.rest.length - 1] ?? '');
  },
  parse(relPath, text) {
    const loc = locate(relPath);
    const folder = loc ? folderOf(loc) : null;
    if (loc && isConfig(loc)) return parseConfig(relPath, text);
    if (!folder) return { facts: null, issues: [{ path: relPath, line: null, message: 'Not a Backlog.md task or config file' }] };
    return parseTask(relPath, folder, (loc?.rest.length ?? 0) > 2, text);
  },
  derive,
};
