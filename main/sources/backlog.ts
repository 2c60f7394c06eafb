// Backlog.md: `backlog/` (or `.backlog/`) holds one Markdown file per task,
// `<prefix>-<id> - <Title>.md`, with YAML frontmatter and acceptance criteria as checkboxes.
// `tasks/` and `completed/` are plans, `drafts/` are stubs, `archive/` is off the board and
// not read at all. Which status is "done" depends on `config.yml`, so parse() keeps the raw
// status and derive() applies the config.
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

// `task-12 - Fix typo.md`, `back-3.1 - Sub task.md`, `draft-2 - Idea.md`. The prefix is
// configurable (`task_prefix`, `prefixes.task`), and owns() cannot see the config, so any
// word-like prefix is accepted; inside tasks/ and drafts/ nothing else uses this shape.
const TASK_FILE = /^([A-Za-z][A-Za-z0-9_]*)-(\d+(?:\.\d+)*)(?: - (.*))?\.md$/i;

interface ConfigFacts {
  kind: 'config';
  /** Board columns in order, as written; null when the config names none (the defaults apply). */
  statuses: string[] | null;
  prefix: string | null;
}

interface TaskFacts {
  kind: 'task';
  folder: Folder;
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
  const parts = segments(relPath);
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

function parseTask(path: string, folder: Folder, text: string): FileParse<BacklogFacts> {
  const name = TASK_FILE.exec(segments(path).pop() ?? '');
  if (!name) return { facts: null, issues: [{ path, line: null, message: 'File name is not "<prefix>-<id> - <Title>.md"' }] };
  // An empty, broken or unclosed file is most likely one caught mid-write: keep the last good facts.
  if (text.trim() === '') return { facts: null, issues: [{ path, line: null, message: 'File is empty' }] };
  const { fm, issue } = readFrontmatter(path, text);
  if (issue) return { facts: null, issues: [issue] };
  const fileId = `${name[1]}-${name[2]}`;
  const issues: ParseIssue[] = [];
  if (Object.keys(fm.data).length === 0) {
    issues.push({ path, line: 1, message: 'No frontmatter: id and title come from the file name, status is unknown' });
  }
  const declaredId = str(fm.data.id);
  const facts: TaskFacts = {
    kind: 'task',
    folder,
    declaredId,
    fileId,
    title: str(fm.data.title) ?? str(name[3]) ?? declaredId ?? fileId,
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

function entries(files: ReadonlyMap<string, BacklogFacts>, folder: Folder): Entry[] {
  const out: Entry[] = [];
  for (const [path, facts] of files) {
    if (facts.kind !== 'task' || facts.folder !== folder) continue;
    const config = boardConfig(files, locate(path)?.root ?? ROOTS[0]);
    out.push({ path, facts, id: taskId(facts), config });
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

/** Keep the first entry per id (callers order them by preference) and report the rest. */
function unique(list: Entry[], issues: ParseIssue[]): Entry[] {
  const seen = new Map<string, string>();
  return list.filter((entry) => {
    const first = seen.get(entry.id);
    if (first !== undefined) {
      issues.push({ path: entry.path, line: null, message: `Task id ${entry.id} is also used by ${first}; this file is skipped` });
      return false;
    }
    seen.set(entry.id, entry.path);
    return true;
  });
}

function derive(files: ReadonlyMap<string, BacklogFacts>): SourceItems {
  const items = emptyItems();
  // A task caught between tasks/ and completed/ appears in both: completed/ is the newer truth.
  const planEntries = unique([...entries(files, 'completed'), ...entries(files, 'tasks')], items.issues);
  const planIds = new Set(planEntries.map((e) => e.id));
  items.plans = planEntries.map((entry) => {
    const parent = parentId(entry.facts, entry.id, entry.config.prefix);
    // Only link to a parent that is on the board; a dangling reference would point nowhere.
    const onBoard = parent !== null && parent !== entry.id && planIds.has(parent);
    return taskPlan(entry, onBoard ? `backlog:task:${parent}` : null);
  });
  items.stubs = unique(entries(files, 'drafts'), items.issues).map(draftStub);
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
    return folderOf(loc) !== null && TASK_FILE.test(loc.rest[loc.rest.length - 1] ?? '');
  },
  parse(relPath, text) {
    const loc = locate(relPath);
    const folder = loc ? folderOf(loc) : null;
    if (loc && isConfig(loc)) return parseConfig(relPath, text);
    if (!folder) return { facts: null, issues: [{ path: relPath, line: null, message: 'Not a Backlog.md task or config file' }] };
    return parseTask(relPath, folder, text);
  },
  derive,
};
