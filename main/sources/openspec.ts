// OpenSpec: `openspec/changes/<id>/{proposal.md, tasks.md, design.md}`, one plan per change.
// A finished change is moved to `openspec/changes/archive/YYYY-MM-DD-<id>/`: the move is the
// evidence, so an archived change is done whatever its checkboxes say.
//
// An archived change keeps the id it had while active (the date prefix is dropped), so
// archiving reads as the same plan turning done rather than one vanishing and another
// appearing. When an id is taken twice (a change re-proposed after an earlier one with the
// same name was archived), the active one keeps the plain id and each other copy gets its
// archive date: `openspec:change:<id>@YYYY-MM-DD`.
import type { PlanItem, Status } from '../../shared/model';
import { progressFromStatus } from './status';
import { checkboxes, countChecked, firstHeading, isTempOrLock, segments, titleFromSlug } from './text';
import { emptyItems, type FileParse, type SourceAdapter, type SourceItems } from './types';

const CHANGE_FILES = ['proposal.md', 'tasks.md', 'design.md'] as const;
type ChangeFile = (typeof CHANGE_FILES)[number];
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
  const file = CHANGE_FILES.find((f) => f === parts[parts.length - 1]?.toLowerCase());
  if (!file) return null;
  if (parts.length === 4 && parts[2] !== ARCHIVE) {
    return { folder: parts.slice(0, 3).join('/'), id: parts[2]!, archivedOn: null, archived: false, file };
  }
  if (parts.length === 5 && parts[2] === ARCHIVE) {
    const dated = DATED.exec(parts[3]!);
    const id = dated?.[2] ?? parts[3]!;
    return { folder: parts.slice(0, 4).join('/'), id, archivedOn: dated?.[1] ?? null, archived: true, file };
  }
  return null;
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
      return { facts: { file: where.file, title: null, progress: countChecked(checkboxes(text)) }, issues: [] };
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
  if (!progress || progress.total === 0) return 'todo';
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
    // Checkboxes as they are, even on an archived change; without any, the status is the progress.
    progress: progress && progress.total > 0 ? progress : progressFromStatus(status),
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
    change.files.set(location.file, { path, facts: fileFacts });
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
