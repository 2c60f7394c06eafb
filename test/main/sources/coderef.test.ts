import { describe, expect, test } from 'vitest';
import { coderef, type CoderefFacts } from '../../../main/sources/coderef';

/** Parse every file the way the engine would, then combine them. */
function scan(files: Record<string, string>) {
  const facts = new Map<string, CoderefFacts>();
  const issues = [];
  for (const [path, text] of Object.entries(files)) {
    expect(coderef.owns(path)).toBe(true);
    const parsed = coderef.parse(path, text);
    issues.push(...parsed.issues);
    if (parsed.facts) facts.set(path, parsed.facts);
  }
  return { ...coderef.derive(facts), parseIssues: issues };
}

const canonicalPlan = JSON.stringify(
  {
    META_DOCUMENTATION: {
      feature_name: 'auth-system',
      workorder_id: 'WO-AUTH-SYSTEM-001',
      version: '1.0.0',
      status: 'in_progress',
      generated_by: 'PlanningGenerator',
      schema_version: '1.2.0',
      has_context: true,
    },
    UNIVERSAL_PLANNING_STRUCTURE: {
      '0_preparation': { foundation_docs: ['README.md'] },
      '1_executive_summary': { feature_name: 'Auth System', goal: 'JWT login for the API' },
      '5_task_id_system': {
        workorder: { id: 'WO-AUTH-SYSTEM-001', name: 'Auth System' },
        tasks: [
          { id: 'SETUP-001', description: 'Add jsonwebtoken dependency', status: 'completed', dependencies: [] },
          { id: 'API-001', description: 'POST /login issues a token', status: 'in_progress', dependencies: ['SETUP-001'] },
          { id: 'API-002', description: 'Middleware checks the token', status: 'pending', dependencies: ['API-001'] },
          { id: 'TEST-001', description: 'Login round trip test', status: 'pending', dependencies: ['API-002'] },
        ],
      },
      '6_implementation_phases': { phases: [{ phase: 1, name: 'Setup', tasks: ['SETUP-001'] }] },
      '9_implementation_checklist': {
        pre_implementation: ['Review plan'],
        phase_1: ['SETUP-001: Setup'],
      },
    },
  },
  null,
  2,
);

describe('coderef plans', () => {
  test('a canonical plan.json gives a feature with progress from 5_task_id_system tasks', () => {
    const { plans, workorders } = scan({ 'coderef/working/auth-system/plan.json': canonicalPlan });
    expect(plans).toEqual([
      {
        id: 'coderef:feature:auth-system',
        source: 'coderef',
        kind: 'feature',
        title: 'auth-system',
        status: 'in_progress',
        rawStatus: 'in_progress',
        progress: { done: 1, total: 4 },
        path: 'coderef/working/auth-system/plan.json',
        parent: null,
      },
    ]);
    expect(workorders).toEqual([
      {
        id: 'WO-AUTH-SYSTEM-001',
        source: 'coderef',
        title: 'auth-system',
        status: 'in_progress',
        path: 'coderef/working/auth-system/plan.json',
        logPath: null,
        lastActivity: null,
        activity: null,
      },
    ]);
  });

  test('upper-case section keys and checklist strings with glyphs are read', () => {
    const plan = {
      META_DOCUMENTATION: { feature_name: 'execute-plan-rename', workorder_id: 'WO-EXECUTE-PLAN-RENAME-001', status: 'planning' },
      '6_IMPLEMENTATION_PHASES': {
        phase_1_core: {
          name: 'Core Tool Infrastructure',
          tasks: [{ id: 'CORE-001', file: 'server.py', line: 778, title: 'Rename tool registration name' }],
        },
      },
      '9_IMPLEMENTATION_CHECKLIST': {
        phase_1_tasks: ['☑ CORE-001: Rename tool registration', '☐ CORE-002: Update handler map'],
        verification_checklist: ['[x] Compile check', '[ ] Tool shows as align_plan', 'Post a note in #dev'],
      },
    };
    const { plans } = scan({ 'coderef/workorder/execute-plan-rename/plan.json': JSON.stringify(plan) });
    // Status-less phase tasks do not hide the ticked checklist strings.
    expect(plans[0]).toMatchObject({ progress: { done: 2, total: 4 }, status: 'in_progress', rawStatus: 'planning' });
  });

  test('task objects in the checklist win over 5_task_id_system', () => {
    const plan = {
      META_DOCUMENTATION: { feature_name: 'dark-mode', status: 'implementing' },
      UNIVERSAL_PLANNING_STRUCTURE: {
        '5_task_id_system': { tasks: ['UI-001: Toggle component', 'UI-002: Persist choice'] },
        '9_implementation_checklist': {
          phase_1: [
            { id: 'UI-001', description: 'Toggle component', status: 'complete' },
            { id: 'UI-002', description: 'Persist choice', status: 'completed' },
            { id: 'UI-003', description: 'Respect prefers-color-scheme', status: 'pending' },
          ],
        },
      },
    };
    const { plans } = scan({ 'coderef/working/dark-mode/plan.json': JSON.stringify(plan) });
    expect(plans[0]?.progress).toEqual({ done: 2, total: 3 });
  });

  test('tasks without a status count as not done', () => {
    const plan = {
      META_DOCUMENTATION: { feature_name: 'search', status: 'approved' },
      UNIVERSAL_PLANNING_STRUCTURE: {
        '5_task_id_system': {
          tasks: [
            { id: 'DB-001', description: 'Full-text index' },
            { id: 'API-001', description: 'GET /search', status: 'done' },
            { id: 'UI-001', description: 'Search box' },
          ],
        },
      },
    };
    const { plans } = scan({ 'coderef/working/search/plan.json': JSON.stringify(plan) });
    expect(plans[0]).toMatchObject({ progress: { done: 1, total: 3 }, status: 'in_progress', rawStatus: 'approved' });
  });

  test.each([
    ['planning', 'todo'],
    ['planned', 'todo'],
    ['draft', 'todo'],
    ['DRAFT', 'todo'],
    ['approved', 'todo'],
    ['pending_plan', 'todo'],
    ['re-planning', 'todo'],
    ['in_progress', 'in_progress'],
    ['implemented', 'done'],
    ['complete', 'done'],
    ['completed', 'done'],
  ])('META status %s on a plan without tasks is %s', (word, status) => {
    const plan = { META_DOCUMENTATION: { feature_name: 'x', status: word } };
    const { plans } = scan({ 'coderef/working/x/plan.json': JSON.stringify(plan) });
    expect(plans[0]).toMatchObject({ status, rawStatus: word });
  });

  test('a plan with no META status takes its status from its tasks', () => {
    const plan = {
      META_DOCUMENTATION: { feature_name: 'export' },
      UNIVERSAL_PLANNING_STRUCTURE: {
        '9_implementation_checklist': { all: ['[x] CSV export', '[X] JSON export'] },
      },
    };
    const { plans } = scan({ 'coderef/working/export/plan.json': JSON.stringify(plan) });
    expect(plans[0]).toMatchObject({ status: 'done', rawStatus: '', progress: { done: 2, total: 2 } });
  });

  test('a feature under archived/ is done whatever plan.json says', () => {
    const plan = {
      META_DOCUMENTATION: { feature_name: 'old-login', status: 'planning', workorder_id: 'WO-OLD-LOGIN-001' },
      UNIVERSAL_PLANNING_STRUCTURE: { '5_task_id_system': { tasks: [{ id: 'A-001', description: 'x', status: 'pending' }] } },
    };
    const { plans, workorders } = scan({ 'coderef/archived/old-login/plan.json': JSON.stringify(plan) });
    expect(plans[0]).toMatchObject({ id: 'coderef:feature:old-login', status: 'done', rawStatus: 'planning' });
    expect(workorders[0]).toMatchObject({ id: 'WO-OLD-LOGIN-001', status: 'done' });
  });

  test('the same folder in working/ and archived/ gives two plans with distinct ids', () => {
    const plan = JSON.stringify({ META_DOCUMENTATION: { feature_name: 'billing', status: 'in_progress' } });
    const { plans } = scan({
      'coderef/archived/billing/plan.json': plan,
      'coderef/working/billing/plan.json': plan,
    });
    expect(plans.map((p) => [p.id, p.status])).toEqual([
      ['coderef:feature:billing', 'in_progress'],
      ['coderef:feature:billing@archived', 'done'],
    ]);
  });

  test('DELIVERABLES.md gives progress when plan.json has no tasks, and a feature on its own', () => {
    const deliverables = [
      '# DELIVERABLES: notifications',
      '',
      '**Project**: my-app',
      '**Feature**: notifications',
      '**Workorder**: WO-NOTIFICATIONS-001',
      '**Status**: 🚧 In Progress',
      '',
      '## Task Completion Checklist',
      '',
      '- [x] [SETUP-001] Add web-push dependency',
      '- [x] [API-001] Subscription endpoint',
      '- [ ] [UI-001] Permission prompt',
      '',
      '## Metrics',
      '- [ ] not a task, a metric box',
      '',
    ].join('\n');
    const withPlan = scan({
      'coderef/working/notifications/plan.json': JSON.stringify({ META_DOCUMENTATION: { feature_name: 'notifications', status: 'planning' } }),
      'coderef/working/notifications/DELIVERABLES.md': deliverables,
    });
    expect(withPlan.plans[0]).toMatchObject({ progress: { done: 2, total: 3 }, status: 'in_progress', rawStatus: 'planning' });

    const alone = scan({ 'coderef/working/notifications/DELIVERABLES.md': deliverables });
    expect(alone.plans[0]).toMatchObject({
      id: 'coderef:feature:notifications',
      title: 'notifications',
      status: 'in_progress',
      rawStatus: '🚧 In Progress',
      path: 'coderef/working/notifications/DELIVERABLES.md',
    });
    expect(alone.workorders[0]).toMatchObject({ id: 'WO-NOTIFICATIONS-001', status: 'in_progress' });
  });

  test('CRLF line endings and a BOM do not get in the way', () => {
    const plan = '\uFEFF' + JSON.stringify({ META_DOCUMENTATION: { feature_name: 'crlf', status: 'complete' } }, null, 2).replace(/\n/g, '\r\n');
    const deliverables = '\uFEFF**Status:** ✅ Complete\r\n\r\n### Task Completion Checklist\r\n- [x] [A-001] one\r\n- [x] [A-002] two\r\n';
    const { plans } = scan({
      'coderef/working/crlf/plan.json': plan,
      'coderef/working/crlf/DELIVERABLES.md': deliverables,
    });
    expect(plans[0]).toMatchObject({ status: 'done', progress: { done: 2, total: 2 } });
  });

  test('DELIVERABLES.md header fields are read in both bold spellings', () => {
    const { plans } = scan({ 'coderef/working/sso/DELIVERABLES.md': '**Feature:** Single sign-on\n**Status:** ✅ Complete\n' });
    expect(plans[0]).toMatchObject({ title: 'Single sign-on', status: 'done', rawStatus: '✅ Complete', progress: { done: 1, total: 1 } });
  });

  test('a half-written plan.json is a parse issue with its path and no facts, never an exception', () => {
    const parsed = coderef.parse('coderef/working/auth/plan.json', '{\n  "META_DOCUMENTATION": {\n    "feature_name": "auth",\n    "sta');
    expect(parsed.facts).toBeNull();
    expect(parsed.issues).toHaveLength(1);
    expect(parsed.issues[0]).toMatchObject({ path: 'coderef/working/auth/plan.json' });
    expect(parsed.issues[0]?.message).toMatch(/Invalid JSON/);
  });

  test('a plan.json that is not an object yields no facts', () => {
    expect(coderef.parse('coderef/working/x/plan.json', '[1, 2]').facts).toBeNull();
  });

  test('a workorder_id that is not a WO- id is reported and not used', () => {
    const parsed = coderef.parse('coderef/working/x/plan.json', '{"META_DOCUMENTATION": {"workorder_id": "TBD"}}');
    expect(parsed.issues[0]).toMatchObject({ path: 'coderef/working/x/plan.json', line: 1 });
    expect(coderef.derive(new Map([['coderef/working/x/plan.json', parsed.facts!]])).workorders).toEqual([]);
  });
});

describe('coderef work orders', () => {
  const log = [
    'WO-ID | Project | Description | Timestamp',
    '',
    'WO-AUTH-SYSTEM-001 | coderef-workflow | Implement JWT authentication (resumed) | 2025-12-29T09:00:00Z',
    'WO-DARK-MODE-002 | my-app | Add dark mode toggle | 2025-12-27T14:20:00Z',
    '# migrated from the old tracker',
    'WO-AUTH-SYSTEM-001 | coderef-workflow | Implement JWT authentication | 2025-12-28T10:30:00Z',
    'WO-BROKEN-003 | my-app',
    '',
  ].join('\n');

  test('workorder-log.txt lines give work orders with the newest description as latest activity, and its time', () => {
    const { workorders, parseIssues } = scan({ 'coderef/workorder-log.txt': log });
    expect(workorders).toEqual([
      {
        id: 'WO-AUTH-SYSTEM-001',
        source: 'coderef',
        title: 'WO-AUTH-SYSTEM-001',
        status: 'unknown',
        path: 'coderef/workorder-log.txt',
        logPath: 'coderef/workorder-log.txt',
        lastActivity: '2025-12-29T09:00:00Z',
        activity: 'Implement JWT authentication (resumed)',
      },
      expect.objectContaining({ id: 'WO-DARK-MODE-002', title: 'WO-DARK-MODE-002', activity: 'Add dark mode toggle', lastActivity: '2025-12-27T14:20:00Z' }),
      expect.objectContaining({ id: 'WO-BROKEN-003', title: 'WO-BROKEN-003', activity: 'my-app', lastActivity: null }),
    ]);
    expect(parseIssues).toEqual([{ path: 'coderef/workorder-log.txt', line: 7, message: expect.stringMatching(/WO-ID \| project/) }]);
  });

  test('a log of thousands of lines is kept as one entry per work order, adding up to what the lines say', () => {
    const lines = ['WO-ID | Project | Description | Timestamp'];
    for (let i = 0; i < 3000; i++) {
      const minute = String(i % 60).padStart(2, '0');
      lines.push(`WO-BUSY-00${i % 3} | app | step ${i} | 2025-12-${String(10 + Math.floor(i / 600)).padStart(2, '0')}T10:${minute}:00Z`);
    }
    // Older than what the file already said about it: an out-of-order line changes nothing.
    lines.push('WO-BUSY-000 | app | an old note | 2025-01-01T00:00:00Z');
    // Newer, with no description: the time moves, the description stays.
    lines.push('WO-BUSY-001 | app | | 2026-01-01T00:00:00Z');
    const text = lines.join('\n');
    const { workorders } = scan({ 'coderef/workorder-log.txt': text });
    // The first of the newest lines (10:57 on the 14th for WO-BUSY-000) describes each.
    expect(workorders.map((w) => [w.id, w.activity, w.lastActivity])).toEqual([
      ['WO-BUSY-000', 'step 2457', '2025-12-14T10:57:00Z'],
      ['WO-BUSY-001', 'step 2458', '2026-01-01T00:00:00Z'],
      ['WO-BUSY-002', 'step 2459', '2025-12-14T10:59:00Z'],
    ]);
    const parsed = coderef.parse('coderef/workorder-log.txt', text);
    expect(parsed.facts).toEqual({
      kind: 'log',
      entries: [
        { id: 'WO-BUSY-000', description: 'step 2457', timestamp: '2025-12-14T10:57:00Z' },
        { id: 'WO-BUSY-001', description: 'step 2458', timestamp: '2026-01-01T00:00:00Z' },
        { id: 'WO-BUSY-002', description: 'step 2459', timestamp: '2025-12-14T10:59:00Z' },
      ],
    });
  });

  test('a log read after every append says what its lines say, issues on the right lines, also when a line was caught half-written', () => {
    let text = 'WO-ID | Project | Description | Timestamp\n';
    const logPath = 'coderef/workorder-log.txt';
    for (let i = 1; i <= 40; i++) {
      const line = i === 10 ? 'WO-APPEND-002 | app\n' : `WO-APPEND-00${i % 2} | app | step ${i} | 2025-12-20T10:${String(i).padStart(2, '0')}:00Z\n`;
      // Read mid-write first: the line without its end, then whole.
      text += line.slice(0, 25);
      coderef.parse(logPath, text);
      text += line.slice(25);
      const parsed = coderef.parse(logPath, text);
      expect(parsed.issues.map((issue) => issue.line)).toEqual(i >= 10 ? [11] : []);
      expect(parsed.facts).toMatchObject({ kind: 'log' });
    }
    expect(coderef.parse(logPath, text).facts).toEqual({
      kind: 'log',
      entries: [
        { id: 'WO-APPEND-001', description: 'step 39', timestamp: '2025-12-20T10:39:00Z' },
        { id: 'WO-APPEND-000', description: 'step 40', timestamp: '2025-12-20T10:40:00Z' },
        { id: 'WO-APPEND-002', description: 'app', timestamp: null },
      ],
    });
    // A rewrite that is not an append is read from its first line.
    expect(coderef.parse(logPath, 'WO-NEW-001 | app | fresh | 2026-01-01T00:00:00Z\n').facts).toEqual({
      kind: 'log',
      entries: [{ id: 'WO-NEW-001', description: 'fresh', timestamp: '2026-01-01T00:00:00Z' }],
    });
  });

  test('a plan and communication.json merge into the logged work order', () => {
    const communication = JSON.stringify({
      feature_name: 'auth-system',
      handoff: {
        workorder_id: 'WO-AUTH-SYSTEM-001',
        stub_id: 'STUB-014',
        feature_name: 'auth-system',
        from: 'agent-1',
        to: 'lead',
        status: 'verified',
      },
    });
    const { workorders } = scan({
      'coderef/workorder-log.txt': log,
      'coderef/working/auth-system/plan.json': canonicalPlan,
      'coderef/working/auth-system/communication.json': communication,
    });
    expect(workorders.find((w) => w.id === 'WO-AUTH-SYSTEM-001')).toEqual({
      id: 'WO-AUTH-SYSTEM-001',
      source: 'coderef',
      title: 'auth-system',
      status: 'done',
      path: 'coderef/working/auth-system/plan.json',
      logPath: 'coderef/workorder-log.txt',
      lastActivity: '2025-12-29T09:00:00Z',
      activity: 'Implement JWT authentication (resumed)',
    });
  });

  test('a communication.json alone adds a work order with the handoff status', () => {
    const communication = JSON.stringify({ handoff: { workorder_id: 'WO-CACHE-LAYER-001', status: 'plan_submitted' } });
    const { workorders, plans } = scan({ 'coderef/workorder/cache-layer/communication.json': communication });
    expect(plans).toEqual([]);
    expect(workorders).toEqual([
      expect.objectContaining({ id: 'WO-CACHE-LAYER-001', status: 'review', path: 'coderef/workorder/cache-layer/communication.json' }),
    ]);
  });
});

describe('coderef stubs and the archive index', () => {
  test('stub.json files and STUB-*.md files are stubs, with or without stub_id', () => {
    const { stubs, plans } = scan({
      'coderef/stubs/offline-mode/stub.json': JSON.stringify({
        feature_name: 'offline-mode',
        description: 'Cache API responses for offline use',
        category: 'feature',
        priority: 'medium',
        status: 'stub',
        created: '2025-11-02',
      }),
      'coderef/working/csv-import/stub.json': JSON.stringify({ stub_id: 'STUB-021', feature_name: 'csv-import', status: 'ready' }),
      'coderef/stubs/STUB-042-audit-trail.md': '# STUB-042: Audit trail\n\n**Status**: brainstorming\n\nKeep who changed what.\n',
      'coderef/stubs/no-status/stub.json': '{"feature_name": "no-status"}',
    });
    expect(plans).toEqual([]);
    expect(stubs.map((s) => [s.id, s.title, s.status, s.rawStatus])).toEqual([
      ['coderef:stub:no-status', 'no-status', 'backlog', ''],
      ['coderef:stub:offline-mode', 'offline-mode', 'backlog', 'stub'],
      ['coderef:stub:STUB-042-audit-trail', 'Audit trail', 'backlog', 'brainstorming'],
      ['coderef:stub:csv-import', 'csv-import', 'todo', 'ready'],
    ]);
  });

  test('a stub.json beside a plan.json is not a separate stub', () => {
    const { stubs, plans } = scan({
      'coderef/working/csv-import/stub.json': '{"feature_name": "csv-import", "status": "promoted"}',
      'coderef/working/csv-import/plan.json': '{"META_DOCUMENTATION": {"feature_name": "csv-import", "status": "planning"}}',
    });
    expect(stubs).toEqual([]);
    expect(plans).toHaveLength(1);
  });

  test('archived features whose folder is gone come from index.json as done', () => {
    const index = JSON.stringify({
      archived_features: [
        { feature_name: 'Old Login', folder_name: 'old-login', archived_at: '2025-10-01T12:00:00Z' },
        { feature_name: 'Legacy Export', folder_name: 'legacy-export', archived_at: '2025-09-01T12:00:00Z' },
      ],
    });
    const { plans } = scan({
      'coderef/archived/index.json': index,
      'coderef/archived/old-login/plan.json': '{"META_DOCUMENTATION": {"status": "complete"}}',
    });
    expect(plans.map((p) => [p.id, p.title, p.status, p.path])).toEqual([
      ['coderef:feature:old-login', 'Old Login', 'done', 'coderef/archived/old-login/plan.json'],
      ['coderef:feature:legacy-export', 'Legacy Export', 'done', 'coderef/archived/index.json'],
    ]);
  });
});

describe('coderef paths', () => {
  test.each([
    'coderef/working/auth/plan.json',
    'coderef/workorder/auth/plan.json',
    'coderef/archived/auth/DELIVERABLES.md',
    'coderef/working/auth/communication.json',
    'coderef/stubs/idea/stub.json',
    'coderef/stubs/STUB-001-idea.md',
    'coderef/workorder-log.txt',
    'coderef/archived/index.json',
    'coderef/working/auth/context.json',
    'coderef/ARCHIVED/auth/plan.json',
  ])('owns %s', (path) => {
    expect(coderef.owns(path)).toBe(true);
  });

  test.each([
    'coderef/working/auth/plan.json.tmp',
    'coderef/working/auth/.plan.json.swp',
    'coderef/workorder-log.txt.lock',
    'coderef/working/auth/diagram.png',
    'coderef/working/auth/notes/plan.json',
    'coderef/stubs/README.md',
    'src/coderef/working/auth/plan.json',
  ])('does not own %s', (path) => {
    expect(coderef.owns(path)).toBe(false);
  });

  test('random bytes never throw', () => {
    for (const path of ['coderef/working/a/plan.json', 'coderef/workorder-log.txt', 'coderef/working/a/DELIVERABLES.md']) {
      for (const text of ['', '\u0000\uFFFF{', 'null', '{"META_DOCUMENTATION": 5, "UNIVERSAL_PLANNING_STRUCTURE": [[[]]]}']) {
        const parsed = coderef.parse(path, text);
        if (parsed.facts) expect(() => coderef.derive(new Map([[path, parsed.facts!]]))).not.toThrow();
      }
    }
  });
});

// Classes of coderef folders seen in real projects (each written here in our own words).
describe('coderef work orders as real projects write them', () => {
  test('a coderef work order is titled by its feature, and its newest log line is its latest activity', () => {
    const plan = JSON.stringify({ META_DOCUMENTATION: { feature_name: 'Seed swap marketplace', workorder_id: 'WO-SEED-SWAP-001', status: 'in_progress' } });
    const handoffOnly = JSON.stringify({ handoff: { workorder_id: 'WO-FROST-ALERTS-002', feature_name: 'frost-alerts', status: 'implementing' } });
    const log = [
      'WO-SEED-SWAP-001 | garden-app | Listing page wired to the API | 2026-03-02T10:00:00Z',
      'WO-FROST-ALERTS-002 | garden-app | Forecast client retries on 503 | 2026-03-01T18:00:00Z',
      'WO-SEED-SWAP-001 | garden-app | Plan approved | 2026-02-27T09:00:00Z',
    ].join('\n');
    const { workorders } = scan({
      'coderef/workorder-log.txt': log,
      'coderef/workorder/seed-swap/plan.json': plan,
      'coderef/workorder/frost-alerts/communication.json': handoffOnly,
    });
    expect(workorders.map((w) => [w.id, w.title, w.activity, w.lastActivity])).toEqual([
      ['WO-SEED-SWAP-001', 'Seed swap marketplace', 'Listing page wired to the API', '2026-03-02T10:00:00Z'],
      ['WO-FROST-ALERTS-002', 'frost-alerts', 'Forecast client retries on 503', '2026-03-01T18:00:00Z'],
    ]);
  });

  test('a coderef archive folder written ARCHIVED is the archive: its features are done', () => {
    const plan = JSON.stringify({ META_DOCUMENTATION: { feature_name: 'Compost timer', workorder_id: 'WO-COMPOST-TIMER-001', status: 'in_progress' } });
    const { plans, workorders } = scan({ 'coderef/ARCHIVED/compost-timer/plan.json': plan });
    expect(plans).toEqual([expect.objectContaining({ id: 'coderef:feature:compost-timer', status: 'done', path: 'coderef/ARCHIVED/compost-timer/plan.json' })]);
    expect(workorders).toEqual([expect.objectContaining({ id: 'WO-COMPOST-TIMER-001', status: 'done' })]);
  });

  test('a newer coderef work order: status at the top of communication.json, tasks under phases[]', () => {
    const plan = JSON.stringify({
      workorder_id: 'WO-SOIL-PROBE-001',
      feature_name: 'soil-probe',
      plan_type_decided_by: 'create-workorder',
      phases: [
        { id: 'P1', name: 'Driver', status: 'completed', tasks: [{ id: 'T1', description: 'Read the probe', status: 'completed' }, { id: 'T2', description: 'Calibrate', status: 'complete' }] },
        { id: 'P2', name: 'Dashboard', status: 'in_progress', tasks: [{ id: 'T3', description: 'Moisture chart', status: 'pending' }] },
      ],
    });
    const communication = JSON.stringify({ workorder_id: 'WO-SOIL-PROBE-001', status: 'closed', phase_status: 'complete' });
    const { plans, workorders } = scan({
      'coderef/workorder/soil-probe/plan.json': plan,
      'coderef/workorder/soil-probe/communication.json': communication,
    });
    expect(plans).toEqual([expect.objectContaining({ id: 'coderef:feature:soil-probe', status: 'done', rawStatus: 'closed', progress: { done: 2, total: 3 } })]);
    expect(workorders).toEqual([expect.objectContaining({ id: 'WO-SOIL-PROBE-001', status: 'done' })]);
    // Without the handoff, the tasks say how far it is.
    const alone = scan({ 'coderef/workorder/soil-probe/plan.json': plan });
    expect(alone.plans).toEqual([expect.objectContaining({ status: 'in_progress', rawStatus: '', progress: { done: 2, total: 3 } })]);
  });

  test('a coderef feature folder with only a brief or context.json is a feature not planned yet, never dropped', () => {
    const { plans, workorders, stubs } = scan({
      'coderef/workorder/greenhouse-heater/PREP-BRIEF.md': '# Greenhouse heater\n\nWhat we know so far.\n',
      'coderef/workorder/greenhouse-heater/context.json': JSON.stringify({ feature_name: 'greenhouse-heater', requirements: ['keep above 5 °C'] }),
      'coderef/archived/old-trellis/analysis.json': JSON.stringify({ files: 12 }),
      'coderef/workorder/cache-layer/communication.json': JSON.stringify({ handoff: { workorder_id: 'WO-CACHE-LAYER-001', status: 'implementing' } }),
      'coderef/workorder/cache-layer/notes.md': '# Notes\n',
      'coderef/workorder/seed-bank/stub.json': JSON.stringify({ feature_name: 'seed-bank', status: 'idea' }),
      'coderef/workorder/seed-bank/context.json': '{}',
    });
    expect(plans.map((p) => [p.id, p.status, p.progress, p.path])).toEqual([
      ['coderef:feature:greenhouse-heater', 'backlog', { done: 0, total: 0 }, 'coderef/workorder/greenhouse-heater'],
      ['coderef:feature:old-trellis', 'done', { done: 0, total: 0 }, 'coderef/archived/old-trellis'],
    ]);
    // A handoff or a stub already shows such a folder: it stays a work order, or a stub.
    expect(workorders.map((w) => [w.id, w.status])).toEqual([['WO-CACHE-LAYER-001', 'in_progress']]);
    expect(stubs.map((s) => s.id)).toEqual(['coderef:stub:seed-bank']);
  });

  test('a coderef plan whose META block has no status takes the status written at its top level', () => {
    const plan = JSON.stringify({ META_DOCUMENTATION: { feature_name: 'Rain barrel sensor' }, status: 'planning' });
    const { plans } = scan({ 'coderef/workorder/rain-barrel/plan.json': plan });
    expect(plans).toEqual([expect.objectContaining({ status: 'todo', rawStatus: 'planning' })]);
  });

  test('a coderef archive index that lists workorders (not archived_features) names the archived features', () => {
    const index = JSON.stringify({
      schema_version: '1.0',
      workorders: [
        { workorder_id: 'WO-RAIN-GAUGE-001', feature_name: 'rain-gauge', path: 'rain-gauge', status: 'complete' },
        { workorder_id: 'WO-OLD-MAP-002', feature_name: 'Old map view', path: 'old-map-view', status: 'complete' },
      ],
    });
    const { plans, parseIssues } = scan({
      'coderef/archived/index.json': index,
      'coderef/archived/rain-gauge/plan.json': JSON.stringify({ META_DOCUMENTATION: { feature_name: 'rain-gauge', status: 'complete' } }),
    });
    expect(parseIssues).toEqual([]);
    expect(plans.map((p) => [p.id, p.title, p.status])).toEqual([
      ['coderef:feature:rain-gauge', 'rain-gauge', 'done'],
      ['coderef:feature:old-map-view', 'Old map view', 'done'],
    ]);
  });
});

