// BMAD-METHOD, docs/formats.md § BMAD: sprint-status.yaml (v6 and v6 alpha) lists epics and stories
// with their status; story files `<story-key>.md` add titles and task checkboxes; older v4
// projects have only `docs/stories/N.M.title.md` files with a `## Status` heading.
import type { ParseIssue, PlanItem, Progress, Status, StubItem } from '../../shared/model';
import { normalizeStatus, progressFromStatus } from './status';
import { getCi, isRecord, readYaml, str } from './structured';
import { checkboxProgressUnder, firstHeading, isTempOrLock, lines, segments, titleFromSlug } from './text';
import { emptyItems, type FileParse, type SourceAdapter, type SourceItems } from './types';

interface SprintEntry {
  key: string;
  rawStatus: string;
  line: number | null;
}

interface SprintFacts {
  kind: 'sprint';
  /** Root-relative folder the story files live in, when the file names one we can resolve. */
  storyLocation: string | null;
  entries: SprintEntry[];
}

interface StoryFacts {
  kind: 'story';
  /** The sprint-status key this file describes: `1-2-user-login` (v4 `1.2.user-login` maps to it too). */
  key: string;
  title: string | null;
  rawStatus: string;
  /** Checkboxes under `## Tasks / Subtasks`; null when there are none. */
  progress: Progress | null;
}

interface EpicsFacts {
  kind: 'epics';
  epics: { number: string; title: string }[];
  /** Story titles by `N-M`, for stories the sprint lists before their file exists. */
  stories: { prefix: string; title: string }[];
}

export type BmadFacts = SprintFacts | StoryFacts | EpicsFacts;

// ---- Keys ----

const EPIC_KEY = /^epic-(\d+)$/i;
const RETRO_KEY = /^epic-(\d+)-retro(?:spective)?$/i;
// At most three digits per number, so a dated document (`2025-01-15-notes.md`) is not a story.
const STORY_KEY = /^(\d{1,3})-(\d{1,3}[a-z]?)-([^.]+)$/i;
const V4_STORY_FILE = /^(\d{1,3})\.(\d{1,3}[a-z]?)\.([^.]+)$/i;

type KeyKind = { kind: 'epic'; epic: string } | { kind: 'story'; epic: string } | { kind: 'retrospective' } | null;

function classifyKey(key: string): KeyKind {
  const epic = EPIC_KEY.exec(key);
  if (epic) return { kind: 'epic', epic: String(Number(epic[1])) };
  if (RETRO_KEY.test(key)) return { kind: 'retrospective' };
  const story = STORY_KEY.exec(key);
  if (story) return { kind: 'story', epic: String(Number(story[1])) };
  return null;
}

/** `1-2-user-login` or v4 `1.2.user-login` → the story key, or null for any other file name. */
function storyKeyOfFile(stem: string): string | null {
  if (STORY_KEY.test(stem)) return stem;
  const v4 = V4_STORY_FILE.exec(stem);
  return v4 ? `${v4[1]}-${v4[2]}-${v4[3]}` : null;
}

// ---- Which paths are ours ----

const ROOTS: readonly string[][] = [['_bmad-output'], ['docs', 'sprint-artifacts'], ['docs', 'stories']];

function underRoot(segs: readonly string[]): boolean {
  return ROOTS.some((root) => root.length < segs.length && root.every((s, i) => segs[i] === s));
}

type Place = { file: 'sprint' } | { file: 'story'; key: string } | { file: 'epics' };

function placeOf(relPath: string): Place | null {
  if (isTempOrLock(relPath)) return null;
  const segs = segments(relPath);
  if (!underRoot(segs)) return null;
  const name = segs[segs.length - 1]!;
  if (/^sprint-status\.ya?ml$/i.test(name)) return { file: 'sprint' };
  if (/^epics\.md$/i.test(name)) return { file: 'epics' };
  if (!/\.md$/i.test(name)) return null;
  const key = storyKeyOfFile(name.slice(0, -3));
  return key ? { file: 'story', key } : null;
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
  const re = new RegExp(`^\\s*["']?${escaped}["']?\\s*:`);
  const i = lines(text).findIndex((l) => re.test(l));
  return i >= 0 ? i + 1 : null;
}

function parseSprint(relPath: string, text: string): FileParse<BmadFacts> {
  const read = readYaml(relPath, text);
  if (!read.ok) return { facts: null, issues: [read.issue] };
  if (!isRecord(read.value)) {
    return { facts: null, issues: [{ path: relPath, line: 1, message: 'sprint-status.yaml is not a YAML mapping' }] };
  }
  const doc = read.value;
  const storyLocation = resolveStoryLocation(str(getCi(doc, 'story_location')));
  const status = getCi(doc, 'development_status');
  if (!isRecord(status)) {
    const issue = { path: relPath, line: lineOfKey(text, 'development_status'), message: 'No development_status mapping' };
    return { facts: { kind: 'sprint', storyLocation, entries: [] }, issues: [issue] };
  }
  const entries: SprintEntry[] = [];
  const issues: ParseIssue[] = [];
  for (const [key, value] of Object.entries(status)) {
    const line = lineOfKey(text, key);
    if (classifyKey(key) === null) {
      issues.push({ path: relPath, line, message: `"${key}" is neither epic-N, N-M-slug nor epic-N-retrospective` });
      continue;
    }
    if (value !== null && str(value) === null) {
      issues.push({ path: relPath, line, message: `Status of "${key}" is not a word` });
    }
    entries.push({ key, rawStatus: str(value) ?? '', line });
  }
  return { facts: { kind: 'sprint', storyLocation, entries }, issues };
}

// ---- Story files ----

/** `Status: review` (v6), or the first line under a `## Status` heading (v4). */
function storyStatus(all: readonly string[]): string {
  for (let i = 0; i < all.length; i++) {
    const line = all[i]!;
    const inline = /^\s*\**Status\**\s*:\s*\**\s*(.+?)\s*\**\s*$/i.exec(line);
    if (inline) return inline[1]!;
    if (/^#{2,3}\s+Status\s*$/i.test(line)) {
      const next = all.slice(i + 1).find((l) => l.trim() !== '');
      return next && !next.startsWith('#') ? next.trim().replace(/^\*\*|\*\*$/g, '') : '';
    }
  }
  return '';
}

/** Checkboxes (tasks and their subtasks) under `## Tasks / Subtasks`, to the next heading of that level or above. */
function taskProgress(all: readonly string[]): Progress | null {
  return checkboxProgressUnder(all, /^#{2,3}\s+Tasks\b/i);
}

function parseStory(text: string, key: string): FileParse<BmadFacts> {
  const all = lines(text);
  return {
    facts: { kind: 'story', key, title: firstHeading(text), rawStatus: storyStatus(all), progress: taskProgress(all) },
    issues: [],
  };
}

// ---- epics.md ----

function parseEpics(text: string): FileParse<BmadFacts> {
  const epics: EpicsFacts['epics'] = [];
  const stories: EpicsFacts['stories'] = [];
  for (const line of lines(text)) {
    const epic = /^#{1,4}\s+Epic\s+(\d+)\s*[:.\-–—]\s*(.+?)\s*$/i.exec(line);
    if (epic) epics.push({ number: String(Number(epic[1])), title: epic[2]! });
    const story = /^#{1,5}\s+(Story\s+(\d+)\.(\d+[a-z]?)\s*[:.\-–—]\s*.+?)\s*$/i.exec(line);
    if (story) stories.push({ prefix: `${Number(story[2])}-${story[3]!.toLowerCase()}`, title: story[1]! });
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
  ready_for_development: 'todo',
};

const statusOf = (raw: string): Status => normalizeStatus(raw, BMAD_WORDS);

interface StoryFile {
  path: string;
  facts: StoryFacts;
}

interface Sprint {
  /** Each key's first appearance across sprint files (sorted by path). */
  entries: Map<string, { path: string; entry: SprintEntry }>;
  /** Folders story files are expected in, best first. */
  storyFolders: string[];
}

const folderOf = (path: string): string => segments(path).slice(0, -1).join('/');

function readSprints(files: ReadonlyMap<string, BmadFacts>): Sprint {
  const entries = new Map<string, { path: string; entry: SprintEntry }>();
  const storyFolders: string[] = [];
  for (const [path, facts] of [...files].sort(([a], [b]) => a.localeCompare(b))) {
    if (facts.kind !== 'sprint') continue;
    if (facts.storyLocation) storyFolders.push(facts.storyLocation);
    storyFolders.push(folderOf(path));
    for (const entry of facts.entries) if (!entries.has(entry.key)) entries.set(entry.key, { path, entry });
  }
  return { entries, storyFolders };
}

/** When several files claim one story key, the one where the sprint says stories live wins. */
function storyFilesByKey(files: ReadonlyMap<string, BmadFacts>, storyFolders: readonly string[]): Map<string, StoryFile> {
  const rank = (path: string): number => {
    const i = storyFolders.indexOf(folderOf(path));
    return i < 0 ? storyFolders.length : i;
  };
  const byKey = new Map<string, StoryFile>();
  for (const [path, facts] of files) {
    if (facts.kind !== 'story') continue;
    const known = byKey.get(facts.key);
    if (!known || rank(path) < rank(known.path) || (rank(path) === rank(known.path) && path < known.path)) {
      byKey.set(facts.key, { path, facts });
    }
  }
  return byKey;
}

interface EpicNames {
  path: string | null;
  epics: Map<string, string>;
  stories: Map<string, string>;
}

function readEpicNames(files: ReadonlyMap<string, BmadFacts>): EpicNames {
  const names: EpicNames = { path: null, epics: new Map(), stories: new Map() };
  for (const [path, facts] of files) {
    if (facts.kind !== 'epics') continue;
    names.path ??= path;
    for (const e of facts.epics) if (!names.epics.has(e.number)) names.epics.set(e.number, e.title);
    for (const s of facts.stories) if (!names.stories.has(s.prefix)) names.stories.set(s.prefix, s.title);
  }
  return names;
}

function storyFallbackTitle(key: string, names: EpicNames): string {
  const m = STORY_KEY.exec(key);
  if (!m) return titleFromSlug(key);
  const prefix = `${Number(m[1])}-${m[2]!.toLowerCase()}`;
  return names.stories.get(prefix) ?? `Story ${Number(m[1])}.${m[2]}: ${titleFromSlug(m[3]!)}`;
}

function storyItem(key: string, sprint: Sprint, file: StoryFile | undefined, names: EpicNames): PlanItem {
  const listed = sprint.entries.get(key);
  // The sprint file is the tracker BMAD updates; a story file's own Status line is the fallback.
  const rawStatus = listed?.entry.rawStatus || file?.facts.rawStatus || '';
  const status = rawStatus ? statusOf(rawStatus) : 'unknown';
  const epic = classifyKey(key);
  return {
    id: `bmad:story:${key}`,
    source: 'bmad',
    kind: 'story',
    title: file?.facts.title ?? storyFallbackTitle(key, names),
    status,
    rawStatus,
    progress: file?.facts.progress ?? progressFromStatus(status),
    path: file?.path ?? listed?.path ?? '',
    parent: epic?.kind === 'story' ? `bmad:epic:${epic.epic}` : null,
  };
}

function deriveStories(files: ReadonlyMap<string, BmadFacts>, sprint: Sprint, names: EpicNames): PlanItem[] {
  const byKey = storyFilesByKey(files, sprint.storyFolders);
  const keys = [...sprint.entries.keys()].filter((k) => classifyKey(k)?.kind === 'story');
  const fileOnly = [...byKey.keys()].filter((k) => !sprint.entries.has(k)).sort((a, b) => a.localeCompare(b, undefined, { numeric: true }));
  return [...keys, ...fileOnly].map((key) => storyItem(key, sprint, byKey.get(key), names));
}

/** An epic without a status of its own is as far along as its stories. */
function epicStatusFromStories(stories: readonly PlanItem[]): Status {
  if (stories.length > 0 && stories.every((s) => s.status === 'done')) return 'done';
  if (stories.some((s) => s.status !== 'backlog' && s.status !== 'todo' && s.status !== 'unknown')) return 'in_progress';
  return 'backlog';
}

function deriveEpics(sprint: Sprint, stories: readonly PlanItem[], names: EpicNames): PlanItem[] {
  const numbers = new Set<string>();
  for (const key of sprint.entries.keys()) {
    const kind = classifyKey(key);
    if (kind?.kind === 'epic') numbers.add(kind.epic);
  }
  for (const story of stories) if (story.parent) numbers.add(story.parent.slice('bmad:epic:'.length));
  for (const n of names.epics.keys()) numbers.add(n);
  return [...numbers]
    .sort((a, b) => Number(a) - Number(b))
    .map((n) => {
      const id = `bmad:epic:${n}`;
      const own = stories.filter((s) => s.parent === id);
      const listed = sprint.entries.get(`epic-${n}`);
      const rawStatus = listed?.entry.rawStatus ?? '';
      const status = rawStatus ? statusOf(rawStatus) : epicStatusFromStories(own);
      const name = names.epics.get(n);
      return {
        id,
        source: 'bmad',
        kind: 'epic',
        title: name ? `Epic ${n}: ${name}` : `Epic ${n}`,
        status,
        rawStatus,
        progress: own.length > 0 ? { done: own.filter((s) => s.status === 'done').length, total: own.length } : progressFromStatus(status),
        path: listed?.path ?? (name ? names.path : null) ?? own[0]?.path ?? '',
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
  return { ...emptyItems(), plans: [...epics, ...stories], stubs: backlogStubs(stories) };
}


export const bmad: SourceAdapter<BmadFacts> = {
  id: 'bmad',
  label: 'BMAD',
  roots: [{ path: '_bmad-output' }, { path: 'docs/sprint-artifacts' }, { path: 'docs/stories' }],
  owns: (relPath) => placeOf(relPath) !== null,
  parse: parseFile,
  derive: deriveAll,
};
