// One project folder holding all eight planning conventions at once, written the way the
// tools write them (docs/formats.md), including some of their real-world drift: CRLF, a BOM,
// upper-case coderef section keys, a BMAD legacy status, a self-contradicting GSD STATE.md,
// Task Master's tagged form, a Backlog.md custom status order.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

export const EIGHT_CONVENTIONS: Record<string, string> = {
  // ---- coderef: two features (one archived), a stub, a work-order log ----
  'coderef/working/auth-system/plan.json': JSON.stringify(
    {
      META_DOCUMENTATION: {
        feature_name: 'auth-system',
        workorder_id: 'WO-AUTH-SYSTEM-001',
        status: 'in_progress',
        schema_version: '1.0.0',
      },
      UNIVERSAL_PLANNING_STRUCTURE: {
        '0_preparation': { goal: 'Login for the web app' },
        '5_task_id_system': {
          tasks: [
            { id: 'SETUP-001', description: 'Create the auth module', status: 'completed', dependencies: [] },
            { id: 'IMPL-001', description: 'Password hashing', status: 'in_progress', dependencies: ['SETUP-001'] },
            { id: 'TEST-001', description: 'Login tests', status: 'pending', dependencies: ['IMPL-001'] },
          ],
        },
        '9_IMPLEMENTATION_CHECKLIST': {
          phase_1: ['[x] SETUP-001 Create the auth module', '[ ] IMPL-001 Password hashing', '☐ TEST-001 Login tests'],
        },
      },
    },
    null,
    2,
  ),
  'coderef/working/auth-system/DELIVERABLES.md':
    '# DELIVERABLES: auth-system\r\n\r\n**Project**: webapp\r\n**Feature**: auth-system\r\n**Workorder**: WO-AUTH-SYSTEM-001\r\n**Status**: 🚧 In Progress\r\n\r\n## Task Completion Checklist\r\n\r\n- [x] [SETUP-001] Create the auth module\r\n- [ ] [IMPL-001] Password hashing\r\n- [ ] [TEST-001] Login tests\r\n',
  'coderef/working/auth-system/communication.json': JSON.stringify({
    handoff: { workorder_id: 'WO-AUTH-SYSTEM-001', feature_name: 'auth-system', from: 'planner', to: 'coder', status: 'implementing' },
  }),
  'coderef/archived/csv-export/plan.json': JSON.stringify({
    META_DOCUMENTATION: { feature_name: 'csv-export', workorder_id: 'WO-CSV-EXPORT-001', status: 'planning' },
    UNIVERSAL_PLANNING_STRUCTURE: { '5_task_id_system': { tasks: [{ id: 'IMPL-001', description: 'Export', status: 'pending' }] } },
  }),
  'coderef/archived/index.json': JSON.stringify({
    archived_features: [{ feature_name: 'csv-export', folder_name: 'csv-export', archived_at: '2025-01-10T12:00:00Z' }],
  }),
  'coderef/stubs/dark-mode/stub.json': JSON.stringify({
    feature_name: 'dark-mode',
    description: 'A dark theme',
    category: 'feature',
    priority: 'low',
    status: 'stub',
    created: '2025-01-02',
  }),
  'coderef/workorder-log.txt':
    'WO-AUTH-SYSTEM-001 | webapp | Implementing password hashing | 2025-01-12T09:30:00Z\nWO-CSV-EXPORT-001 | webapp | Archived csv-export | 2025-01-10T12:00:00Z\n',

  // ---- GSD: two phases with three plans (one summarized), a quick task, a pending todo ----
  '.planning/PROJECT.md': '# Webapp\n\nA web app.\n',
  '.planning/ROADMAP.md':
    '# Roadmap: Webapp\n\n## Phases\n\n- [x] **Phase 1: Foundation** - scaffolding and auth\n- [ ] **Phase 2: API** - the REST API\n',
  '.planning/STATE.md':
    '---\ncurrent_phase: 2\nstatus: executing\nprogress:\n  total_phases: 2\n  completed_phases: 2\n  percent: 90\n---\n# Project State\n\nPhase: 1 of 2 (Foundation)\nPlan: 2 of 2\nStatus: In progress\nProgress: [████░░] 60%\n',
  '.planning/phases/01-foundation/01-01-PLAN.md':
    '---\nphase: 01-foundation\nplan: 01\ntype: execute\nwave: 1\ndepends_on: []\nautonomous: true\n---\n\n# Scaffold the app\n\n<tasks>\n<task type="auto">\n  <name>Task 1: Create package</name>\n</task>\n</tasks>\n',
  '.planning/phases/01-foundation/01-01-SUMMARY.md': '# Summary 01-01\n\nScaffolded.\n',
  '.planning/phases/01-foundation/01-02-PLAN.md':
    '---\nphase: 01-foundation\nplan: 02\ntype: tdd\nwave: 2\ndepends_on: [01-01]\n---\n\n# Auth endpoints\n\n<tasks>\n<task type="auto">\n  <name>Task 1: Login route</name>\n</task>\n<task type="checkpoint:human-verify">\n  <name>Task 2: Verify login</name>\n</task>\n</tasks>\n',
  '.planning/phases/02-api/02-01-PLAN.md':
    '---\nphase: 02-api\nplan: 01\ntype: execute\nwave: 1\n---\n\n# REST skeleton\n\n<tasks>\n<task type="auto">\n  <name>Task 1: Router</name>\n</task>\n</tasks>\n',
  '.planning/phases/02-api/02-01-PLAN.pre-bounce.md': '# an old draft that must be ignored\n',
  '.planning/quick/001-fix-typo/001-PLAN.md': '# Fix the typo in the footer\n',
  '.planning/quick/001-fix-typo/001-SUMMARY.md': '# Done\n',
  '.planning/todos/pending/add-caching.md': '---\ntitle: Add response caching\narea: api\n---\n\nCache GET responses.\n',

  // ---- BMAD v6: two epics, three stories (one still in backlog), a legacy status ----
  '_bmad-output/implementation-artifacts/sprint-status.yaml': [
    '# generated: 2025-01-12',
    'project: webapp',
    'project_key: WEB',
    'story_location: "{project-root}/_bmad-output/implementation-artifacts"',
    'development_status:',
    '  epic-1: in-progress',
    '  1-1-user-login: done',
    '  1-2-password-reset: drafted',
    '  epic-1-retrospective: optional',
    '  epic-2: backlog',
    '  2-1-dashboard: backlog',
    '',
  ].join('\n'),
  '_bmad-output/implementation-artifacts/1-1-user-login.md':
    '# Story 1.1: User Login\n\nStatus: done\n\n## Tasks / Subtasks\n\n- [x] Login form (AC: 1)\n  - [x] Email field\n- [x] Session cookie\n',
  '_bmad-output/implementation-artifacts/1-2-password-reset.md':
    '# Story 1.2: Password Reset\n\nStatus: drafted\n\n## Tasks / Subtasks\n\n- [ ] Reset email\n- [ ] Token expiry\n',

  // ---- spec-kit: two features, one finished, with a checklist ----
  'specs/001-user-login/spec.md': '\uFEFF# Feature Specification: User Login\n\n**Feature Branch**: `001-user-login`\n**Status**: Draft\n',
  'specs/001-user-login/tasks.md':
    '# Tasks: User Login\n\n## Phase 1: Setup\n\n- [X] T001 Create project structure\n- [ ] T002 [P] Configure linting\n\n## Phase 2: User Story 1\n\n- [ ] T003 [US1] Login form in src/login.tsx\n',
  'specs/001-user-login/checklists/requirements.md': '# Requirements checklist\n\n- [x] CHK001 No implementation details\n- [ ] CHK002 Measurable success criteria\n',
  'specs/002-search/spec.md': '# Feature Specification: Search\n\n**Status**: Approved\n',
  'specs/002-search/tasks.md': '# Tasks: Search\n\n- [x] T001 Index\n- [x] T002 Query\n',

  // ---- Task Master: tagged form, three tasks, one with subtasks ----
  '.taskmaster/tasks/tasks.json': JSON.stringify(
    {
      master: {
        tasks: [
          { id: 1, title: 'Set up repo', description: '', status: 'done', priority: 'high', dependencies: [], subtasks: [] },
          {
            id: 2,
            title: 'Build API',
            description: '',
            status: 'in-progress',
            priority: 'high',
            dependencies: [1],
            subtasks: [
              { id: 1, title: 'Routes', status: 'done', dependencies: [] },
              { id: 2, title: 'Auth', status: 'pending', dependencies: ['2.1'] },
            ],
          },
          { id: 3, title: 'Deploy', description: '', status: 'deferred', priority: 'low', dependencies: [2], subtasks: [] },
        ],
        metadata: { created: '2025-01-01T00:00:00.000Z', updated: '2025-01-12T00:00:00.000Z' },
      },
    },
    null,
    2,
  ),
  '.taskmaster/state.json': JSON.stringify({ currentTag: 'master', lastSwitched: '2025-01-01T00:00:00.000Z' }),

  // ---- Backlog.md: a custom status order, tasks, a completed task, a draft ----
  'backlog/config.yml': 'project_name: "webapp"\ndefault_status: "To Do"\nstatuses: ["To Do", "In Progress", "Done", "Blocked"]\ntask_prefix: "task"\n',
  'backlog/tasks/task-1 - Set up CI.md':
    '---\nid: task-1\ntitle: Set up CI\nstatus: In Progress\nassignee: []\nlabels: [infra]\ncreated_date: "2025-01-03"\n---\n\n## Description\n\nRun tests on every push.\n\n## Acceptance Criteria\n<!-- AC:BEGIN -->\n- [x] #1 Workflow file exists\n- [ ] #2 Tests run on push\n<!-- AC:END -->\n',
  'backlog/tasks/task-2 - Write docs.md': '---\nid: task-2\ntitle: Write docs\nstatus: To Do\n---\n\nDocs.\n',
  'backlog/completed/task-3 - Initial commit.md': '---\nid: task-3\ntitle: Initial commit\nstatus: Done\n---\n',
  'backlog/drafts/draft-1 - Offline mode.md': '---\nid: draft-1\ntitle: Offline mode\nstatus: To Do\n---\n',
  'backlog/archive/tasks/task-9 - Old thing.md': '---\nid: task-9\ntitle: Old thing\nstatus: Done\n---\n',

  // ---- Kiro: one spec with sub-tasks and an optional task ----
  '.kiro/specs/notifications/requirements.md': '# Requirements Document\n\n## Introduction\n\nNotify users.\n',
  '.kiro/specs/notifications/design.md': '# Design Document\n',
  '.kiro/specs/notifications/tasks.md':
    '# Implementation Plan\n\n- [x] 1. Set up the notification service\n  - [x] 1.1 Create the queue\n  - [ ] 1.2 Add retries\n- [ ] 2. Email channel\n- [ ]* 3. Write load tests\n',

  // ---- OpenSpec: one active change, one archived ----
  'openspec/project.md': '# Project context\n',
  'openspec/changes/add-2fa/proposal.md': '# Change: Add two-factor authentication\n\n## Why\nSecurity.\n',
  'openspec/changes/add-2fa/tasks.md': '## 1. Implementation\n- [x] 1.1 Add TOTP secret column\n- [ ] 1.2 Verify codes at login\n',
  'openspec/changes/archive/2025-01-05-add-login/proposal.md': '# Change: Add login\n',
  'openspec/changes/archive/2025-01-05-add-login/tasks.md': '## 1. Implementation\n- [x] 1.1 Form\n- [ ] 1.2 Forgotten\n',

  // ---- Noise a real repository has, which must not be read ----
  'src/index.ts': 'export {};\n',
  'node_modules/some-dep/specs/001-x/tasks.md': '- [ ] T001 not ours\n',
  'docs/guide.md': '# Guide\n',
  'specs/001-user-login/.tasks.md.swp': 'binary junk',
  '.planning/STATE.md.lock': '',
};

export function writeEightConventions(root: string): void {
  for (const [rel, text] of Object.entries(EIGHT_CONVENTIONS)) {
    const abs = join(root, ...rel.split('/'));
    mkdirSync(dirname(abs), { recursive: true });
    writeFileSync(abs, text);
  }
}
