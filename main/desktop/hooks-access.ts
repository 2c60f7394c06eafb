// Vigil's hooks from a project's card: the same installer as `vigil hooks`, for a registered
// project. The desktop app runs the hook with the Node found on PATH (the app's own binary
// cannot run scripts), and says so plainly when there is none.
import { access, constants } from 'node:fs/promises';
import { delimiter, join } from 'node:path';
import type { ProjectHooks } from '../../shared/alerts';
import type { Project } from '../../shared/model';
import { defaultCodexHome, hooksStatus, installHooks, uninstallHooks, type HookStatus } from '../agents/install/installer';
import type { HooksAccess } from './desktop-requests';
import { RequestFailure } from './replies';

/** The first executable `name` on PATH, or null. */
export async function findOnPath(name: string, env: NodeJS.ProcessEnv = process.env): Promise<string | null> {
  const exts = process.platform === 'win32' ? (env.PATHEXT ?? '.EXE;.CMD').split(';') : [''];
  for (const dir of (env.PATH ?? '').split(delimiter).filter(Boolean)) {
    for (const ext of exts) {
      const candidate = join(dir, name + ext);
      if (await access(candidate, constants.X_OK).then(() => true, () => false)) return candidate;
    }
  }
  return null;
}

function summary(status: HookStatus): ProjectHooks {
  const problem = (s: HookStatus['claude']): string | null =>
    s.error ?? s.broken ?? (s.missingEvents && s.missingEvents.length > 0 ? `no hook for ${s.missingEvents.join(', ')}` : null);
  return {
    claude: { installed: status.claude.installed, problem: problem(status.claude) },
    codex: { installed: status.codex.installed, problem: problem(status.codex) },
    lastEvent: status.lastEvent,
  };
}

export function createHooksAccess(options: { projects: () => readonly Project[]; configDir: string; hookScript: string; node?: () => Promise<string | null> }): HooksAccess {
  const rootOf = (projectId: string): string => {
    const project = options.projects().find((p) => p.id === projectId);
    if (!project) throw new RequestFailure('not_found', `No project has the id "${projectId}".`);
    return project.root;
  };
  const context = async (needNode: boolean) => {
    const node = await (options.node ?? (() => findOnPath('node')))();
    if (!node && needNode) {
      throw new RequestFailure('failed', 'Agent hooks run with Node.js, and no `node` was found on PATH. Install Node.js 20 or later, then try again.');
    }
    return { configDir: options.configDir, program: { node: node ?? 'node', script: options.hookScript }, codexHome: defaultCodexHome() };
  };
  const run = async <T>(work: () => Promise<T>): Promise<T> => {
    try {
      return await work();
    } catch (err) {
      if (err instanceof RequestFailure) throw err;
      throw new RequestFailure('failed', err instanceof Error ? err.message : String(err));
    }
  };
  return {
    status: (projectId) => run(async () => summary(await hooksStatus(rootOf(projectId), await context(false)))),
    install: (projectId, agent) =>
      run(async () => {
        const ctx = await context(true);
        await installHooks(rootOf(projectId), agent, ctx);
        return summary(await hooksStatus(rootOf(projectId), ctx));
      }),
    uninstall: (projectId, agent) =>
      run(async () => {
        const ctx = await context(false);
        await uninstallHooks(rootOf(projectId), agent, ctx);
        return summary(await hooksStatus(rootOf(projectId), ctx));
      }),
  };
}
