// Kiro: .kiro/specs/<feature>/{requirements.md, design.md, tasks.md}, two-level numbered tasks.
import { box, type DemoProject } from '../project';

interface Task {
  n: string;
  text: string;
  done: boolean;
  optional?: boolean;
  subs: Task[];
}

const t = (n: string, text: string, done = false, subs: Task[] = [], optional = false): Task => ({ n, text, done, subs, optional });

export function kiroProject(): DemoProject {
  const specs: { feature: string; title: string; tasks: Task[] }[] = [
    {
      feature: 'theme-tokens',
      title: 'Theme tokens',
      tasks: [
        t('1', 'Set up the token pipeline', true, [t('1.1', 'Define colour tokens in tokens/color.json', true), t('1.2', 'Generate CSS variables at build time', true)]),
        t('2', 'Dark mode', false, [t('2.1', 'Add prefers-color-scheme media queries'), t('2.2', 'Add a theme switch to settings'), t('2.3', 'Write visual regression tests', false, [], true)]),
        t('3', 'Migrate components to tokens', false, [t('3.1', 'Buttons and inputs'), t('3.2', 'Cards and dialogs')]),
      ],
    },
    {
      feature: 'command-palette',
      title: 'Command palette',
      tasks: [
        t('1', 'Palette shell', false, [t('1.1', 'Open with Ctrl-K'), t('1.2', 'Fuzzy search over commands')]),
        t('2', 'Recent commands', false, [t('2.1', 'Persist the last ten commands')]),
      ],
    },
  ];

  const render = (tasks: Task[], indent = ''): string =>
    tasks
      .map((task) => `${indent}- ${box(task.done)}${task.optional ? '*' : ''} ${task.n}${task.n.includes('.') ? '' : '.'} ${task.text}\n${render(task.subs, `${indent}  `)}`)
      .join('');

  return {
    name: 'ember-ui',
    convention: 'kiro',
    files() {
      const files: Record<string, string> = { 'package.json': '{\n  "name": "ember-ui",\n  "private": true\n}\n' };
      for (const spec of specs) {
        const dir = `.kiro/specs/${spec.feature}`;
        files[`${dir}/requirements.md`] = `# Requirements Document\n\n## Introduction\n\n${spec.title} for the Ember component library.\n\n## Requirements\n\n### Requirement 1\n\n**User Story:** As a developer, I want ${spec.title.toLowerCase()}, so that the UI is consistent.\n\n#### Acceptance Criteria\n\n1. WHEN the app loads THEN the system SHALL apply the current theme\n`;
        files[`${dir}/design.md`] = `# Design Document\n\n## Overview\n\n${spec.title}: components read CSS custom properties generated from tokens.\n`;
        files[`${dir}/tasks.md`] = `# Implementation Plan\n\n${render(spec.tasks)}`;
      }
      return files;
    },
    step() {
      for (const spec of specs) {
        for (const task of spec.tasks) {
          const sub = task.subs.find((s) => !s.done && !s.optional);
          if (sub) {
            sub.done = true;
            if (task.subs.every((s) => s.done || s.optional)) task.done = true;
            return { summary: `ember-ui: ${spec.feature} ${sub.n} ${sub.text}` };
          }
          if (!task.done) {
            task.done = true;
            return { summary: `ember-ui: ${spec.feature} ${task.n} ${task.text}` };
          }
        }
      }
      for (const spec of specs) for (const task of spec.tasks) [task, ...task.subs].forEach((x) => (x.done = false));
      return { summary: 'ember-ui: specs reopened for the next iteration' };
    },
  };
}
