import { describe, expect, test } from 'vitest';
import { speckit, type SpeckitFacts } from '../../../main/sources/speckit';

function scan(files: Record<string, string>) {
  const facts = new Map<string, SpeckitFacts>();
  const parseIssues = [];
  for (const [path, text] of Object.entries(files)) {
    expect(speckit.owns(path), path).toBe(true);
    const parsed = speckit.parse(path, text);
    parseIssues.push(...parsed.issues);
    if (parsed.facts) facts.set(path, parsed.facts);
  }
  return { ...speckit.derive(facts), parseIssues };
}

const spec = (title: string, status = 'Draft'): string => `# Feature Specification: ${title}

**Feature Branch**: \`001-photo-albums\`
**Created**: 2025-09-12
**Status**: ${status}
**Input**: User description: "Build an application that can help me organize my photos in separate photo albums"

## User Scenarios & Testing *(mandatory)*

### User Story 1 - Create an album (Priority: P1)

A user groups photos into an album.

## Requirements *(mandatory)*

- **FR-001**: System MUST allow users to create albums
`;

const tasks = (marks: string[]): string => `# Tasks: Photo Albums

**Input**: Design documents from \`/specs/001-photo-albums/\`
**Prerequisites**: plan.md (required), spec.md (required for user stories)

## Format: \`[ID] [P?] [Story] Description\`

## Phase 1: Setup (Shared Infrastructure)

- [${marks[0] ?? ' '}] T001 Create project structure per implementation plan
- [${marks[1] ?? ' '}] T002 [P] Initialize Vite project with vanilla JS

## Phase 3: User Story 1 - Create an album (Priority: P1) 🎯 MVP

- [${marks[2] ?? ' '}] T003 [P] [US1] Album model in src/models/album.js
- [${marks[3] ?? ' '}] T004 [US1] Drag-and-drop photos onto an album in src/ui/album-view.js

## Notes

- [P] tasks = different files, no dependencies
`;

describe('spec-kit features', () => {
  test('a feature folder gives one plan with progress from tasks.md', () => {
    const { plans } = scan({
      'specs/001-photo-albums/spec.md': spec('Photo Albums'),
      'specs/001-photo-albums/plan.md': '# Implementation Plan: Photo Albums\n\n**Branch**: `001-photo-albums`\n',
      'specs/001-photo-albums/tasks.md': tasks(['x', 'X', ' ', ' ']),
    });
    expect(plans).toEqual([
      {
        id: 'speckit:feature:001-photo-albums',
        source: 'speckit',
        kind: 'feature',
        title: 'Photo Albums',
        status: 'in_progress',
        rawStatus: 'Draft',
        progress: { done: 2, total: 4 },
        path: 'specs/001-photo-albums/spec.md',
        parent: null,
      },
    ]);
  });

  test('all tasks done is done, whatever the spec says', () => {
    const { plans } = scan({
      'specs/001-photo-albums/spec.md': spec('Photo Albums', 'Draft'),
      'specs/001-photo-albums/tasks.md': tasks(['x', 'x', 'X', 'x']),
    });
    expect(plans[0]).toMatchObject({ status: 'done', rawStatus: 'Draft', progress: { done: 4, total: 4 } });
  });

  test.each([
    ['Draft', 'todo'],
    ['In Progress', 'in_progress'],
    ['Implemented', 'done'],
    ['Approved', 'todo'],
  ])('with no task done, spec status %s gives %s', (word, status) => {
    const { plans } = scan({
      'specs/002-user-auth/spec.md': spec('User Auth', word),
      'specs/002-user-auth/tasks.md': tasks([]),
    });
    expect(plans[0]).toMatchObject({ status, rawStatus: word, progress: { done: 0, total: 4 } });
  });

  test('a feature with neither tasks nor a spec status is to do', () => {
    const { plans } = scan({ 'specs/003-sharing/plan.md': '# Implementation Plan: Sharing\n' });
    expect(plans[0]).toMatchObject({ id: 'speckit:feature:003-sharing', title: 'Sharing', status: 'todo', rawStatus: '', path: 'specs/003-sharing/plan.md' });
  });

  test('duplicate numeric prefixes and timestamp folders do not collide', () => {
    const { plans } = scan({
      'specs/001-photo-albums/spec.md': spec('Photo Albums'),
      'specs/001-user-auth/spec.md': spec('User Auth'),
      'specs/20250115-143000-search/tasks.md': '- [x] T001 Index photos\n',
      '.specify/specs/001-photo-albums/spec.md': spec('Photo Albums (old layout)'),
    });
    expect(plans.map((p) => [p.id, p.title])).toEqual([
      ['speckit:feature:001-photo-albums', 'Photo Albums'],
      ['speckit:feature:001-user-auth', 'User Auth'],
      ['speckit:feature:20250115-143000-search', 'Search'],
      ['speckit:feature:001-photo-albums@.specify/specs/001-photo-albums', 'Photo Albums (old layout)'],
    ]);
  });

  test('checklists are counted apart from tasks, and never as progress', () => {
    const { plans, reported } = scan({
      'specs/001-photo-albums/tasks.md': tasks(['x', ' ', ' ', ' ']),
      'specs/001-photo-albums/checklists/requirements.md':
        '# Specification Quality Checklist: Photo Albums\n\n## Content Quality\n\n- [x] No implementation details\n- [x] Focused on user value\n- [ ] All mandatory sections completed\n',
      'specs/001-photo-albums/checklists/ux.md': '# UX Checklist\n\n- [X] CHK001 Empty state defined\n',
    });
    expect(plans[0]?.progress).toEqual({ done: 1, total: 4 });
    expect(reported).toEqual([
      {
        source: 'speckit',
        path: 'specs/001-photo-albums/checklists',
        status: null,
        percent: 75,
        text: '001-photo-albums checklists: 3 of 4 checks',
      },
    ]);
  });

  test('a tasks.md without task ids counts its checkboxes', () => {
    const { plans } = scan({ 'specs/004-export/tasks.md': '# Tasks\n\n- [x] CSV\n- [ ] PDF\n' });
    expect(plans[0]?.progress).toEqual({ done: 1, total: 2 });
  });

  test('CRLF line endings and a BOM do not get in the way', () => {
    const { plans } = scan({
      'specs/001-photo-albums/spec.md': '\uFEFF' + spec('Photo Albums').replace(/\n/g, '\r\n'),
      'specs/001-photo-albums/tasks.md': '\uFEFF' + tasks(['x', 'x', ' ', ' ']).replace(/\n/g, '\r\n'),
    });
    expect(plans[0]).toMatchObject({ title: 'Photo Albums', rawStatus: 'Draft', progress: { done: 2, total: 4 } });
  });
});

describe('spec-kit active feature', () => {
  test('.specify/feature.json names the active feature as reported', () => {
    const { reported } = scan({ '.specify/feature.json': '{\n  "feature_directory": "specs/001-photo-albums"\n}\n' });
    expect(reported).toEqual([
      { source: 'speckit', path: '.specify/feature.json', status: null, percent: null, text: 'Active feature: 001-photo-albums' },
    ]);
  });

  test('a half-written feature.json is a parse issue with its path and no facts, never an exception', () => {
    const parsed = speckit.parse('.specify/feature.json', '{\n  "feature_directory": "specs/0');
    expect(parsed.facts).toBeNull();
    expect(parsed.issues).toEqual([{ path: '.specify/feature.json', line: expect.any(Number), message: expect.stringMatching(/Invalid JSON/) }]);
  });
});

describe('spec-kit paths', () => {
  test.each([
    'specs/001-photo-albums/spec.md',
    'specs/001-photo-albums/plan.md',
    'specs/001-photo-albums/tasks.md',
    'specs/001-photo-albums/checklists/requirements.md',
    'specs/20250115-143000-search/spec.md',
    '.specify/specs/001-photo-albums/tasks.md',
    '.specify/feature.json',
  ])('owns %s', (path) => {
    expect(speckit.owns(path)).toBe(true);
  });

  test.each([
    'specs/001-photo-albums/tasks.md.tmp',
    'specs/001-photo-albums/research.md',
    'specs/001-photo-albums/contracts/api.yaml',
    'specs/unit/app.spec.ts',
    'specs/README.md',
    '.specify/memory/constitution.md',
    'docs/specs/001-x/spec.md',
  ])('does not own %s', (path) => {
    expect(speckit.owns(path)).toBe(false);
  });

  test('random bytes never throw', () => {
    for (const path of ['specs/001-a/spec.md', 'specs/001-a/tasks.md', 'specs/001-a/checklists/x.md', '.specify/feature.json']) {
      for (const text of ['', '\u0000\uFFFF', '**Status**:', '- [x]', '[]', '{"feature_directory": 5}', '# ']) {
        const parsed = speckit.parse(path, text);
        if (parsed.facts) expect(() => speckit.derive(new Map([[path, parsed.facts!]]))).not.toThrow();
      }
    }
  });
});

// Classes of tasks.md seen in real spec-kit projects (each written here in our own words).
describe('spec-kit tasks as real projects write them', () => {
  const feature = 'specs/007-seed-exchange';

  test('spec-kit task ids with a letter suffix are tasks, and a repeated id is two tasks', () => {
    const text = `# Tasks: Seed Exchange

## Phase 2: Foundational

- [x] T005 Create the listing model in src/models/listing.ts
- [x] T006 [P] Add the listing table migration
- [ ] T006 [P] Add the swap table migration
- [x] T009 Wire the listing API
- [x] T009a Validate listing photos before upload
- [ ] T009b Resize listing photos on the server
`;
    const { plans } = scan({ [`${feature}/tasks.md`]: text });
    expect(plans[0]).toMatchObject({ status: 'in_progress', progress: { done: 4, total: 6 } });
  });

  test('spec-kit checklist lines without a task id and lines in code fences are not tasks', () => {
    const text = `# Tasks: Seed Exchange

## Phase 1: Setup

- [x] T001 Create the project skeleton
- [ ] T002 Configure the linter

Example of the format:

\`\`\`markdown
- [ ] T999 [P] [US1] Description with file path
✅ T998 Done tasks look like this
- [x] T997 This too
\`\`\`

## Validation Checklist

- [x] All user stories have tasks
- [x] Every task names a file
- [ ] Parallel tasks touch different files
`;
    const { plans } = scan({ [`${feature}/tasks.md`]: text });
    expect(plans[0]?.progress).toEqual({ done: 1, total: 2 });
  });

  test('spec-kit task ids of other letter series are tasks too, and words that only look like ids are not', () => {
    const text = `# Tasks: Seed Exchange

## Format: [ID] Description

## Audit
- [x] **A001** Audit the listing queries
- [x] **A002** Audit the photo pipeline

## Spec work
- [x] S001 Clarify the swap rules with /speckit-clarify
- [ ] S002 Write the rating scenarios

## Implementation
- [x] T010 Build the swap endpoint
- [ ] T011 Build the rating endpoint

## Notes
- [ ] Q3 review with the garden club
- [x] E2E suite runs nightly
`;
    const { plans } = scan({ [`${feature}/tasks.md`]: text });
    expect(plans[0]).toMatchObject({ status: 'in_progress', progress: { done: 4, total: 6 } });
  });

  test('spec-kit task ids in bold are tasks', () => {
    const text = '# Tasks\n\n## Phase 1\n\n- [X] **T001** Create the project skeleton\n- [ ] **T002** [P] Configure the linter\n\n## Acceptance\n\n- [x] Builds on a clean machine\n';
    const { plans } = scan({ [`${feature}/tasks.md`]: text });
    expect(plans[0]?.progress).toEqual({ done: 1, total: 2 });
  });

  test('a spec-kit tasks.md without task ids leaves its checklist sections out', () => {
    const text = '# Tasks\n\n- [x] Export as CSV\n- [ ] Export as PDF\n\n## Definition of Done\n\n- [x] Reviewed\n- [x] Documented\n';
    const { plans } = scan({ [`${feature}/tasks.md`]: text });
    expect(plans[0]?.progress).toEqual({ done: 1, total: 2 });
  });

  test('a spec-kit feature without tasks.md has no tasks (0 of 0), its status from spec.md or plan.md', () => {
    const { plans } = scan({
      'specs/008-trade-ratings/spec.md': '# Feature Specification: Trade ratings\n\n**Status**: Draft\n',
      'specs/009-map-of-swaps/plan.md': '# Implementation Plan: Map of swaps\n\n**Status**: In Progress\n',
    });
    expect(plans.map((p) => [p.id, p.status, p.rawStatus, p.progress])).toEqual([
      ['speckit:feature:008-trade-ratings', 'todo', 'Draft', { done: 0, total: 0 }],
      ['speckit:feature:009-map-of-swaps', 'in_progress', 'In Progress', { done: 0, total: 0 }],
    ]);
  });

  test('a spec-kit status is the header\'s: a header wrapped onto one line ends at the next label, a Status: in a later section is prose', () => {
    const { plans } = scan({
      'specs/010-seed-labels/spec.md': '# Feature Specification: Seed labels\n\n**Feature Branch**: `010-seed-labels` **Created**: 2025-11-02\n**Status**: Draft **Input**: User description: "print labels for the\nseed packets"\n\n## User Scenarios\n',
      'specs/011-frost-map/plan.md': '# Implementation Plan: Frost map\n\n**Branch**: `011-frost-map`\n\n## Constitution Check\n\n**Status**: No violations detected. This feature follows the rules.\n',
    });
    expect(plans.map((p) => [p.id, p.status, p.rawStatus])).toEqual([
      ['speckit:feature:010-seed-labels', 'todo', 'Draft'],
      ['speckit:feature:011-frost-map', 'todo', ''],
    ]);
  });
});
