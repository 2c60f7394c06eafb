import { describe, expect, test } from 'vitest';
import { taskmaster, type TaskmasterFacts } from '../../../main/sources/taskmaster';

/** Parse each file, then derive them together, as the engine does. */
function scan(files: Record<string, string>) {
  const facts = new Map<string, TaskmasterFacts>();
  const issues = [];
  for (const [path, text] of Object.entries(files)) {
    const parsed = taskmaster.parse(path, text);
    issues.push(...parsed.issues);
    if (parsed.facts) facts.set(path, parsed.facts);
  }
  return { ...taskmaster.derive(facts), parseIssues: issues };
}

const TAGGED = `{
  "master": {
    "tasks": [
      {
        "id": 1,
        "title": "Set up repository",
        "description": "Create the repo and CI",
        "status": "done",
        "priority": "high",
        "dependencies": [],
        "subtasks": []
      },
      {
        "id": 2,
        "title": "Build the parser",
        "description": "Parse the PRD",
        "status": "in-progress",
        "dependencies": [1],
        "subtasks": [
          { "id": 1, "title": "Tokenizer", "status": "done", "dependencies": [] },
          { "id": 2, "title": "Grammar", "status": "completed", "dependencies": ["2.1"] },
          { "id": 3, "title": "Errors", "status": "pending", "dependencies": ["2.2"] }
        ]
      },
      { "id": "3", "title": "Write docs", "status": "deferred", "dependencies": [] }
    ],
    "metadata": { "created": "2025-05-01T10:00:00.000Z", "description": "Tasks for master context" }
  },
  "feature-auth": {
    "tasks": [
      { "id": 1, "title": "Login form", "status": "review", "subtasks": [] }
    ],
    "metadata": { "description": "Auth branch" }
  }
}
`;

const LEGACY = `{
  "meta": { "projectName": "Parser", "version": "1.0.0" },
  "tasks": [
    { "id": 1, "title": "Init", "status": "done", "dependencies": [] },
    { "id": 2, "title": "Next", "status": "blocked", "dependencies": [1] }
  ]
}
`;

describe('Task Master adapter', () => {
  test('owns tasks.json and state.json, the legacy tasks file, and nothing else', () => {
    expect(taskmaster.owns('.taskmaster/tasks/tasks.json')).toBe(true);
    expect(taskmaster.owns('.taskmaster/state.json')).toBe(true);
    expect(taskmaster.owns('tasks/tasks.json')).toBe(true);
    expect(taskmaster.owns('.taskmaster/tasks/tasks.json.tmp')).toBe(false);
    expect(taskmaster.owns('.taskmaster/tasks/task_001.txt')).toBe(false);
    expect(taskmaster.owns('.taskmaster/config.json')).toBe(false);
    expect(taskmaster.owns('tasks/other.json')).toBe(false);
    expect(taskmaster.owns('src/tasks/tasks.json')).toBe(false);
  });

  test('the tagged form gives one plan per task in every tag, ids naming the tag', () => {
    const { plans, parseIssues } = scan({ '.taskmaster/tasks/tasks.json': TAGGED });
    expect(parseIssues).toEqual([]);
    expect(plans.map((p) => p.id)).toEqual([
      'taskmaster:master:1',
      'taskmaster:master:2',
      'taskmaster:master:3',
      'taskmaster:feature-auth:1',
    ]);
    expect(plans[0]).toEqual({
      id: 'taskmaster:master:1',
      source: 'taskmaster',
      kind: 'task',
      title: 'Set up repository',
      status: 'done',
      rawStatus: 'done',
      progress: { done: 1, total: 1 },
      path: '.taskmaster/tasks/tasks.json',
      parent: null,
    });
  });

  test('subtasks are their task\'s progress, "completed" counting as done', () => {
    const { plans } = scan({ '.taskmaster/tasks/tasks.json': TAGGED });
    expect(plans[1]).toMatchObject({ status: 'in_progress', rawStatus: 'in-progress', progress: { done: 2, total: 3 } });
  });

  test('a task without subtasks is 0/1 until its status is done', () => {
    const { plans } = scan({ '.taskmaster/tasks/tasks.json': TAGGED });
    expect(plans[2]).toMatchObject({ status: 'backlog', rawStatus: 'deferred', progress: { done: 0, total: 1 } });
  });

  test('tasks outside the current tag carry the tag in their title', () => {
    const onMaster = scan({ '.taskmaster/tasks/tasks.json': TAGGED });
    expect(onMaster.plans[3]).toMatchObject({ title: '[feature-auth] Login form', status: 'review' });
    expect(onMaster.plans[0]?.title).toBe('Set up repository');

    const onFeature = scan({
      '.taskmaster/tasks/tasks.json': TAGGED,
      '.taskmaster/state.json': '{"currentTag": "feature-auth", "lastSwitched": "2025-05-02T08:00:00Z", "branchTagMapping": {}}',
    });
    expect(onFeature.plans[3]?.title).toBe('Login form');
    expect(onFeature.plans[0]?.title).toBe('[master] Set up repository');
  });

  test('the legacy form {"tasks": [...]} is read as the master tag', () => {
    const { plans, parseIssues } = scan({ 'tasks/tasks.json': LEGACY });
    expect(parseIssues).toEqual([]);
    expect(plans.map((p) => [p.id, p.status, p.path])).toEqual([
      ['taskmaster:master:1', 'done', 'tasks/tasks.json'],
      ['taskmaster:master:2', 'blocked', 'tasks/tasks.json'],
    ]);
  });

  test('a legacy tasks file left beside .taskmaster/ is not listed twice', () => {
    const { plans } = scan({ 'tasks/tasks.json': LEGACY, '.taskmaster/tasks/tasks.json': TAGGED });
    expect(plans).toHaveLength(4);
    expect(plans.every((p) => p.path === '.taskmaster/tasks/tasks.json')).toBe(true);
  });

  test('CRLF line endings and a BOM are read like any other file', () => {
    const { plans, parseIssues } = scan({ '.taskmaster/tasks/tasks.json': '\uFEFF' + TAGGED.replace(/\n/g, '\r\n') });
    expect(parseIssues).toEqual([]);
    expect(plans).toHaveLength(4);
  });

  test('half-written JSON is a parse issue with its path and line, and no facts', () => {
    const parsed = taskmaster.parse('.taskmaster/tasks/tasks.json', TAGGED.slice(0, 200));
    expect(parsed.facts).toBeNull();
    expect(parsed.issues).toHaveLength(1);
    expect(parsed.issues[0]).toMatchObject({ path: '.taskmaster/tasks/tasks.json', message: expect.stringMatching(/Invalid JSON/) });
  });

  test('a list at the top is not a task file: no facts, an issue naming the file', () => {
    const parsed = taskmaster.parse('.taskmaster/tasks/tasks.json', '[{"id": 1}]');
    expect(parsed.facts).toBeNull();
    expect(parsed.issues[0]).toMatchObject({ path: '.taskmaster/tasks/tasks.json', message: expect.stringMatching(/found a list/) });
  });

  test('odd tasks are reported and skipped while the rest are kept', () => {
    const text = JSON.stringify({
      master: {
        tasks: [
          { id: 1, title: 'Good', status: 'pending' },
          'not a task',
          { title: 'No id', status: 'done' },
          { id: 1, title: 'Duplicate', status: 'done' },
          { id: 4, description: 'Only a description\nsecond line', status: 'weird-status', subtasks: 'none' },
        ],
      },
      notes: 'a stray key',
    });
    const { plans, parseIssues } = scan({ '.taskmaster/tasks/tasks.json': text });
    expect(plans.map((p) => [p.id, p.title, p.status, p.rawStatus])).toEqual([
      ['taskmaster:master:1', 'Good', 'todo', 'pending'],
      ['taskmaster:master:4', 'Only a description', 'unknown', 'weird-status'],
    ]);
    expect(parseIssues.map((i) => i.message)).toEqual([
      'Tag "master", task 2 is a string, not an object; skipped',
      'Tag "master", task 3 has no id; skipped',
      'Tag "master": task id 1 appears twice; the second is skipped',
      'Tag "master", task 4: "subtasks" is a string, not a list; ignored',
      '"notes" is not a tag with a "tasks" list; skipped',
    ]);
    expect(parseIssues.every((i) => i.path === '.taskmaster/tasks/tasks.json')).toBe(true);
  });

  test('a task with no status keeps an empty raw status and is unknown', () => {
    const { plans } = scan({ '.taskmaster/tasks/tasks.json': '{"master":{"tasks":[{"id":7,"title":"Bare"}]}}' });
    expect(plans[0]).toMatchObject({ status: 'unknown', rawStatus: '', progress: { done: 0, total: 1 } });
  });

  test('a broken state.json falls back to the master tag', () => {
    const parsed = taskmaster.parse('.taskmaster/state.json', '{"currentTag": ');
    expect(parsed.facts).toBeNull();
    expect(parsed.issues[0]?.path).toBe('.taskmaster/state.json');
    const { plans } = scan({ '.taskmaster/tasks/tasks.json': TAGGED, '.taskmaster/state.json': '{"currentTag": ' });
    expect(plans[0]?.title).toBe('Set up repository');
  });
});
