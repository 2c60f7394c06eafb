// spec-kit: specs/NNN-name/{spec.md, plan.md, tasks.md, checklists/}; the agent ticks T-tasks.
import { box, isoDate, type DemoProject } from '../project';

interface Task {
  id: string;
  text: string;
  parallel: boolean;
  done: boolean;
}

interface Feature {
  slug: string;
  title: string;
  phases: { name: string; tasks: Task[] }[];
}

function feature(slug: string, title: string, phases: [string, string[]][], doneCount: number): Feature {
  let n = 0;
  const shaped = phases.map(([name, texts]) => ({
    name,
    tasks: texts.map((text) => {
      n += 1;
      return { id: `T${String(n).padStart(3, '0')}`, text, parallel: n % 3 === 0, done: n <= doneCount };
    }),
  }));
  return { slug, title, phases: shaped };
}

export function speckitProject(created: Date): DemoProject {
  const features: Feature[] = [
    feature('001-offline-sync', 'Offline sync', [
      ['Setup', ['Create sync module skeleton in src/sync/', 'Add IndexedDB adapter dependency', 'Configure test fixtures for offline mode']],
      ['Foundational', ['Define change-log schema in src/sync/schema.ts', 'Implement local write queue', 'Implement conflict detection by vector clock']],
      ['User Story 1 - Edit while offline (P1)', ['Queue edits when navigator is offline', 'Replay queue on reconnect', 'Show pending-changes badge in the toolbar']],
      ['Polish', ['Document the sync protocol in docs/sync.md', 'Run quickstart.md validation']],
    ], 5),
    feature('002-export-pdf', 'Export to PDF', [
      ['Setup', ['Add PDF renderer dependency', 'Create export command scaffold']],
      ['User Story 1 - Export a report (P1)', ['Render report pages to PDF', 'Embed fonts and images', 'Add export button to report view']],
    ], 0),
  ];

  const status = (f: Feature): string => {
    const tasks = f.phases.flatMap((p) => p.tasks);
    const done = tasks.filter((t) => t.done).length;
    return done === 0 ? 'Draft' : done === tasks.length ? 'Complete' : 'In Progress';
  };

  return {
    name: 'relay-cli',
    convention: 'speckit',
    files() {
      const files: Record<string, string> = {
        '.specify/memory/constitution.md': '# relay-cli Constitution\n\n## Core Principles\n\n### I. Library-First\nEvery feature starts as a standalone library.\n',
        'README.md': '# relay-cli\n\nA command-line relay for team messages (demo project for Vigil).\n',
      };
      for (const f of features) {
        const dir = `specs/${f.slug}`;
        files[`${dir}/spec.md`] = `# Feature Specification: ${f.title}\n\n**Feature Branch**: \`${f.slug}\`\n**Created**: ${isoDate(created)}\n**Status**: ${status(f)}\n\n## User Scenarios & Testing *(mandatory)*\n\n### User Story 1 (Priority: P1)\n\nAs a user I want ${f.title.toLowerCase()} so that my work is never lost.\n`;
        files[`${dir}/plan.md`] = `# Implementation Plan: ${f.title}\n\n**Branch**: \`${f.slug}\` | **Date**: ${isoDate(created)} | **Spec**: [spec.md](./spec.md)\n\n## Technical Context\n\n**Language/Version**: TypeScript 5.9\n**Testing**: vitest\n`;
        files[`${dir}/checklists/requirements.md`] = `# Specification Quality Checklist: ${f.title}\n\n- [x] CHK001 No implementation details in the spec\n- [x] CHK002 Requirements are testable\n- [ ] CHK003 Success criteria are measurable\n`;
        const body = f.phases
          .map((p, i) => `## Phase ${i + 1}: ${p.name}\n\n${p.tasks.map((t) => `- ${box(t.done).replace('x', 'X')} ${t.id}${t.parallel ? ' [P]' : ''} ${t.text}`).join('\n')}\n`)
          .join('\n');
        files[`${dir}/tasks.md`] = `# Tasks: ${f.title}\n\n**Input**: Design documents from \`/specs/${f.slug}/\`\n\n${body}`;
      }
      return files;
    },
    step() {
      const next = features.flatMap((f) => f.phases.flatMap((p) => p.tasks.map((t) => ({ f, t })))).find(({ t }) => !t.done);
      if (!next) {
        for (const t of features.flatMap((f) => f.phases.flatMap((p) => p.tasks))) t.done = false;
        return { summary: 'relay-cli: new iteration, every task open again' };
      }
      next.t.done = true;
      return { summary: `relay-cli: ${next.t.id} ${next.t.text}` };
    },
  };
}
