// BMAD v6: sprint-status.yaml under _bmad-output/implementation-artifacts/ plus one story file
// per story with a Status line and Tasks / Subtasks checkboxes. Stories go ready-for-dev →
// in-progress → review → done; epics follow their stories.
import type { DemoProject } from '../project';

type StoryStatus = 'backlog' | 'ready-for-dev' | 'in-progress' | 'review' | 'done';

interface Story {
  key: string;
  title: string;
  status: StoryStatus;
  tasks: { text: string; subtasks: { text: string; done: boolean }[] }[];
}

const DIR = '_bmad-output/implementation-artifacts';

const story = (key: string, title: string, status: StoryStatus, tasks: [string, string[]][]): Story => ({
  key,
  title,
  status,
  tasks: tasks.map(([text, subs]) => ({ text, subtasks: subs.map((s) => ({ text: s, done: status === 'done' })) })),
});

export function bmadProject(created: Date): DemoProject {
  const fresh = (): Story[] => [
    story('1-1-account-signup', 'Account signup', 'done', [['Build the signup form (AC: 1)', ['Email and password fields', 'Client-side validation']], ['Create the account endpoint (AC: 2)', ['Hash passwords with argon2']]]),
    story('1-2-login-with-passkeys', 'Login with passkeys', 'in-progress', [['Register a passkey (AC: 1)', ['WebAuthn registration ceremony', 'Store the credential']], ['Sign in with a passkey (AC: 2)', ['Authentication ceremony', 'Fallback to password']]]),
    story('1-3-profile-settings', 'Profile settings', 'ready-for-dev', [['Profile screen (AC: 1)', ['Avatar upload', 'Display name']], ['Delete account (AC: 2)', ['Confirmation dialog']]]),
    story('2-1-offline-cache', 'Offline cache', 'backlog', [['Cache API responses (AC: 1)', ['Service worker', 'Cache invalidation']]]),
    story('2-2-push-notifications', 'Push notifications', 'backlog', [['Register for push (AC: 1)', ['Permission prompt', 'Token upload']], ['Send a test push (AC: 2)', ['Admin button']]]),
  ];
  let stories = fresh();
  stories[1]!.tasks[0]!.subtasks[0]!.done = true;

  const epicStatus = (n: string): string => {
    const own = stories.filter((s) => s.key.startsWith(`${n}-`));
    if (own.every((s) => s.status === 'done')) return 'done';
    return own.some((s) => s.status !== 'backlog') ? 'in-progress' : 'backlog';
  };

  return {
    name: 'lumen-mobile',
    convention: 'bmad',
    files() {
      const lines = ['1', '2'].flatMap((n) => [`  epic-${n}: ${epicStatus(n)}`, ...stories.filter((s) => s.key.startsWith(`${n}-`)).map((s) => `  ${s.key}: ${s.status}`), `  epic-${n}-retrospective: optional`]);
      const files: Record<string, string> = {
        [`${DIR}/sprint-status.yaml`]: `# generated: ${created.toISOString().slice(0, 10)}\nproject: lumen-mobile\nproject_key: LUMEN\ntracking_system: file-system\nstory_location: ${DIR}\n\ndevelopment_status:\n${lines.join('\n')}\n`,
        '_bmad/bmm/config.yaml': 'project_name: lumen-mobile\nuser_name: Demo\n',
      };
      for (const s of stories) {
        if (s.status === 'backlog') continue;
        const [epic, num] = s.key.split('-');
        const tasks = s.tasks.map((t) => `- [${t.subtasks.every((x) => x.done) ? 'x' : ' '}] ${t.text}\n${t.subtasks.map((x) => `  - [${x.done ? 'x' : ' '}] ${x.text}`).join('\n')}`).join('\n');
        files[`${DIR}/${s.key}.md`] = `# Story ${epic}.${num}: ${s.title}\n\nStatus: ${s.status}\n\n## Story\n\nAs a user, I want ${s.title.toLowerCase()}, so that the app feels like mine.\n\n## Acceptance Criteria\n\n1. It works on iOS and Android.\n2. It is covered by tests.\n\n## Tasks / Subtasks\n\n${tasks}\n\n## Dev Notes\n\n- Simulated by the Vigil demo agent.\n`;
      }
      return files;
    },
    step() {
      const inReview = stories.find((s) => s.status === 'review');
      if (inReview) {
        inReview.status = 'done';
        return { summary: `lumen-mobile: ${inReview.key} done` };
      }
      const active = stories.find((s) => s.status === 'in-progress');
      if (active) {
        const sub = active.tasks.flatMap((t) => t.subtasks).find((x) => !x.done);
        if (sub) {
          sub.done = true;
          return { summary: `lumen-mobile: ${active.key} — ${sub.text}` };
        }
        active.status = 'review';
        return { summary: `lumen-mobile: ${active.key} ready for review` };
      }
      const ready = stories.find((s) => s.status === 'ready-for-dev');
      if (ready) {
        ready.status = 'in-progress';
        const next = stories.find((s) => s.status === 'backlog');
        if (next) next.status = 'ready-for-dev';
        return { summary: `lumen-mobile: ${ready.key} started` };
      }
      stories = fresh();
      return { summary: 'lumen-mobile: new sprint' };
    },
  };
}
