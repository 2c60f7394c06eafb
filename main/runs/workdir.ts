// Where a run works: the project root, or a fresh git worktree made for the run on a branch
// named after its item (so two agents never edit the same checkout). Either way the folder is
// checked by its real path before anything starts in it: the project root itself, or the
// worktree Vigil just made for this run under its own folder.
import { execFile } from 'node:child_process';
import { mkdir, realpath, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { ActionCwd } from '../../shared/runs';
import { isInside } from '../engine/path-guard';

export interface Workdir {
  cwd: string;
  branch: string | null;
}

export interface WorkdirRequest {
  root: string;
  mode: ActionCwd;
  runId: string;
  projectId: string;
  /** Names the branch; the action id when the run has no item. */
  name: string;
  /** Vigil's folder for worktrees (`<config>/worktrees`). */
  worktreesDir: string;
}

export class WorkdirError extends Error {}

function git(cwd: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile('git', args, { cwd, timeout: 60_000, windowsHide: true }, (err, stdout, stderr) => {
      if (err) {
        const missing = (err as NodeJS.ErrnoException).code === 'ENOENT';
        reject(new WorkdirError(missing ? 'git is not installed or not on PATH' : (stderr.trim() || err.message).split('\n')[0]));
        return;
      }
      resolve(stdout.trim());
    });
  });
}

/** `vigil/02-01-login-form`: a branch name from an item id or action id, safe for git. */
export function branchNameFor(name: string): string {
  const local = name.split(':').slice(-1)[0] ?? name;
  const slug = local
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, '-')
    .replace(/\.{2,}/g, '.')
    .replace(/^[-.]+|[-.]+$/g, '')
    .replace(/\.lock$/, '')
    .slice(0, 60);
  return `vigil/${slug || 'run'}`;
}

async function branchExists(root: string, branch: string): Promise<boolean> {
  try {
    await git(root, ['show-ref', '--verify', '--quiet', `refs/heads/${branch}`]);
    return true;
  } catch {
    return false;
  }
}

async function makeWorktree(request: WorkdirRequest, rootReal: string): Promise<Workdir> {
  try {
    await git(rootReal, ['rev-parse', '--is-inside-work-tree']);
  } catch (err) {
    throw new WorkdirError(`This action runs in a git worktree, but ${rootReal} is not a git repository (${(err as Error).message}). Use "cwd": "root", or run \`git init\` there.`);
  }
  const base = branchNameFor(request.name);
  let branch = base;
  for (let n = 2; await branchExists(rootReal, branch); n++) {
    if (n > 100) throw new WorkdirError(`Branches ${base} to ${base}-100 all exist; delete some old ones.`);
    branch = `${base}-${n}`;
  }
  const parent = join(request.worktreesDir, request.projectId);
  await mkdir(parent, { recursive: true, mode: 0o700 });
  const dir = join(parent, request.runId);
  try {
    await git(rootReal, ['worktree', 'add', '-b', branch, dir, 'HEAD']);
  } catch (err) {
    throw new WorkdirError(`Could not make a git worktree for the run: ${(err as Error).message}`);
  }
  const dirReal = await realpath(dir);
  const parentReal = await realpath(parent);
  if (!isInside(parentReal, dirReal)) throw new WorkdirError(`The worktree ${dirReal} is not where Vigil made it; refusing to run there.`);
  return { cwd: dirReal, branch };
}

/** The checked working directory for a run. Throws a WorkdirError that says what to do. */
export async function prepareWorkdir(request: WorkdirRequest): Promise<Workdir> {
  let rootReal: string;
  try {
    rootReal = await realpath(request.root);
    if (!(await stat(rootReal)).isDirectory()) throw new Error('not a folder');
  } catch (err) {
    throw new WorkdirError(`The project folder ${request.root} is not there (${(err as Error).message}); the run cannot start.`);
  }
  if (request.mode === 'worktree') return makeWorktree(request, rootReal);
  return { cwd: rootReal, branch: null };
}
