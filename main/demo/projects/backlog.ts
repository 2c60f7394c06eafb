// Backlog.md: backlog/tasks/task-N - Title.md with frontmatter status and acceptance criteria;
// drafts are stubs. The agent ticks criteria and moves the status along config.yml's list.
import type { DemoProject } from '../project';

interface Task {
  id: number;
  title: string;
  labels: string[];
  criteria: { text: string; done: boolean }[];
  status: 'To Do' | 'In Progress' | 'Done';
}

const SEED: [string, string[], string[]][] = [
  ['Write getting started guide', ['docs'], ['Covers install on Linux, macOS and Windows', 'Has a five-minute tutorial', 'Reviewed by someone new to the project']],
  ['Document the plugin API', ['docs', 'api'], ['Every hook has an example', 'Types are generated from source']],
  ['Add search to the docs site', ['site'], ['Search index built at deploy', 'Results show the section heading', 'Keyboard shortcut /']],
  ['Versioned docs', ['site'], ['A version picker in the header', 'Old versions marked as archived']],
];

const fileName = (t: Task): string => `task-${t.id} - ${t.title.replace(/[^A-Za-z0-9]+/g, '-').replace(/-$/, '')}.md`;

export function backlogProject(created: Date): DemoProject {
  const fresh = (): Task[] =>
    SEED.map(([title, labels, criteria], i) => ({
      id: i + 1,
      title,
      labels,
      criteria: criteria.map((text, j) => ({ text, done: i === 0 && j === 0 })),
      status: i === 0 ? 'In Progress' : 'To Do',
    }));
  let tasks = fresh();
  const day = created.toISOString().slice(0, 10);

  return {
    name: 'harbor-docs',
    convention: 'backlog',
    files() {
      const files: Record<string, string> = {
        'backlog/config.yml': `project_name: "harbor-docs"\ndefault_status: "To Do"\nstatuses: ["To Do", "In Progress", "Done"]\nlabels: []\nmilestones: []\ndate_format: yyyy-mm-dd\n`,
        'backlog/drafts/draft-1 - Translate-the-docs.md': `---\nid: draft-1\ntitle: Translate the docs\nstatus: To Do\nassignee: []\ncreated_date: '${day} 09:00'\nlabels: [i18n]\ndependencies: []\n---\n\n## Description\n\nStart with Spanish and German.\n`,
        'backlog/drafts/draft-2 - Interactive-examples.md': `---\nid: draft-2\ntitle: Interactive examples\nstatus: To Do\nassignee: []\ncreated_date: '${day} 09:30'\nlabels: [site]\ndependencies: []\n---\n\n## Description\n\nRunnable snippets in the browser.\n`,
      };
      for (const t of tasks) {
        files[`backlog/tasks/${fileName(t)}`] =
          `---\nid: task-${t.id}\ntitle: ${t.title}\nstatus: ${t.status}\nassignee: ['@agent']\ncreated_date: '${day} 10:0${t.id}'\nlabels: [${t.labels.join(', ')}]\ndependencies: []\n---\n\n## Description\n\n${t.title}.\n\n## Acceptance Criteria\n<!-- AC:BEGIN -->\n${t.criteria.map((c, i) => `- [${c.done ? 'x' : ' '}] #${i + 1} ${c.text}`).join('\n')}\n<!-- AC:END -->\n`;
      }
      return files;
    },
    step() {
      const task = tasks.find((t) => t.status !== 'Done');
      if (!task) {
        tasks = fresh();
        return { summary: 'harbor-docs: board reset for the next milestone' };
      }
      const criterion = task.criteria.find((c) => !c.done);
      if (task.status === 'To Do') {
        task.status = 'In Progress';
        return { summary: `harbor-docs: task-${task.id} started` };
      }
      if (criterion) {
        criterion.done = true;
        return { summary: `harbor-docs: task-${task.id} — ${criterion.text}` };
      }
      task.status = 'Done';
      return { summary: `harbor-docs: task-${task.id} done` };
    },
  };
}
