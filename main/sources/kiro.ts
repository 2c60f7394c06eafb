// Kiro specs: `.kiro/specs/<feature>/{requirements.md, design.md, tasks.md}`, one plan per
// feature. tasks.md is a two-level checklist (`- [ ] 1. Task`, `- [ ] 1.1 Sub`); Kiro writes
// `- [-]` while it works on a task, `- [~]` for one queued, and `- [ ]*` for an optional one.
//
// Counted the way Kiro's task list shows a spec: every required task that has no required
// sub-task of its own. A task with required sub-tasks is the sum of them (checking the parent
// does not count the same work twice); a parent whose sub-tasks are all optional is a task
// itself. Optional tasks, and everything under one, are left out: Kiro lets a spec finish
// without them. Only bracket boxes are tasks: `- ✅ …` bullets and `✅ **…**` summaries are prose.
import type { PlanItem, Status } from '../../shared/model';
import { isTempOrLock, lines, segments, titleFromSlug } from './text';
import { emptyItems, type FileParse, type SourceAdapter, type SourceItems } from './types';

const ROOT = '.kiro/specs';
const SPEC_FILES = ['requirements.md', 'design.md', 'tasks.md'] as const;
type SpecFile = (typeof SPEC_FILES)[number];

export interface KiroFacts {
  file: SpecFile;
  /** Required tasks of tasks.md as Kiro counts them; null for the other files. */
  progress: { done: number; total: number } | null;
  /** Some box is checked or marked in progress (`[-]`, `[~]`), optional ones included. */
  started: boolean;
}

interface Task {
  /** The task's line: its identity (a number can be written twice). */
  line: number;
  /** The line of the task it is a sub-task of, or null. */
  parent: number | null;
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

// `- [ ] 1. Task`, `- [x]* 2.3 Test`, `  - [-] 1.1 Sub`, and the dash-less ` [ ] 16.2 Sub` Kiro users write.
const TASK_LINE = /^([ \t]*)(?:[-*+][ \t]*)?\[([ xX~-])\](\*)?[ \t]*(.*)$/;
// `1.` / `2.1` / `3.1.2` before the task text is its number, and `2.1` is a sub-task of the
// nearest `2` above it (of the first `2` below when none is above), whatever the indents: Kiro
// users put sub-tasks at the parent's indent as often as below it, and some files list the
// parents first and their sub-tasks in a later section.
const NUMBERED = /^\**(\d+(?:\.\d+)*)\.?(?:\s|\*|$)/;

function indentWidth(ws: string): number {
  let n = 0;
  for (const ch of ws) n += ch === '\t' ? 4 : 1;
  return n;
}

/** Every task line of tasks.md (outside code fences), with its place in the task tree. */
function readTasks(text: string): Task[] {
  const tasks: Task[] = [];
  // Unnumbered tasks nest by indentation under the nearest task above them.
  const indents: { indent: number; line: number }[] = [];
  const firstByNumber = new Map<string, number>();
  const numbers = new Map<Task, string>();
  let fence: string | null = null;
  lines(text).forEach((raw, i) => {
    const marker = /^\s*(`{3,}|~{3,})/.exec(raw)?.[1];
    if (marker !== undefined) {
      if (fence === null) fence = marker[0]!;
      else if (marker[0] === fence) fence = null;
      return;
    }
    if (fence !== null) return;
    const m = TASK_LINE.exec(raw.replace(/\s+$/, ''));
    if (!m) return;
    const line = i + 1;
    const indent = indentWidth(m[1] ?? '');
    const mark = m[2]!;
    while (indents.length > 0 && indents[indents.length - 1]!.indent >= indent) indents.pop();
    const number = NUMBERED.exec(m[4] ?? '')?.[1];
    const task: Task = { line, parent: null, checked: mark === 'x' || mark === 'X', inProgress: mark === '-' || mark === '~', optional: m[3] === '*' };
    if (number === undefined) task.parent = indents[indents.length - 1]?.line ?? null;
    else {
      numbers.set(task, number);
      if (!firstByNumber.has(number)) firstByNumber.set(number, line);
    }
    indents.push({ indent, line });
    tasks.push(task);
  });
  // Sub-tasks find their parent once every number is known (a parent may come later).
  const seenAbove = new Map<string, number>();
  for (const task of tasks) {
    const number = numbers.get(task);
    if (number === undefined) continue;
    if (number.includes('.')) {
      const parentNumber = number.slice(0, number.lastIndexOf('.'));
      task.parent = seenAbove.get(parentNumber) ?? firstByNumber.get(parentNumber) ?? null;
    }
    seenAbove.set(number, task.line);
  }
  return tasks;
}

/** Required tasks without required sub-tasks: the ones Kiro's list asks a person to do. */
function requiredProgress(tasks: readonly Task[]): { done: number; total: number } {
  const byLine = new Map(tasks.map((t) => [t.line, t]));
  const isOptional = (task: Task): boolean => {
    const seen = new Set<Task>();
    for (let t: Task | undefined = task; t && !seen.has(t); t = t.parent === null ? undefined : byLine.get(t.parent)) {
      if (t.optional) return true;
      seen.add(t);
    }
    return false;
  };
  const required = tasks.filter((t) => !isOptional(t));
  const withRequiredChildren = new Set<number>();
  for (const task of required) if (task.parent !== null) withRequiredChildren.add(task.parent);
  const counted = required.filter((t) => !withRequiredChildren.has(t.line));
  return { done: counted.filter((t) => t.checked).length, total: counted.length };
}

function parseTasksFile(text: string): KiroFacts {
  const tasks = readTasks(text);
  return {
    file: 'tasks.md',
    progress: requiredProgress(tasks),
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
    // No tasks.md yet (requirements and design only) is a spec with nothing to count: 0 of 0.
    progress: tasks?.progress ?? { done: 0, total: 0 },
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
