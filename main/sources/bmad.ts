// BMAD-METHOD (docs/formats.md § BMAD): sprint-status files (v6 and v6 alpha) list epics and
// stories with their status; story files `<story-key>.md` add titles and task checkboxes; older
// v4 projects have only `docs/stories/N.M.title.md` files with a `## Status` heading.
//
// BMAD's own sprint-status workflow classifies keys this way: `epic-*` is an epic, `*-retrospective`
// a retrospective, and every other key is a story. Real keys carry letters and dots in their
// numbers (`19a-1-…`, `2.5-1-…`, `15-R1-…`, `0-5-1-…`) and sprint-runner keys (`5-sr-5-…`), so a
// key is kept as written and its number (bmad-keys.ts) is used only to sort, to find its
// epic and to match files whose slug drifted from the key.
import type { ParseIssue, PlanItem, Progress, Status, StubItem } from '../../shared/model';
import { normalizeStatus, progressFromStatus } from './status';
import { getCi, isRecord, readYaml, str } from './structured';
import { epicTokenOfKey, isRetrospectiveKey, normalizeNumber, storyFileKey, storyNumber } from './bmad-keys';
import { checkboxProgressUnder, firstHeading, isTempOrLock, lines, segments, titleFromSlug } from './text';
import { emptyItems, type FileParse, type SourceAdapter, type SourceItems } from './types';

interface SprintEntry {
  key: string;
  rawStatus: string;
  line: number | null;
  /** A title the sprint file gives (the nested `epics: → stories:` form has them). */
  title: string | null;
}

interface SprintFacts {
  kind: 'sprint';
  /** Root-relative folder the story files live in, when the file names one we can resolve. */
  storyLocation: string | null;
  entries: SprintEntry[];
}

interface StoryFacts {
  kind: 'story';
  /** The file name without `.md` (v4 `1.2.user-login` already turned into `1-2-user-login`). */
  key: string;
  title: string | null;
  rawStatus: string;
  /** Checkboxes under `## Tasks / Subtasks`; null when there are none. */
  progress: Progress | null;
}

interface EpicsFacts {
  kind: 'epics';
  epics: { number: string; title: string }[];
  /** Story titles by normalized number (`3-1`), for stories the sprint lists before their file exists. */
  stories: { number: string; title: string }[];
}

export type BmadFacts = SprintFacts | StoryFacts | EpicsFacts;

// ---- Which paths are ours ----

const ROOTS: readonly string[][] = [['_bmad-output'], ['docs', 'sprint-artifacts'], ['docs', 'stories']];

function underRoot(segs: readonly string[]): boolean {
  return ROOTS.some((root) => root.length < segs.length && root.every((s, i) => segs[i] === s));
}

type Place = { file: 'sprint' } | { file: 'story'; key: string } | { file: 'epics' };

// `sprint-status.yaml`, and the extra sprints some projects keep beside it (`sprint-status-playground.yaml`).
const SPRINT_FILE = /^sprint-status(?:[-_.][\w.-]*)?\.ya?ml$/i;

function placeOf(relPath: string): Place | null {
  if (isTempOrLock(relPath)) return null;
  const segs = segments(relPath);
  if (!underRoot(segs)) return null;
  const name = segs[segs.length - 1]!;
  if (SPRINT_FILE.test(name)) return { file: 'sprint' };
  if (/^epics\.md$/i.test(name)) return { file: 'epics' };
  if (!/\.md$/i.test(name)) return null;
  const key = storyFileKey(name.slice(0, -3));
  if (key) return { file: 'story', key };
  // BMAD's sprint planning reads `epics.md`, `bmm-epics.md` "or any *epic*.md file" (sharded
  // epics, one file per group of epics): all of them name epics.
  return /epic/i.test(name) && !/retro/i.test(name) ? { file: 'epics' } : null;
}

// ---- sprint-status.yaml ----

/** `{project-root}/_bmad-output/x` or `./docs/x` → `_bmad-output/x`; an absolute path cannot be resolved. */
function resolveStoryLocation(raw: string | null): string | null {
  if (!raw) return null;
  const path = raw.replace(/\\/g, '/').replace(/^\{project[-_]root\}\/?/i, '').replace(/^\.\//, '').replace(/\/+$/, '');
  if (path.startsWith('/') || /^[a-z]:\//i.test(path) || path.includes('{')) return null;
  return path;
}

function lineOfKey(text: string, key: string): number | null {
  const escaped = key.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const re = new RegExp(`^\\s*(?:-\\s*(?:id|key)\\s*:\\s*)?["']?${escaped}["']?\\s*(?::|$)`);
  const i = lines(text).findIndex((l) => re.test(l));
  return i >= 0 ? i + 1 : null;
}

/** A status written as a word, or as `{status: word}` (some trackers nest it). */
function statusValue(value: unknown): string | null {
  if (isRecord(value)) return str(getCi(value, 'status'));
  return str(value);
}

/** `development_status: {key: status}`, the form BMAD writes. */
function flatEntries(relPath: string, text: string, status: Record<string, unknown>, issues: ParseIssue[]): SprintEntry[] {
  const entries: SprintEntry[] = [];
  for (const [key, value] of Object.entries(status)) {
    const line = lineOfKey(text, key);
    const raw = statusValue(value);
    if (value !== null && raw === null) issues.push({ path: relPath, line, message: `Status of "${key}" is not a word` });
    entries.push({ key, rawStatus: raw ?? '', line, title: isRecord(value) ? str(getCi(value, 'title')) : null });
  }
  return entries;
}

/** The first of `names` an object has as a word. */
function field(obj: Record<string, unknown>, ...names: string[]): string | null {
  for (const name of names) {
    const value = str(getCi(obj, name));
    if (value !== null) return value;
  }
  return null;
}

/** A list of objects or a mapping of key → object|word, as `[key, value]` pairs. */
function keyedList(value: unknown, keyFields: readonly string[]): [string | null, unknown][] {
  if (Array.isArray(value)) return value.map((v) => [isRecord(v) ? field(v, ...keyFields) : str(v), v]);
  if (isRecord(value)) return Object.entries(value);
  return [];
}

/**
 * The nested form some projects write instead of `development_status`:
 * `epics: [{id, status, stories: [{id, status, title}]}]` (lists or mappings, in any mix).
 */
function nestedEntries(relPath: string, text: string, epics: unknown, issues: ParseIssue[]): SprintEntry[] {
  const entries: SprintEntry[] = [];
  for (const [rawKey, epic] of keyedList(epics, ['key', 'id', 'epic', 'number'])) {
    if (rawKey === null) {
      issues.push({ path: relPath, line: lineOfKey(text, 'epics'), message: 'An epic under "epics" has no id; it and its stories are skipped' });
      continue;
    }
    const epicKey = /^epic-/i.test(rawKey) ? rawKey : `epic-${rawKey.replace(/^epic\s*/i, '').trim()}`;
    const epicRecord = isRecord(epic) ? epic : {};
    entries.push({ key: epicKey, rawStatus: statusValue(epic) ?? '', line: lineOfKey(text, rawKey), title: field(epicRecord, 'title', 'name') });
    for (const [storyKey, story] of keyedList(getCi(epicRecord, 'stories'), ['key', 'id', 'story'])) {
      if (storyKey === null) {
        issues.push({ path: relPath, line: lineOfKey(text, rawKey), message: `A story of ${epicKey} has no id; it is skipped` });
        continue;
      }
      const storyRecord = isRecord(story) ? story : {};
      entries.push({ key: storyKey, rawStatus: statusValue(story) ?? '', line: lineOfKey(text, storyKey), title: field(storyRecord, 'title', 'name') });
    }
  }
  return entries;
}

function parseSprint(relPath: string, text: string): FileParse<BmadFacts> {
  const read = readYaml(relPath, text);
  if (!read.ok) return { facts: null, issues: [read.issue] };
  if (!isRecord(read.value)) {
    return { facts: null, issues: [{ path: relPath, line: 1, message: 'The sprint status file is not a YAML mapping' }] };
  }
  const doc = read.value;
  const storyLocation = resolveStoryLocation(str(getCi(doc, 'story_location')));
  const issues: ParseIssue[] = [];
  const status = getCi(doc, 'development_status');
  const epics = getCi(doc, 'epics');
  let entries: SprintEntry[];
  if (isRecord(status)) entries = flatEntries(relPath, text, status, issues);
  else if (Array.isArray(epics) || isRecord(epics)) entries = nestedEntries(relPath, text, epics, issues);
  else {
    const issue = { path: relPath, line: lineOfKey(text, 'development_status'), message: 'No development_status mapping (nor an epics list)' };
    return { facts: { kind: 'sprint', storyLocation, entries: [] }, issues: [issue] };
  }
  nameEpicsFromComments(text, entries);
  return { facts: { kind: 'sprint', storyLocation, entries }, issues };
}

/**
 * `Epic 3: Search` after a line's own prefix: the epic's whole number, then a separator and its
 * name. `Epic 1-3 Infrastructure` (a tech spec's note) and `Epic 5.5 Retrospective: …` name no epic.
 */
const epicLine = (prefix: string): RegExp => new RegExp(String.raw`^${prefix}Epic\s+(\d+(?:[.-]\d+)*[a-z]?)(?![.-]\d|[\da-z])\s*[:.\-–—]\s*(.+?)\s*$`, 'i');

// `  # Epic 1: Function-level enrichment`: BMAD's sprint planning writes each epic's name as a
// comment above its keys. Names from the epic files come first; these fill the rest.
const EPIC_COMMENT = epicLine(String.raw`\s*#\s*`);

function nameEpicsFromComments(text: string, entries: SprintEntry[]): void {
  const named = new Map<string, string>();
  for (const line of lines(text)) {
    const m = EPIC_COMMENT.exec(line);
    if (m && !named.has(normalizeNumber(m[1]!))) named.set(normalizeNumber(m[1]!), m[2]!);
  }
  if (named.size === 0) return;
  for (const entry of entries) {
    const epic = /^epic-(.+)$/i.exec(entry.key);
    if (epic && entry.title === null) entry.title = named.get(normalizeNumber(epic[1]!)) ?? null;
  }
}

// ---- Story files ----

// `Status: review`, `**Status**: done`, `**Status:** done`, `- Status: done`, `## Status: Done`.
const INLINE_STATUS = /^\s*(?:#{1,4}\s+|[-*]\s+)?\**Status\**\s*:\s*\**\s*(.+?)\s*\**\s*$/i;

/** The inline forms above, or the first line under a `## Status` heading (v4). */
function storyStatus(all: readonly string[]): string {
  for (let i = 0; i < all.length; i++) {
    const line = all[i]!;
    const inline = INLINE_STATUS.exec(line);
    if (inline) return inline[1]!;
    if (/^#{2,3}\s+Status\s*$/i.test(line)) {
      const next = all.slice(i + 1).find((l) => l.trim() !== '');
      return next && !next.startsWith('#') ? next.trim().replace(/^\*\*|\*\*$/g, '') : '';
    }
  }
  return '';
}

/** Checkboxes (tasks and their subtasks) under `## Tasks / Subtasks` (or `## Implementation Tasks`), to the next heading of that level or above. */
function taskProgress(all: readonly string[]): Progress | null {
  return checkboxProgressUnder(all, /^#{2,3}\s+(?:Implementation\s+)?Tasks\b/i);
}

function parseStory(text: string, key: string): FileParse<BmadFacts> {
  const all = lines(text);
  return {
    facts: { kind: 'story', key, title: firstHeading(text), rawStatus: storyStatus(all), progress: taskProgress(all) },
    issues: [],
  };
}

// ---- epics.md ----

// `## Epic 3: Search`, in the epic files.
const EPIC_HEADING = epicLine(String.raw`#{1,4}\s+`);

function parseEpics(text: string): FileParse<BmadFacts> {
  const epics: EpicsFacts['epics'] = [];
  const stories: EpicsFacts['stories'] = [];
  for (const line of lines(text)) {
    const epic = EPIC_HEADING.exec(line);
    if (epic) epics.push({ number: normalizeNumber(epic[1]!), title: epic[2]! });
    const story = /^#{1,5}\s+(Story\s+(\d+(?:\.\d+)*[a-z]?\.\w+)\s*[:.\-–—]\s*.+?)\s*$/i.exec(line);
    if (story) stories.push({ number: normalizeNumber(story[2]!), title: story[1]! });
  }
  return { facts: { kind: 'epics', epics, stories }, issues: [] };
}

function parseFile(relPath: string, text: string): FileParse<BmadFacts> {
  const place = placeOf(relPath);
  if (!place) return { facts: null, issues: [{ path: relPath, line: null, message: 'Not a BMAD file' }] };
  switch (place.file) {
    case 'sprint':
      return parseSprint(relPath, text);
    case 'story':
      return parseStory(text, place.key);
    case 'epics':
      return parseEpics(text);
  }
}

// ---- Combining the files ----

const BMAD_WORDS: Record<string, Status> = {
  // v4 stories start as Draft: written and planned, waiting for approval.
  draft: 'todo',
  ready_for_review: 'review',
  // v4's QA gate passed: waiting for someone to mark it Done.
  ready_for_done: 'review',
  ready_for_development: 'todo',
  // A story a sprint chose not to do is not work left.
  skipped: 'cancelled',
};

const statusOf = (raw: string): Status => normalizeStatus(raw, BMAD_WORDS);

interface StoryFile {
  path: string;
  facts: StoryFacts;
}

interface Listed {
  path: string;
  entry: SprintEntry;
}

interface Sprint {
  /** Each key's entry, from the sprint file that lists it (the main sprint-status.yaml first). */
  entries: Map<string, Listed>;
  /** Folders story files are expected in, best first. */
  storyFolders: string[];
  issues: ParseIssue[];
}

const folderOf = (path: string): string => segments(path).slice(0, -1).join('/');

/** `sprint-status.yaml` before the extra sprint files, then by path. */
function sprintOrder(a: string, b: string): number {
  const main = (path: string): number => (/^sprint-status\.ya?ml$/i.test(segments(path).pop() ?? '') ? 0 : 1);
  return main(a) - main(b) || a.localeCompare(b);
}

function readSprints(files: ReadonlyMap<string, BmadFacts>): Sprint {
  const sprint: Sprint = { entries: new Map(), storyFolders: [], issues: [] };
  const sprints = [...files].filter(([, f]) => f.kind === 'sprint').sort(([a], [b]) => sprintOrder(a, b));
  for (const [path, facts] of sprints) {
    if (facts.kind !== 'sprint') continue;
    if (facts.storyLocation) sprint.storyFolders.push(facts.storyLocation);
    sprint.storyFolders.push(folderOf(path));
    for (const entry of facts.entries) {
      const known = sprint.entries.get(entry.key);
      if (!known) {
        sprint.entries.set(entry.key, { path, entry });
        continue;
      }
      // One story, one row: the first sprint that lists it decides, and a disagreement is said.
      if (canonicalWord(known.entry.rawStatus) !== canonicalWord(entry.rawStatus)) {
        sprint.issues.push({
          path,
          line: entry.line,
          message: `"${entry.key}" is also in ${known.path} (as ${known.entry.rawStatus || 'no status'}); that one is shown`,
        });
      }
    }
  }
  return sprint;
}

const canonicalWord = (raw: string): string => raw.trim().toLowerCase();

/** Epic tokens the project names: `epic-*` keys and epics.md headings. */
function knownEpics(sprint: Sprint, names: EpicNames): Set<string> {
  const epics = new Set<string>(names.epics.keys());
  for (const key of sprint.entries.keys()) {
    const token = epicTokenOfKey(key);
    if (token !== null) epics.add(token);
  }
  return epics;
}

/** The epic a story belongs to: the longest epic token its number starts with, else its first number. */
function epicOfStory(key: string, epics: ReadonlySet<string>): string | null {
  const number = storyNumber(key);
  if (number === null) return null;
  for (let n = number.length - 1; n >= 1; n--) {
    const token = number.slice(0, n).join('-');
    if (epics.has(token)) return token;
  }
  return number[0]!;
}

/**
 * Which story files describe which key. A file whose name is the key is the story; otherwise
 * files match a key by their number first (`22-5-flag-history-patterns.md` for
 * `22-5-flag-history-and-patterns`) and by slug second. Every other file with the same number
 * (a review report, a decision note) is an attachment of that story, not a story of its own.
 */
interface StoryDocs {
  /** The file that describes the story. */
  main: StoryFile;
  /** Other documents about it, by path. */
  attachments: string[];
}

function matchStoryFiles(keys: readonly string[], files: readonly StoryFile[], storyFolders: readonly string[]): { byKey: Map<string, StoryDocs>; unlisted: StoryDocs[] } {
  const rank = (path: string): number => {
    const i = storyFolders.indexOf(folderOf(path));
    return i < 0 ? storyFolders.length : i;
  };
  // Where stories live first, then the file whose name is closest to the key (shortest), then by path.
  const better = (a: StoryFile, b: StoryFile, key: string): boolean => {
    const exact = (f: StoryFile): number => (f.facts.key === key ? 0 : 1);
    return (
      exact(a) - exact(b) || rank(a.path) - rank(b.path) || a.facts.key.length - b.facts.key.length || (a.path < b.path ? -1 : 1)
    ) < 0;
  };
  const keysByNumber = new Map<string, string[]>();
  for (const key of keys) {
    const number = storyNumber(key)?.join('-');
    if (number === undefined) continue;
    keysByNumber.set(number, [...(keysByNumber.get(number) ?? []), key]);
  }
  const keySet = new Set(keys);
  const claimed = new Map<string, StoryFile[]>();
  const unlistedFiles: StoryFile[] = [];
  for (const file of files) {
    const key = keySet.has(file.facts.key) ? file.facts.key : keyByNumberAndSlug(file.facts.key, keysByNumber);
    if (key === null) unlistedFiles.push(file);
    else claimed.set(key, [...(claimed.get(key) ?? []), file]);
  }
  const byKey = new Map<string, StoryDocs>();
  for (const [key, docs] of claimed) byKey.set(key, bundle(docs, (a, b) => better(a, b, key)));
  return { byKey, unlisted: groupUnlisted(unlistedFiles, (a, b) => better(a, b, a.facts.key)) };
}

/** The key a file with a drifted slug belongs to: the only key with its number, else the one sharing most of its name. */
function keyByNumberAndSlug(fileKey: string, keysByNumber: ReadonlyMap<string, string[]>): string | null {
  const number = storyNumber(fileKey)?.join('-');
  const candidates = number === undefined ? undefined : keysByNumber.get(number);
  if (!candidates || candidates.length === 0) return null;
  if (candidates.length === 1) return candidates[0]!;
  const shared = (key: string): number => {
    let n = 0;
    while (n < key.length && n < fileKey.length && key[n] === fileKey[n]) n++;
    return n;
  };
  return candidates.reduce((best, key) => (shared(key) > shared(best) ? key : best));
}

function bundle(docs: readonly StoryFile[], better: (a: StoryFile, b: StoryFile) => boolean): StoryDocs {
  const main = docs.reduce((best, doc) => (better(doc, best) ? doc : best));
  return { main, attachments: docs.filter((d) => d !== main).map((d) => d.path).sort() };
}

/**
 * Story files no sprint lists: one story per file, except that a file named after another one
 * plus a suffix (`3-1-search-code-review-report.md` beside `3-1-search.md`) is its attachment.
 */
function groupUnlisted(files: readonly StoryFile[], better: (a: StoryFile, b: StoryFile) => boolean): StoryDocs[] {
  const byKey = new Map<string, StoryFile[]>();
  for (const file of files) byKey.set(file.facts.key, [...(byKey.get(file.facts.key) ?? []), file]);
  const keys = [...byKey.keys()].sort((a, b) => a.length - b.length || a.localeCompare(b));
  const owner = new Map<string, string>();
  for (const key of keys) {
    const base = keys.find((k) => k !== key && key.startsWith(`${k}-`) && owner.get(k) === undefined && sameNumber(k, key));
    if (base !== undefined) owner.set(key, base);
  }
  const groups = new Map<string, StoryFile[]>();
  for (const key of keys) {
    const root = owner.get(key) ?? key;
    groups.set(root, [...(groups.get(root) ?? []), ...byKey.get(key)!]);
  }
  return [...groups.entries()]
    .sort(([a], [b]) => a.localeCompare(b, undefined, { numeric: true }))
    .map(([root, docs]) => {
      const own = docs.filter((d) => d.facts.key === root);
      const main = own.reduce((best, doc) => (better(doc, best) ? doc : best));
      return { main, attachments: docs.filter((d) => d !== main).map((d) => d.path).sort() };
    });
}

const sameNumber = (a: string, b: string): boolean => storyNumber(a)?.join('-') === storyNumber(b)?.join('-');

interface EpicNames {
  path: string | null;
  epics: Map<string, string>;
  stories: Map<string, string>;
}

/** `epics.md` first: when two epic files give one number a name, the main file's is the name. */
const mainEpicsFirst = ([a]: [string, BmadFacts], [b]: [string, BmadFacts]): number =>
  Number(!/(^|\/)epics\.md$/i.test(a)) - Number(!/(^|\/)epics\.md$/i.test(b)) || a.localeCompare(b);

function readEpicNames(files: ReadonlyMap<string, BmadFacts>): EpicNames {
  const names: EpicNames = { path: null, epics: new Map(), stories: new Map() };
  for (const [path, facts] of [...files].filter(([, f]) => f.kind === 'epics').sort(mainEpicsFirst)) {
    if (facts.kind !== 'epics') continue;
    names.path ??= path;
    for (const e of facts.epics) if (!names.epics.has(e.number)) names.epics.set(e.number, e.title);
    for (const s of facts.stories) if (!names.stories.has(s.number)) names.stories.set(s.number, s.title);
  }
  return names;
}

function storyFallbackTitle(key: string, listedTitle: string | null, names: EpicNames): string {
  const number = storyNumber(key);
  if (!number) return listedTitle ?? titleFromSlug(key);
  const fromEpics = names.stories.get(number.join('-'));
  if (fromEpics) return fromEpics;
  const slug = key.split('-').slice(number.length).join('-');
  const words = listedTitle ?? (slug ? titleFromSlug(slug) : '');
  const label = `Story ${number.join('.')}`;
  return words ? `${label}: ${words}` : label;
}

function storyItem(key: string, listed: Listed | undefined, docs: StoryDocs | undefined, epic: string | null, names: EpicNames): PlanItem {
  const file = docs?.main;
  // The sprint file is the tracker BMAD updates; a story file's own Status line is the fallback.
  const rawStatus = listed?.entry.rawStatus || file?.facts.rawStatus || '';
  const status = rawStatus ? statusOf(rawStatus) : 'unknown';
  const item: PlanItem = {
    id: `bmad:story:${key}`,
    source: 'bmad',
    kind: 'story',
    title: file?.facts.title ?? storyFallbackTitle(key, listed?.entry.title ?? null, names),
    status,
    rawStatus,
    progress: file?.facts.progress ?? progressFromStatus(status),
    path: file?.path ?? listed?.path ?? '',
    parent: epic === null ? null : `bmad:epic:${epic}`,
  };
  if (docs && docs.attachments.length > 0) item.attachments = docs.attachments;
  return item;
}

function deriveStories(files: ReadonlyMap<string, BmadFacts>, sprint: Sprint, names: EpicNames): PlanItem[] {
  const epics = knownEpics(sprint, names);
  const storyKeys = [...sprint.entries.keys()].filter((k) => epicTokenOfKey(k) === null && !isRetrospectiveKey(k));
  const storyFiles: StoryFile[] = [];
  for (const [path, facts] of files) if (facts.kind === 'story') storyFiles.push({ path, facts });
  const { byKey, unlisted } = matchStoryFiles(storyKeys, storyFiles, sprint.storyFolders);
  const listed = storyKeys.map((key) => storyItem(key, sprint.entries.get(key), byKey.get(key), epicOfStory(key, epics), names));
  const fileOnly = unlisted.map((docs) => storyItem(docs.main.facts.key, undefined, docs, epicOfStory(docs.main.facts.key, epics), names));
  return [...listed, ...fileOnly];
}

/** An epic without a status of its own is as far along as its stories. */
function epicStatusFromStories(stories: readonly PlanItem[]): Status {
  if (stories.length > 0 && stories.every((s) => s.status === 'done' || s.status === 'cancelled')) return 'done';
  if (stories.some((s) => s.status !== 'backlog' && s.status !== 'todo' && s.status !== 'unknown')) return 'in_progress';
  return 'backlog';
}

/** Epic tokens in reading order: `0-5` after `0`, `3a` after `3`, `10` after `9`. */
function compareTokens(a: string, b: string): number {
  return a.localeCompare(b, undefined, { numeric: true });
}

function deriveEpics(sprint: Sprint, stories: readonly PlanItem[], names: EpicNames): PlanItem[] {
  const listedKey = new Map<string, string>();
  for (const key of sprint.entries.keys()) {
    const token = epicTokenOfKey(key);
    if (token !== null && !listedKey.has(token)) listedKey.set(token, key);
  }
  const tokens = new Set<string>([...listedKey.keys(), ...names.epics.keys()]);
  for (const story of stories) if (story.parent) tokens.add(story.parent.slice('bmad:epic:'.length));
  return [...tokens].sort(compareTokens).map((token) => {
    const id = `bmad:epic:${token}`;
    const own = stories.filter((s) => s.parent === id);
    const key = listedKey.get(token);
    const listed = key === undefined ? undefined : sprint.entries.get(key);
    const rawStatus = listed?.entry.rawStatus ?? '';
    const status = rawStatus ? statusOf(rawStatus) : epicStatusFromStories(own);
    const label = `Epic ${key === undefined ? token.replace(/-/g, '.') : key.slice('epic-'.length)}`;
    const name = names.epics.get(token) ?? listed?.entry.title ?? null;
    return {
      id,
      source: 'bmad',
      kind: 'epic',
      title: name ? `${label}: ${name}` : label,
      status,
      rawStatus,
      progress: own.length > 0 ? { done: own.filter((s) => s.status === 'done').length, total: own.length } : progressFromStatus(status),
      path: listed?.path ?? (names.epics.has(token) ? names.path : null) ?? own[0]?.path ?? '',
      parent: null,
    };
  });
}

/** Stories still in the backlog are ideas not yet planned: they show as stubs too. */
function backlogStubs(stories: readonly PlanItem[]): StubItem[] {
  return stories
    .filter((s) => s.status === 'backlog')
    .map((s) => ({
      id: `bmad:stub:${s.id.slice('bmad:story:'.length)}`,
      source: 'bmad',
      title: s.title,
      status: 'backlog',
      rawStatus: s.rawStatus,
      path: s.path,
    }));
}

function deriveAll(files: ReadonlyMap<string, BmadFacts>): SourceItems {
  const sprint = readSprints(files);
  const names = readEpicNames(files);
  const stories = deriveStories(files, sprint, names);
  const epics = deriveEpics(sprint, stories, names);
  return { ...emptyItems(), plans: [...epics, ...stories], stubs: backlogStubs(stories), issues: sprint.issues };
}

export const bmad: SourceAdapter<BmadFacts> = {
  id: 'bmad',
  label: 'BMAD',
  roots: [{ path: '_bmad-output' }, { path: 'docs/sprint-artifacts' }, { path: 'docs/stories' }],
  owns: (relPath) => placeOf(relPath) !== null,
  parse: parseFile,
  derive: deriveAll,
};
