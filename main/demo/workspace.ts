// The demo workspace: one project folder per planning convention, files written as each tool
// would write them.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { DemoProject } from './project';
import { backlogProject } from './projects/backlog';
import { bmadProject } from './projects/bmad';
import { coderefInitialLog, coderefProject } from './projects/coderef';
import { gsdProject } from './projects/gsd';
import { kiroProject } from './projects/kiro';
import { openspecProject } from './projects/openspec';
import { writeDemoActions } from './run-agent';
import { speckitProject } from './projects/speckit';
import { taskmasterProject } from './projects/taskmaster';
import { ProjectWriter } from './writer';

export interface DemoEntry {
  project: DemoProject;
  root: string;
  writer: ProjectWriter;
}

export function demoProjects(now: Date): DemoProject[] {
  return [
    coderefProject(),
    gsdProject(now),
    bmadProject(now),
    speckitProject(now),
    taskmasterProject(),
    backlogProject(now),
    kiroProject(),
    openspecProject(now),
  ];
}

/** Write every project's first state under `root` (which must exist and be empty). */
export async function writeDemoWorkspace(root: string, now: Date = new Date()): Promise<DemoEntry[]> {
  const entries: DemoEntry[] = [];
  for (const project of demoProjects(now)) {
    const dir = join(root, project.name);
    await mkdir(dir, { recursive: true });
    const writer = new ProjectWriter(dir);
    await writer.sync(project.files());
    if (project.convention === 'coderef') await writeFile(join(dir, 'coderef/workorder-log.txt'), coderefInitialLog(now));
    entries.push({ project, root: dir, writer });
  }
  // Each project offers the demo's agent as actions Vigil can run (the demo trusts them itself).
  await writeDemoActions(root, entries.map((e) => e.root));
  await writeFile(
    join(root, 'README.md'),
    '# Vigil demo workspace\n\nA temporary folder made by `vigil demo`: one project per planning convention, changed every second or two by a simulated agent. It is deleted when the demo stops.\n',
  );
  return entries;
}
