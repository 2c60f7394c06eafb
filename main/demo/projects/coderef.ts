// coderef: work orders under coderef/workorder/<feature>/ (plan.json with META and a task
// list, communication.json, DELIVERABLES.md), stubs, an archive, and the append-only
// coderef/workorder-log.txt that the log panel follows. This is where the demo fails now
// and then: a task's tests break, the work order is marked failed, then retried.
import { chance, pick } from '../random';
import type { DemoProject, StepContext } from '../project';

type TaskStatus = 'pending' | 'in_progress' | 'completed';

interface Workorder {
  id: string;
  feature: string;
  title: string;
  handoff: 'pending_plan' | 'approved' | 'implementing' | 'failed' | 'complete';
  tasks: { id: string; description: string; status: TaskStatus }[];
}

const PROJECT = 'atlas-api';
const LOG = 'coderef/workorder-log.txt';

const CHATTER = [
  'running unit tests… {n} passed',
  'type-check clean',
  'reading src/{area}/index.ts',
  'editing src/{area}/service.ts (+{n} −{m})',
  'lint: 0 problems',
  'integration suite: {n} passed, 0 failed',
  'committing: "{area}: wip"',
];

export function coderefProject(): DemoProject {
  const make = (id: string, feature: string, title: string, handoff: Workorder['handoff'], tasks: [string, string][]): Workorder => ({
    id,
    feature,
    title,
    handoff,
    tasks: tasks.map(([tid, description]) => ({ id: tid, description, status: 'pending' })),
  });
  const fresh = (): Workorder[] => [
    make('WO-AUTH-SYSTEM-001', 'auth-system', 'Token-based authentication', 'implementing', [
      ['AUTH-001', 'Create the users table migration'],
      ['AUTH-002', 'Hash passwords with argon2id'],
      ['AUTH-003', 'Issue and verify JWT access tokens'],
      ['AUTH-004', 'Refresh tokens with rotation'],
      ['AUTH-005', 'Rate-limit the login endpoint'],
    ]),
    make('WO-RATE-LIMITS-002', 'rate-limits', 'Per-client rate limits', 'pending_plan', [
      ['RATE-001', 'Token bucket middleware'],
      ['RATE-002', 'Per-route limits from config'],
      ['RATE-003', 'Expose limit headers'],
    ]),
  ];
  let workorders = fresh();
  workorders[0]!.tasks[0]!.status = 'completed';
  workorders[0]!.tasks[1]!.status = 'in_progress';
  const pending: string[] = [];
  let iteration = 1;

  const logLine = (ctx: StepContext, wo: Workorder, text: string) => pending.push(`${wo.id} | ${PROJECT} | ${text} | ${ctx.now.toISOString()}`);

  const active = (): Workorder | undefined => workorders.find((w) => w.handoff !== 'complete');

  return {
    name: PROJECT,
    convention: 'coderef',
    files() {
      const files: Record<string, string> = {
        'coderef/archived/index.json': `${JSON.stringify({ archived_features: [{ feature_name: 'bootstrap-api', folder_name: 'bootstrap-api', archived_at: '2025-01-08T16:20:00Z' }] }, null, 2)}\n`,
        'coderef/archived/bootstrap-api/plan.json': `${JSON.stringify({ META_DOCUMENTATION: { feature_name: 'bootstrap-api', workorder_id: 'WO-BOOTSTRAP-API-000', status: 'complete', schema_version: '1.2.0' }, UNIVERSAL_PLANNING_STRUCTURE: { '5_task_id_system': { tasks: [{ id: 'BOOT-001', description: 'HTTP server skeleton', status: 'completed', dependencies: [] }] } } }, null, 2)}\n`,
        'coderef/stubs/audit-log/stub.json': `${JSON.stringify({ stub_id: 'STUB-014', feature_name: 'audit-log', description: 'Record every admin action with who, what and when', category: 'feature', priority: 'medium', status: 'planning', created: '2025-01-10' }, null, 2)}\n`,
        'coderef/stubs/webhooks/stub.json': `${JSON.stringify({ feature_name: 'webhooks', description: 'Outgoing webhooks for account events', category: 'feature', priority: 'low', status: 'stub', created: '2025-01-11' }, null, 2)}\n`,
      };
      for (const wo of workorders) {
        const dir = `coderef/workorder/${wo.feature}`;
        const done = wo.tasks.filter((t) => t.status === 'completed').length;
        const meta = wo.handoff === 'complete' ? 'complete' : wo.handoff === 'pending_plan' ? 'planning' : 'in_progress';
        files[`${dir}/plan.json`] = `${JSON.stringify(
          {
            META_DOCUMENTATION: { feature_name: wo.feature, workorder_id: wo.id, status: meta, schema_version: '1.2.0', generated_by: 'coderef-workflow', iteration },
            UNIVERSAL_PLANNING_STRUCTURE: {
              '0_preparation': { foundation_docs: ['README.md'] },
              '1_executive_summary': { purpose: wo.title, value_proposition: `${wo.title} for the Atlas API` },
              '5_task_id_system': { tasks: wo.tasks.map((t, i) => ({ ...t, dependencies: i === 0 ? [] : [wo.tasks[i - 1]!.id] })) },
            },
          },
          null,
          2,
        )}\n`;
        files[`${dir}/communication.json`] = `${JSON.stringify({ handoff: { workorder_id: wo.id, feature_name: wo.feature, from: 'planner', to: 'implementer', status: wo.handoff } }, null, 2)}\n`;
        files[`${dir}/DELIVERABLES.md`] = `# DELIVERABLES: ${wo.feature}\n\n**Project**: ${PROJECT}\n**Feature**: ${wo.feature}\n**Workorder**: ${wo.id}\n**Status**: ${wo.handoff === 'complete' ? '✅ Complete' : done > 0 ? '🚧 In Progress' : '🚧 Not Started'}\n\n## Task Completion Checklist\n\n${wo.tasks.map((t) => `- [${t.status === 'completed' ? 'x' : ' '}] [${t.id}] ${t.description}`).join('\n')}\n`;
      }
      return files;
    },
    step(ctx) {
      const wo = active();
      if (!wo) {
        workorders = fresh();
        iteration += 1;
        const first = workorders[0]!;
        logLine(ctx, first, `Iteration ${iteration}: work orders reopened`);
        return { summary: 'atlas-api: work orders reopened' };
      }
      if (wo.handoff === 'pending_plan') {
        wo.handoff = 'implementing';
        logLine(ctx, wo, 'Plan approved; implementation started');
        return { summary: `atlas-api: ${wo.id} started` };
      }
      if (wo.handoff === 'failed') {
        wo.handoff = 'implementing';
        logLine(ctx, wo, 'Retrying after fixing the failing tests');
        return { summary: `atlas-api: ${wo.id} retrying` };
      }
      const task = wo.tasks.find((t) => t.status !== 'completed');
      if (!task) {
        wo.handoff = 'complete';
        logLine(ctx, wo, 'DONE: all tasks complete, handed off for verification');
        const next = active();
        if (next && next.handoff === 'pending_plan') next.handoff = 'approved';
        return { summary: `atlas-api: ${wo.id} complete` };
      }
      if (task.status === 'pending') {
        task.status = 'in_progress';
        logLine(ctx, wo, `Task ${task.id} started: ${task.description}`);
        return { summary: `atlas-api: ${task.id} started` };
      }
      if (chance(ctx.random, 0.15)) {
        wo.handoff = 'failed';
        logLine(ctx, wo, `ERROR: ${task.id} failed — 2 failing tests in test/${wo.feature}.test.ts`);
        return { summary: `atlas-api: ${wo.id} failed on ${task.id}` };
      }
      task.status = 'completed';
      logLine(ctx, wo, `Task ${task.id} completed: ${task.description}`);
      return { summary: `atlas-api: ${task.id} completed` };
    },
    drainLogLines(ctx) {
      // Between steps the agent is busy: a line of chatter keeps the log visibly alive.
      const wo = active();
      if (wo && wo.handoff === 'implementing' && chance(ctx.random, 0.7)) {
        const area = wo.feature.split('-')[0]!;
        const text = pick(ctx.random, CHATTER)
          .replace('{n}', String(20 + Math.floor(ctx.random() * 180)))
          .replace('{m}', String(Math.floor(ctx.random() * 40)))
          .replace(/\{area\}/g, area);
        // Indented, not `WO-…`: the log's readers treat it as detail, not as a work-order event.
        pending.push(`    ${ctx.now.toISOString()}  ${text}`);
      }
      return [{ path: LOG, lines: pending.splice(0) }];
    },
  };
}

/** The log's first lines, written once when the workspace is created (oldest first: it grows by appending). */
export function coderefInitialLog(now: Date): string {
  const at = (minutesAgo: number) => new Date(now.getTime() - minutesAgo * 60_000).toISOString();
  return [
    `WO-BOOTSTRAP-API-000 | ${PROJECT} | Task BOOT-001 completed: HTTP server skeleton | ${at(3000)}`,
    `WO-BOOTSTRAP-API-000 | ${PROJECT} | DONE: archived | ${at(2990)}`,
    `WO-AUTH-SYSTEM-001 | ${PROJECT} | Plan approved; implementation started | ${at(45)}`,
    `WO-AUTH-SYSTEM-001 | ${PROJECT} | Task AUTH-001 started: Create the users table migration | ${at(44)}`,
    `WO-AUTH-SYSTEM-001 | ${PROJECT} | Task AUTH-001 completed: Create the users table migration | ${at(30)}`,
    `WO-AUTH-SYSTEM-001 | ${PROJECT} | Task AUTH-002 started: Hash passwords with argon2id | ${at(29)}`,
    '',
  ].join('\n');
}
