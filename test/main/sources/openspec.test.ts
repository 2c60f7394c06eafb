import { describe, expect, test } from 'vitest';
import { openspec, type OpenspecFacts } from '../../../main/sources/openspec';

function scan(files: Record<string, string>) {
  const facts = new Map<string, OpenspecFacts>();
  const parseIssues = [];
  for (const [path, text] of Object.entries(files)) {
    const parsed = openspec.parse(path, text);
    parseIssues.push(...parsed.issues);
    if (parsed.facts) facts.set(path, parsed.facts);
  }
  return { ...openspec.derive(facts), parseIssues };
}

const PROPOSAL = `# Change: Add two-factor authentication

## Why
Accounts are taken over with leaked passwords.

## What Changes
- Add an OTP step after the password
- **BREAKING**: the login response gains a \`challenge\` field

## Impact
- Affected specs: auth
- Affected code: src/auth/login.ts
`;

const TASKS = `## 1. Implementation
- [x] 1.1 Add the OTP secret to the user schema
- [x] 1.2 Issue a challenge after the password check
- [ ] 1.3 Verify the code

## 2. Tests
- [ ] 2.1 Unit tests for the verifier
`;

describe('OpenSpec adapter', () => {
  test('owns the files of active and archived change folders, not the specs or files outside a change', () => {
    for (const p of [
      'openspec/changes/add-2fa/proposal.md',
      'openspec/changes/add-2fa/tasks.md',
      'openspec/changes/add-2fa/design.md',
      'openspec/changes/add-2fa/specs/auth/spec.md',
      'openspec/changes/archive/2025-01-15-add-2fa/tasks.md',
      'openspec/changes/archive/2025-01-15-add-2fa/specs/auth/spec.md',
    ]) {
      expect(openspec.owns(p), p).toBe(true);
    }
    for (const p of [
      'openspec/project.md',
      'openspec/specs/auth/spec.md',
      'openspec/changes/README.md',
      'openspec/changes/add-2fa/diagram.png',
      'openspec/changes/archive/tasks.md',
      'openspec/changes/add-2fa/tasks.md.tmp',
      'openspec/AGENTS.md',
    ]) {
      expect(openspec.owns(p), p).toBe(false);
    }
  });

  test('an active change is a plan titled from its proposal, its checkboxes as progress', () => {
    const { plans, parseIssues } = scan({
      'openspec/changes/add-2fa/proposal.md': PROPOSAL,
      'openspec/changes/add-2fa/tasks.md': TASKS,
    });
    expect(parseIssues).toEqual([]);
    expect(plans).toEqual([
      {
        id: 'openspec:change:add-2fa',
        source: 'openspec',
        kind: 'change',
        title: 'Add two-factor authentication',
        status: 'in_progress',
        rawStatus: '',
        progress: { done: 2, total: 4 },
        path: 'openspec/changes/add-2fa/tasks.md',
        parent: null,
      },
    ]);
  });

  test('a proposal without a top heading takes its title from the change id, and without tasks it is a draft (0 of 0)', () => {
    const { plans } = scan({ 'openspec/changes/add-dark-mode/proposal.md': '## Why\nEyes.\n\n## What Changes\n- Theme\n' });
    expect(plans[0]).toMatchObject({
      title: 'Add dark mode',
      status: 'backlog',
      progress: { done: 0, total: 0 },
      path: 'openspec/changes/add-dark-mode/proposal.md',
    });
  });

  test('an archived change is done whatever its tasks say, and keeps its id', () => {
    const { plans } = scan({
      'openspec/changes/archive/2025-01-15-add-2fa/proposal.md': PROPOSAL,
      'openspec/changes/archive/2025-01-15-add-2fa/tasks.md': TASKS,
    });
    expect(plans).toHaveLength(1);
    expect(plans[0]).toMatchObject({ id: 'openspec:change:add-2fa', status: 'done', progress: { done: 2, total: 4 } });
  });

  test('an active change with every task checked is done', () => {
    const { plans } = scan({ 'openspec/changes/add-2fa/tasks.md': TASKS.replace(/\[ \]/g, '[x]') });
    expect(plans[0]).toMatchObject({ status: 'done', progress: { done: 4, total: 4 } });
  });

  test('a name reused after archiving keeps the plain id for the active change, the archived one gets its date', () => {
    const { plans } = scan({
      'openspec/changes/archive/2024-11-02-add-2fa/tasks.md': '- [x] 1.1 Old attempt\n',
      'openspec/changes/add-2fa/tasks.md': TASKS,
    });
    expect(plans.map((p) => [p.id, p.status])).toEqual([
      ['openspec:change:add-2fa', 'in_progress'],
      ['openspec:change:add-2fa@2024-11-02', 'done'],
    ]);
  });

  test('CRLF line endings and a BOM are read like any other file', () => {
    const { plans } = scan({
      'openspec/changes/add-2fa/proposal.md': '\uFEFF' + PROPOSAL.replace(/\n/g, '\r\n'),
      'openspec/changes/add-2fa/tasks.md': '\uFEFF' + TASKS.replace(/\n/g, '\r\n'),
    });
    expect(plans[0]).toMatchObject({ title: 'Add two-factor authentication', progress: { done: 2, total: 4 } });
  });

  test('a change folder with only spec deltas or a misnamed task file is a change, as `openspec list` shows it', () => {
    const { plans } = scan({
      'openspec/changes/add-seed-swaps/specs/exchange/spec.md': '## ADDED Requirements\n\n### Requirement: Swap seeds\n',
      'openspec/changes/tidy-garden-ui/task.md': '- [x] Remove the old header\n',
      'openspec/changes/tidy-garden-ui/plan.md': '# Plan\n',
      'openspec/changes/archive/2025-03-01-first-harvest/notes.md': '# Notes\n',
    });
    expect(plans.map((p) => [p.id, p.title, p.status, p.progress, p.path])).toEqual([
      ['openspec:change:add-seed-swaps', 'Add seed swaps', 'backlog', { done: 0, total: 0 }, 'openspec/changes/add-seed-swaps'],
      ['openspec:change:tidy-garden-ui', 'Tidy garden ui', 'backlog', { done: 0, total: 0 }, 'openspec/changes/tidy-garden-ui'],
      ['openspec:change:first-harvest', 'First harvest', 'done', { done: 0, total: 0 }, 'openspec/changes/archive/2025-03-01-first-harvest'],
    ]);
  });

  test('only dash and star bullets with a box are tasks: numbered items, plus bullets and check glyphs are notes', () => {
    const tasks = `## 1. Implementation
- [x] 1.1 Add the swap table
* [ ] 1.2 Add the swap endpoint
  - [x] 1.2.1 Validate the offer
\t- [ ] 1.2.2 Notify the other gardener

## Success Criteria
- ✅ All swaps are logged
1. [x] Reviewed by the garden club
+ [x] Deployed to the test plot
✅ Documented
`;
    const { plans } = scan({ 'openspec/changes/add-seed-swaps/tasks.md': tasks });
    expect(plans[0]).toMatchObject({ status: 'in_progress', progress: { done: 2, total: 4 } });
  });

  test('a path outside the change layout is a parse issue naming it, with no facts', () => {
    const parsed = openspec.parse('openspec/changes/archive/tasks.md', '- [ ] x\n');
    expect(parsed).toEqual({
      facts: null,
      issues: [{ path: 'openspec/changes/archive/tasks.md', line: null, message: 'Not an OpenSpec change file' }],
    });
  });
});
