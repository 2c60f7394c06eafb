// Task Master: .taskmaster/tasks/tasks.json in the tagged form; the agent moves subtasks
// pending → in-progress → done, and now and then a task is blocked for a while.
import { chance, type Random } from '../random';
import type { DemoProject } from '../project';

type TmStatus = 'pending' | 'in-progress' | 'done' | 'blocked' | 'review';

interface Subtask {
  id: number;
  title: string;
  status: TmStatus;
}

interface Task {
  id: number;
  title: string;
  description: string;
  priority: 'high' | 'medium' | 'low';
  dependencies: number[];
  status: TmStatus;
  subtasks: Subtask[];
  blockedFor?: number;
}

const SEED: [string, string, string[]][] = [
  ['Set up ingestion workers', 'Queue consumers that pull raw events from the bus.', ['Create the worker package', 'Connect to the event bus', 'Add retry with dead-letter queue']],
  ['Normalize event schema', 'One schema for the three upstream producers.', ['Write the JSON schema', 'Map producer A', 'Map producer B', 'Map producer C']],
  ['Build the daily rollup job', 'Aggregate events per customer per day.', ['Write the SQL rollup', 'Schedule it nightly', 'Backfill the last 90 days']],
  ['Expose the metrics API', 'Read-only HTTP API over the rollups.', ['Define the OpenAPI spec', 'Implement /metrics/daily', 'Add pagination']],
  ['Data quality alerts', 'Alert when a producer goes silent or spikes.', ['Define thresholds', 'Wire alerts to chat']],
];

export function taskmasterProject(): DemoProject {
  const fresh = (): Task[] =>
    SEED.map(([title, description, subs], i) => ({
      id: i + 1,
      title,
      description,
      priority: i < 2 ? 'high' : i < 4 ? 'medium' : 'low',
      dependencies: i === 0 ? [] : [i],
      status: i === 0 ? 'done' : 'pending',
      subtasks: subs.map((s, j) => ({ id: j + 1, title: s, status: i === 0 ? 'done' : 'pending' })),
    }));
  let tasks = fresh();

  const parentStatus = (task: Task): TmStatus =>
    task.subtasks.every((s) => s.status === 'done') ? 'done' : task.subtasks.some((s) => s.status !== 'pending') ? 'in-progress' : 'pending';

  function advance(random: Random): string | null {
    const blocked = tasks.find((x) => x.status === 'blocked');
    if (blocked) {
      blocked.blockedFor = (blocked.blockedFor ?? 1) - 1;
      if (blocked.blockedFor > 0) return null;
      blocked.status = parentStatus(blocked);
      delete blocked.blockedFor;
      return `quarry-data: task ${blocked.id} unblocked`;
    }
    const task = tasks.find((x) => x.status !== 'done' && x.dependencies.every((d) => tasks[d - 1]?.status === 'done'));
    if (!task) return null;
    if (task.status === 'in-progress' && chance(random, 0.08)) {
      task.status = 'blocked';
      task.blockedFor = 3;
      return `quarry-data: task ${task.id} blocked (waiting on upstream credentials)`;
    }
    const sub = task.subtasks.find((s) => s.status !== 'done')!;
    sub.status = sub.status === 'pending' ? 'in-progress' : 'done';
    task.status = parentStatus(task);
    return `quarry-data: ${task.id}.${sub.id} ${sub.title} → ${sub.status}`;
  }

  return {
    name: 'quarry-data',
    convention: 'taskmaster',
    files() {
      const doc = {
        master: {
          tasks: tasks.map(({ blockedFor: _blockedFor, ...task }) => ({ ...task, details: '', testStrategy: '' })),
          metadata: { created: '2025-01-06T09:00:00.000Z', description: 'Tasks for the master context' },
        },
      };
      return {
        '.taskmaster/tasks/tasks.json': `${JSON.stringify(doc, null, 2)}\n`,
        '.taskmaster/state.json': `${JSON.stringify({ currentTag: 'master', lastSwitched: '2025-01-06T09:00:00.000Z' }, null, 2)}\n`,
        '.taskmaster/config.json': `${JSON.stringify({ global: { projectName: 'quarry-data' } }, null, 2)}\n`,
      };
    },
    step(ctx) {
      const summary = advance(ctx.random);
      if (summary) return { summary };
      if (tasks.every((x) => x.status === 'done')) {
        tasks = fresh();
        return { summary: 'quarry-data: new tag round, tasks reset' };
      }
      return null;
    },
  };
}
