// coderef work orders (docs/formats.md § coderef): feature folders under coderef/{working,workorder,archived}/,
// stubs, the archive index and the workorder log. About a third of real plan.json files drift from
// the canonical shape, so every field is looked up loosely and every shape is optional.
import type { ParseIssue, PlanItem, Progress, Status, StubItem, WorkorderItem } from '../../shared/model';
import { AppendedLines } from './appended-lines';
import { normalizeStatus, progressFromStatus } from './status';
import { getCi, isRecord, readFrontmatter, readJson, str } from './structured';
import { checkboxProgressUnder, firstHeading, isTempOrLock, lines, parseCheckbox, segments, titleFromSlug } from './text';
import { emptyItems, type FileParse, type SourceAdapter, type SourceItems } from './types';

type FeatureLocation = 'working' | 'workorder' | 'archived';
type StubLocation = FeatureLocation | 'stubs';

/** What plan.json and DELIVERABLES.md each say about their feature. */
interface FeatureDocFacts {
  location: FeatureLocation;
  folder: string;
  title: string | null;
  rawStatus: string;
  workorderId: string | null;
  /** plan.json: its own tasks or checklists; DELIVERABLES.md: its "Task Completion Checklist". Null when it has none. */
  progress: Progress | null;
}

interface PlanFacts extends FeatureDocFacts {
  kind: 'plan';
}

interface DeliverablesFacts extends FeatureDocFacts {
  kind: 'deliverables';
}

interface CommunicationFacts {
  kind: 'communication';
  location: FeatureLocation;
  folder: string;
  workorderId: string | null;
  title: string | null;
  rawStatus: string;
}

/** Any other JSON or Markdown file in a feature folder (`context.json`, a brief): the folder is a feature. */
interface FolderFileFacts {
  kind: 'folder-file';
  location: FeatureLocation;
  folder: string;
  /** The folder as written (`coderef/ARCHIVED/x`). */
  dir: string;
}

interface StubFacts {
  kind: 'stub';
  location: StubLocation;
  name: string;
  title: string | null;
  rawStatus: string;
}

interface LogEntry {
  id: string;
  description: string;
  /** ISO time as written, null when missing or unreadable. */
  timestamp: string | null;
}

interface LogFacts {
  kind: 'log';
  /**
   * One entry per work order, in the order the file first names them: what its lines add up
   * to (see foldLogLine). An append-only log grows all day, and the parse of a file lives until
   * the file changes again; keeping every line made each append cost, and keep, memory in
   * proportion to the whole log.
   */
  entries: LogEntry[];
}

interface ArchivedFeature {
  folder: string;
  title: string | null;
}

interface ArchiveIndexFacts {
  kind: 'archive-index';
  features: ArchivedFeature[];
}

export type CoderefFacts =
  | FolderFileFacts
  | PlanFacts
  | DeliverablesFacts
  | CommunicationFacts
  | StubFacts
  | LogFacts
  | ArchiveIndexFacts;

// ---- Which paths are ours ----

type Place =
  | { file: 'plan' | 'deliverables' | 'communication' | 'folder-file'; location: FeatureLocation; folder: string }
  | { file: 'stub'; location: StubLocation; name: string }
  | { file: 'log' }
  | { file: 'archive-index' };

const FEATURE_LOCATIONS: readonly string[] = ['working', 'workorder', 'archived'];
const LOG_PATH = 'coderef/workorder-log.txt';

function featureFile(name: string): 'plan' | 'deliverables' | 'communication' | 'stub' | null {
  switch (name.toLowerCase()) {
    case 'plan.json':
      return 'plan';
    case 'deliverables.md':
      return 'deliverables';
    case 'communication.json':
      return 'communication';
    case 'stub.json':
      return 'stub';
    default:
      return null;
  }
}

function placeOf(relPath: string): Place | null {
  if (isTempOrLock(relPath)) return null;
  const [top, areaAsWritten, third, fourth, ...rest] = segments(relPath);
  if (top !== 'coderef' || areaAsWritten === undefined || rest.length > 0) return null;
  // `coderef/ARCHIVED/` is `archived/` on the Windows and macOS disks the tool's users write from.
  const area = areaAsWritten.toLowerCase();
  if (third === undefined) return areaAsWritten === 'workorder-log.txt' ? { file: 'log' } : null;
  if (fourth === undefined) {
    if (area === 'archived' && third === 'index.json') return { file: 'archive-index' };
    if (area === 'stubs' && /^STUB-.+\.md$/i.test(third)) return { file: 'stub', location: 'stubs', name: third.slice(0, -3) };
    return null;
  }
  const file = featureFile(fourth) ?? (/\.(?:json|md)$/i.test(fourth) && area !== 'stubs' ? 'folder-file' : null);
  if (file === null) return null;
  if (area === 'stubs') return file === 'stub' ? { file: 'stub', location: 'stubs', name: third } : null;
  if (!FEATURE_LOCATIONS.includes(area)) return null;
  const location = area as FeatureLocation;
  return file === 'stub' ? { file, location, name: third } : { file, location, folder: third };
}

// ---- plan.json ----

const DONE_FLAGS = ['completed', 'done', 'checked'];

/** A task-like object: it names or describes something to do. */
function isTaskObject(v: unknown): v is Record<string, unknown> {
  if (!isRecord(v)) return false;
  return ['id', 'task_id', 'description', 'title', 'task', 'name', 'item'].some((k) => getCi(v, k) !== undefined);
}

function taskIsDone(task: Record<string, unknown>): boolean {
  const status = str(getCi(task, 'status'));
  if (status !== null) return normalizeStatus(status) === 'done';
  return DONE_FLAGS.some((k) => getCi(task, k) === true);
}

function hasStatus(task: Record<string, unknown>): boolean {
  return str(getCi(task, 'status')) !== null || DONE_FLAGS.some((k) => typeof getCi(task, k) === 'boolean');
}

/** Every value inside `v`, depth-first, bounded so a pathological file cannot run away. */
function walk(v: unknown, visit: (value: unknown) => void, depth = 0): void {
  if (depth > 8) return;
  visit(v);
  if (Array.isArray(v)) for (const item of v) walk(item, visit, depth + 1);
  else if (isRecord(v)) for (const item of Object.values(v)) walk(item, visit, depth + 1);
}

/** Task objects found in the lists of a section (not nested inside other tasks). */
function taskObjectsIn(section: unknown): Record<string, unknown>[] {
  const found: Record<string, unknown>[] = [];
  const collect = (v: unknown, depth: number): void => {
    if (depth > 8) return;
    if (Array.isArray(v)) {
      for (const item of v) {
        if (isTaskObject(item)) found.push(item);
        else collect(item, depth + 1);
      }
    } else if (isRecord(v)) {
      for (const item of Object.values(v)) collect(item, depth + 1);
    }
  };
  collect(section, 0);
  return found;
}

function tally(tasks: readonly Record<string, unknown>[]): Progress | null {
  if (tasks.length === 0) return null;
  return { done: tasks.filter(taskIsDone).length, total: tasks.length };
}

function checkboxStringsIn(...sections: unknown[]): Progress | null {
  let done = 0;
  let total = 0;
  for (const section of sections) {
    walk(section, (v) => {
      if (typeof v !== 'string') return;
      const box = parseCheckbox(v);
      if (!box) return;
      total++;
      if (box.checked) done++;
    });
  }
  return total > 0 ? { done, total } : null;
}

/**
 * The order docs/formats.md gives: task objects in the checklist, else in 5_task_id_system, else checkbox
 * strings. Task objects under the implementation phases count only when they carry a status:
 * many plans list status-less phase tasks beside a ticked checklist, which must not hide it.
 */
function planProgress(section: (name: string) => unknown): Progress | null {
  const checklist = section('9_implementation_checklist');
  const taskSystem = section('5_task_id_system');
  const taskList = isRecord(taskSystem) ? getCi(taskSystem, 'tasks') : taskSystem;
  const phaseTasks = taskObjectsIn(section('6_implementation_phases'));
  if (phaseTasks.length === 0) phaseTasks.push(...tasksOfPhases(section('phases')));
  return (
    tally(taskObjectsIn(checklist)) ??
    tally(Array.isArray(taskList) ? taskList.filter(isTaskObject) : []) ??
    (phaseTasks.some(hasStatus) ? tally(phaseTasks) : null) ??
    checkboxStringsIn(checklist, taskList)
  );
}

/** Newer work orders (create-workorder 2.5) keep `phases: [{…, tasks: [{id, status}]}]` at the top level. */
function tasksOfPhases(phases: unknown): Record<string, unknown>[] {
  if (!Array.isArray(phases)) return [];
  return phases.flatMap((phase) => {
    const tasks = isRecord(phase) ? getCi(phase, 'tasks') : undefined;
    return Array.isArray(tasks) ? tasks.filter(isTaskObject) : [];
  });
}

function workorderIdOf(meta: Record<string, unknown>, taskSystem: unknown): string | null {
  const fromMeta = str(getCi(meta, 'workorder_id'));
  if (fromMeta) return fromMeta;
  const workorder = isRecord(taskSystem) ? getCi(taskSystem, 'workorder') : undefined;
  return isRecord(workorder) ? str(getCi(workorder, 'id')) : null;
}

function parsePlan(relPath: string, text: string, location: FeatureLocation, folder: string): FileParse<PlanFacts> {
  const read = readJson(relPath, text);
  if (!read.ok) return { facts: null, issues: [read.issue] };
  const root = read.value;
  if (!isRecord(root)) return { facts: null, issues: [{ path: relPath, line: 1, message: 'plan.json is not a JSON object' }] };
  const metaValue = getCi(root, 'META_DOCUMENTATION');
  const meta = isRecord(metaValue) ? metaValue : root;
  const structure = getCi(root, 'UNIVERSAL_PLANNING_STRUCTURE');
  // Some files put the numbered sections at the top level instead of under the structure key.
  const section = (name: string): unknown =>
    (isRecord(structure) ? getCi(structure, name) : undefined) ?? getCi(root, name);
  const summary = section('1_executive_summary');
  const title =
    str(getCi(meta, 'title')) ??
    str(getCi(meta, 'plan_name')) ??
    str(getCi(meta, 'feature_name')) ??
    (isRecord(summary) ? str(getCi(summary, 'feature_name')) : null);
  const issues: ParseIssue[] = [];
  const workorderId = workorderIdOf(meta, section('5_task_id_system'));
  if (workorderId !== null && !/^WO-/i.test(workorderId)) {
    issues.push({ path: relPath, line: lineOf(text, workorderId), message: `workorder_id "${workorderId}" does not look like WO-…` });
  }
  return {
    facts: {
      kind: 'plan',
      location,
      folder,
      title,
      rawStatus: str(getCi(meta, 'status')) ?? str(getCi(root, 'status')) ?? '',
      workorderId: workorderId !== null && /^WO-/i.test(workorderId) ? workorderId : null,
      progress: planProgress(section),
    },
    issues,
  };
}

/** 1-based line of the first occurrence of `needle`, or null. */
function lineOf(text: string, needle: string): number | null {
  const i = lines(text).findIndex((l) => l.includes(needle));
  return i >= 0 ? i + 1 : null;
}

// ---- DELIVERABLES.md ----

// `**Status**: x` and `**Status:** x` both occur.
const HEADER_FIELD = /^\s*[-*]?\s*\*\*(Project|Feature|Workorder(?: ID)?|Status)\s*:?\s*\*\*\s*:?\s*(.*?)\s*$/i;

function deliverablesHeader(text: string): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const l of lines(text)) {
    const m = HEADER_FIELD.exec(l);
    if (!m) continue;
    const key = m[1]!.toLowerCase().startsWith('workorder') ? 'workorder' : m[1]!.toLowerCase();
    const value = m[2]!.replace(/^`|`$/g, '').trim();
    if (!(key in fields) && value) fields[key] = value;
  }
  return fields;
}

/** Checkboxes under the "Task Completion Checklist" heading, up to the next heading of the same or a higher level. */
function completionChecklist(text: string): Progress | null {
  return checkboxProgressUnder(lines(text), /^#{1,6}\s+.*task completion checklist/i);
}

function parseDeliverables(text: string, location: FeatureLocation, folder: string): FileParse<DeliverablesFacts> {
  const header = deliverablesHeader(text);
  const workorder = header['workorder'] ?? null;
  return {
    facts: {
      kind: 'deliverables',
      location,
      folder,
      title: header['feature'] ?? null,
      rawStatus: header['status'] ?? '',
      workorderId: workorder !== null && /^WO-/i.test(workorder) ? workorder : null,
      progress: completionChecklist(text),
    },
    issues: [],
  };
}

// ---- communication.json ----

function parseCommunication(relPath: string, text: string, location: FeatureLocation, folder: string): FileParse<CommunicationFacts> {
  const read = readJson(relPath, text);
  if (!read.ok) return { facts: null, issues: [read.issue] };
  if (!isRecord(read.value)) {
    return { facts: null, issues: [{ path: relPath, line: 1, message: 'communication.json is not a JSON object' }] };
  }
  const root = read.value;
  const handoffValue = getCi(root, 'handoff');
  const handoff = isRecord(handoffValue) ? handoffValue : {};
  const pick = (key: string): string | null => str(getCi(handoff, key)) ?? str(getCi(root, key));
  const workorderId = pick('workorder_id');
  return {
    facts: {
      kind: 'communication',
      location,
      folder,
      workorderId: workorderId !== null && /^WO-/i.test(workorderId) ? workorderId : null,
      title: pick('feature_name'),
      // Older files keep the status in `handoff`, newer ones at the top level.
      rawStatus: str(getCi(handoff, 'status')) ?? str(getCi(root, 'status')) ?? '',
    },
    issues: [],
  };
}

// ---- stubs ----

function parseStubJson(relPath: string, text: string, location: StubLocation, name: string): FileParse<StubFacts> {
  const read = readJson(relPath, text);
  if (!read.ok) return { facts: null, issues: [read.issue] };
  if (!isRecord(read.value)) return { facts: null, issues: [{ path: relPath, line: 1, message: 'stub.json is not a JSON object' }] };
  const stub = read.value;
  return {
    facts: {
      kind: 'stub',
      location,
      name,
      title: str(getCi(stub, 'title')) ?? str(getCi(stub, 'feature_name')) ?? str(getCi(stub, 'name')),
      rawStatus: str(getCi(stub, 'status')) ?? '',
    },
    issues: [],
  };
}

function parseStubMarkdown(relPath: string, text: string, name: string): FileParse<StubFacts> {
  const { fm, issue } = readFrontmatter(relPath, text);
  const statusLine = lines(fm.body)
    .map((l) => /^\s*[-*]?\s*\*{0,2}Status\*{0,2}\s*:\s*\*{0,2}\s*(.+?)\s*$/i.exec(l)?.[1])
    .find((s) => s !== undefined);
  const heading = firstHeading(fm.body);
  return {
    facts: {
      kind: 'stub',
      location: 'stubs',
      name,
      title: str(fm.data['title']) ?? str(fm.data['feature_name']) ?? (heading ? heading.replace(/^STUB-[\w-]*?:\s*/i, '') : null),
      rawStatus: str(fm.data['status']) ?? statusLine ?? '',
    },
    issues: issue ? [issue] : [],
  };
}

// ---- workorder-log.txt ----

const ISO_START = /^\d{4}-\d{2}-\d{2}/;

/**
 * Fold one log line into what is known of its work order. The file lists the newest first, so
 * the first line naming a work order describes it unless a later one is newer; a line without
 * a description keeps the one before it.
 */
function foldLogLine(known: LogEntry | undefined, line: LogEntry): LogEntry {
  if (known && !newer(known.timestamp, line.timestamp)) return known;
  return { id: line.id, description: line.description || (known?.description ?? ''), timestamp: line.timestamp ?? known?.timestamp ?? null };
}

interface LogFold {
  byId: Map<string, LogEntry>;
  /** Lines that are not "WO-ID | project | description | timestamp" (1-based). */
  badLines: number[];
}

/** One line of a work-order log into what the lines before it add up to. */
function foldLine(state: LogFold, raw: string, index: number): void {
  const line = raw.trim();
  if (!line.startsWith('WO-')) return;
  const fields = line.split('|').map((f) => f.trim());
  const id = fields[0]!;
  // The format's own header line ("WO-ID | Project | …") is documentation, not an event.
  if (id === 'WO-ID') return;
  if (fields.length < 4) state.badLines.push(index + 1);
  const last = fields[fields.length - 1] ?? '';
  const timestamp = fields.length >= 2 && ISO_START.test(last) && !Number.isNaN(Date.parse(last)) ? last : null;
  state.byId.set(id, foldLogLine(state.byId.get(id), { id, description: describe(fields, timestamp !== null), timestamp }));
}

/** Work-order logs are appended to: a read after an append folds only the new lines (appended-lines.ts). */
const logParses = new AppendedLines<LogFold>({
  empty: () => ({ byId: new Map(), badLines: [] }),
  copy: (state) => ({ byId: new Map(state.byId), badLines: [...state.badLines] }),
  line: foldLine,
});

function parseLog(relPath: string, text: string): FileParse<LogFacts> {
  const { byId, badLines } = logParses.parse(text);
  const issues: ParseIssue[] = badLines.map((line) => ({ path: relPath, line, message: 'Expected "WO-ID | project | description | timestamp"' }));
  return { facts: { kind: 'log', entries: [...byId.values()] }, issues };
}

/** Four fields: project, then a description that may itself hold a pipe. Fewer: the last text field. */
function describe(fields: readonly string[], endsWithTime: boolean): string {
  if (fields.length >= 4) return fields.slice(2, -1).join(' | ');
  const texts = fields.slice(1, endsWithTime ? -1 : undefined);
  return texts[texts.length - 1] ?? '';
}

// ---- coderef/archived/index.json ----

function parseArchiveIndex(relPath: string, text: string): FileParse<ArchiveIndexFacts> {
  const read = readJson(relPath, text);
  if (!read.ok) return { facts: null, issues: [read.issue] };
  // `archived_features[]` {feature_name, folder_name}; newer tools write `workorders[]` {workorder_id, feature_name, path}.
  const list = isRecord(read.value) ? (getCi(read.value, 'archived_features') ?? getCi(read.value, 'workorders')) : read.value;
  if (!Array.isArray(list)) {
    return { facts: { kind: 'archive-index', features: [] }, issues: [{ path: relPath, line: 1, message: 'No archived_features (or workorders) list' }] };
  }
  const features: ArchivedFeature[] = [];
  for (const entry of list) {
    if (!isRecord(entry)) continue;
    const path = str(getCi(entry, 'path'));
    const folder = str(getCi(entry, 'folder_name')) ?? (path ? segments(path).pop() ?? null : null) ?? str(getCi(entry, 'feature_name'));
    if (folder) features.push({ folder, title: str(getCi(entry, 'feature_name')) });
  }
  return { facts: { kind: 'archive-index', features }, issues: [] };
}

function parseFile(relPath: string, text: string): FileParse<CoderefFacts> {
  const place = placeOf(relPath);
  if (!place) return { facts: null, issues: [{ path: relPath, line: null, message: 'Not a coderef file' }] };
  switch (place.file) {
    case 'plan':
      return parsePlan(relPath, text, place.location, place.folder);
    case 'deliverables':
      return parseDeliverables(text, place.location, place.folder);
    case 'communication':
      return parseCommunication(relPath, text, place.location, place.folder);
    case 'stub':
      return relPath.toLowerCase().endsWith('.md')
        ? parseStubMarkdown(relPath, text, place.name)
        : parseStubJson(relPath, text, place.location, place.name);
    case 'folder-file':
      return { facts: { kind: 'folder-file', location: place.location, folder: place.folder, dir: segments(relPath).slice(0, 3).join('/') }, issues: [] };
    case 'log':
      return parseLog(relPath, text);
    case 'archive-index':
      return parseArchiveIndex(relPath, text);
  }
}

// ---- Combining the files ----

const CODEREF_WORDS: Record<string, Status> = {
  // A plan in draft is planned work being written, not an idea in the backlog.
  draft: 'todo',
};

function statusFromProgress(progress: Progress | null): Status {
  if (!progress || progress.total === 0 || progress.done === 0) return 'todo';
  return progress.done >= progress.total ? 'done' : 'in_progress';
}

/** Archived wins; then the plan's own word, nudged forward when its tasks show work started. */
function featureStatus(archived: boolean, rawStatus: string, measured: Progress | null): Status {
  if (archived) return 'done';
  const said = normalizeStatus(rawStatus, CODEREF_WORDS);
  if (said === 'unknown') return statusFromProgress(measured);
  if ((said === 'todo' || said === 'backlog') && measured !== null && measured.done > 0) return 'in_progress';
  return said;
}

// How far along a status is, to merge a work order's plan and handoff: files lag, never run ahead.
const STATUS_ORDER: readonly Status[] = ['unknown', 'backlog', 'todo', 'blocked', 'in_progress', 'review', 'failed', 'cancelled', 'done'];
const furthest = (a: Status, b: Status): Status => (STATUS_ORDER.indexOf(a) >= STATUS_ORDER.indexOf(b) ? a : b);

interface FeatureFolder {
  location: FeatureLocation;
  folder: string;
  plan?: { path: string; facts: PlanFacts };
  deliverables?: { path: string; facts: DeliverablesFacts };
  communication?: { path: string; facts: CommunicationFacts };
  stub?: { path: string; facts: StubFacts };
  /** The folder as written, when it holds other files (notes, `context.json`). */
  otherFilesIn?: string;
}

// When one folder name sits in several places, the newest layout owns the plain id.
const LOCATION_PRIORITY: readonly FeatureLocation[] = ['workorder', 'working', 'archived'];

function groupFeatureFolders(files: ReadonlyMap<string, CoderefFacts>): FeatureFolder[] {
  const groups = new Map<string, FeatureFolder>();
  const groupOf = (location: FeatureLocation, folder: string): FeatureFolder => {
    const key = `${location}/${folder}`;
    let group = groups.get(key);
    if (!group) groups.set(key, (group = { location, folder }));
    return group;
  };
  for (const [path, facts] of files) {
    if (facts.kind === 'plan') groupOf(facts.location, facts.folder).plan = { path, facts };
    else if (facts.kind === 'deliverables') groupOf(facts.location, facts.folder).deliverables = { path, facts };
    else if (facts.kind === 'communication') groupOf(facts.location, facts.folder).communication = { path, facts };
    else if (facts.kind === 'stub' && facts.location !== 'stubs') groupOf(facts.location, facts.name).stub = { path, facts };
    else if (facts.kind === 'folder-file') groupOf(facts.location, facts.folder).otherFilesIn ??= facts.dir;
  }
  return [...groups.values()].sort(
    (a, b) =>
      a.folder.localeCompare(b.folder) || LOCATION_PRIORITY.indexOf(a.location) - LOCATION_PRIORITY.indexOf(b.location),
  );
}

const isFeature = (g: FeatureFolder): boolean => g.plan !== undefined || g.deliverables !== undefined;

/**
 * A feature folder with no plan, handoff or stub yet — a brief, `context.json`, an analysis — is a
 * feature not planned yet (coderef's inventory lists it, with no plan): backlog, 0 of 0; done when archived.
 */
const isUnplannedFolder = (g: FeatureFolder): boolean =>
  g.otherFilesIn !== undefined && !isFeature(g) && g.communication === undefined && g.stub === undefined;

function unplannedPlan(group: FeatureFolder, indexTitles: ReadonlyMap<string, string>, taken: Set<string>): PlanItem {
  return {
    id: claimId(taken, `coderef:feature:${group.folder}`, group.location),
    source: 'coderef',
    kind: 'feature',
    title: indexTitles.get(group.folder) ?? titleFromSlug(group.folder),
    status: group.location === 'archived' ? 'done' : 'backlog',
    rawStatus: '',
    progress: { done: 0, total: 0 },
    path: group.otherFilesIn ?? '',
    parent: null,
  };
}

/** The first id left free: the plain one, else one that says where the duplicate sits. */
function claimId(taken: Set<string>, id: string, where: string): string {
  let unique = taken.has(id) ? `${id}@${where}` : id;
  for (let n = 2; taken.has(unique); n++) unique = `${id}@${where}-${n}`;
  taken.add(unique);
  return unique;
}

interface DerivedFeature {
  /** Null for a folder holding only a communication.json: a work order without a plan. */
  plan: PlanItem | null;
  workorderId: string | null;
  handoff: { path: string; workorderId: string | null; rawStatus: string; feature: string | null } | null;
}

function featurePlan(group: FeatureFolder, indexTitles: ReadonlyMap<string, string>, taken: Set<string>): PlanItem {
  const plan = group.plan?.facts;
  const deliverables = group.deliverables?.facts;
  // A plan that says nothing of its status goes by its work order's handoff (communication.json).
  const rawStatus = plan?.rawStatus || deliverables?.rawStatus || group.communication?.facts.rawStatus || '';
  const measured = plan?.progress ?? deliverables?.progress ?? null;
  const status = featureStatus(group.location === 'archived', rawStatus, measured);
  return {
    id: claimId(taken, `coderef:feature:${group.folder}`, group.location),
    source: 'coderef',
    kind: 'feature',
    title: plan?.title ?? deliverables?.title ?? indexTitles.get(group.folder) ?? titleFromSlug(group.folder),
    status,
    rawStatus,
    progress: measured ?? progressFromStatus(status),
    path: group.plan?.path ?? group.deliverables?.path ?? '',
    parent: null,
  };
}

function deriveFeatures(groups: readonly FeatureFolder[], files: ReadonlyMap<string, CoderefFacts>, taken: Set<string>): DerivedFeature[] {
  const indexTitles = new Map<string, string>();
  for (const facts of files.values()) {
    if (facts.kind !== 'archive-index') continue;
    for (const f of facts.features) if (f.title && !indexTitles.has(f.folder)) indexTitles.set(f.folder, f.title);
  }
  const derived: DerivedFeature[] = [];
  for (const group of groups) {
    const comm = group.communication;
    const handoff = comm ? { path: comm.path, workorderId: comm.facts.workorderId, rawStatus: comm.facts.rawStatus, feature: comm.facts.title } : null;
    if (isUnplannedFolder(group)) {
      derived.push({ plan: unplannedPlan(group, indexTitles, taken), workorderId: null, handoff: null });
      continue;
    }
    if (!isFeature(group)) {
      if (handoff) derived.push({ plan: null, workorderId: null, handoff });
      continue;
    }
    const plan = featurePlan(group, indexTitles, taken);
    const workorderId = group.plan?.facts.workorderId ?? group.deliverables?.facts.workorderId ?? comm?.facts.workorderId ?? null;
    derived.push({ plan, workorderId, handoff });
  }
  return derived;
}

/** Features the archive index lists whose folder is gone: they finished, and the index is all that says so. */
function indexOnlyPlans(files: ReadonlyMap<string, CoderefFacts>, groups: readonly FeatureFolder[], taken: Set<string>): PlanItem[] {
  const present = new Set(groups.filter((g) => g.location === 'archived' && (isFeature(g) || isUnplannedFolder(g))).map((g) => g.folder));
  const plans: PlanItem[] = [];
  for (const [path, facts] of files) {
    if (facts.kind !== 'archive-index') continue;
    for (const f of facts.features) {
      if (present.has(f.folder)) continue;
      present.add(f.folder);
      plans.push({
        id: claimId(taken, `coderef:feature:${f.folder}`, 'archived'),
        source: 'coderef',
        kind: 'feature',
        title: f.title ?? titleFromSlug(f.folder),
        status: 'done',
        rawStatus: '',
        progress: progressFromStatus('done'),
        path,
        parent: null,
      });
    }
  }
  return plans;
}

function deriveStubs(files: ReadonlyMap<string, CoderefFacts>, groups: readonly FeatureFolder[]): StubItem[] {
  // A stub.json beside a plan is the idea the plan grew from: the plan stands for it now.
  const planned = new Set(groups.filter(isFeature).map((g) => `${g.location}/${g.folder}`));
  const taken = new Set<string>();
  const stubs: StubItem[] = [];
  const entries = [...files].sort(([a], [b]) => stubOrder(a) - stubOrder(b) || a.localeCompare(b));
  for (const [path, facts] of entries) {
    if (facts.kind !== 'stub' || planned.has(`${facts.location}/${facts.name}`)) continue;
    const said = normalizeStatus(facts.rawStatus);
    stubs.push({
      id: claimId(taken, `coderef:stub:${facts.name}`, facts.location),
      source: 'coderef',
      title: facts.title ?? titleFromSlug(facts.name),
      status: facts.rawStatus === '' ? 'backlog' : said,
      rawStatus: facts.rawStatus,
      path,
    });
  }
  return stubs;
}

/** coderef/stubs/ first, so a stub keeps its plain id when a working copy appears. */
const stubOrder = (path: string): number => (segments(path)[1] === 'stubs' ? 0 : 1);

interface WorkorderDraft {
  id: string;
  /** The feature's title, from its plan (or DELIVERABLES.md). */
  title: string | null;
  /** The feature a handoff names, for a work order without a plan. */
  handoffFeature: string | null;
  planStatus: Status | null;
  handoffStatus: Status | null;
  archived: boolean;
  planPath: string | null;
  handoffPath: string | null;
  logged: boolean;
  lastActivity: string | null;
  /** What the newest log line naming it says. */
  activity: string | null;
}

function newDraft(id: string): WorkorderDraft {
  return {
    id, title: null, handoffFeature: null, planStatus: null, handoffStatus: null, archived: false,
    planPath: null, handoffPath: null, logged: false, lastActivity: null, activity: null,
  };
}

const newer = (a: string | null, b: string | null): boolean => {
  if (b === null) return false;
  if (a === null) return true;
  return Date.parse(b) > Date.parse(a);
};

function deriveWorkorders(files: ReadonlyMap<string, CoderefFacts>, features: readonly DerivedFeature[]): WorkorderItem[] {
  const drafts = new Map<string, WorkorderDraft>();
  const draftOf = (id: string): WorkorderDraft => {
    let d = drafts.get(id);
    if (!d) drafts.set(id, (d = newDraft(id)));
    return d;
  };
  for (const facts of files.values()) {
    if (facts.kind !== 'log') continue;
    // Each entry already sums up its work order's lines (foldLogLine).
    for (const entry of facts.entries) {
      const d = draftOf(entry.id);
      d.activity = entry.description || null;
      d.lastActivity = entry.timestamp;
      d.logged = true;
    }
  }
  for (const f of features) {
    if (f.plan && f.workorderId) {
      const d = draftOf(f.workorderId);
      // An active copy describes the work order better than an archived one of the same id.
      if (d.planPath === null || (d.archived && f.plan.status !== 'done')) {
        d.title = f.plan.title;
        d.planStatus = f.plan.status;
        d.planPath = f.plan.path;
        d.archived = segments(f.plan.path)[1]?.toLowerCase() === 'archived';
      }
    }
    const handoffId = f.handoff?.workorderId ?? f.workorderId;
    if (f.handoff && handoffId) {
      const d = draftOf(handoffId);
      if (d.handoffPath === null) {
        d.handoffPath = f.handoff.path;
        d.handoffStatus = f.handoff.rawStatus ? normalizeStatus(f.handoff.rawStatus) : null;
        d.handoffFeature = f.handoff.feature ?? (f.plan ? f.plan.title : null);
        if (segments(f.handoff.path)[1]?.toLowerCase() === 'archived' && d.planPath === null) d.archived = true;
      }
    }
  }
  return [...drafts.values()].map(toWorkorder);
}

/**
 * A work order is titled by the feature it builds; what its newest log line says is its latest
 * activity, shown beside the title (the log describes events, not the work). A work order known
 * only from the log has no feature to name: its id is its title.
 */
function toWorkorder(d: WorkorderDraft): WorkorderItem {
  const said = furthest(d.planStatus ?? 'unknown', d.handoffStatus ?? 'unknown');
  return {
    id: d.id,
    source: 'coderef',
    title: d.title ?? d.handoffFeature ?? d.id,
    status: d.archived ? 'done' : said,
    path: d.planPath ?? d.handoffPath ?? LOG_PATH,
    logPath: d.logged ? LOG_PATH : null,
    lastActivity: d.lastActivity,
    activity: d.activity,
  };
}

function deriveAll(files: ReadonlyMap<string, CoderefFacts>): SourceItems {
  const items = emptyItems();
  const groups = groupFeatureFolders(files);
  const taken = new Set<string>();
  const features = deriveFeatures(groups, files, taken);
  items.plans = features.flatMap((f) => (f.plan ? [f.plan] : []));
  items.plans.push(...indexOnlyPlans(files, groups, taken));
  items.stubs = deriveStubs(files, groups);
  items.workorders = deriveWorkorders(files, features);
  return items;
}


export const coderef: SourceAdapter<CoderefFacts> = {
  id: 'coderef',
  label: 'coderef',
  roots: [{ path: 'coderef' }],
  owns: (relPath) => placeOf(relPath) !== null,
  parse: parseFile,
  derive: deriveAll,
};
