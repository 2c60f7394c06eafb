// Task Master: `.taskmaster/tasks/tasks.json` (legacy `tasks/tasks.json`) holds tasks with
// subtasks; `.taskmaster/state.json` names the tag the user is working in. One plan per task;
// subtasks are the task's progress, not plans of their own.
//
// Tags: every tag's tasks are plans, not only the current tag's. A tag is a parallel task
// list (a branch, an experiment), and work in it is still work in the project; hiding it would
// make a switch of tag look like tasks vanishing. The id always names the tag
// (`taskmaster:<tag>:<id>`), and titles of tasks outside the current tag start with `[tag]`
// so a person can tell the lists apart.
import type { ParseIssue, PlanItem } from '../../shared/model';
import { normalizeStatus, progressFromStatus } from './status';
import { isRecord, readJson, str } from './structured';
import { isTempOrLock, segments } from './text';
import { emptyItems, type FileParse, type SourceAdapter, type SourceItems } from './types';

const TASKS_FILE = '.taskmaster/tasks/tasks.json';
const LEGACY_TASKS_FILE = 'tasks/tasks.json';
const STATE_FILE = '.taskmaster/state.json';
/** The tag Task Master uses when none is chosen, and the tag the legacy form's tasks belong to. */
const DEFAULT_TAG = 'master';

interface SubtaskFact {
  id: string;
  rawStatus: string;
}

interface TaskFact {
  id: string;
  title: string;
  rawStatus: string;
  subtasks: SubtaskFact[];
}

interface TagFact {
  tag: string;
  tasks: TaskFact[];
}

export type TaskmasterFacts =
  | { kind: 'tasks'; tags: TagFact[] }
  | { kind: 'state'; currentTag: string | null };

function normalizePath(relPath: string): string {
  return segments(relPath).join('/');
}

function describeJson(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  return `a ${typeof value}`;
}

function firstLine(text: string | null): string | null {
  return text?.split(/\r?\n/)[0]?.trim() || null;
}

function readSubtasks(raw: unknown, where: string, path: string, issues: ParseIssue[]): SubtaskFact[] {
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw)) {
    issues.push({ path, line: null, message: `${where}: "subtasks" is ${describeJson(raw)}, not a list; ignored` });
    return [];
  }
  const subtasks: SubtaskFact[] = [];
  raw.forEach((entry, i) => {
    if (!isRecord(entry)) {
      issues.push({ path, line: null, message: `${where}: subtask ${i + 1} is ${describeJson(entry)}, not an object; skipped` });
      return;
    }
    subtasks.push({ id: str(entry.id) ?? String(i + 1), rawStatus: str(entry.status) ?? '' });
  });
  return subtasks;
}

function readTask(entry: unknown, position: number, tag: string, path: string, issues: ParseIssue[]): TaskFact | null {
  const where = `Tag "${tag}", task ${position}`;
  if (!isRecord(entry)) {
    issues.push({ path, line: null, message: `${where} is ${describeJson(entry)}, not an object; skipped` });
    return null;
  }
  const id = str(entry.id);
  if (id === null) {
    issues.push({ path, line: null, message: `${where} has no id; skipped` });
    return null;
  }
  return {
    id,
    title: str(entry.title) ?? firstLine(str(entry.description)) ?? `Task ${id}`,
    rawStatus: str(entry.status) ?? '',
    subtasks: readSubtasks(entry.subtasks, `Tag "${tag}", task ${id}`, path, issues),
  };
}

function readTaskList(list: unknown[], tag: string, path: string, issues: ParseIssue[]): TaskFact[] {
  const seen = new Set<string>();
  const tasks: TaskFact[] = [];
  list.forEach((entry, i) => {
    const task = readTask(entry, i + 1, tag, path, issues);
    if (!task) return;
    // Ids must stay unique; the first task with an id is the one Task Master itself finds.
    if (seen.has(task.id)) {
      issues.push({ path, line: null, message: `Tag "${tag}": task id ${task.id} appears twice; the second is skipped` });
      return;
    }
    seen.add(task.id);
    tasks.push(task);
  });
  return tasks;
}

function parseTasksFile(path: string, text: string): FileParse<TaskmasterFacts> {
  const read = readJson(path, text);
  if (!read.ok) return { facts: null, issues: [read.issue] };
  const root = read.value;
  if (!isRecord(root)) {
    const message = `Expected an object of tags (or {"tasks": [...]}), found ${describeJson(root)}`;
    return { facts: null, issues: [{ path, line: null, message }] };
  }
  const issues: ParseIssue[] = [];
  // Legacy form: the task list sits at the top, beside an optional `meta`.
  if (Array.isArray(root.tasks)) {
    return { facts: { kind: 'tasks', tags: [{ tag: DEFAULT_TAG, tasks: readTaskList(root.tasks, DEFAULT_TAG, path, issues) }] }, issues };
  }
  const tags: TagFact[] = [];
  for (const [tag, value] of Object.entries(root)) {
    if (isRecord(value) && Array.isArray(value.tasks)) {
      tags.push({ tag, tasks: readTaskList(value.tasks, tag, path, issues) });
    } else {
      issues.push({ path, line: null, message: `"${tag}" is not a tag with a "tasks" list; skipped` });
    }
  }
  return { facts: { kind: 'tasks', tags }, issues };
}

function parseStateFile(path: string, text: string): FileParse<TaskmasterFacts> {
  const read = readJson(path, text);
  if (!read.ok) return { facts: null, issues: [read.issue] };
  if (!isRecord(read.value)) {
    return { facts: null, issues: [{ path, line: null, message: `Expected an object, found ${describeJson(read.value)}` }] };
  }
  return { facts: { kind: 'state', currentTag: str(read.value.currentTag) }, issues: [] };
}

function taskProgress(task: TaskFact): { done: number; total: number } {
  if (task.subtasks.length === 0) return progressFromStatus(normalizeStatus(task.rawStatus));
  const done = task.subtasks.filter((s) => normalizeStatus(s.rawStatus) === 'done').length;
  return { done, total: task.subtasks.length };
}

function taskPlan(task: TaskFact, tag: string, currentTag: string, path: string): PlanItem {
  return {
    id: `taskmaster:${tag}:${task.id}`,
    source: 'taskmaster',
    kind: 'task',
    title: tag === currentTag ? task.title : `[${tag}] ${task.title}`,
    status: normalizeStatus(task.rawStatus),
    rawStatus: task.rawStatus,
    progress: taskProgress(task),
    path,
    parent: null,
  };
}

function derive(files: ReadonlyMap<string, TaskmasterFacts>): SourceItems {
  const items = emptyItems();
  const state = files.get(STATE_FILE);
  const currentTag = (state?.kind === 'state' ? state.currentTag : null) ?? DEFAULT_TAG;
  // When both exist, Task Master reads `.taskmaster/` and the legacy file is a leftover of a migration:
  // showing both would list every task twice under the same ids.
  const path = files.get(TASKS_FILE)?.kind === 'tasks' ? TASKS_FILE : LEGACY_TASKS_FILE;
  const tasks = files.get(path);
  if (tasks?.kind !== 'tasks') return items;
  for (const { tag, tasks: list } of tasks.tags) {
    for (const task of list) items.plans.push(taskPlan(task, tag, currentTag, path));
  }
  return items;
}

export const taskmaster: SourceAdapter<TaskmasterFacts> = {
  id: 'taskmaster',
  label: 'Task Master',
  roots: [{ path: '.taskmaster' }, { path: 'tasks', depth: 0 }],
  owns(relPath) {
    if (isTempOrLock(relPath)) return false;
    const path = normalizePath(relPath);
    return path === TASKS_FILE || path === LEGACY_TASKS_FILE || path === STATE_FILE;
  },
  parse(relPath, text) {
    return normalizePath(relPath) === STATE_FILE ? parseStateFile(relPath, text) : parseTasksFile(relPath, text);
  },
  derive,
};
