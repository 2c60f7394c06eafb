// Kiro specs: `.kiro/specs/<feature>/{requirements.md, design.md, tasks.md}`, one plan per
// feature. tasks.md is a two-level checklist (`- [ ] 1. Task`, `- [ ] 1.1 Sub`); Kiro writes
// `- [-]` while it works on a task and `- [ ]*` for an optional one.
//
// Progress counts leaf tasks only: a task with sub-tasks is the sum of them, so checking the
// parent box does not count the same work twice. Optional tasks (and the sub-tasks of an
// optional task) are left out of done/total: Kiro lets a spec finish without them, and a spec
// whose required work is all done should read as done.
import type { PlanItem, Status } from '../../shared/model';
import { progressFromStatus } from './status';
import { isTempOrLock, lines, parseCheckbox, segments, titleFromSlug } from './text';
import { emptyItems, type FileParse, type SourceAdapter, type SourceItems } from './types';

const ROOT = '.kiro/specs';
const SPEC_FILES = ['requirements.md', 'design.md', 'tasks.md'] as const;
type SpecFile = (typeof SPEC_FILES)[number];

export interface KiroFacts {
  file: SpecFile;
  /** Required leaf tasks of tasks.md; null for the other files. */
  progress: { done: number; total: number } | null;
  /** Some box is checked or marked in progress (`[-]`), optional ones included. */
  started: boolean;
}

interface Task {
  level: number;
  checked: boolean;
  inProgress: boolean;
  optional: boolean;
}

/** `<feature>` and the file name of a path this adapter owns, or null. */
function specPath(relPath: string): { feature: string; file: SpecFile } | null {
  const parts = segments(relPath);
  if (parts.length !== 4 || `${parts[0]}/${parts[1]}` !== ROOT) return null;
  const file = SPEC_FILES.find((f) => f === parts[3]?.toLowerCase());
  return file && parts[2] ? { feature: parts[2], file } : null;
}

// `1.` / `2.1` / `3.1.2` before the task text gives its level; Kiro writes sub-tasks at the
// parent's indent as often as below it, so the number is a better guide than the indent.
const NUMBERED = /^(\d+(?:\.\d+)*)\.?(?:\s|$)/;

/** Every task line of tasks.md, with its level in the task tree. */
function readTasks(text: string): Task[] {
  const tasks: Task[] = [];
  const indents: { indent: number; level: number }[] = [];
  for (const raw of lines(text)) {
    // `[-]` is Kiro's "in progress": an open box as far as counting goes.
    const inProgress = /^[ \t]*(?:[-*+][ \t]*)?\[-\]/.test(raw);
    const box = parseCheckbox(inProgress ? raw.replace('[-]', '[ ]') : raw);
    if (!box) continue;
    while (indents.length > 0 && indents[indents.length - 1]!.indent >= box.indent) indents.pop();
    const number = NUMBERED.exec(box.text)?.[1];
    const level = number ? number.split('.').length : (indents[indents.length - 1]?.level ?? 0) + 1;
    indents.push({ indent: box.indent, level });
    tasks.push({ level, checked: box.checked, inProgress, optional: box.optional });
  }
  return tasks;
}

function requiredLeafProgress(tasks: readonly Task[]): { done: number; total: number } {
  let done = 0;
  let total = 0;
  // optionalAt[l] says whether the nearest task at level l (an ancestor of what follows) is optional.
  const optionalAt: boolean[] = [];
  tasks.forEach((task, i) => {
    optionalAt.length = task.level;
    const optional = task.optional || optionalAt.some(Boolean);
    optionalAt[task.level] = optional;
    const isLeaf = (tasks[i + 1]?.level ?? 0) <= task.level;
    if (!isLeaf || optional) return;
    total++;
    if (task.checked) done++;
  });
  return { done, total };
}

function parseTasksFile(text: string): KiroFacts {
  const tasks = readTasks(text);
  return {
    file: 'tasks.md',
    progress: requiredLeafProgress(tasks),
    started: tasks.some((t) => t.checked || t.inProgress),
  };
}

function parse(relPath: string, text: string): FileParse<KiroFacts> {
  const spec = specPath(relPath);
  if (!spec) return { facts: null, issues: [{ path: relPath, line: null, message: 'Not a Kiro spec file' }] };
  if (spec.file === 'tasks.md') return { facts: parseTasksFile(text), issues: [] };
  return { facts: { file: spec.file, progress: null, started: false }, issues: [] };
}

/** Kiro has no status field: the checkboxes are the evidence. */
function specStatus(tasks: KiroFacts | undefined): Status {
  const progress = tasks?.progress;
  if (progress && progress.total > 0 && progress.done === progress.total) return 'done';
  return tasks?.started ? 'in_progress' : 'todo';
}

function specPlan(feature: string, files: Map<SpecFile, string>, facts: ReadonlyMap<string, KiroFacts>): PlanItem {
  // The plan points at the file that says the most about progress.
  const path = files.get('tasks.md') ?? files.get('requirements.md') ?? files.get('design.md') ?? '';
  const tasksPath = files.get('tasks.md');
  const tasks = tasksPath === undefined ? undefined : facts.get(tasksPath);
  const status = specStatus(tasks);
  return {
    id: `kiro:spec:${feature}`,
    source: 'kiro',
    kind: 'spec',
    title: titleFromSlug(feature),
    status,
    rawStatus: '',
    // Nothing to count yet (no tasks.md, or optional tasks only): the status is the progress.
    progress: tasks?.progress && tasks.progress.total > 0 ? tasks.progress : progressFromStatus(status),
    path,
    parent: null,
  };
}

function derive(facts: ReadonlyMap<string, KiroFacts>): SourceItems {
  const items = emptyItems();
  const features = new Map<string, Map<SpecFile, string>>();
  for (const path of [...facts.keys()].sort()) {
    const spec = specPath(path);
    if (!spec) continue;
    const files = features.get(spec.feature) ?? new Map<SpecFile, string>();
    files.set(spec.file, path);
    features.set(spec.feature, files);
  }
  for (const [feature, files] of features) items.plans.push(specPlan(feature, files, facts));
  return items;
}

export const kiro: SourceAdapter<KiroFacts> = {
  id: 'kiro',
  label: 'Kiro',
  roots: [{ path: ROOT }],
  owns: (relPath) => !isTempOrLock(relPath) && specPath(relPath) !== null,
  parse,
  derive,
};
