// spec-kit (docs/formats.md § spec-kit): one folder per feature under specs/ (`NNN-name` or
// `YYYYMMDD-HHMMSS-name`) with spec.md, plan.md, tasks.md and checklists/*.md. Progress is the
// tasks.md checkboxes; checklists are quality checks, counted apart and reported, never progress.
import type { PlanItem, Progress, Reported, Status } from '../../shared/model';
import { normalizeStatus } from './status';
import { getCi, isRecord, readJson, str } from './structured';
import { checkboxes, countChecked, firstHeading, isTempOrLock, lines, parseCheckbox, segments, titleFromSlug, type Checkbox } from './text';
import { emptyItems, type FileParse, type SourceAdapter, type SourceItems } from './types';

interface FeatureFile {
  /** Root-relative feature folder, e.g. `specs/001-photo-albums`. */
  featureDir: string;
}

interface SpecFacts extends FeatureFile {
  kind: 'spec';
  title: string | null;
  rawStatus: string;
}

interface PlanDocFacts extends FeatureFile {
  kind: 'plan';
  title: string | null;
  rawStatus: string;
}

interface TasksFacts extends FeatureFile {
  kind: 'tasks';
  title: string | null;
  progress: Progress;
}

interface ChecklistFacts extends FeatureFile {
  kind: 'checklist';
  progress: Progress;
}

interface ActiveFeatureFacts {
  kind: 'active';
  featureDir: string | null;
}

export type SpeckitFacts = SpecFacts | PlanDocFacts | TasksFacts | ChecklistFacts | ActiveFeatureFacts;

// ---- Which paths are ours ----

// `001-photo-albums`, and the timestamp form `20250115-143000-photo-albums`.
const FEATURE_DIR = /^\d+-[^/]+$/;
const FEATURE_DOCS: Record<string, 'spec' | 'plan' | 'tasks'> = { 'spec.md': 'spec', 'plan.md': 'plan', 'tasks.md': 'tasks' };

type Place = { file: 'spec' | 'plan' | 'tasks' | 'checklist'; featureDir: string } | { file: 'active' };

function placeOf(relPath: string): Place | null {
  if (isTempOrLock(relPath)) return null;
  const segs = segments(relPath);
  if (segs.length === 2 && segs[0] === '.specify' && segs[1] === 'feature.json') return { file: 'active' };
  // Older projects kept the feature folders under .specify/specs/.
  const base = segs[0] === 'specs' ? 1 : segs[0] === '.specify' && segs[1] === 'specs' ? 2 : 0;
  if (base === 0) return null;
  const [dir, ...rest] = segs.slice(base);
  if (dir === undefined || !FEATURE_DIR.test(dir)) return null;
  const featureDir = segs.slice(0, base + 1).join('/');
  if (rest.length === 1) {
    const file = FEATURE_DOCS[rest[0]!.toLowerCase()];
    return file ? { file, featureDir } : null;
  }
  if (rest.length === 2 && rest[0] === 'checklists' && /\.md$/i.test(rest[1]!)) return { file: 'checklist', featureDir };
  return null;
}

// ---- Files ----

/** `# Feature Specification: Photo Albums` → `Photo Albums`. */
function documentTitle(text: string): string | null {
  const heading = firstHeading(text);
  if (!heading) return null;
  return heading.replace(/^(?:Feature Specification|Implementation Plan|Tasks)\s*:\s*/i, '').trim() || null;
}

/**
 * The `**Status**:` line of the document's header (above its first `##` section, where the
 * template puts it): a "Status:" further down is prose (a plan's gate note). A header wrapped
 * onto one line (`**Status**: Draft **Input**: …`) ends the status at the next bold label.
 */
function specStatus(text: string): string {
  for (const line of lines(text)) {
    if (/^##\s/.test(line)) break;
    const m = /^\s*[-*]?\s*\**Status\**\s*:\s*\**\s*(.*?)\s*\**\s*$/i.exec(line);
    if (m) return m[1]!.replace(/\s+\*\*\S.*$/, '').replace(/^\[|\]$/g, '').trim();
  }
  return '';
}

// `- [ ] T001 …`, `- [x] **T001** …`, `- [X] T009a …`: a task line is a bracket box whose text starts with its id.
// The template numbers tasks T001…; files that keep several series (`A001` audit, `S001` spec
// work, `R001` refactor) are read by `/implement` the same way, so one capital and three digits is an id too.
const TASK_ID = /^\**(?:[Tt]\d+|[A-Z]\d{3,})[a-z]*\b/;
// Sections of a tasks.md that hold quality checks, not tasks: counted only when the file has no task ids at all.
const CHECK_SECTION = /^#{1,6}\s+.*\b(?:checklist|validation|acceptance|definition of done|verification)\b/i;

/**
 * The bracket checkboxes of tasks.md that are not inside a fenced code block (``` or ~~~), each
 * with whether it sits under a checklist-like heading. Glyph lines (`✅ …`) are notes, not tasks.
 */
function taskBoxes(text: string): { box: Checkbox; inCheckSection: boolean }[] {
  const out: { box: Checkbox; inCheckSection: boolean }[] = [];
  let fence: string | null = null;
  let checkLevel: number | null = null;
  lines(text).forEach((line, i) => {
    const marker = /^\s*(`{3,}|~{3,})/.exec(line)?.[1];
    if (marker !== undefined) {
      if (fence === null) fence = marker[0]!;
      else if (marker[0] === fence) fence = null;
      return;
    }
    if (fence !== null) return;
    const heading = /^(#{1,6})\s/.exec(line);
    if (heading) {
      const level = heading[1]!.length;
      if (checkLevel !== null && level <= checkLevel) checkLevel = null;
      if (checkLevel === null && CHECK_SECTION.test(line)) checkLevel = level;
      return;
    }
    if (!/^\s*(?:[-*+]|\d+[.)])?\s*\[[ xX]\]/.test(line)) return;
    const box = parseCheckbox(line, i + 1);
    if (box) out.push({ box, inCheckSection: checkLevel !== null });
  });
  return out;
}

/**
 * spec-kit's tasks are the lines with a task id, every one of them (letter-suffixed ids and
 * repeated ids included). A tasks.md written without ids counts its boxes outside checklist
 * sections instead.
 */
function tasksProgress(text: string): Progress {
  const boxes = taskBoxes(text);
  const tasks = boxes.filter(({ box }) => TASK_ID.test(box.text));
  return countChecked((tasks.length > 0 ? tasks : boxes.filter((b) => !b.inCheckSection)).map(({ box }) => box));
}

function parseActiveFeature(relPath: string, text: string): FileParse<SpeckitFacts> {
  const read = readJson(relPath, text);
  if (!read.ok) return { facts: null, issues: [read.issue] };
  if (!isRecord(read.value)) return { facts: null, issues: [{ path: relPath, line: 1, message: 'feature.json is not a JSON object' }] };
  const doc = read.value;
  const dir = ['feature_directory', 'feature_dir', 'active_feature', 'feature'].map((k) => str(getCi(doc, k))).find((v) => v !== null);
  return { facts: { kind: 'active', featureDir: dir ? dir.replace(/\\/g, '/').replace(/\/+$/, '') : null }, issues: [] };
}

function parseFile(relPath: string, text: string): FileParse<SpeckitFacts> {
  const place = placeOf(relPath);
  if (!place) return { facts: null, issues: [{ path: relPath, line: null, message: 'Not a spec-kit file' }] };
  if (place.file === 'active') return parseActiveFeature(relPath, text);
  const { featureDir } = place;
  switch (place.file) {
    case 'spec':
      return { facts: { kind: 'spec', featureDir, title: documentTitle(text), rawStatus: specStatus(text) }, issues: [] };
    case 'plan':
      return { facts: { kind: 'plan', featureDir, title: documentTitle(text), rawStatus: specStatus(text) }, issues: [] };
    case 'tasks':
      return { facts: { kind: 'tasks', featureDir, title: documentTitle(text), progress: tasksProgress(text) }, issues: [] };
    case 'checklist':
      return { facts: { kind: 'checklist', featureDir, progress: countChecked(checkboxes(text)) }, issues: [] };
  }
}

// ---- Combining the files ----

const SPECKIT_WORDS: Record<string, Status> = {
  // Every spec starts as Draft and most stay so: a written spec is planned work, not a backlog idea.
  draft: 'todo',
};

interface Feature {
  dir: string;
  spec?: { path: string; facts: SpecFacts };
  plan?: { path: string; facts: PlanDocFacts };
  tasks?: { path: string; facts: TasksFacts };
  checklists: { path: string; facts: ChecklistFacts }[];
}

function groupFeatures(files: ReadonlyMap<string, SpeckitFacts>): Feature[] {
  const features = new Map<string, Feature>();
  for (const [path, facts] of files) {
    if (facts.kind === 'active') continue;
    let feature = features.get(facts.featureDir);
    if (!feature) features.set(facts.featureDir, (feature = { dir: facts.featureDir, checklists: [] }));
    if (facts.kind === 'spec') feature.spec = { path, facts };
    else if (facts.kind === 'plan') feature.plan = { path, facts };
    else if (facts.kind === 'tasks') feature.tasks = { path, facts };
    else feature.checklists.push({ path, facts });
  }
  // specs/ before .specify/specs/, so the current layout keeps the plain id.
  const layout = (dir: string): number => (dir.startsWith('specs/') ? 0 : 1);
  return [...features.values()].sort((a, b) => layout(a.dir) - layout(b.dir) || a.dir.localeCompare(b.dir, undefined, { numeric: true }));
}

const folderName = (dir: string): string => dir.slice(dir.lastIndexOf('/') + 1);

/** All tasks done → done; some → in progress; none → what the spec says, else to do. */
function featureStatus(tasks: Progress | null, rawStatus: string): Status {
  if (tasks && tasks.total > 0 && tasks.done >= tasks.total) return 'done';
  if (tasks && tasks.done > 0) return 'in_progress';
  const said = rawStatus ? normalizeStatus(rawStatus, SPECKIT_WORDS) : 'unknown';
  return said === 'unknown' ? 'todo' : said;
}

function featurePlan(feature: Feature, taken: Set<string>): PlanItem {
  const name = folderName(feature.dir);
  const base = `speckit:feature:${name}`;
  const id = taken.has(base) ? `${base}@${feature.dir}` : base;
  taken.add(id);
  const tasks = feature.tasks?.facts.progress ?? null;
  const rawStatus = feature.spec?.facts.rawStatus || feature.plan?.facts.rawStatus || '';
  const status = featureStatus(tasks, rawStatus);
  return {
    id,
    source: 'speckit',
    kind: 'feature',
    title:
      feature.spec?.facts.title ??
      feature.plan?.facts.title ??
      feature.tasks?.facts.title ??
      titleFromSlug(name.replace(/^\d+-(?:\d{6}-)?/, '')),
    status,
    rawStatus,
    // No tasks.md (or no task in it) is a feature with nothing to count yet: 0 of 0, not an invented 0 of 1.
    progress: tasks ?? { done: 0, total: 0 },
    path: feature.spec?.path ?? feature.tasks?.path ?? feature.plan?.path ?? feature.checklists[0]?.path ?? feature.dir,
    parent: null,
  };
}

/** Quality checklists, summed per feature: shown beside the plan, never counted as its progress. */
function checklistReport(feature: Feature): Reported | null {
  if (feature.checklists.length === 0) return null;
  const done = feature.checklists.reduce((n, c) => n + c.facts.progress.done, 0);
  const total = feature.checklists.reduce((n, c) => n + c.facts.progress.total, 0);
  return {
    source: 'speckit',
    path: `${feature.dir}/checklists`,
    status: null,
    percent: total > 0 ? Math.round((done / total) * 100) : null,
    text: `${folderName(feature.dir)} checklists: ${done} of ${total} checks`,
  };
}

function activeFeatureReports(files: ReadonlyMap<string, SpeckitFacts>): Reported[] {
  const reported: Reported[] = [];
  for (const [path, facts] of files) {
    if (facts.kind !== 'active' || facts.featureDir === null) continue;
    reported.push({ source: 'speckit', path, status: null, percent: null, text: `Active feature: ${folderName(facts.featureDir)}` });
  }
  return reported;
}

function deriveAll(files: ReadonlyMap<string, SpeckitFacts>): SourceItems {
  const features = groupFeatures(files);
  const taken = new Set<string>();
  return {
    ...emptyItems(),
    plans: features.map((f) => featurePlan(f, taken)),
    reported: [...activeFeatureReports(files), ...features.flatMap((f) => checklistReport(f) ?? [])],
  };
}


export const speckit: SourceAdapter<SpeckitFacts> = {
  id: 'speckit',
  label: 'spec-kit',
  roots: [{ path: 'specs' }, { path: '.specify' }],
  owns: (relPath) => placeOf(relPath) !== null,
  parse: parseFile,
  derive: deriveAll,
};
