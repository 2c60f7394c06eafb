import { describe, expect, test } from 'vitest';
import { kiro, type KiroFacts } from '../../../main/sources/kiro';

function scan(files: Record<string, string>) {
  const facts = new Map<string, KiroFacts>();
  const parseIssues = [];
  for (const [path, text] of Object.entries(files)) {
    const parsed = kiro.parse(path, text);
    parseIssues.push(...parsed.issues);
    if (parsed.facts) facts.set(path, parsed.facts);
  }
  return { ...kiro.derive(facts), parseIssues };
}

const TASKS = `# Implementation Plan

- [x] 1. Set up project structure and core interfaces
  - Create directory structure for models, services, repositories
  - _Requirements: 1.1_

- [ ] 2. Implement data models and validation
- [x] 2.1 Create core data model interfaces and types
  - Write TypeScript interfaces for all data models
  - _Requirements: 2.1, 3.3_

- [ ] 2.2 Implement User model with validation
  - _Requirements: 1.2_

- [ ]* 2.3 Write unit tests for User model
  - _Requirements: 1.2_

- [ ]* 3. Add load tests
  - [ ] 3.1 Write the load scenario
  - [ ] 3.2 Run it in CI
`;

const REQUIREMENTS = `# Requirements Document

## Introduction

Users sign in with their email address.

### Requirement 1

**User Story:** As a user, I want to sign in, so that my data is mine.

#### Acceptance Criteria

1. WHEN a user submits valid credentials THEN the system SHALL sign them in
`;

describe('Kiro adapter', () => {
  test('owns the three spec files of each feature, nothing else', () => {
    expect(kiro.owns('.kiro/specs/user-auth/tasks.md')).toBe(true);
    expect(kiro.owns('.kiro/specs/user-auth/requirements.md')).toBe(true);
    expect(kiro.owns('.kiro/specs/user-auth/design.md')).toBe(true);
    expect(kiro.owns('.kiro/specs/user-auth/notes.md')).toBe(false);
    expect(kiro.owns('.kiro/specs/tasks.md')).toBe(false);
    expect(kiro.owns('.kiro/steering/tech.md')).toBe(false);
    expect(kiro.owns('.kiro/specs/user-auth/tasks.md.swp')).toBe(false);
    expect(kiro.owns('.kiro/specs/user-auth/.tasks.md.swp')).toBe(false);
  });

  test('a feature is one spec plan, with required leaf tasks as progress and optional ones left out', () => {
    const { plans, parseIssues } = scan({
      '.kiro/specs/user-auth/requirements.md': REQUIREMENTS,
      '.kiro/specs/user-auth/tasks.md': TASKS,
    });
    expect(parseIssues).toEqual([]);
    // Leaves: 1 (done), 2.1 (done), 2.2 (open); 2.3 and task 3 with its sub-tasks are optional.
    expect(plans).toEqual([
      {
        id: 'kiro:spec:user-auth',
        source: 'kiro',
        kind: 'spec',
        title: 'User auth',
        status: 'in_progress',
        rawStatus: '',
        progress: { done: 2, total: 3 },
        path: '.kiro/specs/user-auth/tasks.md',
        parent: null,
      },
    ]);
  });

  test('a spec whose required tasks are all checked is done, optional ones still open', () => {
    const text = TASKS.replace('- [ ] 2.2', '- [x] 2.2');
    const { plans } = scan({ '.kiro/specs/user-auth/tasks.md': text });
    expect(plans[0]).toMatchObject({ status: 'done', progress: { done: 3, total: 3 } });
  });

  test('sub-tasks written at their parent\'s indent still nest under it by their number', () => {
    const text = '# Implementation Plan\n\n- [-] 1. Audit the schema\n\n- [x] 1.1 Review services\n- [ ] 1.2 Review tables\n- [ ] 2. Migrate\n';
    const { plans } = scan({ '.kiro/specs/db/tasks.md': text });
    expect(plans[0]).toMatchObject({ status: 'in_progress', progress: { done: 1, total: 3 } });
  });

  test('a task Kiro marks in progress ([-]) counts as open but starts the spec', () => {
    const { plans } = scan({ '.kiro/specs/api/tasks.md': '- [-] 1. Build the gateway\n- [ ] 2. Add auth\n' });
    expect(plans[0]).toMatchObject({ status: 'in_progress', progress: { done: 0, total: 2 } });
  });

  test('a Kiro spec with only requirements.md and design.md has no tasks (0 of 0), not 0 of 1', () => {
    const { plans } = scan({ '.kiro/specs/billing/requirements.md': REQUIREMENTS, '.kiro/specs/billing/design.md': '# Design\n' });
    expect(plans[0]).toMatchObject({
      id: 'kiro:spec:billing',
      status: 'todo',
      progress: { done: 0, total: 0 },
      path: '.kiro/specs/billing/requirements.md',
    });
  });

  test('unnumbered checklists nest by indent', () => {
    const text = '- [ ] Parent\n  - [x] Child one\n  - [x] Child two\n- [ ] Alone\n';
    const { plans } = scan({ '.kiro/specs/x/tasks.md': text });
    expect(plans[0]?.progress).toEqual({ done: 2, total: 3 });
  });

  test('CRLF line endings and a BOM are read like any other file', () => {
    const { plans } = scan({ '.kiro/specs/user-auth/tasks.md': '\uFEFF' + TASKS.replace(/\n/g, '\r\n') });
    expect(plans[0]?.progress).toEqual({ done: 2, total: 3 });
  });

  test('each feature folder is its own plan', () => {
    const { plans } = scan({
      '.kiro/specs/a-feature/tasks.md': '- [x] 1. Done\n',
      '.kiro/specs/b-feature/tasks.md': '- [ ] 1. Open\n',
    });
    expect(plans.map((p) => [p.id, p.status])).toEqual([
      ['kiro:spec:a-feature', 'done'],
      ['kiro:spec:b-feature', 'todo'],
    ]);
  });

  test('a path outside the spec layout is a parse issue naming it, with no facts', () => {
    const parsed = kiro.parse('.kiro/specs/tasks.md', '- [ ] 1. x\n');
    expect(parsed).toEqual({ facts: null, issues: [{ path: '.kiro/specs/tasks.md', line: null, message: 'Not a Kiro spec file' }] });
  });
});

// Classes of tasks.md seen in real Kiro projects (each written here in our own words).
describe('Kiro tasks as real projects write them', () => {
  test('a Kiro parent whose sub-tasks are all optional counts as a task itself', () => {
    const text = `# Implementation Plan

- [x] 1. Set up the greenhouse sensor service
  - Create the package layout
  - _Requirements: 1.1_

- [x] 2. Read humidity from the sensors
  - [x] 2.1 Poll each sensor every minute
  - [ ]* 2.2 Write property test for the polling interval
  - [ ]* 2.3 Write property test for lost readings

- [ ] 3. Store readings
  - [ ]* 3.1 Write unit tests for the store
  - [ ]* 3.2 Write property test for round-trips

- [ ] 4. Alert on dry soil
- [ ]* 4.1 Write property test for alert thresholds

- [ ]* 5. Load-test the service
  - [ ] 5.1 Write the load scenario
`;
    const { plans } = scan({ '.kiro/specs/greenhouse/tasks.md': text });
    // Required: 1, 2.1 (stands for 2), 3 (all its sub-tasks optional), 4 (its only sub-task, written flat, is optional).
    expect(plans[0]).toMatchObject({ status: 'in_progress', progress: { done: 2, total: 4 } });
  });

  test('Kiro ✅ bullets and summary lines are prose, not done tasks', () => {
    const text = `# Implementation Plan

- [x] 1. Build the watering schedule
  - ✅ Schedules survive a restart
  - ✅ Overlapping schedules are merged

- [ ] 2. Show the schedule on the dashboard

✅ **Phase 1 complete** – schedules are stored and merged
`;
    const { plans } = scan({ '.kiro/specs/watering/tasks.md': text });
    expect(plans[0]?.progress).toEqual({ done: 1, total: 2 });
  });

  test('a Kiro task line missing its dash is a task', () => {
    const text = '# Implementation Plan\n\n- [ ] 16. Export the garden plan\n  - [x] 16.1 Export as PDF\n   [ ] 16.2 Export as SVG\n';
    const { plans } = scan({ '.kiro/specs/export/tasks.md': text });
    expect(plans[0]).toMatchObject({ status: 'in_progress', progress: { done: 1, total: 2 } });
  });

  test('Kiro checkboxes inside a code fence are an example, not tasks', () => {
    const text = '# Implementation Plan\n\n- [x] 1. Write the parser\n\n```markdown\n- [ ] 2. This is how a task looks\n```\n';
    const { plans } = scan({ '.kiro/specs/parser/tasks.md': text });
    expect(plans[0]).toMatchObject({ status: 'done', progress: { done: 1, total: 1 } });
  });

  test('Kiro sub-tasks written in a later section still belong to their parent by number', () => {
    const text = `# Tasks

## Summary

- [x] 1. Sensor service (3 sub-tasks)
- [ ] 2. Dashboard (2 sub-tasks)

## Details

### 1. Sensor service

- [x] 1.1 Poll sensors
- [x] 1.2 Store readings
- [x] 1.3 Expose an API

### 2. Dashboard

- [x] 2.1 Chart humidity
- [ ] 2.2 Chart temperature
`;
    const { plans } = scan({ '.kiro/specs/greenhouse/tasks.md': text });
    expect(plans[0]).toMatchObject({ status: 'in_progress', progress: { done: 4, total: 5 } });
  });

  test('a Kiro number written twice is two tasks, each with the sub-tasks below it', () => {
    const text = '# Tasks\n\n- [x] 3. Keep the workspace manager\n  - [x] 3.1 Basic git operations\n\n- [ ] 3. Update the task executor\n  - [x] 3.1 Call the new client\n  - [ ] 3.2 Retry on timeouts\n';
    const { plans } = scan({ '.kiro/specs/runner/tasks.md': text });
    expect(plans[0]?.progress).toEqual({ done: 2, total: 3 });
  });
});

