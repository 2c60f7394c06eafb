// Which registered project an agent works in, from the cwd its hook reported: the project
// whose root holds the cwd (after realpath, so a symlinked path counts), or the project
// whose git repository the cwd's worktree belongs to (`git worktree add ../feature-x`).
import { realpath, stat } from 'node:fs/promises';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { readRegularFile } from '../engine/safe-open';

export interface RegisteredRoot {
  id: string;
  /** Real absolute path. */
  root: string;
}

export interface Worktree {
  /** The worktree's top folder. */
  top: string;
  /** Its branch, when HEAD names one. */
  branch: string | null;
}

export interface CwdPlace {
  projectId: string | null;
  /** Set when the cwd is in a linked git worktree (not the main checkout). */
  worktree: Worktree | null;
}

function inside(root: string, path: string): boolean {
  return path === root || path.startsWith(root.endsWith(sep) ? root : root + sep);
}

/** The registered project holding `path` (the deepest root wins: a project inside another). */
export function projectHolding(roots: readonly RegisteredRoot[], path: string): string | null {
  let best: RegisteredRoot | null = null;
  for (const r of roots) if (inside(r.root, path) && (!best || r.root.length > best.root.length)) best = r;
  return best?.id ?? null;
}

/** Git's `.git` file and HEAD are a line each; anything bigger is not git's. */
const GIT_FILE_MAX_BYTES = 4096;

/** A git file's text, or '' when it cannot be read as one: a named pipe there must not block the read. */
function readGitFile(path: string): Promise<string> {
  return readRegularFile(path, { maxBytes: GIT_FILE_MAX_BYTES, followSymlink: true }).then(
    ({ text }) => text,
    () => '',
  );
}

/**
 * The linked worktree holding `path`, with the main checkout's top: found by the `.git` file
 * a linked worktree has (`gitdir: <main>/.git/worktrees/<name>`). Null in a main checkout.
 */
export async function linkedWorktree(path: string): Promise<{ worktree: Worktree; mainTop: string } | null> {
  let dir = path;
  for (let depth = 0; depth < 64; depth++) {
    const dotGit = join(dir, '.git');
    const info = await stat(dotGit).catch(() => null);
    if (info?.isDirectory()) return null;
    if (info?.isFile()) {
      const text = await readGitFile(dotGit);
      const match = /^gitdir:\s*(.+?)\s*$/m.exec(text);
      if (!match?.[1]) return null;
      const gitdir = isAbsolute(match[1]) ? match[1] : resolve(dir, match[1]);
      const parts = gitdir.split(/[\\/]/);
      // <main>/.git/worktrees/<name>
      if (parts.length < 4 || parts.at(-2) !== 'worktrees' || parts.at(-3) !== '.git') return null;
      const mainTop = await realpath(dirname(dirname(dirname(gitdir)))).catch(() => null);
      if (!mainTop) return null;
      const head = await readGitFile(join(gitdir, 'HEAD'));
      const branch = /^ref:\s*refs\/heads\/(.+?)\s*$/m.exec(head)?.[1] ?? null;
      return { worktree: { top: dir, branch }, mainTop };
    }
    const parent = dirname(dir);
    if (parent === dir) return null;
    dir = parent;
  }
  return null;
}

/** Where a session with this cwd works. Never throws: an unreadable cwd belongs to no project. */
export async function placeOfCwd(cwd: string, roots: readonly RegisteredRoot[]): Promise<CwdPlace> {
  const real = await realpath(cwd).catch(() => resolve(cwd));
  const direct = projectHolding(roots, real);
  const linked = await linkedWorktree(real).catch(() => null);
  if (direct !== null) return { projectId: direct, worktree: linked?.worktree ?? null };
  if (!linked) return { projectId: null, worktree: null };
  // The same place in the main checkout: a project that is a subfolder of the repository
  // matches a cwd in the same subfolder of the worktree.
  const mirrored = join(linked.mainTop, relative(linked.worktree.top, real));
  return { projectId: projectHolding(roots, mirrored), worktree: linked.worktree };
}
