// GSD (get-shit-done), docs/formats.md § GSD: phases under .planning/phases/, plans done when their
// SUMMARY exists, quick tasks, pending todos, and STATE.md — which is shown as what GSD reports
// about itself and never overrides what the files measure.
import type { PlanItem, Reported, Status, StubItem } from '../../shared/model';
import { normalizeStatus, progressFromStatus } from './status';
import { getCi, isRecord, readFrontmatter, str } from './structured';
import { firstHeading, isTempOrLock, lines, parseCheckbox, segments, titleFromSlug } from './text';
import { emptyItems, type FileParse, type SourceAdapter, type SourceItems } from './types';

interface PhaseFile {
  /** The phase folder's name, e.g. `02.1-hotfix`. */
  phaseDir: string;
  /** The plan's number within its phase, zero-padded (`01`), or the file's own word when it has none. */
  planKey: string;
}

interface PlanFacts extends PhaseFile {
  kind: 'plan';
  title: string | null;
  /** `<task>` blocks in the plan body. */
  tasks: number;
}

interface SummaryFacts extends PhaseFile {
  kind: 'summary';
  title: string | null;
}

interface QuickFacts {
  kind: 'quick-plan' | 'quick-summary';
  /** The quick task's folder, e.g. `003-fix-login-typo`. */
  dir: string;
  title: string | null;
}

interface TodoFacts {
  kind: 'todo';
  name: string;
  title: string | null;
}

interface RoadmapPhase {
  /** Canonical phase number: `2`, `2.1`. */
  number: string;
  name: string;
  /** The roadmap's checkbox for the phase, null when it lists the phase without one. */
  checked: boolean | null;
  /** How many plans the roadmap gives the phase (`Plans: 2 plans`, `(1/2 plans)`, a `1/2` table cell), null when it does not say. */
  plans: number | null;
}

interface RoadmapFacts {
  kind: 'roadmap';
  phases: RoadmapPhase[];
}

interface StateFacts {
  kind: 'state';
  status: string | null;
  percent: number | null;
  text: string | null;
}

export type GsdFacts = PlanFacts | SummaryFacts | QuickFacts | TodoFacts | RoadmapFacts | StateFacts;

// ---- Phase and plan numbers ----

// `02-auth`, `02.1-hotfix`, `07`; with a project code before the number (`CK-07-auth`,
// `phase-25-validation`), which GSD's own phase lookup strips.
const PHASE_DIR = /^(?:[A-Za-z]{1,6}-)?(\d+(?:\.\d+)*)(?:-(.*))?$/;

/** `02.1` → `2.1`: the number as a reader compares it. */
function canonicalNumber(raw: string): string {
  return raw
    .split('.')
    .map((part) => String(Number(part)))
    .join('.');
}

/** `2.1` → `02.1`: ids keep GSD's two-digit look whether or not the folder had it. */
function paddedNumber(raw: string): string {
  const [head = '', ...rest] = canonicalNumber(raw).split('.');
  return [head.padStart(2, '0'), ...rest].join('.');
}

/** `01-02` / `01` / `02-auth` (root files) and `01` (nested `PLAN-01`) → the plan part `02` / `01`. */
function planKeyOf(stem: string): string {
  const qualified = /^\d+(?:\.\d+)*-(\d+[a-z]?)(?:-(.*))?$/i.exec(stem);
  const bare = /^(\d+[a-z]?)$/i.exec(stem);
  const num = qualified?.[1] ?? bare?.[1];
  if (num === undefined) return stem.toLowerCase();
  const digits = /^\d+/.exec(num)![0];
  // `09-03-FIX2-PLAN.md` fixes what plan 09-03 left: a plan of its own beside it, as GSD counts it.
  const fix = qualified?.[2] !== undefined && /^fix\d*$/i.test(qualified[2]) ? `-${qualified[2].toLowerCase()}` : '';
  return String(Number(digits)).padStart(2, '0') + num.slice(digits.length).toLowerCase() + fix;
}

function comparePhaseNumbers(a: string, b: string): number {
  const pa = canonicalNumber(a).split('.').map(Number);
  const pb = canonicalNumber(b).split('.').map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? -1) - (pb[i] ?? -1);
    if (d !== 0) return d;
  }
  return 0;
}

// ---- Which paths are ours ----

type Place =
  | { file: 'plan' | 'summary'; phaseDir: string; planKey: string }
  | { file: 'quick-plan' | 'quick-summary'; dir: string }
  | { file: 'todo'; name: string }
  | { file: 'roadmap' }
  | { file: 'state' };

/** Drafts GSD keeps beside real plans: never plans themselves. */
const isDraft = (name: string): boolean => /-OUTLINE\.md$/i.test(name) || /\.pre-bounce\.md$/i.test(name);

function phaseFilePlace(phaseDir: string, rest: readonly string[]): Place | null {
  if (rest.length === 1) {
    const m = /^(?:(.+)-)?(PLAN|SUMMARY)\.md$/i.exec(rest[0]!);
    if (!m) return null;
    const file = m[2]!.toUpperCase() === 'PLAN' ? 'plan' : 'summary';
    return { file, phaseDir, planKey: planKeyOf(m[1] ?? '01') };
  }
  if (rest.length === 2 && rest[0] === 'plans') {
    // The nested layout: plans/PLAN-01.md beside plans/SUMMARY-01.md.
    const m = /^(PLAN|SUMMARY)-(.+)\.md$/i.exec(rest[1]!);
    if (!m) return null;
    return { file: m[1]!.toUpperCase() === 'PLAN' ? 'plan' : 'summary', phaseDir, planKey: planKeyOf(m[2]!) };
  }
  return null;
}

function placeOf(relPath: string): Place | null {
  if (isTempOrLock(relPath)) return null;
  const segs = segments(relPath);
  const name = segs[segs.length - 1] ?? '';
  if (segs[0] !== '.planning' || isDraft(name)) return null;
  const [, area, dir, ...rest] = segs;
  if (segs.length === 2) {
    if (area === 'STATE.md') return { file: 'state' };
    if (area === 'ROADMAP.md') return { file: 'roadmap' };
    return null;
  }
  if (area === 'phases' && dir !== undefined && PHASE_DIR.test(dir)) return phaseFilePlace(dir, rest);
  if (area === 'quick' && dir !== undefined && /^\d+-/.test(dir) && rest.length === 1) {
    const m = /^(?:\d+-)?(PLAN|SUMMARY)\.md$/i.exec(rest[0]!);
    if (m) return { file: m[1]!.toUpperCase() === 'PLAN' ? 'quick-plan' : 'quick-summary', dir };
    return null;
  }
  if (area === 'todos' && dir === 'pending' && rest.length === 1 && /\.md$/i.test(rest[0]!)) {
    return { file: 'todo', name: rest[0]!.slice(0, -3) };
  }
  return null;
}

// ---- PLAN / SUMMARY ----

/**
 * A plan's title: a heading above its `<objective>`, else the objective's first line (what GSD's
 * own tools name a plan by), else its first heading. Headings below the objective are not titles:
 * GSD's template keeps `# …` comment lines in `<context>`, and tasks hold headings of their own.
 */
function planTitle(body: string): string | null {
  const objective = /<objective>\s*([^\n]+)/i.exec(body);
  const above = objective ? body.slice(0, objective.index) : body;
  const heading = firstHeading(above) ?? firstHeading(above, 2);
  if (heading) return heading;
  // The whole line: `Vec<Vec<String>>` in it is text, only a closing tag ends it.
  const line = objective?.[1]?.replace(/<\/objective>.*$/i, '').trim();
  if (!line) return null;
  return line.length > 100 ? `${line.slice(0, 99)}…` : line;
}

function parsePhaseFile(relPath: string, text: string, place: { file: 'plan' | 'summary'; phaseDir: string; planKey: string }): FileParse<GsdFacts> {
  const { fm, issue } = readFrontmatter(relPath, text, { bodyOnly: true });
  const issues = issue ? [issue] : [];
  const base = { phaseDir: place.phaseDir, planKey: place.planKey };
  if (place.file === 'summary') {
    return { facts: { kind: 'summary', ...base, title: firstHeading(fm.body) }, issues };
  }
  // GSD's own count: `<task>` elements, else the older plans' `## Task N` headings.
  const tasks = (fm.body.match(/<task[\s>]/gi) ?? []).length || (fm.body.match(/##\s*Task\s*\d+/gi) ?? []).length;
  return { facts: { kind: 'plan', ...base, title: planTitle(fm.body), tasks }, issues };
}

// ---- Quick tasks and todos ----

function parseQuick(relPath: string, text: string, kind: 'quick-plan' | 'quick-summary', dir: string): FileParse<GsdFacts> {
  const { fm, issue } = readFrontmatter(relPath, text, { bodyOnly: true });
  return { facts: { kind, dir, title: planTitle(fm.body) }, issues: issue ? [issue] : [] };
}

function parseTodo(relPath: string, text: string, name: string): FileParse<GsdFacts> {
  const { fm, issue } = readFrontmatter(relPath, text);
  return {
    facts: { kind: 'todo', name, title: str(fm.data['title']) ?? firstHeading(fm.body) },
    issues: issue ? [issue] : [],
  };
}

// ---- ROADMAP.md ----

const ROADMAP_PHASE = /Phase\s+(\d+(?:\.\d+)*)\s*:\s*(.+)$/i;
// `**Plans**: 2 plans`, `Plans: 3`, `**Plans:** 2 plans (1/2 complete)`; `TBD` says nothing.
const PLANS_LINE = /^\s*[-*]?\s*\**Plans\**\s*:\s*\**\s*(\d+)\b/i;
// `- [x] 14-01-PLAN.md — …` under a phase's `Plans:` list.
const PLAN_LIST_ITEM = /^\s*[-*]\s*\[[ xX]\]\s*\S*?\d+(?:\.\d+)*-\d+[a-z]?(?:-[\w-]*)?-PLAN\.md\b/i;
// `(3/3 plans)` after a phase in the summary list.
const PLANS_FRACTION = /\((\d+)\s*\/\s*(\d+)\s*plans?\b/i;
// A row of the progress table: `| 1. Foundation | v1.0 | 3/3 | Complete | … |`, `| Phase 2 | 1/2 | … |`.
const TABLE_PHASE = /^(?:Phase\s+)?(\d+(?:\.\d+)*)\b[.:]?\s*(.*)$/i;
// `#### Phase 18: Upstream audit — COMPLETE`: a phase line that ends by saying it finished.
const SAID_COMPLETE = /\s[-–—]\s*(?:✅\s*)?(?:complete|completed|done|shipped)\b[^a-z]*$/i;
// `<summary>✅ v1.9 Upstream sync (Phases 18-20) — SHIPPED 2026-02-19</summary>`: a shipped milestone.
const SHIPPED_SUMMARY = /<summary>[^<]*(?:✅|\b(?:complete|completed|shipped|done)\b)/i;

/**
 * Phase names from headings (`### Phase 2: Auth`) and list items (`- [x] **Phase 1: Foundation** - …`),
 * and how many plans the roadmap gives each phase, wherever it says so.
 */
function parseRoadmap(text: string): FileParse<GsdFacts> {
  const byNumber = new Map<string, RoadmapPhase>();
  const phaseOf = (number: string): RoadmapPhase => {
    let phase = byNumber.get(number);
    if (!phase) byNumber.set(number, (phase = { number, name: '', checked: null, plans: null }));
    return phase;
  };
  const notePlans = (number: string, count: number): void => {
    const phase = phaseOf(number);
    phase.plans = Math.max(phase.plans ?? 0, count);
  };
  // The column of the progress table that counts plans (`Plans Complete`), while in that table.
  let plansColumn: number | null = null;
  // The phase whose details section we are in, and how many plan files its list names.
  let section: string | null = null;
  let listed = 0;
  // Column of the progress table's status, and the phases some line says are finished: these
  // decide only for a phase without a checkbox (milestones shipped long ago keep their phases as
  // headings inside a collapsed `<details>` block, with the table's `Complete`).
  let statusColumn: number | null = null;
  let shippedBlock = false;
  const saidComplete = new Set<string>();
  const closeSection = (): void => {
    if (section !== null && listed > 0) notePlans(section, listed);
    listed = 0;
  };
  for (const line of lines(text)) {
    if (/^\s*\|/.test(line)) {
      const cells = line.trim().replace(/^\||\|$/g, '').split('|').map((c) => c.trim());
      const header = cells.findIndex((c) => /^plans\b/i.test(c));
      if (header >= 0) {
        plansColumn = header;
        const status = cells.findIndex((c) => /^status$/i.test(c));
        statusColumn = status >= 0 ? status : null;
      }
      const row = TABLE_PHASE.exec(cells[0] ?? '');
      const count = plansColumn === null ? undefined : /^(\d+)\s*\/\s*(\d+)$/.exec(cells[plansColumn] ?? '');
      if (row && plansColumn !== null && header < 0) {
        const number = canonicalNumber(row[1]!);
        if (count) notePlans(number, Number(count[2]));
        const phase = phaseOf(number);
        if (phase.name === '' && row[2]) phase.name = row[2].trim();
        if (statusColumn !== null && normalizeStatus(cells[statusColumn] ?? '') === 'done') saidComplete.add(number);
      }
      continue;
    }
    plansColumn = null;
    statusColumn = null;
    if (/<details>/i.test(line)) shippedBlock = false;
    if (SHIPPED_SUMMARY.test(line)) shippedBlock = true;
    if (/<\/details>/i.test(line)) shippedBlock = false;
    const isHeading = /^#{1,6}\s/.test(line);
    if (isHeading) {
      closeSection();
      section = null;
    }
    if (section !== null) {
      const count = PLANS_LINE.exec(line);
      if (count) notePlans(section, Number(count[1]));
      if (PLAN_LIST_ITEM.test(line)) listed++;
    }
    const isListItem = /^\s*(?:[-*+]|\d+\.)\s/.test(line);
    if (!isHeading && !isListItem) continue;
    const box = isListItem ? parseCheckbox(line) : null;
    const content = (box ? box.text : line.replace(/^\s*(?:#{1,6}|[-*+]|\d+\.)\s+/, '')).trim();
    const m = ROADMAP_PHASE.exec(content.replace(/^\*\*/, ''));
    if (!m || content.search(/Phase/i) > 2) continue;
    const number = canonicalNumber(m[1]!);
    const name = m[2]!.split('**')[0]!.replace(/\s+[-–—]\s.*$/, '').replace(/\s*\(\d+\s*\/\s*\d+\s*plans?\)\s*$/i, '').trim();
    const phase = phaseOf(number);
    if (phase.name === '') phase.name = name;
    if (phase.checked === null && box) phase.checked = box.checked;
    if (shippedBlock || SAID_COMPLETE.test(content)) saidComplete.add(number);
    const fraction = PLANS_FRACTION.exec(content);
    if (fraction) notePlans(number, Number(fraction[2]));
    if (isHeading) section = number;
  }
  closeSection();
  for (const number of saidComplete) {
    const phase = byNumber.get(number);
    if (phase && phase.checked === null) phase.checked = true;
  }
  return { facts: { kind: 'roadmap', phases: [...byNumber.values()].filter((p) => p.name !== '') }, issues: [] };
}

// ---- STATE.md ----

const STATE_LINE = /^\s*[-*]?\s*\**\s*(Phase|Plan|Status|Progress|Last activity|Stopped at)\s*\**\s*:\s*\**\s*(.*?)\s*$/i;

function percentOf(text: string | null): number | null {
  const m = text ? /(\d+(?:\.\d+)?)\s*%/.exec(text) : null;
  return m ? Number(m[1]) : null;
}

function frontmatterPercent(data: Record<string, unknown>): number | null {
  const progress = getCi(data, 'progress');
  if (!isRecord(progress)) return null;
  const written = str(getCi(progress, 'percent'));
  const percent = written === null ? NaN : Number(written.replace(/\s*%$/, ''));
  return Number.isFinite(percent) ? percent : null;
}

/** STATE.md often contradicts itself: frontmatter first (machine-written), body lines after, and say when they disagree. */
function parseState(relPath: string, text: string): FileParse<GsdFacts> {
  const { fm, issue } = readFrontmatter(relPath, text);
  const body: Record<string, string> = {};
  for (const line of lines(fm.body)) {
    const m = STATE_LINE.exec(line);
    const key = m?.[1]?.toLowerCase();
    if (m && key && !(key in body) && m[2]) body[key] = m[2].replace(/\*\*/g, '').trim();
  }
  const fmPercent = frontmatterPercent(fm.data);
  const bodyPercent = percentOf(body['progress'] ?? null);
  const parts: string[] = [];
  const phase = body['phase'] ?? str(getCi(fm.data, 'current_phase'));
  const plan = body['plan'] ?? str(getCi(fm.data, 'current_plan'));
  if (phase) parts.push(`Phase ${phase}`);
  if (plan) parts.push(`Plan ${plan}`);
  const stoppedAt = str(getCi(fm.data, 'stopped_at')) ?? body['stopped at'];
  if (stoppedAt) parts.push(`Stopped at: ${stoppedAt}`);
  const lastActivity = body['last activity'] ?? str(getCi(fm.data, 'last_activity'));
  if (lastActivity) parts.push(`Last activity: ${lastActivity}`);
  if (fmPercent !== null && bodyPercent !== null && fmPercent !== bodyPercent) {
    parts.push(`Progress line says ${bodyPercent}%`);
  }
  return {
    facts: {
      kind: 'state',
      status: str(getCi(fm.data, 'status')) ?? body['status'] ?? null,
      percent: fmPercent ?? bodyPercent,
      text: parts.length > 0 ? parts.join(' · ') : null,
    },
    issues: issue ? [issue] : [],
  };
}

function parseFile(relPath: string, text: string): FileParse<GsdFacts> {
  const place = placeOf(relPath);
  if (!place) return { facts: null, issues: [{ path: relPath, line: null, message: 'Not a GSD file' }] };
  switch (place.file) {
    case 'plan':
    case 'summary':
      return parsePhaseFile(relPath, text, place);
    case 'quick-plan':
    case 'quick-summary':
      return parseQuick(relPath, text, place.file, place.dir);
    case 'todo':
      return parseTodo(relPath, text, place.name);
    case 'roadmap':
      return parseRoadmap(text);
    case 'state':
      return parseState(relPath, text);
  }
}

// ---- Combining the files ----

interface PhaseFolder {
  dir: string;
  number: string;
  slug: string;
  plans: Map<string, { path: string; facts: PlanFacts }>;
  summaries: Map<string, { path: string; facts: SummaryFacts }>;
}

function phaseFolders(files: ReadonlyMap<string, GsdFacts>): PhaseFolder[] {
  const folders = new Map<string, PhaseFolder>();
  for (const [path, facts] of files) {
    if (facts.kind !== 'plan' && facts.kind !== 'summary') continue;
    let folder = folders.get(facts.phaseDir);
    if (!folder) {
      const m = PHASE_DIR.exec(facts.phaseDir);
      folder = { dir: facts.phaseDir, number: m?.[1] ?? facts.phaseDir, slug: m?.[2] ?? '', plans: new Map(), summaries: new Map() };
      folders.set(facts.phaseDir, folder);
    }
    // A plan found in both layouts is one plan: the first path (sorted) describes it.
    if (facts.kind === 'plan') keepFirst(folder.plans, facts.planKey, { path, facts });
    else keepFirst(folder.summaries, facts.planKey, { path, facts });
  }
  return [...folders.values()].sort((a, b) => comparePhaseNumbers(a.number, b.number) || a.dir.localeCompare(b.dir));
}

function keepFirst<T extends { path: string }>(map: Map<string, T>, key: string, entry: T): void {
  const known = map.get(key);
  if (!known || entry.path < known.path) map.set(key, entry);
}

function phaseStatus(plans: number, summaries: number): Status {
  if (plans > 0 && summaries >= plans) return 'done';
  return summaries > 0 ? 'in_progress' : 'todo';
}

function phaseTitle(number: string, name: string | null, slug: string): string {
  const words = name ?? (slug ? titleFromSlug(slug) : '');
  return words ? `Phase ${canonicalNumber(number)}: ${words}` : `Phase ${canonicalNumber(number)}`;
}

function planItems(folder: PhaseFolder, code: string, phaseId: string): PlanItem[] {
  return [...folder.plans.entries()]
    .sort(([a], [b]) => a.localeCompare(b, undefined, { numeric: true }))
    .map(([key, plan]) => {
      const summary = folder.summaries.get(key);
      const status: Status = summary ? 'done' : 'todo';
      const tasks = plan.facts.tasks;
      return {
        id: `gsd:plan:${code}-${key}`,
        source: 'gsd',
        kind: 'plan',
        title: plan.facts.title ?? summary?.facts.title ?? `Plan ${code}-${key}`,
        status,
        rawStatus: '',
        progress: tasks > 0 ? { done: summary ? tasks : 0, total: tasks } : progressFromStatus(status),
        path: plan.path,
        parent: phaseId,
      };
    });
}

function readRoadmap(files: ReadonlyMap<string, GsdFacts>): { path: string | null; phases: Map<string, RoadmapPhase> } {
  const phases = new Map<string, RoadmapPhase>();
  let path: string | null = null;
  for (const [p, facts] of files) {
    if (facts.kind !== 'roadmap') continue;
    path = p;
    for (const phase of facts.phases) phases.set(phase.number, phase);
  }
  return { path, phases };
}

/**
 * A phase is done when every plan it has is done: the plans on disk, or as many as the roadmap
 * gives it when that is more (a phase with `Plans: 2 plans`, one PLAN written and summarized, is
 * half done, not done) — or when the roadmap ticks it: GSD trusts its checkbox over the disk (a
 * plan deferred to a later phase keeps its PLAN file); the count still shows what is summarized.
 */
function folderPhase(folder: PhaseFolder, code: string, roadmap: RoadmapPhase | undefined): PlanItem {
  const plans = Math.max(folder.plans.size, roadmap?.plans ?? 0);
  const summaries = folder.summaries.size;
  return {
    id: `gsd:phase:${code}`,
    source: 'gsd',
    kind: 'phase',
    title: phaseTitle(folder.number, roadmap?.name ?? null, folder.slug),
    status: roadmap?.checked === true ? 'done' : phaseStatus(plans, summaries),
    rawStatus: '',
    progress: { done: Math.min(summaries, plans), total: plans },
    path: `.planning/phases/${folder.dir}`,
    parent: null,
  };
}

/** A phase the roadmap lists with no folder: not started yet, or its folder moved to milestones/ when shipped. */
function roadmapOnlyPhase(phase: RoadmapPhase, code: string, roadmapPath: string): PlanItem {
  const status: Status = phase.checked ? 'done' : 'todo';
  return {
    id: `gsd:phase:${code}`,
    source: 'gsd',
    kind: 'phase',
    title: phaseTitle(phase.number, phase.name, ''),
    status,
    rawStatus: '',
    // Its plans, when the roadmap counts them: all of them for a phase it ticks, none yet otherwise.
    progress: phase.plans ? { done: status === 'done' ? phase.plans : 0, total: phase.plans } : progressFromStatus(status),
    path: roadmapPath,
    parent: null,
  };
}

function derivePhases(files: ReadonlyMap<string, GsdFacts>): PlanItem[] {
  const roadmap = readRoadmap(files);
  const groups: { number: string; items: PlanItem[] }[] = [];
  const takenCodes = new Set<string>();
  for (const folder of phaseFolders(files)) {
    // Two folders with one number (a renamed phase left behind): the second keeps its full name.
    const padded = paddedNumber(folder.number);
    const code = takenCodes.has(padded) ? folder.dir : padded;
    takenCodes.add(code);
    const phase = folderPhase(folder, code, roadmap.phases.get(canonicalNumber(folder.number)));
    groups.push({ number: folder.number, items: [phase, ...planItems(folder, code, phase.id)] });
  }
  for (const phase of roadmap.phases.values()) {
    const code = paddedNumber(phase.number);
    if (takenCodes.has(code)) continue;
    takenCodes.add(code);
    groups.push({ number: phase.number, items: [roadmapOnlyPhase(phase, code, roadmap.path ?? '.planning/ROADMAP.md')] });
  }
  // Stable sort: folders sharing a number keep their order.
  return groups.sort((a, b) => comparePhaseNumbers(a.number, b.number)).flatMap((g) => g.items);
}

function deriveQuick(files: ReadonlyMap<string, GsdFacts>): PlanItem[] {
  const tasks = new Map<string, { plan?: { path: string; title: string | null }; summary?: { path: string; title: string | null } }>();
  for (const [path, facts] of files) {
    if (facts.kind !== 'quick-plan' && facts.kind !== 'quick-summary') continue;
    const task = tasks.get(facts.dir) ?? {};
    task[facts.kind === 'quick-plan' ? 'plan' : 'summary'] = { path, title: facts.title };
    tasks.set(facts.dir, task);
  }
  const taken = new Set<string>();
  const items: PlanItem[] = [];
  for (const [dir, task] of [...tasks].sort(([a], [b]) => a.localeCompare(b, undefined, { numeric: true }))) {
    const [, number = dir, slug = ''] = /^(\d+)-(.*)$/.exec(dir) ?? [];
    const code = taken.has(number) ? dir : number;
    taken.add(code);
    const status: Status = task.summary ? 'done' : 'todo';
    items.push({
      id: `gsd:quick:${code}`,
      source: 'gsd',
      kind: 'quick',
      title: task.plan?.title ?? task.summary?.title ?? titleFromSlug(slug),
      status,
      rawStatus: '',
      progress: progressFromStatus(status),
      path: task.plan?.path ?? task.summary?.path ?? `.planning/quick/${dir}`,
      parent: null,
    });
  }
  return items;
}

function deriveTodos(files: ReadonlyMap<string, GsdFacts>): StubItem[] {
  const stubs: StubItem[] = [];
  for (const [path, facts] of files) {
    if (facts.kind !== 'todo') continue;
    stubs.push({
      id: `gsd:todo:${facts.name}`,
      source: 'gsd',
      title: facts.title ?? titleFromSlug(facts.name.replace(/^\d{4}-\d{2}-\d{2}-/, '')),
      // A pending todo is an idea not yet planned; the folder it sits in is its status.
      status: 'backlog',
      rawStatus: 'pending',
      path,
    });
  }
  return stubs.sort((a, b) => a.path.localeCompare(b.path));
}

function deriveReported(files: ReadonlyMap<string, GsdFacts>): Reported[] {
  const reported: Reported[] = [];
  for (const [path, facts] of files) {
    if (facts.kind !== 'state') continue;
    reported.push({ source: 'gsd', path, status: facts.status, percent: facts.percent, text: facts.text });
  }
  return reported;
}

function deriveAll(files: ReadonlyMap<string, GsdFacts>): SourceItems {
  return {
    ...emptyItems(),
    plans: [...derivePhases(files), ...deriveQuick(files)],
    stubs: deriveTodos(files),
    reported: deriveReported(files),
  };
}


export const gsd: SourceAdapter<GsdFacts> = {
  id: 'gsd',
  label: 'GSD',
  roots: [{ path: '.planning' }],
  owns: (relPath) => placeOf(relPath) !== null,
  parse: parseFile,
  derive: deriveAll,
};
