import { describe, expect, test } from 'vitest';
import { backlog, boardStatus, type BacklogFacts } from '../../../main/sources/backlog';

/** Parse each file, then derive them together, as the engine does. */
function scan(files: Record<string, string>) {
  const facts = new Map<string, BacklogFacts>();
  const parseIssues = [];
  for (const [path, text] of Object.entries(files)) {
    const parsed = backlog.parse(path, text);
    parseIssues.push(...parsed.issues);
    if (parsed.facts) facts.set(path, parsed.facts);
  }
  return { ...backlog.derive(facts), parseIssues };
}

const TASK_7 = `---
id: task-7
title: Add OAuth login
status: In Progress
assignee:
  - '@sara'
created_date: '2025-06-03 14:30'
labels:
  - auth
  - backend
dependencies: []
priority: high
---

## Description

<!-- SECTION:DESCRIPTION:BEGIN -->
Let users sign in with GitHub.
<!-- SECTION:DESCRIPTION:END -->

## Acceptance Criteria
<!-- AC:BEGIN -->
- [x] #1 Redirect to the provider
- [x] #2 Callback stores the token
- [ ] #3 Logout clears the session
<!-- AC:END -->

## Implementation Plan

1. Add the route
- [ ] not a criterion
`;

const SUBTASK = `---
id: task-7.1
title: Write the callback handler
status: Done
parent_task_id: task-7
---

## Acceptance Criteria
<!-- AC:BEGIN -->
- [x] #1 Handles errors
<!-- AC:END -->
`;

const OLD_STYLE = `---
id: task-2
title: "Bootstrap project"
status: "To Do"
---

## Description

Set things up.

## Acceptance Criteria (Optional)

- [x] Directory structure created.
- [ ] Initial config created.

## Implementation Plan (Optional)

- [ ] Not counted
`;

const DRAFT = `---
id: task-9
title: Maybe dark mode
status: Draft
---

Someday.
`;

describe('Backlog.md adapter', () => {
  test('owns Markdown files in tasks/, drafts/ and completed/ (to report the ones off the board) and config.yml, not archive/ or docs/', () => {
    for (const p of [
      'backlog/config.yml',
      'backlog/tasks/task-7 - Add OAuth login.md',
      'backlog/tasks/auth/task-7.1 - Write the callback handler.md',
      'backlog/tasks/readme.md',
      'backlog/drafts/task-9 - Maybe dark mode.md',
      'backlog/drafts/draft-3 - Idea.md',
      'backlog/completed/task-1 - Init.md',
      '.backlog/tasks/BACK-208 - Paste markdown.md',
    ]) {
      expect(backlog.owns(p), p).toBe(true);
    }
    for (const p of [
      'backlog/archive/tasks/task-3 - Old.md',
      'backlog/docs/doc-1 - Architecture.md',
      'backlog/decisions/decision-1 - Use Bun.md',
      'backlog/tasks/notes.txt',
      'backlog/tasks/task-7 - Add OAuth login.md.tmp',
      'backlog/tasks/task-7 - Add OAuth login.md~',
      'src/backlog/tasks/task-1 - X.md',
      'backlog/task-1 - Loose.md',
    ]) {
      expect(backlog.owns(p), p).toBe(false);
    }
  });

  test('a task is a plan with its acceptance criteria as progress', () => {
    const { plans, parseIssues } = scan({ 'backlog/tasks/task-7 - Add OAuth login.md': TASK_7 });
    expect(parseIssues).toEqual([]);
    expect(plans).toEqual([
      {
        id: 'backlog:task:task-7',
        source: 'backlog',
        kind: 'task',
        title: 'Add OAuth login',
        status: 'in_progress',
        rawStatus: 'In Progress',
        progress: { done: 2, total: 3 },
        path: 'backlog/tasks/task-7 - Add OAuth login.md',
        parent: null,
      },
    ]);
  });

  test('older files count the checkboxes under their Acceptance Criteria heading', () => {
    const { plans } = scan({ 'backlog/tasks/task-2 - Bootstrap project.md': OLD_STYLE });
    expect(plans[0]).toMatchObject({ status: 'todo', rawStatus: 'To Do', progress: { done: 1, total: 2 } });
  });

  test('a subtask links to its parent task', () => {
    const { plans } = scan({
      'backlog/tasks/task-7 - Add OAuth login.md': TASK_7,
      'backlog/tasks/task-7.1 - Write the callback handler.md': SUBTASK,
    });
    const sub = plans.find((p) => p.id === 'backlog:task:task-7.1');
    expect(sub).toMatchObject({ parent: 'backlog:task:task-7', status: 'done', progress: { done: 1, total: 1 } });
  });

  test('a subtask id implies its parent when the header does not name one, and a missing parent is no link', () => {
    const noParentField = SUBTASK.replace('parent_task_id: task-7\n', '');
    const withParent = scan({
      'backlog/tasks/task-7 - Add OAuth login.md': TASK_7,
      'backlog/tasks/task-7.1 - Write the callback handler.md': noParentField,
    });
    expect(withParent.plans.find((p) => p.id === 'backlog:task:task-7.1')?.parent).toBe('backlog:task:task-7');
    const orphan = scan({ 'backlog/tasks/task-7.1 - Write the callback handler.md': SUBTASK });
    expect(orphan.plans[0]?.parent).toBeNull();
  });

  test('drafts are stubs, not plans', () => {
    const { plans, stubs } = scan({ 'backlog/drafts/task-9 - Maybe dark mode.md': DRAFT });
    expect(plans).toEqual([]);
    expect(stubs).toEqual([
      {
        id: 'backlog:draft:task-9',
        source: 'backlog',
        title: 'Maybe dark mode',
        status: 'backlog',
        rawStatus: 'Draft',
        path: 'backlog/drafts/task-9 - Maybe dark mode.md',
      },
    ]);
  });

  test('a task in completed/ is done whatever its header says', () => {
    const { plans } = scan({ 'backlog/completed/task-7 - Add OAuth login.md': TASK_7 });
    expect(plans[0]).toMatchObject({ status: 'done', rawStatus: 'In Progress', path: 'backlog/completed/task-7 - Add OAuth login.md' });
  });

  test('a task caught in both tasks/ and completed/ is listed once, from completed/', () => {
    const { plans, issues } = scan({
      'backlog/tasks/task-7 - Add OAuth login.md': TASK_7,
      'backlog/completed/task-7 - Add OAuth login.md': TASK_7,
    });
    expect(plans).toHaveLength(1);
    expect(plans[0]).toMatchObject({ status: 'done', path: 'backlog/completed/task-7 - Add OAuth login.md' });
    expect(issues).toEqual([
      {
        path: 'backlog/tasks/task-7 - Add OAuth login.md',
        line: null,
        message: 'Task id task-7 is also used by backlog/completed/task-7 - Add OAuth login.md; that one is shown',
      },
    ]);
  });

  test('the last configured status is done, even when it is not called Done', () => {
    const config = 'project_name: "Shop"\nstatuses: ["Backlog", "Ready", "Doing", "Shipped it"]\ndefault_status: "Backlog"\n';
    const task = (status: string) => `---\nid: task-1\ntitle: One\nstatus: ${status}\n---\n`;
    const statusOf = (status: string) =>
      scan({ 'backlog/config.yml': config, 'backlog/tasks/task-1 - One.md': task(status) }).plans[0]?.status;
    expect(statusOf('Shipped it')).toBe('done');
    expect(statusOf('Doing')).toBe('in_progress');
    expect(statusOf('Ready')).toBe('todo');
    expect(statusOf('Backlog')).toBe('backlog');
  });

  test('a custom order with columns after Done keeps Done as done and lets the others speak', () => {
    const statuses = ['To Do', 'In Progress', 'Done', 'Blocked', 'Released'];
    expect(boardStatus('Done', statuses)).toBe('done');
    expect(boardStatus('Blocked', statuses)).toBe('blocked');
    expect(boardStatus('Released', statuses)).toBe('done');
    expect(boardStatus('In Progress', statuses)).toBe('in_progress');
  });

  test('custom column names the synonyms do not know are placed by their position on the board', () => {
    const statuses = ['Inbox', 'Writer Doing', 'QA Doing', 'Finished'];
    expect(boardStatus('Inbox', statuses)).toBe('todo');
    expect(boardStatus('Writer Doing', statuses)).toBe('in_progress');
    // A word the synonyms know still wins over the position.
    expect(boardStatus('QA Doing', statuses)).toBe('review');
    expect(boardStatus('Finished', statuses)).toBe('done');
    expect(boardStatus('Something else', statuses)).toBe('unknown');
    expect(boardStatus('', statuses)).toBe('unknown');
  });

  test('without config.yml the default board (To Do, In Progress, Done) applies', () => {
    expect(boardStatus('Done', ['To Do', 'In Progress', 'Done'])).toBe('done');
    const { plans } = scan({ 'backlog/tasks/task-1 - One.md': '---\nid: task-1\ntitle: One\nstatus: done\n---\n' });
    expect(plans[0]).toMatchObject({ status: 'done', rawStatus: 'done', progress: { done: 1, total: 1 } });
  });

  test('a configured prefix, upper-case ids and a bare numeric id all give stable lower-case ids', () => {
    const { plans } = scan({
      '.backlog/config.yml': 'task_prefix: back\n',
      '.backlog/tasks/BACK-208 - Paste markdown.md': '---\nid: BACK-208\ntitle: Paste markdown\nstatus: To Do\n---\n',
      '.backlog/tasks/back-209 - Copy markdown.md': '---\nid: 209\ntitle: Copy markdown\nstatus: To Do\nparent_task_id: 208\n---\n',
    });
    expect(plans.map((p) => [p.id, p.parent])).toEqual([
      ['backlog:task:back-208', null],
      ['backlog:task:back-209', 'backlog:task:back-208'],
    ]);
  });

  test('CRLF line endings and a BOM are read like any other file', () => {
    const text = '\uFEFF' + TASK_7.replace(/\n/g, '\r\n');
    const { plans, parseIssues } = scan({ 'backlog/tasks/task-7 - Add OAuth login.md': text });
    expect(parseIssues).toEqual([]);
    expect(plans[0]).toMatchObject({ title: 'Add OAuth login', rawStatus: 'In Progress', progress: { done: 2, total: 3 } });
  });

  test('frontmatter that is not YAML is an issue with its path and line, and the task keeps the fields its lines give', () => {
    const path = 'backlog/tasks/task-7 - Add OAuth login.md';
    const { plans, parseIssues } = scan({ [path]: '---\nid: task-7\nstatus: [In Progress\n---\nbody\n' });
    expect(parseIssues).toEqual([{ path, line: 1, message: expect.stringMatching(/not valid YAML.*read one by one/) }]);
    expect(plans[0]).toMatchObject({ id: 'backlog:task:task-7', title: 'Add OAuth login', rawStatus: '[In Progress', status: 'in_progress' });
  });

  test('a file cut off inside its frontmatter keeps the last good facts', () => {
    const path = 'backlog/tasks/task-7 - Add OAuth login.md';
    const parsed = backlog.parse(path, TASK_7.slice(0, 60));
    expect(parsed.facts).toBeNull();
    expect(parsed.issues[0]).toMatchObject({ path, message: 'Frontmatter is not closed by a --- line' });
  });

  test('a task file without frontmatter is still a plan, named from its file, with an issue', () => {
    const path = 'backlog/tasks/task-4 - Fix typo.md';
    const { plans, issues } = scan({ [path]: '# Fix typo\n\n- [x] found it\n' });
    expect(plans[0]).toMatchObject({ id: 'backlog:task:task-4', title: 'Fix typo', status: 'unknown', rawStatus: '', progress: { done: 1, total: 1 } });
    expect(issues).toEqual([{ path, line: 1, message: expect.stringMatching(/No frontmatter/) }]);
  });

  test('a broken config.yml is an issue and the board falls back to the defaults', () => {
    const parsed = backlog.parse('backlog/config.yml', 'statuses: [To Do, Done\n');
    expect(parsed.facts).toBeNull();
    expect(parsed.issues[0]?.path).toBe('backlog/config.yml');
    const odd = backlog.parse('backlog/config.yml', 'statuses: 3\n');
    expect(odd.facts).toEqual({ kind: 'config', statuses: null, prefix: null });
    expect(odd.issues[0]?.message).toMatch(/not a list/);
  });
});

// Classes of task files seen in real Backlog.md boards (each written here in our own words).
describe('Backlog.md files as real boards hold them', () => {
  test('Backlog.md frontmatter with @handles is read as Backlog.md reads it, with no issue', () => {
    const text = '---\nid: task-31\ntitle: Rotate the compost bins\nstatus: In Progress\nassignee: @rosa\nreporter: @li\nlabels: [garden]\n---\n\n## Acceptance Criteria\n<!-- AC:BEGIN -->\n- [x] #1 Bins rotated\n<!-- AC:END -->\n';
    const { plans, parseIssues } = scan({ 'backlog/tasks/task-31 - Rotate the compost bins.md': text });
    expect(parseIssues).toEqual([]);
    expect(plans[0]).toMatchObject({ id: 'backlog:task:task-31', title: 'Rotate the compost bins', status: 'in_progress', progress: { done: 1, total: 1 } });
  });

  test('Backlog.md frontmatter with an unquoted colon keeps the task with the fields read, and says so', () => {
    const path = 'backlog/tasks/task-32 - Fix the sprinkler.md';
    const text = '---\nid: task-32\ntitle: Fix: the sprinkler skips zone 3\nstatus: Done\nassignee: [@rosa, "@li"]\ndependencies:\n  - task-30\n---\n\nBody.\n';
    const { plans, parseIssues } = scan({ [path]: text });
    expect(plans).toEqual([expect.objectContaining({ id: 'backlog:task:task-32', title: 'Fix: the sprinkler skips zone 3', status: 'done', rawStatus: 'Done' })]);
    expect(parseIssues).toEqual([{ path, line: 1, message: expect.stringMatching(/not valid YAML/) }]);
  });

  test('Backlog.md task ids with letters after the prefix, or without the " - " separator, are tasks', () => {
    const { plans, issues } = scan({
      'backlog/config.yml': 'prefixes:\n  task: back\n',
      'backlog/tasks/back-epic-11.1 - Seed library.md': '---\ntitle: Seed library\nstatus: To Do\n---\n',
      'backlog/tasks/back-196-add-greenhouse-packaging.md': '---\nid: BACK-196\ntitle: Add greenhouse packaging\nstatus: In Progress\n---\n',
      'backlog/tasks/back-197-split-beds.md': '---\ntitle: Split the raised beds\nstatus: Done\n---\n',
    });
    expect(issues).toEqual([]);
    expect(plans.map((p) => [p.id, p.title, p.status])).toEqual([
      ['backlog:task:back-196', 'Add greenhouse packaging', 'in_progress'],
      ['backlog:task:back-197', 'Split the raised beds', 'done'],
      ['backlog:task:back-epic-11.1', 'Seed library', 'todo'],
    ]);
  });

  test('a Backlog.md file the board does not read is reported on that file, never dropped without a word', () => {
    const { plans, issues } = scan({
      'backlog/tasks/task-40 - Prune the hedges.md': '---\nid: task-40\ntitle: Prune the hedges\nstatus: To Do\n---\n',
      'backlog/tasks/README.md': '# How we use this board\n',
      'backlog/tasks/summer/task-41 - Water twice a day.md': '---\nid: task-41\ntitle: Water twice a day\nstatus: To Do\n---\n',
      'backlog/drafts/idea - bee hotel.md': '---\ntitle: Bee hotel\n---\n',
    });
    expect(plans.map((p) => p.id)).toEqual(['backlog:task:task-40']);
    expect(issues).toEqual([
      { path: 'backlog/drafts/idea - bee hotel.md', line: null, message: expect.stringMatching(/reads only task-\*\.md and draft-\*\.md files in backlog\/drafts\/.*\(name it draft-<id> - <Title>\.md\)$/) },
      { path: 'backlog/tasks/README.md', line: null, message: expect.stringMatching(/reads only task-\*\.md files in backlog\/tasks\/.*not on its board \(name it task-<id> - <Title>\.md\)$/) },
      { path: 'backlog/tasks/summer', line: null, message: '1 Markdown file in this subfolder is not on the Backlog.md board: it reads only the files directly in backlog/tasks/' },
    ]);
  });

  test('two Backlog.md files with one id in one folder are two tasks on the board, and the clash is said', () => {
    const { plans, issues } = scan({
      'backlog/tasks/task-56 - Update dependencies.md': '---\nid: task-56\ntitle: Update dependencies\nstatus: Done\n---\n',
      'backlog/tasks/task-56 - Audit the supervisors.md': '---\nid: task-56\ntitle: Audit the supervisors\nstatus: To Do\n---\n',
    });
    expect(plans.map((p) => [p.id, p.title])).toEqual([
      ['backlog:task:task-56', 'Audit the supervisors'],
      ['backlog:task:task-56@task-56 - update dependencies', 'Update dependencies'],
    ]);
    expect(issues).toEqual([{ path: 'backlog/tasks/task-56 - Update dependencies.md', line: null, message: expect.stringMatching(/both are shown/) }]);
  });

  test('a Backlog.md task opened with ---js is an issue and runs nothing, whatever the lenient reading does', () => {
    const marker = '__vigilBacklogRan';
    delete (globalThis as Record<string, unknown>)[marker];
    const path = 'backlog/tasks/task-50 - Sneaky.md';
    const parsed = backlog.parse(path, `---js\n(globalThis.${marker} = 1) && {id: 'task-50'}\n---\n`);
    expect((globalThis as Record<string, unknown>)[marker]).toBeUndefined();
    expect(parsed.facts).toBeNull();
    expect(parsed.issues).toEqual([{ path, line: 1, message: expect.stringMatching(/only YAML frontmatter is read/) }]);
  });
});

