// Realistic files of every convention, under the paths their tools write them to, as seeds
// for the fuzz test: it truncates and mutates these. One entry per kind of file an adapter owns.
import type { SourceId } from '../../../shared/model';

export interface Sample {
  path: string;
  text: string;
}

const CODEREF: Sample[] = [
  {
    path: 'coderef/working/auth-system/plan.json',
    text: JSON.stringify(
      {
        META_DOCUMENTATION: {
          feature_name: 'auth-system',
          status: 'in_progress',
          workorder_id: 'WO-AUTH-SYSTEM-001',
          schema_version: '1.2',
        },
        UNIVERSAL_PLANNING_STRUCTURE: {
          '0_preparation': { notes: 'Read the old login code' },
          '5_task_id_system': {
            tasks: [
              { id: 'SETUP-001', description: 'Create tables', status: 'completed', dependencies: [] },
              { id: 'API-001', description: 'Login endpoint', status: 'pending', dependencies: ['SETUP-001'] },
            ],
          },
          '6_IMPLEMENTATION_PHASES': { phases: [{ phase: 1, name: 'Setup', tasks: ['SETUP-001'] }] },
          '9_implementation_checklist': { pre: ['[x] Read spec', '☐ Write tests', '☑ Plan reviewed'] },
        },
      },
      null,
      2,
    ),
  },
  {
    path: 'coderef/working/auth-system/DELIVERABLES.md',
    text: `# DELIVERABLES: auth-system

**Project**: shop
**Feature**: auth-system
**Workorder**: WO-AUTH-SYSTEM-001
**Status**: 🚧 In Progress

## Task Completion Checklist

- [x] [SETUP-001] Create tables
- [ ] [API-001] Login endpoint
`,
  },
  {
    path: 'coderef/working/auth-system/communication.json',
    text: JSON.stringify(
      {
        handoff: {
          workorder_id: 'WO-AUTH-SYSTEM-001',
          stub_id: 'STUB-012',
          feature_name: 'auth-system',
          from: 'planner',
          to: 'coder',
          status: 'implementing',
        },
      },
      null,
      2,
    ),
  },
  {
    path: 'coderef/stubs/dark-mode/stub.json',
    text: '{\n  "feature_name": "dark-mode",\n  "description": "Theme toggle",\n  "category": "ui",\n  "priority": "low",\n  "status": "planning",\n  "created": "2025-05-01"\n}\n',
  },
  { path: 'coderef/stubs/STUB-014-export.md', text: '# STUB-014: Export to CSV\n\n**Status**: stub\n\nUsers want their data.\n' },
  {
    path: 'coderef/workorder-log.txt',
    text: 'WO-AUTH-SYSTEM-001 | shop | Login endpoint started | 2025-05-03T10:00:00Z\nWO-CART-UI-002 | shop | Cart drawer done | 2025-05-02T09:00:00Z\n# comment line\n',
  },
  {
    path: 'coderef/archived/index.json',
    text: '{"archived_features": [{"feature_name": "search", "folder_name": "search", "archived_at": "2025-04-01T00:00:00Z"}]}\n',
  },
];

const GSD: Sample[] = [
  {
    path: '.planning/STATE.md',
    text: `---
current_phase: 2
current_plan: 1
status: executing
progress:
  total_phases: 4
  completed_phases: 1
  total_plans: 6
  completed_plans: 2
  percent: 33
last_activity: 2025-05-03
---

# Project State

Phase: 2 of 4 (User auth)
Plan: 1 of 3
Status: In progress
Progress: [███░░░░░░░] 30%
`,
  },
  {
    path: '.planning/ROADMAP.md',
    text: '# Roadmap\n\n- [x] **Phase 1: Foundation** - repo and CI\n- [ ] **Phase 2: User auth** - login\n\n### Phase 2: User auth\n**Goal**: users sign in\n',
  },
  {
    path: '.planning/phases/02-user-auth/02-01-PLAN.md',
    text: `---
phase: 02-user-auth
plan: 01
type: execute
wave: 1
depends_on: []
files_modified: [src/auth.ts]
autonomous: true
must_haves:
  truths: ["A user can sign in"]
---

# Phase 2 Plan 1: Login endpoint

<tasks>
<task type="auto">
  <name>Task 1: Add the route</name>
  <files>src/auth.ts</files>
</task>
<task type="checkpoint:human-verify">
  <name>Task 2: Try it</name>
</task>
</tasks>
`,
  },
  { path: '.planning/phases/02-user-auth/02-01-SUMMARY.md', text: '---\nphase: 02-user-auth\nplan: 01\n---\n\n# Phase 2 Plan 1: Summary\n\nLogin works.\n' },
  { path: '.planning/quick/001-fix-typo/001-PLAN.md', text: '# Quick 001: Fix typo in footer\n\n<objective>Fix it</objective>\n' },
  { path: '.planning/todos/pending/add-logout.md', text: '---\ncreated: 2025-05-01\ntitle: Add logout\narea: auth\n---\n\nUsers cannot sign out.\n' },
];

const BMAD: Sample[] = [
  {
    path: '_bmad-output/implementation-artifacts/sprint-status.yaml',
    text: `# generated: 2025-05-01
project: shop
project_key: SHOP
tracking_system: file-system
story_location: _bmad-output/implementation-artifacts

development_status:
  epic-1: in-progress
  1-1-user-login: done
  1-2-password-reset: review
  1-3a-remember-me: drafted
  epic-1-retrospective: optional
  epic-2: backlog
  2-1-cart: backlog
  2-2-checkout: deferred-post-mvp

action_items:
  - owner: dev
    item: Fix flaky test
`,
  },
  {
    path: '_bmad-output/implementation-artifacts/1-2-password-reset.md',
    text: `# Story 1.2: Password reset

Status: review

## Story

As a user, I want to reset my password, so that I can get back in.

## Tasks / Subtasks

- [x] Task 1: Email link (AC: 1)
  - [x] Subtask 1.1: Token table
  - [ ] Subtask 1.2: Expiry
- [ ] Task 2: Reset form
`,
  },
  { path: 'docs/stories/1.2.password-reset.md', text: '# Story 1.2: Password reset\n\n## Status\n\nInProgress\n\n## Tasks\n\n- [x] Email link\n- [ ] Form\n' },
];

const SPECKIT: Sample[] = [
  {
    path: 'specs/001-photo-albums/tasks.md',
    text: `# Tasks: Photo albums

## Phase 1: Setup

- [X] T001 Create project structure
- [x] T002 [P] Configure linting

## Phase 2: User Story 1

- [ ] T003 [P] [US1] Album model in src/models/album.ts
- [ ] T004 [US1] Album service
`,
  },
  { path: 'specs/001-photo-albums/spec.md', text: '# Feature Specification: Photo albums\n\n**Feature Branch**: `001-photo-albums`\n**Created**: 2025-05-01\n**Status**: Draft\n' },
  { path: 'specs/001-photo-albums/plan.md', text: '# Implementation Plan: Photo albums\n\n**Branch**: `001-photo-albums` | **Date**: 2025-05-01\n' },
  { path: 'specs/001-photo-albums/checklists/ux.md', text: '# UX Checklist\n\n- [x] CHK001 Empty state described\n- [ ] CHK002 Errors described\n' },
  { path: '.specify/feature.json', text: '{"feature_directory": "specs/001-photo-albums"}\n' },
];

const TASKMASTER: Sample[] = [
  {
    path: '.taskmaster/tasks/tasks.json',
    text: JSON.stringify(
      {
        master: {
          tasks: [
            { id: 1, title: 'Set up repo', description: 'CI too', status: 'done', priority: 'high', dependencies: [], subtasks: [] },
            {
              id: 2,
              title: 'Parser',
              status: 'in-progress',
              dependencies: [1],
              subtasks: [
                { id: 1, title: 'Tokenizer', status: 'done', dependencies: [] },
                { id: 2, title: 'Grammar', status: 'pending', dependencies: ['2.1'] },
              ],
            },
          ],
          metadata: { created: '2025-05-01T10:00:00.000Z', description: 'Tasks for master context' },
        },
        'feature-x': { tasks: [{ id: '1', title: 'Spike', status: 'review' }], metadata: {} },
      },
      null,
      2,
    ),
  },
  { path: '.taskmaster/state.json', text: '{\n  "currentTag": "master",\n  "lastSwitched": "2025-05-01T10:00:00.000Z",\n  "branchTagMapping": {}\n}\n' },
  { path: 'tasks/tasks.json', text: '{"meta": {"projectName": "old"}, "tasks": [{"id": 1, "title": "Init", "status": "done"}]}\n' },
];

const BACKLOG: Sample[] = [
  { path: 'backlog/config.yml', text: 'project_name: "Shop"\ndefault_status: "To Do"\nstatuses: ["To Do", "In Progress", "Done", "Blocked"]\nlabels: []\ntask_prefix: task\n' },
  {
    path: 'backlog/tasks/task-7 - Add OAuth login.md',
    text: `---
id: task-7
title: Add OAuth login
status: In Progress
assignee: ['@sara']
labels: [auth]
dependencies: []
priority: high
---

## Description

Sign in with GitHub.

## Acceptance Criteria
<!-- AC:BEGIN -->
- [x] #1 Redirect to the provider
- [ ] #2 Callback stores the token
<!-- AC:END -->
`,
  },
  { path: 'backlog/tasks/auth/task-7.1 - Callback.md', text: '---\nid: task-7.1\ntitle: Callback\nstatus: Done\nparent_task_id: task-7\n---\n\n- [x] handles errors\n' },
  { path: 'backlog/drafts/task-9 - Dark mode.md', text: '---\nid: task-9\ntitle: Dark mode\nstatus: Draft\n---\n\nSomeday.\n' },
  { path: 'backlog/completed/task-1 - Init.md', text: '---\nid: task-1\ntitle: Init\nstatus: Done\n---\n' },
];

const KIRO: Sample[] = [
  {
    path: '.kiro/specs/user-auth/tasks.md',
    text: `# Implementation Plan

- [x] 1. Set up project structure
  - Create directories
  - _Requirements: 1.1_

- [-] 2. Implement data models
- [x] 2.1 Create interfaces
- [ ] 2.2 Implement User model
- [ ]* 2.3 Write unit tests
`,
  },
  { path: '.kiro/specs/user-auth/requirements.md', text: '# Requirements Document\n\n## Introduction\n\nSign in.\n\n### Requirement 1\n\n1. WHEN a user submits THEN the system SHALL sign them in\n' },
  { path: '.kiro/specs/user-auth/design.md', text: '# Design Document\n\n## Overview\n\nSessions in Redis.\n' },
];

const OPENSPEC: Sample[] = [
  { path: 'openspec/changes/add-2fa/proposal.md', text: '# Change: Add 2FA\n\n## Why\nTakeovers.\n\n## What Changes\n- OTP step\n\n## Impact\n- specs: auth\n' },
  { path: 'openspec/changes/add-2fa/tasks.md', text: '## 1. Implementation\n- [x] 1.1 Schema\n- [ ] 1.2 Verify\n\n## 2. Tests\n- [ ] 2.1 Unit\n' },
  { path: 'openspec/changes/add-2fa/design.md', text: '## Context\nTOTP.\n\n## Decisions\n- RFC 6238\n' },
  { path: 'openspec/changes/archive/2025-01-15-add-search/tasks.md', text: '## 1. Search\n- [x] 1.1 Index\n- [ ] 1.2 Ranking\n' },
];

export const SAMPLES: Record<SourceId, Sample[]> = {
  coderef: CODEREF,
  gsd: GSD,
  bmad: BMAD,
  speckit: SPECKIT,
  taskmaster: TASKMASTER,
  backlog: BACKLOG,
  kiro: KIRO,
  openspec: OPENSPEC,
};
