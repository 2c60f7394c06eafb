import { describe, expect, test } from 'vitest';
import { bmad, type BmadFacts } from '../../../main/sources/bmad';

function scan(files: Record<string, string>) {
  const facts = new Map<string, BmadFacts>();
  const parseIssues = [];
  for (const [path, text] of Object.entries(files)) {
    expect(bmad.owns(path), path).toBe(true);
    const parsed = bmad.parse(path, text);
    parseIssues.push(...parsed.issues);
    if (parsed.facts) facts.set(path, parsed.facts);
  }
  return { ...bmad.derive(facts), parseIssues };
}

const SPRINT = '_bmad-output/implementation-artifacts/sprint-status.yaml';

const sprintStatus = `# generated: 2025-11-02
# project: photo-organizer
# project_key: photo-organizer
# tracking_system: file-system
# story_location: "{project-root}/_bmad-output/implementation-artifacts"

# STATUS DEFINITIONS:
# ==================
# Epic Status:
#   - backlog: Epic not yet started
#   - in-progress: Epic actively being worked on
#   - done: All stories in epic completed
#
# Story Status:
#   - backlog, ready-for-dev, in-progress, review, done

generated: 2025-11-02
project: photo-organizer
project_key: photo-organizer
tracking_system: file-system
story_location: "{project-root}/_bmad-output/implementation-artifacts"

development_status:
  epic-1: in-progress
  1-1-project-scaffold: done
  1-2-user-login: review
  1-2a-login-sso: in-progress
  1-3-password-reset: ready-for-dev
  epic-1-retrospective: optional

  epic-2: backlog
  2-1-album-model: backlog
  2-2-album-sharing: deferred-post-mvp
  epic-2-retrospective: optional
`;

const loginStory = `# Story 1.2: User Login

Status: review

## Story

As a returning user,
I want to sign in with my email and password,
so that I can see my photos.

## Acceptance Criteria

1. A valid login sets a session cookie.
2. A wrong password shows an error.

## Tasks / Subtasks

- [x] Task 1: Login form (AC: 1)
  - [x] Email and password fields
  - [x] Submit posts to /api/login
- [x] Task 2: Session cookie (AC: 1)
- [ ] Task 3: Error message (AC: 2)
  - [ ] Show "wrong email or password"

## Dev Notes

- [ ] not a task: a note someone ticked in passing

## Dev Agent Record

### File List
`;

describe('BMAD sprint-status.yaml', () => {
  test('epics and stories come from development_status, retrospectives are not plans', () => {
    const { plans } = scan({ [SPRINT]: sprintStatus });
    expect(plans.map((p) => [p.id, p.kind, p.status, p.rawStatus, p.parent])).toEqual([
      ['bmad:epic:1', 'epic', 'in_progress', 'in-progress', null],
      ['bmad:epic:2', 'epic', 'backlog', 'backlog', null],
      ['bmad:story:1-1-project-scaffold', 'story', 'done', 'done', 'bmad:epic:1'],
      ['bmad:story:1-2-user-login', 'story', 'review', 'review', 'bmad:epic:1'],
      ['bmad:story:1-2a-login-sso', 'story', 'in_progress', 'in-progress', 'bmad:epic:1'],
      ['bmad:story:1-3-password-reset', 'story', 'todo', 'ready-for-dev', 'bmad:epic:1'],
      ['bmad:story:2-1-album-model', 'story', 'backlog', 'backlog', 'bmad:epic:2'],
      ['bmad:story:2-2-album-sharing', 'story', 'backlog', 'deferred-post-mvp', 'bmad:epic:2'],
    ]);
    expect(plans[0]).toMatchObject({ title: 'Epic 1', progress: { done: 1, total: 4 }, path: SPRINT });
    expect(plans[3]).toMatchObject({ title: 'Story 1.2: User login', path: SPRINT });
  });

  test('stories in backlog are also stubs', () => {
    const { stubs } = scan({ [SPRINT]: sprintStatus });
    expect(stubs).toEqual([
      { id: 'bmad:stub:2-1-album-model', source: 'bmad', title: 'Story 2.1: Album model', status: 'backlog', rawStatus: 'backlog', path: SPRINT },
      expect.objectContaining({ id: 'bmad:stub:2-2-album-sharing', rawStatus: 'deferred-post-mvp' }),
    ]);
  });

  test.each([
    ['drafted', 'todo'],
    ['contexted', 'in_progress'],
    ['ready-for-dev', 'todo'],
    ['in-progress', 'in_progress'],
    ['review', 'review'],
    ['done', 'done'],
    ['deferred-post-mvp', 'backlog'],
    ['blocked-on-api', 'blocked'],
    ['waiting-for-design-pixie', 'blocked'],
    ['🦄', 'unknown'],
  ])('story status %s is %s and kept raw', (word, status) => {
    const { plans } = scan({ [SPRINT]: `development_status:\n  epic-1: in-progress\n  1-1-login: "${word}"\n` });
    expect(plans[1]).toMatchObject({ id: 'bmad:story:1-1-login', status, rawStatus: word });
  });

  test('a story file beside the yaml gives the title and checkbox progress from Tasks / Subtasks', () => {
    const { plans } = scan({
      [SPRINT]: sprintStatus,
      '_bmad-output/implementation-artifacts/1-2-user-login.md': loginStory,
    });
    expect(plans.find((p) => p.id === 'bmad:story:1-2-user-login')).toEqual({
      id: 'bmad:story:1-2-user-login',
      source: 'bmad',
      kind: 'story',
      title: 'Story 1.2: User Login',
      status: 'review',
      rawStatus: 'review',
      progress: { done: 4, total: 6 },
      path: '_bmad-output/implementation-artifacts/1-2-user-login.md',
      parent: 'bmad:epic:1',
    });
  });

  test('story_location decides which file describes a story when two claim it', () => {
    const yaml = 'story_location: docs/sprint-artifacts/stories\ndevelopment_status:\n  epic-1: in-progress\n  1-1-login: in-progress\n';
    const { plans } = scan({
      'docs/sprint-artifacts/sprint-status.yaml': yaml,
      'docs/sprint-artifacts/1-1-login.md': '# Story 1.1: Old copy\n',
      'docs/sprint-artifacts/stories/1-1-login.md': '# Story 1.1: Login\n\n## Tasks / Subtasks\n\n- [x] a\n- [ ] b\n',
    });
    expect(plans[1]).toMatchObject({ title: 'Story 1.1: Login', path: 'docs/sprint-artifacts/stories/1-1-login.md', progress: { done: 1, total: 2 } });
  });

  test('an epic without its own key takes its status from its stories, and epics.md names it', () => {
    const epicsMd = '# Photo Organizer - Epic Breakdown\n\n## Epic 3: Search\n\nFind photos.\n\n### Story 3.1: Search by date\n\n### Story 3.2: Search by place\n';
    const { plans } = scan({
      [SPRINT]: 'development_status:\n  3-1-search-by-date: done\n  3-2-search-by-place: in-progress\n',
      '_bmad-output/planning-artifacts/epics.md': epicsMd,
    });
    expect(plans.map((p) => [p.id, p.title, p.status, p.rawStatus])).toEqual([
      ['bmad:epic:3', 'Epic 3: Search', 'in_progress', ''],
      ['bmad:story:3-1-search-by-date', 'Story 3.1: Search by date', 'done', 'done'],
      ['bmad:story:3-2-search-by-place', 'Story 3.2: Search by place', 'in_progress', 'in-progress'],
    ]);
  });

  test('epics named in other *epic*.md files (sharded epics) are named too; epics.md wins a number both name', () => {
    const { plans } = scan({
      [SPRINT]: 'development_status:\n  epic-3: in-progress\n  3-1-search-by-date: done\n  epic-34: backlog\n  34-1-style-rules: backlog\n  epic-40: done\n  40-1-publish-retry: done\n',
      '_bmad-output/planning-artifacts/epics.md': '# Epics\n\n## Epic 3: Search\n',
      '_bmad-output/planning-artifacts/epics-multi-style.md': '# More epics\n\n## Epic 34: Multi-style support\n\n## Epic 3: Not the name\n',
      '_bmad-output/planning-artifacts/bmm-epics-publishing.md': '## Epic 40: Publish reliability\n',
      '_bmad-output/implementation-artifacts/3-1-search-by-date.md': '# Story 3.1: Search by date\n\nStatus: done\n',
    });
    expect(plans.filter((p) => p.kind === 'epic').map((p) => [p.id, p.title])).toEqual([
      ['bmad:epic:3', 'Epic 3: Search'],
      ['bmad:epic:34', 'Epic 34: Multi-style support'],
      ['bmad:epic:40', 'Epic 40: Publish reliability'],
    ]);
    expect(plans.filter((p) => p.kind === 'story')).toHaveLength(3);
  });

  test('sprint ids written story-1.1 are the story files numbered 1-1, and a review report beside one is its attachment', () => {
    const yaml = "epics:\n  - id: epic-1\n    title: Garden setup\n    stories:\n      - id: story-1.1\n        title: 'Raised beds'\n        status: done\n      - id: story-1.2\n        title: 'Drip lines'\n        status: in-progress\n";
    const { plans } = scan({
      [SPRINT]: yaml,
      '_bmad-output/implementation-artifacts/1-1-raised-beds.md': '# Story 1.1: Raised beds\n\nStatus: done\n',
      '_bmad-output/implementation-artifacts/1-1-code-review-report.md': '# Code review 1.1\n\nStatus: ✅ COMPLETE - all issues fixed\n',
      '_bmad-output/implementation-artifacts/1-2-drip-lines.md': '# Story 1.2: Drip lines\n\nStatus: in-progress\n',
    });
    expect(plans.map((p) => [p.id, p.status])).toEqual([
      ['bmad:epic:1', 'in_progress'],
      ['bmad:story:story-1.1', 'done'],
      ['bmad:story:story-1.2', 'in_progress'],
    ]);
  });

  test('epic names come from headings that name one epic, not from a tech spec note or a retrospective title', () => {
    const { plans } = scan({
      [SPRINT]: 'development_status:\n  epic-1: done\n  1-1-beds: done\n  epic-5: done\n  5-1-compost: done\n  epic-12: in-progress\n  12-1-frost: done\n',
      '_bmad-output/planning-artifacts/tech-spec-epic-4.md': '### Epic 1-3 Infrastructure → Epic 4 Usage\n\n# Epic 5.5 Retrospective: what we learned\n',
      '_bmad-output/planning-artifacts/epics.md': '## Epic 12. Frost alerts\n',
    });
    expect(plans.filter((p) => p.kind === 'epic').map((p) => p.title)).toEqual(['Epic 1', 'Epic 5', 'Epic 12: Frost alerts']);
  });

  test('the epic names BMAD writes as comments in sprint-status.yaml name the epics no epic file names', () => {
    const yaml = [
      '# Epic Status:',
      '#   - backlog: Epic not yet started',
      'development_status:',
      '  # Epic 1: Seed catalogue',
      '  epic-1: done',
      '  1-1-list-seeds: done',
      '  epic-1-retrospective: optional',
      '',
      '  # Epic 2: Swaps',
      '  epic-2: in-progress',
      '  2-1-offer-a-swap: review',
      '',
      '  epic-3: backlog',
    ].join('\n');
    const { plans } = scan({
      [SPRINT]: yaml,
      '_bmad-output/planning-artifacts/epics.md': '## Epic 2: Seed swaps between gardeners\n',
    });
    expect(plans.filter((p) => p.kind === 'epic').map((p) => p.title)).toEqual(['Epic 1: Seed catalogue', 'Epic 2: Seed swaps between gardeners', 'Epic 3']);
    // A retrospective's notes (`# Epic 1 - Retrospective`) name nothing.
    expect(bmad.owns('_bmad-output/implementation-artifacts/epic-1-retro-2026-02-09.md')).toBe(false);
  });

  test('a key that is neither an epic nor a retrospective is a story, and a status that is not a word is an issue', () => {
    const yaml = 'project: x\ndevelopment_status:\n  epic-1: in-progress\n  login-page: done\n  1-1-login:\n    nested: true\n  1-2-logout: done\n';
    const { plans, parseIssues } = scan({ [SPRINT]: yaml });
    expect(parseIssues).toEqual([{ path: SPRINT, line: 5, message: expect.stringMatching(/1-1-login/) }]);
    expect(plans.map((p) => [p.id, p.rawStatus, p.parent])).toEqual([
      ['bmad:epic:1', 'in-progress', null],
      ['bmad:story:login-page', 'done', null],
      ['bmad:story:1-1-login', '', 'bmad:epic:1'],
      ['bmad:story:1-2-logout', 'done', 'bmad:epic:1'],
    ]);
  });

  test('a malformed sprint-status.yaml is a parse issue with its path and no facts, never an exception', () => {
    const parsed = bmad.parse(SPRINT, 'development_status:\n  epic-1: in-progress\n  1-1-login: [done\n');
    expect(parsed.facts).toBeNull();
    expect(parsed.issues).toEqual([{ path: SPRINT, line: expect.any(Number), message: expect.stringMatching(/Invalid YAML/) }]);
  });

  test('a yaml without development_status says so', () => {
    const parsed = bmad.parse(SPRINT, 'project: x\nstory_location: somewhere\n');
    expect(parsed.facts).toMatchObject({ kind: 'sprint', entries: [] });
    expect(parsed.issues[0]?.message).toMatch(/development_status/);
  });

  test('CRLF and a BOM do not get in the way', () => {
    const { plans } = scan({
      [SPRINT]: '\uFEFF' + sprintStatus.replace(/\n/g, '\r\n'),
      '_bmad-output/implementation-artifacts/1-2-user-login.md': '\uFEFF' + loginStory.replace(/\n/g, '\r\n'),
    });
    expect(plans).toHaveLength(8);
    expect(plans.find((p) => p.id === 'bmad:story:1-2-user-login')).toMatchObject({ title: 'Story 1.2: User Login', progress: { done: 4, total: 6 } });
  });
});

describe('BMAD v4 stories', () => {
  const v4 = (status: string): string =>
    `# Story 1.2: User Login\n\n## Status\n\n${status}\n\n## Story\n\n**As a** user,\n**I want** to sign in\n\n## Tasks / Subtasks\n\n- [x] Task 1 (AC: 1)\n  - [x] Subtask 1.1\n- [ ] Task 2 (AC: 2)\n\n## Dev Notes\n`;

  test.each([
    ['Draft', 'todo'],
    ['Approved', 'todo'],
    ['InProgress', 'in_progress'],
    ['Review', 'review'],
    ['Ready for Review', 'review'],
    // A note a person added after the agent's word, and v4's word after a passed QA gate.
    ['Ready for Review (QA Fixes Applied)', 'review'],
    ['Ready for Done', 'review'],
    ['Done', 'done'],
  ])('a docs/stories file with ## Status %s is %s', (word, status) => {
    const { plans } = scan({ 'docs/stories/1.2.user-login.md': v4(word) });
    expect(plans).toEqual([
      expect.objectContaining({ id: 'bmad:epic:1', title: 'Epic 1' }),
      {
        id: 'bmad:story:1-2-user-login',
        source: 'bmad',
        kind: 'story',
        title: 'Story 1.2: User Login',
        status,
        rawStatus: word,
        progress: { done: 2, total: 3 },
        path: 'docs/stories/1.2.user-login.md',
        parent: 'bmad:epic:1',
      },
    ]);
  });

  test('a story that calls its task list Implementation Tasks counts those boxes', () => {
    const story = '# Story 6.9: Depth map export\n\n## Status\n\nReview\n\n## Implementation Tasks\n\n- [x] Encode the map\n- [x] Write the sidecar file\n- [ ] Add the export button\n\n## Dev Notes\n\n- [ ] not a task\n';
    const { plans } = scan({ 'docs/stories/6.9.depth-map-export.md': story });
    expect(plans[1]).toMatchObject({ id: 'bmad:story:6-9-depth-map-export', status: 'review', progress: { done: 2, total: 3 } });
  });

  test('a v6 story file without a sprint entry uses its own Status line', () => {
    const { plans } = scan({ 'docs/sprint-artifacts/2-1-album-model.md': '# Story 2.1: Album Model\n\nStatus: drafted\n' });
    expect(plans[1]).toMatchObject({ id: 'bmad:story:2-1-album-model', status: 'todo', rawStatus: 'drafted', progress: { done: 0, total: 1 } });
  });
});

describe('BMAD paths', () => {
  test.each([
    '_bmad-output/implementation-artifacts/sprint-status.yaml',
    'docs/sprint-artifacts/sprint-status.yaml',
    '_bmad-output/implementation-artifacts/1-2-user-login.md',
    '_bmad-output/implementation-artifacts/stories/1-2a-login-sso.md',
    'docs/stories/1.2.user-login.md',
    '_bmad-output/planning-artifacts/epics.md',
  ])('owns %s', (path) => {
    expect(bmad.owns(path)).toBe(true);
  });

  test.each([
    '_bmad-output/implementation-artifacts/sprint-status.yaml.tmp',
    '_bmad-output/implementation-artifacts/1-2-user-login.context.xml',
    '_bmad-output/implementation-artifacts/1-2-user-login.context.md',
    '_bmad-output/planning-artifacts/prd.md',
    'docs/architecture.md',
    'docs/1-2-user-login.md',
    '_bmad-output/planning-artifacts/2025-01-15-brainstorming.md',
    'src/_bmad-output/sprint-status.yaml',
  ])('does not own %s', (path) => {
    expect(bmad.owns(path)).toBe(false);
  });

  test('random bytes never throw', () => {
    const paths = [SPRINT, '_bmad-output/x/1-1-a.md', '_bmad-output/epics.md'];
    const texts = ['', 'development_status: 5', 'development_status:\n  epic-x: {a: 1}\n  constructor: done\n', '\u0000\uFFFF:\n - [', '- - - *a'];
    for (const path of paths) {
      for (const text of texts) {
        const parsed = bmad.parse(path, text);
        if (parsed.facts) expect(() => bmad.derive(new Map([[path, parsed.facts!]]))).not.toThrow();
      }
    }
  });
});

// Classes of files seen in real BMAD projects (each written here in our own words).
describe('BMAD files as real projects write them', () => {
  const sprintWith = (lines: string[]): string => `project: garden-planner\nstory_location: _bmad-output/implementation-artifacts\n\ndevelopment_status:\n${lines.map((l) => `  ${l}`).join('\n')}\n`;

  test('a BMAD key with a letter segment is a story of its lettered epic', () => {
    const { plans, parseIssues } = scan({
      [SPRINT]: sprintWith(['epic-4: done', '4-1-seed-catalogue: done', 'epic-4a: in-progress', '4a-1-frost-alerts: done', '4a-2-watering-reminders: review', 'epic-4a-retrospective: optional']),
      '_bmad-output/implementation-artifacts/4a-1-frost-alerts.md': '# Story 4a.1: Frost alerts\n\nStatus: done\n\n## Tasks / Subtasks\n\n- [x] Read the forecast\n- [x] Send the alert\n',
    });
    expect(parseIssues).toEqual([]);
    expect(plans.map((p) => [p.id, p.status, p.parent])).toEqual([
      ['bmad:epic:4', 'done', null],
      ['bmad:epic:4a', 'in_progress', null],
      ['bmad:story:4-1-seed-catalogue', 'done', 'bmad:epic:4'],
      ['bmad:story:4a-1-frost-alerts', 'done', 'bmad:epic:4a'],
      ['bmad:story:4a-2-watering-reminders', 'review', 'bmad:epic:4a'],
    ]);
    expect(plans.find((p) => p.id === 'bmad:story:4a-1-frost-alerts')).toMatchObject({
      title: 'Story 4a.1: Frost alerts',
      path: '_bmad-output/implementation-artifacts/4a-1-frost-alerts.md',
      progress: { done: 2, total: 2 },
    });
    expect(plans.find((p) => p.id === 'bmad:story:4a-2-watering-reminders')?.title).toBe('Story 4a.2: Watering reminders');
  });

  test('a BMAD key with a dotted epic, a sub-epic or an R-numbered story is a story of that epic', () => {
    const { plans, parseIssues } = scan({
      [SPRINT]: sprintWith([
        'epic-2.5: in-progress',
        '2.5-1-soil-ph-log: done',
        'epic-0-5: done',
        '0-5-1-privacy-notice: done',
        'epic-1: done',
        '1-0-1-repo-setup: done',
        '1-1-sign-in: done',
        'epic-7: in-progress',
        '7-R1-fix-duplicate-plots: in-progress',
      ]),
      '_bmad-output/implementation-artifacts/0-5-1-privacy-notice.md': '# Story 0.5.1: Privacy notice\n\nStatus: done\n',
    });
    expect(parseIssues).toEqual([]);
    const stories = plans.filter((p) => p.kind === 'story').map((p) => [p.id, p.parent]);
    expect(stories).toEqual([
      ['bmad:story:2.5-1-soil-ph-log', 'bmad:epic:2-5'],
      ['bmad:story:0-5-1-privacy-notice', 'bmad:epic:0-5'],
      ['bmad:story:1-0-1-repo-setup', 'bmad:epic:1'],
      ['bmad:story:1-1-sign-in', 'bmad:epic:1'],
      ['bmad:story:7-R1-fix-duplicate-plots', 'bmad:epic:7'],
    ]);
    expect(plans.filter((p) => p.kind === 'epic').map((p) => [p.id, p.title, p.progress])).toEqual([
      ['bmad:epic:0-5', 'Epic 0-5', { done: 1, total: 1 }],
      ['bmad:epic:1', 'Epic 1', { done: 2, total: 2 }],
      ['bmad:epic:2-5', 'Epic 2.5', { done: 1, total: 1 }],
      ['bmad:epic:7', 'Epic 7', { done: 0, total: 1 }],
    ]);
  });

  test('a sprint-runner key (epic-sr-number) is a story, and its story file is found', () => {
    const { plans } = scan({
      [SPRINT]: sprintWith(['epic-5: in-progress', '5-sr-5-live-sensor-feed: in-progress']),
      '_bmad-output/implementation-artifacts/5-sr-5-live-sensor-feed.md': '# Story 5.sr.5: Live sensor feed\n\nStatus: in-progress\n\n## Tasks / Subtasks\n\n- [x] Open the socket\n- [ ] Push readings\n',
    });
    expect(plans.find((p) => p.kind === 'story')).toMatchObject({
      id: 'bmad:story:5-sr-5-live-sensor-feed',
      parent: 'bmad:epic:5',
      title: 'Story 5.sr.5: Live sensor feed',
      progress: { done: 1, total: 2 },
    });
  });

  test('a BMAD story file whose slug differs from its key is that story, not a second one', () => {
    const { plans } = scan({
      [SPRINT]: sprintWith(['epic-6: in-progress', '6-3-harvest-history-and-trends: review', '6-4-share-a-plot: backlog']),
      '_bmad-output/implementation-artifacts/6-3-harvest-history-trends.md': '# Story 6.3: Harvest history and trends\n\nStatus: review\n\n## Tasks / Subtasks\n\n- [x] Chart\n- [ ] Export\n',
    });
    const stories = plans.filter((p) => p.kind === 'story');
    expect(stories.map((p) => [p.id, p.path, p.progress])).toEqual([
      ['bmad:story:6-3-harvest-history-and-trends', '_bmad-output/implementation-artifacts/6-3-harvest-history-trends.md', { done: 1, total: 2 }],
      ['bmad:story:6-4-share-a-plot', SPRINT, { done: 0, total: 1 }],
    ]);
  });

  test('a review report or decision note beside a BMAD story is an attachment of it, not another story', () => {
    const dir = '_bmad-output/implementation-artifacts';
    const { plans } = scan({
      [SPRINT]: sprintWith(['epic-3: in-progress', '3-2-companion-planting: review']),
      [`${dir}/3-2-companion-planting.md`]: '# Story 3.2: Companion planting\n\nStatus: review\n',
      [`${dir}/3-2-companion-planting-code-review-report.md`]: '# Code review: story 3.2\n\nStatus: changes requested\n',
      [`${dir}/3-2-companion-planting-decision-note.md`]: '# Why we keep the pairing table in SQL\n',
      [`${dir}/3-3-crop-rotation.md`]: '# Story 3.3: Crop rotation\n\nStatus: drafted\n',
      [`${dir}/3-3-crop-rotation-review.md`]: '# Review of 3.3\n',
    });
    expect(plans.filter((p) => p.kind === 'story').map((p) => [p.id, p.status, p.path, p.attachments])).toEqual([
      ['bmad:story:3-2-companion-planting', 'review', `${dir}/3-2-companion-planting.md`, [`${dir}/3-2-companion-planting-code-review-report.md`, `${dir}/3-2-companion-planting-decision-note.md`]],
      ['bmad:story:3-3-crop-rotation', 'todo', `${dir}/3-3-crop-rotation.md`, [`${dir}/3-3-crop-rotation-review.md`]],
    ]);
  });

  test.each([
    ['## Status: Done', 'done'],
    ['**Status**: done', 'done'],
    ['**Status:** In Progress', 'in_progress'],
    ['- **Status**: review', 'review'],
  ])('a BMAD story status written as "%s" is read like Status: …', (line, status) => {
    const { plans } = scan({ '_bmad-output/implementation-artifacts/2-4-mulch-planner.md': `# Story 2.4: Mulch planner\n\n${line}\n\n## Story\n\nAs a gardener…\n` });
    expect(plans.find((p) => p.kind === 'story')).toMatchObject({ status, rawStatus: line.replace(/^[#*\-\s]*Status\**:\s*\**\s*/i, '').trim() });
  });

  test('each BMAD sprint file is its own sprint: a story takes its status from the file that lists it', () => {
    const { plans } = scan({
      [SPRINT]: sprintWith(['epic-1: in-progress', '1-1-plot-grid: done', '1-2-plot-labels: in-progress']),
      '_bmad-output/implementation-artifacts/playground/sprint-status-playground.yaml': 'development_status:\n  epic-9: in-progress\n  9-1-try-isometric-view: review\n  9-2-try-dark-soil-theme: backlog\n',
    });
    expect(plans.filter((p) => p.kind === 'story').map((p) => [p.id, p.status, p.path])).toEqual([
      ['bmad:story:1-1-plot-grid', 'done', SPRINT],
      ['bmad:story:1-2-plot-labels', 'in_progress', SPRINT],
      ['bmad:story:9-1-try-isometric-view', 'review', '_bmad-output/implementation-artifacts/playground/sprint-status-playground.yaml'],
      ['bmad:story:9-2-try-dark-soil-theme', 'backlog', '_bmad-output/implementation-artifacts/playground/sprint-status-playground.yaml'],
    ]);
  });

  test('a BMAD story listed by two sprint files with different statuses is one row, and the disagreement is an issue', () => {
    const other = '_bmad-output/implementation-artifacts/sprint-status-hotfix.yaml';
    const files = { [SPRINT]: sprintWith(['1-1-plot-grid: done']), [other]: 'development_status:\n  1-1-plot-grid: in-progress\n' };
    const facts = new Map<string, BmadFacts>();
    for (const [path, text] of Object.entries(files)) facts.set(path, bmad.parse(path, text).facts!);
    const { plans, issues } = bmad.derive(facts);
    expect(plans.filter((p) => p.kind === 'story').map((p) => [p.id, p.status])).toEqual([['bmad:story:1-1-plot-grid', 'done']]);
    expect(issues).toEqual([{ path: other, line: 2, message: expect.stringMatching(/1-1-plot-grid.*sprint-status\.yaml/) }]);
  });

  test('a BMAD sprint file with nested epics → stories instead of development_status is read too', () => {
    const nested = `project: garden-planner
epics:
  - id: epic-1
    title: Plot layout
    status: in-progress
    stories:
      - id: 1-1-plot-grid
        title: Draw the plot grid
        status: done
      - id: 1-2-plot-labels
        status: in-progress
  - id: 2
    title: Watering
    stories:
      2-1-rain-gauge: backlog
      2-2-drip-timer:
        status: ready-for-dev
`;
    const { plans, parseIssues } = scan({ [SPRINT]: nested });
    expect(parseIssues).toEqual([]);
    expect(plans.map((p) => [p.id, p.title, p.status, p.parent])).toEqual([
      ['bmad:epic:1', 'Epic 1: Plot layout', 'in_progress', null],
      ['bmad:epic:2', 'Epic 2: Watering', 'backlog', null],
      ['bmad:story:1-1-plot-grid', 'Story 1.1: Draw the plot grid', 'done', 'bmad:epic:1'],
      ['bmad:story:1-2-plot-labels', 'Story 1.2: Plot labels', 'in_progress', 'bmad:epic:1'],
      ['bmad:story:2-1-rain-gauge', 'Story 2.1: Rain gauge', 'backlog', 'bmad:epic:2'],
      ['bmad:story:2-2-drip-timer', 'Story 2.2: Drip timer', 'todo', 'bmad:epic:2'],
    ]);
  });

  test.each([
    ['merged', 'done'],
    ['completed', 'done'],
    ['wontfix', 'cancelled'],
    ["won't-fix", 'cancelled'],
    ['skipped', 'cancelled'],
  ])('a BMAD status %s maps to %s and keeps the raw word', (word, status) => {
    const { plans } = scan({ [SPRINT]: `development_status:\n  1-1-plot-grid: "${word}"\n` });
    expect(plans.find((p) => p.kind === 'story')).toMatchObject({ status, rawStatus: word });
  });
});
