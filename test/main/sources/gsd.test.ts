import { describe, expect, test } from 'vitest';
import { gsd, type GsdFacts } from '../../../main/sources/gsd';
import type { PlanItem } from '../../../shared/model';

function scan(files: Record<string, string>) {
  const facts = new Map<string, GsdFacts>();
  const parseIssues = [];
  for (const [path, text] of Object.entries(files)) {
    expect(gsd.owns(path), path).toBe(true);
    const parsed = gsd.parse(path, text);
    parseIssues.push(...parsed.issues);
    if (parsed.facts) facts.set(path, parsed.facts);
  }
  return { ...gsd.derive(facts), parseIssues };
}

const plan = (phase: string, n: string, objective: string, tasks = 2): string =>
  [
    '---',
    `phase: ${phase}`,
    `plan: ${n}`,
    'type: execute',
    'wave: 1',
    'depends_on: []',
    'files_modified:',
    '  - src/app/api/auth/login/route.ts',
    'autonomous: true',
    'requirements: [AUTH-01, AUTH-02]',
    'must_haves:',
    '  truths:',
    '    - "User can log in with email and password"',
    '  artifacts:',
    '    - path: src/app/api/auth/login/route.ts',
    '      provides: "Login endpoint"',
    '  key_links: []',
    '---',
    '',
    '<objective>',
    objective,
    '',
    'Purpose: users can sign in.',
    '</objective>',
    '',
    '<tasks>',
    ...Array.from({ length: tasks }, (_, i) =>
      [
        `<task type="${i === tasks - 1 ? 'checkpoint:human-verify' : 'auto'}">`,
        `  <name>Task ${i + 1}: step ${i + 1}</name>`,
        '  <files>src/app/api/auth/login/route.ts</files>',
        '  <action>Do the thing.</action>',
        '  <verify>npm test</verify>',
        '  <done>It works</done>',
        '</task>',
        '',
      ].join('\n'),
    ),
    '</tasks>',
    '',
  ].join('\n');

const summary = (phase: string, n: string, title: string): string =>
  `---\nphase: ${phase}\nplan: ${n}\nsubsystem: auth\ntags: [jwt, jose]\nduration: 12min\ncompleted: 2025-01-15\n---\n\n# Phase ${phase} Plan ${n}: ${title} Summary\n\n**JWT login with refresh rotation using jose**\n`;

const roadmap = [
  '# Roadmap: Photo Organizer',
  '',
  '## Phases',
  '',
  '- [x] **Phase 1: Foundation** - Next.js, database, deploy pipeline',
  '- [ ] **Phase 2: Authentication** - Email/password login and sessions',
  '- [ ] **Phase 2.1: Session Hotfix (INSERTED)** - Cookie expiry bug',
  '- [ ] **Phase 3: Albums** - Create, share and browse albums',
  '- [ ] **Phase 4: Search** - Find photos by date and place',
  '',
  '## Phase Details',
  '',
  '### Phase 1: Foundation',
  '**Goal**: A deployed empty app',
  'Plans:',
  '- [x] 01-01-PLAN.md — Scaffold',
  '',
  '### Phase 2: Authentication',
  '**Goal**: Users can sign in',
  '',
].join('\n');

describe('GSD phases and plans', () => {
  test('a plan is done when its SUMMARY exists, and phase progress is summaries over plans', () => {
    const { plans } = scan({
      '.planning/ROADMAP.md': roadmap,
      '.planning/phases/02-authentication/02-01-PLAN.md': plan('02-authentication', '01', 'Implement email/password login with JWT sessions.', 3),
      '.planning/phases/02-authentication/02-01-SUMMARY.md': summary('2', '1', 'Login Endpoint'),
      '.planning/phases/02-authentication/02-02-PLAN.md': plan('02-authentication', '02', 'Logout and session refresh.'),
      '.planning/phases/02-authentication/02-03-PLAN.md': plan('02-authentication', '03', 'Password reset by email.'),
    });
    const phase = plans.find((p) => p.id === 'gsd:phase:02');
    expect(phase).toEqual({
      id: 'gsd:phase:02',
      source: 'gsd',
      kind: 'phase',
      title: 'Phase 2: Authentication',
      status: 'in_progress',
      rawStatus: '',
      progress: { done: 1, total: 3 },
      path: '.planning/phases/02-authentication',
      parent: null,
    });
    expect(plans.filter((p) => p.parent === 'gsd:phase:02').map((p) => [p.id, p.title, p.status, p.progress])).toEqual([
      ['gsd:plan:02-01', 'Implement email/password login with JWT sessions.', 'done', { done: 3, total: 3 }],
      ['gsd:plan:02-02', 'Logout and session refresh.', 'todo', { done: 0, total: 2 }],
      ['gsd:plan:02-03', 'Password reset by email.', 'todo', { done: 0, total: 2 }],
    ]);
  });

  test('a phase is done when it has plans and at least as many summaries', () => {
    const { plans } = scan({
      '.planning/phases/01-foundation/01-01-PLAN.md': plan('01-foundation', '01', 'Scaffold the app.'),
      '.planning/phases/01-foundation/01-01-SUMMARY.md': summary('1', '1', 'Scaffold'),
      '.planning/phases/01-foundation/01-02-PLAN.md': plan('01-foundation', '02', 'Deploy pipeline.'),
      '.planning/phases/01-foundation/01-02-SUMMARY.md': summary('1', '2', 'Deploy'),
    });
    expect(plans[0]).toMatchObject({ id: 'gsd:phase:01', title: 'Phase 1: Foundation', status: 'done', progress: { done: 2, total: 2 } });
  });

  test('roadmap phases without a folder are listed, done when the roadmap ticks them', () => {
    const { plans } = scan({
      '.planning/ROADMAP.md': roadmap,
      '.planning/phases/02-authentication/02-01-PLAN.md': plan('02-authentication', '01', 'Login.'),
    });
    expect(plans.filter((p) => p.kind === 'phase').map((p) => [p.id, p.title, p.status, p.path])).toEqual([
      ['gsd:phase:01', 'Phase 1: Foundation', 'done', '.planning/ROADMAP.md'],
      ['gsd:phase:02', 'Phase 2: Authentication', 'todo', '.planning/phases/02-authentication'],
      ['gsd:phase:02.1', 'Phase 2.1: Session Hotfix (INSERTED)', 'todo', '.planning/ROADMAP.md'],
      ['gsd:phase:03', 'Phase 3: Albums', 'todo', '.planning/ROADMAP.md'],
      ['gsd:phase:04', 'Phase 4: Search', 'todo', '.planning/ROADMAP.md'],
    ]);
  });

  test('an inserted phase 02.1 gets its own ids and sorts between 02 and 03', () => {
    const { plans } = scan({
      '.planning/phases/03-albums/03-01-PLAN.md': plan('03-albums', '01', 'Album model.'),
      '.planning/phases/02.1-session-hotfix/02.1-01-PLAN.md': plan('02.1-session-hotfix', '01', 'Fix cookie expiry.'),
      '.planning/phases/02.1-session-hotfix/02.1-01-SUMMARY.md': summary('2.1', '1', 'Cookie fix'),
      '.planning/phases/02-authentication/02-01-PLAN.md': plan('02-authentication', '01', 'Login.'),
    });
    expect(plans.map((p) => [p.id, p.parent])).toEqual([
      ['gsd:phase:02', null],
      ['gsd:plan:02-01', 'gsd:phase:02'],
      ['gsd:phase:02.1', null],
      ['gsd:plan:02.1-01', 'gsd:phase:02.1'],
      ['gsd:phase:03', null],
      ['gsd:plan:03-01', 'gsd:phase:03'],
    ]);
    expect(plans[2]).toMatchObject({ title: 'Phase 2.1: Session hotfix', status: 'done' });
  });

  test('the nested plans/PLAN-01.md layout pairs with plans/SUMMARY-01.md', () => {
    const { plans } = scan({
      '.planning/phases/05-export/plans/PLAN-01.md': plan('05-export', '01', 'CSV export.'),
      '.planning/phases/05-export/plans/SUMMARY-01.md': summary('5', '1', 'CSV export'),
      '.planning/phases/05-export/plans/PLAN-02.md': plan('05-export', '02', 'PDF export.'),
      '.planning/phases/05-export/03-PLAN.md': plan('05-export', '03', 'Zip export.'),
    });
    expect(plans.map((p) => [p.id, p.status])).toEqual([
      ['gsd:phase:05', 'in_progress'],
      ['gsd:plan:05-01', 'done'],
      ['gsd:plan:05-02', 'todo'],
      ['gsd:plan:05-03', 'todo'],
    ]);
    expect(plans[0]?.progress).toEqual({ done: 1, total: 3 });
  });

  test('two folders with one phase number do not collide', () => {
    const { plans } = scan({
      '.planning/phases/03-albums/03-01-PLAN.md': plan('03-albums', '01', 'Album model.'),
      '.planning/phases/03-albums-old/03-01-PLAN.md': plan('03-albums-old', '01', 'Old album model.'),
    });
    const ids = plans.map((p) => p.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toEqual(['gsd:phase:03', 'gsd:plan:03-01', 'gsd:phase:03-albums-old', 'gsd:plan:03-albums-old-01']);
  });

  test('a plan without a heading or objective still gets a title', () => {
    const { plans } = scan({ '.planning/phases/07-polish/07-02-PLAN.md': '---\nphase: 07-polish\nplan: 02\n---\n\nJust notes.\n' });
    expect(plans[1]).toMatchObject({ id: 'gsd:plan:07-02', title: 'Plan 07-02', progress: { done: 0, total: 1 } });
  });

  test('frontmatter that is not strict YAML is no issue on a PLAN or SUMMARY: GSD reads it line by line and Vigil takes nothing from it', () => {
    const block = [
      '---',
      'phase: [02',
      'must_haves:',
      '  artifacts:',
      '    - path: src/auth/login.ts',
      '      contains: "LoginForm\\.submit"',
      '      contains: "validate"',
      '    - login(user: User): Session - the entry point',
      '    - `hashPassword()` stays as it is',
      '---',
    ].join('\n');
    const plan = gsd.parse('.planning/phases/02-auth/02-01-PLAN.md', `${block}\n\n# Login form\n`);
    expect(plan).toEqual({ facts: expect.objectContaining({ kind: 'plan', title: 'Login form' }), issues: [] });
    const summary = gsd.parse('.planning/phases/02-auth/02-01-SUMMARY.md', `${block}\n\n# Phase 2 Plan 1: Login form Summary\n`);
    expect(summary).toEqual({ facts: expect.objectContaining({ kind: 'summary', title: 'Phase 2 Plan 1: Login form Summary' }), issues: [] });
    const quick = gsd.parse('.planning/quick/003-fix-typo/003-PLAN.md', `${block}\n\n<objective>\nFix the typo\n</objective>\n`);
    expect(quick.issues).toEqual([]);
  });

  test('a PLAN frontmatter opened with a language fence is still an issue, and nothing in it runs', () => {
    const parsed = gsd.parse('.planning/phases/02-auth/02-01-PLAN.md', '---js\nglobalThis.ran = true\n---\n\n# Login form\n');
    expect(parsed.issues).toEqual([{ path: '.planning/phases/02-auth/02-01-PLAN.md', line: 1, message: expect.stringMatching(/only YAML frontmatter is read/) }]);
    expect((globalThis as { ran?: boolean }).ran).toBeUndefined();
  });

  test('a plan is titled by its objective, not by comment lines in its context or in code blocks', () => {
    const body = [
      '---',
      'phase: 03-sync',
      'plan: 01',
      '---',
      '',
      '<objective>',
      'Sync the watering log to the server',
      '',
      'Purpose: the log survives a lost phone.',
      '</objective>',
      '',
      '<context>',
      '@.planning/STATE.md',
      '# Only reference earlier SUMMARY files when they are needed',
      '</context>',
      '',
      '<tasks>',
      '<task type="auto">',
      '  <name>Task 1: Queue</name>',
      '  <action>',
      '```bash',
      '# run the migrations first',
      'npm run migrate',
      '```',
      '  </action>',
      '</task>',
      '</tasks>',
    ].join('\n');
    expect(gsd.parse('.planning/phases/03-sync/03-01-PLAN.md', body).facts).toMatchObject({ title: 'Sync the watering log to the server' });
    // A heading above the objective is the plan's own title.
    const titled = body.replace('<objective>', '# Phase 3 Plan 1: Watering log sync\n\n<objective>');
    expect(gsd.parse('.planning/phases/03-sync/03-01-PLAN.md', titled).facts).toMatchObject({ title: 'Phase 3 Plan 1: Watering log sync' });
    // Without an objective, the first heading outside a code block.
    const bare = '```yaml\n# estimated_tokens: ~4k\n```\n\n## Prune the hedges\n';
    expect(gsd.parse('.planning/quick/004-prune/004-PLAN.md', bare).facts).toMatchObject({ title: 'Prune the hedges' });
  });
});

describe('GSD STATE.md is reported, never measured', () => {
  const selfContradicting = [
    '---',
    'gsd_state_version: 1.0',
    'milestone: v1.0',
    'milestone_name: MVP',
    'status: executing',
    'stopped_at: Completed 02-01-PLAN.md',
    'last_updated: "2025-01-15T14:32:10.000Z"',
    'progress:',
    '  total_phases: 4',
    '  completed_phases: 1',
    '  total_plans: 7',
    '  completed_plans: 4',
    '  percent: 57',
    '---',
    '',
    '# Project State',
    '',
    '## Project Reference',
    '',
    'See: .planning/PROJECT.md (updated 2025-01-10)',
    '',
    '**Core value:** Photos organized without effort',
    '**Current focus:** Phase 2 — Authentication',
    '',
    '## Current Position',
    '',
    'Phase: 2 of 4 (Authentication)',
    'Plan: 1 of 3 in current phase',
    'Status: Ready to plan',
    'Last activity: 2025-01-15 — Completed 02-01-PLAN.md',
    '',
    'Progress: [████░░░░░░] 40%',
    '',
    '## Accumulated Context',
    '',
    '- Phase 1: chose Postgres over SQLite',
    '',
  ].join('\n');

  test('a self-contradicting STATE.md is reported as written, frontmatter first, and the counts stay measured', () => {
    const { reported, plans } = scan({
      '.planning/STATE.md': selfContradicting,
      '.planning/phases/02-authentication/02-01-PLAN.md': plan('02-authentication', '01', 'Login.'),
      '.planning/phases/02-authentication/02-02-PLAN.md': plan('02-authentication', '02', 'Logout.'),
    });
    expect(reported).toEqual([
      {
        source: 'gsd',
        path: '.planning/STATE.md',
        status: 'executing',
        percent: 57,
        text: 'Phase 2 of 4 (Authentication) · Plan 1 of 3 in current phase · Stopped at: Completed 02-01-PLAN.md · Last activity: 2025-01-15 — Completed 02-01-PLAN.md · Progress line says 40%',
      },
    ]);
    expect(plans[0]).toMatchObject({ id: 'gsd:phase:02', status: 'todo', progress: { done: 0, total: 2 } });
  });

  test('an older body-only STATE.md with CRLF and a BOM is read from its lines', () => {
    const text = '\uFEFF# Project State\r\n\r\n## Current Position\r\n\r\n**Phase:** 3 of 5 (Albums)\r\n**Plan:** 2 of 2\r\n**Status:** Phase complete\r\n\r\nProgress: [██████░░░░] 60%\r\n';
    const { reported } = scan({ '.planning/STATE.md': text });
    expect(reported).toEqual([
      { source: 'gsd', path: '.planning/STATE.md', status: 'Phase complete', percent: 60, text: 'Phase 3 of 5 (Albums) · Plan 2 of 2' },
    ]);
  });

  test('an empty STATE.md reports nothing in particular', () => {
    expect(scan({ '.planning/STATE.md': '' }).reported).toEqual([
      { source: 'gsd', path: '.planning/STATE.md', status: null, percent: null, text: null },
    ]);
  });
});

describe('GSD quick tasks and todos', () => {
  test('quick tasks are done when their SUMMARY exists', () => {
    const { plans } = scan({
      '.planning/quick/001-fix-login-typo/001-PLAN.md': '---\ntype: quick\n---\n\n# Quick 001: Fix login typo\n',
      '.planning/quick/001-fix-login-typo/001-SUMMARY.md': '# Quick 001 Summary\n\nFixed.\n',
      '.planning/quick/002-bump-deps/002-PLAN.md': '<objective>\nBump dependencies\n</objective>\n',
    });
    expect(plans).toEqual([
      expect.objectContaining({ id: 'gsd:quick:001', kind: 'quick', title: 'Quick 001: Fix login typo', status: 'done', parent: null }),
      expect.objectContaining({ id: 'gsd:quick:002', title: 'Bump dependencies', status: 'todo', path: '.planning/quick/002-bump-deps/002-PLAN.md' }),
    ]);
  });

  test('pending todos are stubs', () => {
    const { stubs } = scan({
      '.planning/todos/pending/2025-01-15-add-rate-limiting.md':
        '---\ncreated: 2025-01-15T14:30\ntitle: Add rate limiting to login\narea: api\nfiles:\n  - src/app/api/auth/login/route.ts\n---\n\n## Problem\n\nBrute force.\n',
      '.planning/todos/pending/2025-01-16-dark-mode.md': '## Problem\n\nEyes hurt.\n',
    });
    expect(stubs).toEqual([
      {
        id: 'gsd:todo:2025-01-15-add-rate-limiting',
        source: 'gsd',
        title: 'Add rate limiting to login',
        status: 'backlog',
        rawStatus: 'pending',
        path: '.planning/todos/pending/2025-01-15-add-rate-limiting.md',
      },
      expect.objectContaining({ id: 'gsd:todo:2025-01-16-dark-mode', title: 'Dark mode' }),
    ]);
  });
});

describe('GSD paths', () => {
  test.each([
    '.planning/STATE.md',
    '.planning/ROADMAP.md',
    '.planning/phases/02-auth/02-01-PLAN.md',
    '.planning/phases/02-auth/02-01-SUMMARY.md',
    '.planning/phases/02.1-hotfix/02.1-01-PLAN.md',
    '.planning/phases/05-export/plans/PLAN-01.md',
    '.planning/phases/05-export/plans/SUMMARY-01.md',
    '.planning/quick/003-fix/003-PLAN.md',
    '.planning/todos/pending/2025-01-15-idea.md',
  ])('owns %s', (path) => {
    expect(gsd.owns(path)).toBe(true);
  });

  test.each([
    '.planning/phases/02-auth/02-01-OUTLINE.md',
    '.planning/phases/02-auth/02-01-PLAN.pre-bounce.md',
    '.planning/STATE.md.lock',
    '.planning/phases/02-auth/02-01-PLAN.md.tmp',
    '.planning/phases/02-auth/02-CONTEXT.md',
    '.planning/todos/done/2025-01-01-old.md',
    '.planning/PROJECT.md',
    '.planning/phases/notes/01-PLAN.md',
    'docs/.planning/STATE.md',
  ])('does not own %s', (path) => {
    expect(gsd.owns(path)).toBe(false);
  });

  test('random bytes never throw', () => {
    const paths = ['.planning/STATE.md', '.planning/ROADMAP.md', '.planning/phases/01-a/01-01-PLAN.md', '.planning/todos/pending/x.md'];
    for (const path of paths) {
      for (const text of ['', '---', '---\n---', '\u0000\uFFFF---\n: : :\n', '---\nprogress: [1, 2]\n---\nProgress: %%%\nPhase:', '- [x] **Phase : ']) {
        const parsed = gsd.parse(path, text);
        if (parsed.facts) expect(() => gsd.derive(new Map([[path, parsed.facts!]]))).not.toThrow();
      }
    }
  });
});

// Classes of planning folders seen in real GSD projects (each written here in our own words).
describe('GSD phases as real roadmaps describe them', () => {
  const onePlanDone = {
    '.planning/phases/07-irrigation/07-01-PLAN.md': '---\nphase: 07-irrigation\nplan: 01\n---\n\n<objective>\nValve controller driver.\n</objective>\n',
    '.planning/phases/07-irrigation/07-01-SUMMARY.md': '# Phase 7 Plan 1: Valve driver Summary\n',
  };
  const phase7 = (plans: PlanItem[]): PlanItem | undefined => plans.find((p) => p.id === 'gsd:phase:07');

  test('a GSD phase with "Plans: 2 plans" in the roadmap and one SUMMARY is in progress 1 of 2, not done', () => {
    const roadmapText = '# Roadmap\n\n## Phase Details\n\n### Phase 7: Irrigation\n**Goal**: Beds water themselves\n**Plans**: 2 plans\n\n### Phase 8: Harvest log\n**Plans**: TBD\n';
    const { plans } = scan({ '.planning/ROADMAP.md': roadmapText, ...onePlanDone });
    expect(phase7(plans)).toMatchObject({ title: 'Phase 7: Irrigation', status: 'in_progress', progress: { done: 1, total: 2 } });
  });

  test('a GSD roadmap progress table (1/2) gives the phase its plan count', () => {
    const roadmapText = '# Roadmap\n\n- [ ] **Phase 7: Irrigation** - beds water themselves\n\n## Progress\n\n| Phase | Milestone | Plans Complete | Status |\n|-------|-----------|----------------|--------|\n| 7. Irrigation | v1.1 | 1/2 | In Progress |\n| 8. Harvest log | v1.1 | 0/? | Not started |\n';
    const { plans } = scan({ '.planning/ROADMAP.md': roadmapText, ...onePlanDone });
    expect(phase7(plans)).toMatchObject({ status: 'in_progress', progress: { done: 1, total: 2 } });
    expect(plans.find((p) => p.id === 'gsd:phase:08')).toMatchObject({ title: 'Phase 8: Harvest log', status: 'todo', progress: { done: 0, total: 1 } });
  });

  test('a GSD roadmap that lists a phase\'s plan files counts them, written or not', () => {
    const roadmapText = '# Roadmap\n\n### Phase 7: Irrigation\nPlans:\n- [x] 07-01-PLAN.md — valve driver\n- [ ] 07-02-PLAN.md — schedule\n- [ ] 07-03-PLAN.md — rain delay\n';
    const { plans } = scan({ '.planning/ROADMAP.md': roadmapText, ...onePlanDone });
    expect(phase7(plans)).toMatchObject({ status: 'in_progress', progress: { done: 1, total: 3 } });
  });

  test('a GSD phase whose summary list says (2/2 plans) and is ticked, with its folder moved away, is done 2 of 2', () => {
    const roadmapText = '# Roadmap\n\n- [x] Phase 5: Soil sensors (2/2 plans) — completed 2026-02-01\n';
    const { plans } = scan({ '.planning/ROADMAP.md': roadmapText });
    expect(plans).toEqual([expect.objectContaining({ id: 'gsd:phase:05', title: 'Phase 5: Soil sensors', status: 'done', progress: { done: 2, total: 2 } })]);
  });

  test('GSD phases of a shipped milestone kept as headings in a details block are done, as the table says', () => {
    const roadmapText = [
      '# Roadmap',
      '',
      '<details>',
      '<summary>✅ v1.0 Garden basics (Phases 1-2) — SHIPPED 2026-01-10</summary>',
      '',
      '#### Phase 1: Beds',
      '**Plans**: 2 plans',
      '',
      '#### Phase 2: Watering',
      '</details>',
      '',
      '### v1.1 Harvest (in progress)',
      '',
      '#### Phase 3: Harvest log — COMPLETE',
      '#### Phase 4: Complete the seed catalogue',
      '#### Phase 5: Frost alerts',
      '- [ ] **Phase 6: Compost timer** - a reminder, shipped later',
      '',
      '| Phase | Milestone | Plans Complete | Status | Completed |',
      '|-------|-----------|----------------|--------|-----------|',
      '| 5. Frost alerts | v1.1 | 1/1 | Complete | 2026-02-01 |',
      '| 6. Compost timer | v1.1 | 1/1 | Complete | 2026-02-02 |',
      '',
    ].join('\n');
    const { plans } = scan({ '.planning/ROADMAP.md': roadmapText });
    expect(plans.map((p) => [p.id, p.title, p.status, p.progress])).toEqual([
      ['gsd:phase:01', 'Phase 1: Beds', 'done', { done: 2, total: 2 }],
      ['gsd:phase:02', 'Phase 2: Watering', 'done', { done: 1, total: 1 }],
      ['gsd:phase:03', 'Phase 3: Harvest log', 'done', { done: 1, total: 1 }],
      ['gsd:phase:04', 'Phase 4: Complete the seed catalogue', 'todo', { done: 0, total: 1 }],
      ['gsd:phase:05', 'Phase 5: Frost alerts', 'done', { done: 1, total: 1 }],
      // The checkbox is the roadmap's own word for the phase: it wins over the table.
      ['gsd:phase:06', 'Phase 6: Compost timer', 'todo', { done: 0, total: 1 }],
    ]);
  });

  test('a GSD phase the roadmap ticks is done though a deferred PLAN has no SUMMARY; its count says so', () => {
    const roadmapText = '# Roadmap\n\n- [x] **Phase 4: Greenhouse** - heaters and vents\n- [ ] **Phase 7: Irrigation** - beds water themselves\n';
    const { plans } = scan({
      '.planning/ROADMAP.md': roadmapText,
      '.planning/phases/04-greenhouse/04-01-PLAN.md': '# Heaters\n',
      '.planning/phases/04-greenhouse/04-01-SUMMARY.md': '# Summary\n',
      '.planning/phases/04-greenhouse/04-02-PLAN.md': '# Vent motors (deferred to phase 9)\n',
      ...onePlanDone,
    });
    expect(plans.filter((p) => p.kind === 'phase').map((p) => [p.id, p.status, p.progress])).toEqual([
      ['gsd:phase:04', 'done', { done: 1, total: 2 }],
      ['gsd:phase:07', 'done', { done: 1, total: 1 }],
    ]);
  });

  test('GSD fix plans (09-03-FIX2-PLAN.md) are plans of their own beside the plan they fix', () => {
    const { plans } = scan({
      '.planning/phases/09-tables/09-03-PLAN.md': '<objective>\nSort the tables\n</objective>\n',
      '.planning/phases/09-tables/09-03-SUMMARY.md': '# Summary\n',
      '.planning/phases/09-tables/09-03-FIX2-PLAN.md': '<objective>\nFix 2 issues found in review of 09-03\n</objective>\n',
      '.planning/phases/09-tables/09-03-FIX2-SUMMARY.md': '# Summary\n',
      '.planning/phases/09-tables/09-03-FIX3-PLAN.md': '<objective>\nFix the last issue\n</objective>\n',
    });
    expect(plans.map((p) => [p.id, p.title, p.status])).toEqual([
      ['gsd:phase:09', 'Phase 9: Tables', 'in_progress'],
      ['gsd:plan:09-03', 'Sort the tables', 'done'],
      ['gsd:plan:09-03-fix2', 'Fix 2 issues found in review of 09-03', 'done'],
      ['gsd:plan:09-03-fix3', 'Fix the last issue', 'todo'],
    ]);
  });

  test('a GSD PLAN whose frontmatter is never closed is read to its end, with no issue; an objective keeps its angle brackets', () => {
    const text = '---\nphase: 06-search\nplan: 02\n\n<objective>\nStore rows as Vec<Vec<Spur>> to save memory\n</objective>\n\n<tasks>\n<task type="auto">a</task>\n<task type="auto">b</task>\n</tasks>\n';
    const parsed = gsd.parse('.planning/phases/06-search/06-02-PLAN.md', text);
    expect(parsed).toEqual({ facts: expect.objectContaining({ kind: 'plan', title: 'Store rows as Vec<Vec<Spur>> to save memory', tasks: 2 }), issues: [] });
    const inline = gsd.parse('.planning/quick/005-x/005-PLAN.md', '<objective>Water the <b>beds</b></objective>\n');
    expect(inline.facts).toMatchObject({ title: 'Water the <b>beds</b>' });
  });

  test('a GSD plan that writes its tasks as "## Task N" headings counts them, as GSD does', () => {
    const plan = '# Soil probe driver\n\n## Task 1: Read the probe\n\nDo it.\n\n### Task 2: Calibrate\n\n## Task 3: Store readings\n\n## Verification\n';
    const { plans } = scan({
      '.planning/phases/08-probes/08-01-PLAN.md': plan,
      '.planning/phases/08-probes/08-02-PLAN.md': plan.replace('Soil probe driver', 'Second probe'),
      '.planning/phases/08-probes/08-02-SUMMARY.md': '# Summary\n',
    });
    expect(plans.filter((p) => p.kind === 'plan').map((p) => [p.id, p.progress])).toEqual([
      ['gsd:plan:08-01', { done: 0, total: 3 }],
      ['gsd:plan:08-02', { done: 3, total: 3 }],
    ]);
  });

  test('a GSD phase folder with a project code before its number is that phase', () => {
    const { plans } = scan({
      '.planning/phases/phase-25-end-to-end/25-01-PLAN.md': '# Walk the whole garden\n',
      '.planning/phases/phase-25-end-to-end/25-01-SUMMARY.md': '# Summary\n',
      '.planning/phases/GDN-26-release/26-01-PLAN.md': '# Tag the release\n',
    });
    expect(plans.map((p) => [p.id, p.status, p.parent])).toEqual([
      ['gsd:phase:25', 'done', null],
      ['gsd:plan:25-01', 'done', 'gsd:phase:25'],
      ['gsd:phase:26', 'todo', null],
      ['gsd:plan:26-01', 'todo', 'gsd:phase:26'],
    ]);
  });

  test('GSD plans named with a slug (200-01-openapi-PLAN.md) pair with their SUMMARY', () => {
    const { plans } = scan({
      '.planning/phases/200-api/200-01-openapi-PLAN.md': '# Publish the OpenAPI document\n',
      '.planning/phases/200-api/200-01-openapi-SUMMARY.md': '# Summary\n',
      '.planning/phases/200-api/200-02-clients-PLAN.md': '# Generate clients\n',
    });
    expect(plans.map((p) => [p.id, p.status, p.progress])).toEqual([
      ['gsd:phase:200', 'in_progress', { done: 1, total: 2 }],
      ['gsd:plan:200-01', 'done', { done: 1, total: 1 }],
      ['gsd:plan:200-02', 'todo', { done: 0, total: 1 }],
    ]);
  });
});
