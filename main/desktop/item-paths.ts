// Reveal in folder / open in the editor: only for files inside a registered project root
// (docs/architecture.md, security). The path comes from the window, so it is treated like any
// client input: resolved with realpath under the project root, symlink escapes included.
import type { Project } from '../../shared/model';
import { PathGuardError, resolveInside } from '../engine/path-guard';

/** The absolute, real path of `relPath` in project `projectId`; throws PathGuardError otherwise. */
export async function itemPathInProject(projects: readonly Project[], projectId: string, relPath: string): Promise<string> {
  const project = projects.find((p) => p.id === projectId);
  if (!project) throw new PathGuardError('not_found', `No registered project has the id "${projectId}".`);
  return resolveInside(project.root, relPath, { mustExist: true });
}

/** What Electron's shell offers, as the two calls we use. */
export interface ItemShell {
  showItemInFolder(fullPath: string): void;
  /** Resolves with an error message, or '' on success (Electron's contract). */
  openPath(fullPath: string): Promise<string>;
}

export async function revealItem(shell: ItemShell, projects: readonly Project[], projectId: string, relPath: string): Promise<void> {
  shell.showItemInFolder(await itemPathInProject(projects, projectId, relPath));
}

export async function openItem(shell: ItemShell, projects: readonly Project[], projectId: string, relPath: string): Promise<void> {
  const fullPath = await itemPathInProject(projects, projectId, relPath);
  const problem = await shell.openPath(fullPath);
  if (problem) throw new Error(`Could not open ${fullPath}: ${problem}`);
}
