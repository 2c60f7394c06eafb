// Presets: actions for the agents people run on these conventions, off until the user turns
// one on (Settings, or `vigil action add --preset <id>`). Each is an ordinary action; nothing
// about them is special-cased anywhere else.
import type { ActionSpec } from '../../shared/runs';

/** Claude Code prints one JSON object per line; Vigil reads progress, tokens and cost from it. */
const claude = (prompt: string): string[] => ['claude', '-p', prompt, '--output-format', 'stream-json', '--verbose'];

export const PRESETS: readonly ActionSpec[] = [
  {
    id: 'claude-code',
    label: 'Claude Code',
    argv: claude('Carry out the plan "{item.title}" described in {item.path}. Update its status in that file as you go.'),
    appliesTo: [{}],
  },
  {
    id: 'codex',
    label: 'Codex',
    argv: ['codex', 'exec', 'Carry out the plan "{item.title}" described in {item.path}. Update its status in that file as you go.'],
    appliesTo: [{}],
  },
  {
    id: 'gsd-execute-phase',
    label: 'GSD: execute phase',
    argv: claude('/gsd:execute-phase {item.number}'),
    appliesTo: [{ source: 'gsd', kind: 'phase' }],
  },
  {
    id: 'bmad-dev-story',
    label: 'BMAD: dev story',
    argv: claude('/bmad:bmm:workflows:dev-story {item.path}'),
    appliesTo: [{ source: 'bmad', kind: 'story' }],
  },
  {
    id: 'speckit-implement',
    label: 'spec-kit: implement',
    argv: claude('/speckit.implement {item.path}'),
    appliesTo: [{ source: 'speckit', kind: 'feature' }],
  },
  {
    id: 'taskmaster-next',
    label: 'Task Master: next task',
    argv: claude('Run `task-master next`, implement the task it names, then mark it done with `task-master set-status`.'),
  },
];

export function presetById(id: string): ActionSpec | undefined {
  return PRESETS.find((p) => p.id === id);
}
