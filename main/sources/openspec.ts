// OpenSpec: `openspec/changes/<id>/{proposal.md, tasks.md, design.md}`, one plan per change.
// Like `openspec list`, every folder in `changes/` is a change, whatever it holds (only spec
// deltas, a misnamed `task.md`): a change without tasks is a draft, never dropped.
// A finished change is moved to `openspec/changes/archive/YYYY-MM-DD-<id>/`: the move is the
// evidence, so an archived change is done whatever its checkboxes say.
//
// An archived change keeps the id it had while active (the date prefix is dropped), so
// archiving reads as the same plan turning done rather than one vanishing and another
// appearing. When an id is taken twice (a change re-proposed after an earlier one with the
// same name was archived), the active one keeps the plain id and each other copy gets its
// archive date: `openspec:change:<id>@YYYY-MM-DD`.
import type { PlanItem, Status } from '../../shared/model';
import { firstHeading, isTempOrLock, lines, segments, titleFromSlug } from './text';
import { emptyItems, type FileParse, type SourceAdapter, type SourceItems } from './types';

const CHANGE_FILES = ['proposal.md', 'tasks.md', 'design.md'] as const;
/** Any other Markdown or YAML file in a change folder (spec deltas, notes): it says the change exists. */
type ChangeFile = (typeof CHANGE_FILES)[number] | 'other';
const OTHER_FILE = /\.(?:md|ya?ml)$/i;
const ARCHIVE = 'archive';
const DATED = /^(\d{4}-\d{2}-\d{2})-(.+)$/;

export interface OpenspecFacts {
  file: ChangeFile;
  /** From proposal.md's first `# ` heading, when it has one. */
  title: string | null;
  /** Checkboxes of tasks.md; null for the other files. */
  progress: { done: number; total: number } | null;
}

interface ChangeLocation {
  /** The change folder, root-relative: the key that groups a change's files. */
  folder: string;
  id: string;
  /** `YYYY-MM-DD` for an archived change, null for an active one. */
  archivedOn: string | null;
  archived: boolean;
  file: ChangeFile;
}

function locate(relPath: string): ChangeLocation | null {
  const parts = segments(relPath);
  if (parts[0] !== 'openspec' || parts[1] !== 'changes') return null;
  const archived = parts[2] === ARCHIVE;
  // The change folder's own depth: `changes/<id>/` or `changes/archive/<date>-<id>/`.
  const depth = archived ? 4 : 3;
  if (parts.length <= depth) return null;
  const name = parts[parts.length - 1]!;
  const own = parts.length === depth + 1 ? CHANGE_FILES.find((f) => f === name.toLowerCase()) : undefined;
  const file: ChangeFile | null = own ?? (OTHER_FILE.test(name) ? 'other' : null);
  if (!file) return null;
  const folder = parts.slice(0, depth).join('/');
  if (!archived) return { folder, id: parts[2]!, archivedOn: null, archived: false, file };
  const dated = DATED.exec(parts[3]!);
  return { folder, id: dated?.[2] ?? parts[3]!, archivedOn: dated?.[1] ?? null, archived: true, file };
}

// OpenSpec's own task line (`TASK_LINE_PATTERN` in its task-progress.ts): a `-` or `*` bullet
// with a `[ ]` or `[x]` box, at any indent. Numbered items, `+` bullets and `✅` lines are notes.
const TASK_LINE = /^\s*[-*]\s*\[([\sxX])\]/;

function tasksProgress(text: string): { done: number; total: number } {
  let done = 0;
  let total = 0;
  for (const line of lines(text)) {
    const box = TASK_LINE.exec(line);
    if (!box) continue;
    total++;
    if (box[1] === 'x' || box[1] === 'X') done++;
  }
  return { done, total };
}

/** `# Change: Add 2FA` → `Add 2FA`: the label is template, not title. */
function proposalTitle(text: string): string | null {
  const heading = firstHeading(text, 1);
  return heading?.replace(/^(change|proposal)\s*:\s*/i, '').trim() || null;
}

function parse(relPath: string, text: string): FileParse<OpenspecFacts> {
  const where = locate(relPath);
  if (!where) return { facts: null, issues: [{ path: relPath, line: null, message: 'Not an OpenSpec change file' }] };
  switch (where.file) {
    case 'proposal.md':
      return { facts: { file: where.file, title: proposalTitle(text), progress: null }, issues: [] };
    case 'tasks.md':
      return { facts: { file: where.file, title: null, progress: tasksProgress(text) }, issues: [] };
    default:
      return { facts: { file: where.file, title: null, progress: null }, issues: [] };
  }
}

interface Change {
  location: ChangeLocation;
  files: Map<ChangeFile, { path: string; facts: OpenspecFacts }>;
}

function changeStatus(change: Change, progress: { done: number; total: number } | null): Status {
  if (change.location.archived) return 'done';
  // What `openspec view` calls a draft: proposed, no tasks yet.
  if (!progress || progress.total === 0) return 'backlog';
  if (progress.done === progress.total) return 'done';
  return progress.done > 0 ? 'in_progress' : 'todo';
}

function changePlan(change: Change, id: string): PlanItem {
  const { files, location } = change;
  const progress = files.get('tasks.md')?.facts.progress ?? null;
  const status = changeStatus(change, progress);
  return {
    id,
    source: 'openspec',
    kind: 'change',
    title: files.get('proposal.md')?.facts.title ?? titleFromSlug(location.id),
    status,
    rawStatus: '',
    // Checkboxes as they are, even on an archived change; without any, 0 of 0 (not an invented 0 of 1).
    progress: progress ?? { done: 0, total: 0 },
    path: (files.get('tasks.md') ?? files.get('proposal.md') ?? files.get('design.md'))?.path ?? location.folder,
    parent: null,
  };
}

function groupChanges(facts: ReadonlyMap<string, OpenspecFacts>): Change[] {
  const changes = new Map<string, Change>();
  for (const path of [...facts.keys()].sort()) {
    const location = locate(path);
    const fileFacts = facts.get(path);
    if (!location || !fileFacts) continue;
    const change = changes.get(location.folder) ?? { location, files: new Map() };
    if (!change.files.has(location.file)) change.files.set(location.file, { path, facts: fileFacts });
    changes.set(location.folder, change);
  }
  return [...changes.values()];
}

/** Active changes first, then archived ones newest first: that is who gets the plain id. */
function byClaimOnId(a: Change, b: Change): number {
  if (a.location.archived !== b.location.archived) return a.location.archived ? 1 : -1;
  const dateA = a.location.archivedOn ?? '';
  const dateB = b.location.archivedOn ?? '';
  if (dateA !== dateB) return dateA < dateB ? 1 : -1;
  return a.location.folder < b.location.folder ? -1 : 1;
}

function derive(facts: ReadonlyMap<string, OpenspecFacts>): SourceItems {
  const items = emptyItems();
  const taken = new Set<string>();
  for (const change of groupChanges(facts).sort(byClaimOnId)) {
    let id = `openspec:change:${change.location.id}`;
    if (taken.has(id)) id = `${id}@${change.location.archivedOn ?? change.location.folder}`;
    // Two undated archive folders with the same name cannot happen on one disk, so this is unique.
    taken.add(id);
    items.plans.push(changePlan(change, id));
  }
  return items;
}

export const openspec: SourceAdapter<OpenspecFacts> = {
  id: 'openspec',
  label: 'OpenSpec',
  roots: [{ path: 'openspec' }],
  owns: (relPath) => !isTempOrLock(relPath) && locate(relPath) !== null,
  parse,
  derive,
};
