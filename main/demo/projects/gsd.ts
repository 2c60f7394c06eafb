// GSD: .planning/ with ROADMAP.md, STATE.md and phases/NN-slug/NN-MM-PLAN.md; a plan is done
// when its SUMMARY exists, so the agent finishes plans by writing summaries.
import { isoDate, type DemoProject } from '../project';

interface Plan {
  phase: number;
  plan: number;
  objective: string;
  tasks: string[];
  started: boolean;
  summarized: boolean;
}

interface Phase {
  n: number;
  slug: string;
  name: string;
  goal: string;
  plans: Plan[];
}

const pad = (n: number): string => String(n).padStart(2, '0');

export function gsdProject(created: Date): DemoProject {
  const fresh = (): Phase[] => {
    const phase = (n: number, slug: string, name: string, goal: string, plans: [string, string[]][]): Phase => ({
      n,
      slug,
      name,
      goal,
      plans: plans.map(([objective, tasks], i) => ({ phase: n, plan: i + 1, objective, tasks, started: n === 1, summarized: n === 1 })),
    });
    return [
      phase(1, 'foundation', 'Foundation', 'Project skeleton, CI and the design system', [
        ['Scaffold the app with routing and CI', ['Create the Vite app', 'Add the CI workflow']],
        ['Design system primitives', ['Buttons, inputs, cards', 'Typography scale']],
      ]),
      phase(2, 'authentication', 'Authentication', 'Users can sign up, sign in and stay signed in', [
        ['Sign-up and sign-in pages', ['Forms with validation', 'Session cookie handling']],
        ['Password reset by email', ['Reset token endpoint', 'Email template']],
        ['Session refresh', ['Silent refresh before expiry']],
      ]),
      phase(3, 'dashboard', 'Dashboard', 'A home screen with the numbers that matter', [
        ['Dashboard layout and cards', ['Grid layout', 'Card component']],
        ['Live metrics over websockets', ['Socket client', 'Reconnect with backoff']],
      ]),
    ];
  };
  let phases = fresh();
  const todos = [
    ['add-rate-limiting', 'Add rate limiting to the auth endpoints', 'security'],
    ['audit-bundle-size', 'Audit the bundle size before launch', 'performance'],
  ];

  const allPlans = (): Plan[] => phases.flatMap((p) => p.plans);

  return {
    name: 'orbit-web',
    convention: 'gsd',
    files() {
      const plans = allPlans();
      const done = plans.filter((p) => p.summarized).length;
      const current = plans.find((p) => !p.summarized);
      const currentPhase = current ? phases[current.phase - 1]! : phases[phases.length - 1]!;
      const pct = Math.round((done / plans.length) * 100);
      const bar = '█'.repeat(Math.round(pct / 10)).padEnd(10, '░');
      const files: Record<string, string> = {
        '.planning/PROJECT.md': '# orbit-web\n\n## What This Is\n\nThe customer web app for Orbit (demo project for Vigil).\n\n## Core Value\n\nCustomers see their orbit metrics live.\n',
        '.planning/REQUIREMENTS.md': '# Requirements\n\n- [ ] **AUTH-01**: User can sign up with email\n- [ ] **DASH-01**: User sees live metrics\n',
        '.planning/config.json': `${JSON.stringify({ mode: 'yolo', depth: 'standard', parallelization: true }, null, 2)}\n`,
        '.planning/ROADMAP.md': `# Roadmap: orbit-web\n\n## Phases\n\n${phases
          .map((p) => `- [${p.plans.every((x) => x.summarized) ? 'x' : ' '}] **Phase ${p.n}: ${p.name}** - ${p.goal}`)
          .join('\n')}\n\n## Phase Details\n\n${phases.map((p) => `### Phase ${p.n}: ${p.name}\n**Goal**: ${p.goal}\n**Plans**: ${p.plans.length} plans\n`).join('\n')}`,
        '.planning/STATE.md': `# Project State\n\n## Current Position\n\nPhase: ${currentPhase.n} of ${phases.length} (${currentPhase.name})\nPlan: ${current ? current.plan : currentPhase.plans.length} of ${currentPhase.plans.length} in current phase\nStatus: ${current ? (current.started ? 'In progress' : 'Ready to execute') : 'Milestone complete'}\nLast activity: ${isoDate(created)} — demo agent\n\nProgress: [${bar}] ${pct}%\n`,
      };
      for (const [slug, title, area] of todos) {
        files[`.planning/todos/pending/${isoDate(created)}-${slug}.md`] = `---\ncreated: ${created.toISOString()}\ntitle: ${title}\narea: ${area}\n---\n\n## Problem\n\n${title}.\n`;
      }
      for (const phase of phases) {
        const dir = `.planning/phases/${pad(phase.n)}-${phase.slug}`;
        for (const plan of phase.plans) {
          const stem = `${dir}/${pad(phase.n)}-${pad(plan.plan)}`;
          files[`${stem}-PLAN.md`] = `---\nphase: ${pad(phase.n)}-${phase.slug}\nplan: ${pad(plan.plan)}\ntype: execute\nwave: ${plan.plan}\ndepends_on: []\nfiles_modified: []\nautonomous: true\n---\n\n<objective>\n${plan.objective}\n</objective>\n\n<tasks>\n${plan.tasks.map((t, i) => `<task type="auto">\n  <name>Task ${i + 1}: ${t}</name>\n  <action>${t}.</action>\n  <done>${t} works and is tested.</done>\n</task>`).join('\n')}\n</tasks>\n`;
          if (plan.summarized) {
            files[`${stem}-SUMMARY.md`] = `---\nphase: ${pad(phase.n)}-${phase.slug}\nplan: ${pad(plan.plan)}\nsubsystem: web\ncompleted: ${isoDate(created)}\n---\n\n# Phase ${phase.n} Plan ${plan.plan}: ${plan.objective} — Summary\n\n**${plan.objective}: done.**\n`;
          }
        }
      }
      return files;
    },
    step() {
      const next = allPlans().find((p) => !p.summarized);
      if (!next) {
        phases = fresh();
        return { summary: 'orbit-web: new milestone planned' };
      }
      if (!next.started) {
        next.started = true;
        return { summary: `orbit-web: executing ${pad(next.phase)}-${pad(next.plan)}` };
      }
      next.summarized = true;
      return { summary: `orbit-web: ${pad(next.phase)}-${pad(next.plan)} summarized` };
    },
  };
}
