// OpenSpec: openspec/changes/<id>/{proposal.md, tasks.md}; a finished change moves to
// openspec/changes/archive/YYYY-MM-DD-<id>/ (that move is the evidence it is done).
import { box, isoDate, type DemoProject } from '../project';

interface Change {
  id: string;
  why: string;
  tasks: { text: string; done: boolean }[];
  archivedOn: string | null;
}

const QUEUE: [string, string, string[]][] = [
  ['add-canary-deploys', 'Ship to 5 % of traffic first and roll back on error budget burn.', ['Add a canary stage to the pipeline', 'Route 5 % of traffic through the canary', 'Compare error rates against the baseline', 'Automatic rollback on budget burn']],
  ['rotate-database-credentials', 'Credentials older than 30 days are a finding in every audit.', ['Store credentials in the secrets manager', 'Rotate on a 30-day schedule', 'Alert when a rotation fails']],
  ['add-cost-dashboards', 'Nobody can say what the staging cluster costs.', ['Export billing data daily', 'Build the per-service cost dashboard', 'Add a weekly cost report']],
];

export function openspecProject(now: Date): DemoProject {
  const changes: Change[] = [
    { id: 'add-health-checks', why: 'Load balancers need a readiness signal.', tasks: [{ text: 'Add /healthz and /readyz', done: true }, { text: 'Wire them into the load balancer', done: true }], archivedOn: isoDate(new Date(now.getTime() - 3 * 86400_000)) },
  ];
  let queued = 0;
  const open = () => {
    const [id, why, tasks] = QUEUE[queued % QUEUE.length]!;
    const round = Math.floor(queued / QUEUE.length);
    queued += 1;
    changes.push({ id: round === 0 ? id : `${id}-${round + 1}`, why, tasks: tasks.map((text, i) => ({ text, done: round === 0 && queued === 1 && i === 0 })), archivedOn: null });
  };
  open();
  open();

  return {
    name: 'pilot-infra',
    convention: 'openspec',
    files() {
      const files: Record<string, string> = {
        'openspec/project.md': '# Project Context\n\n## Purpose\nInfrastructure for the pilot platform (demo project for Vigil).\n',
        'openspec/AGENTS.md': '# OpenSpec Instructions\n\nCreate a change proposal before changing behaviour.\n',
      };
      for (const c of changes) {
        const dir = c.archivedOn ? `openspec/changes/archive/${c.archivedOn}-${c.id}` : `openspec/changes/${c.id}`;
        files[`${dir}/proposal.md`] = `# Change: ${c.id.replace(/-/g, ' ')}\n\n## Why\n${c.why}\n\n## What Changes\n- See tasks.md\n`;
        files[`${dir}/tasks.md`] = `## 1. Implementation\n${c.tasks.map((task, i) => `- ${box(task.done)} 1.${i + 1} ${task.text}`).join('\n')}\n`;
      }
      return files;
    },
    step(ctx) {
      const active = changes.find((c) => !c.archivedOn);
      if (!active) {
        open();
        return { summary: 'pilot-infra: new change proposed' };
      }
      const task = active.tasks.find((x) => !x.done);
      if (task) {
        task.done = true;
        return { summary: `pilot-infra: ${active.id} — ${task.text}` };
      }
      active.archivedOn = isoDate(ctx.now);
      // Keep the archive short: a demo left running all day should not grow without bound.
      const archived = changes.filter((c) => c.archivedOn);
      if (archived.length > 6) changes.splice(changes.indexOf(archived[0]!), 1);
      open();
      return { summary: `pilot-infra: archived ${active.id}` };
    },
  };
}
