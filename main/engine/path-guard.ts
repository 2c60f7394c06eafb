// Nothing outside a registered project root is ever read or served (docs/architecture.md,
// security). A relative path from a client is resolved under the root and checked twice: by name
// (no `..`, no absolute path) and by realpath, so a symlink pointing out of the root counts as
// outside too.
import { readlink, realpath } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join, relative, resolve, sep, win32 } from 'node:path';

export type PathGuardCode = 'invalid_path' | 'outside_root' | 'not_found' | 'not_regular';

export class PathGuardError extends Error {
  constructor(
    readonly code: PathGuardCode,
    message: string,
  ) {
    super(message);
    this.name = 'PathGuardError';
  }
}

export interface ResolveOptions {
  /** Reject a target that does not exist (reveal/open); a log to tail may not exist yet. */
  mustExist?: boolean;
}

/** Is `candidateReal` the root itself or below it? Both must be real, absolute paths. */
export function isInside(rootReal: string, candidateReal: string): boolean {
  const rel = relative(rootReal, candidateReal);
  if (rel === '') return true;
  // `/a/bc` against `/a/b` gives `../bc`; a file literally named `..x` gives `..x`, which is inside.
  return rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel);
}

const isErrno = (err: unknown, code: string): boolean => (err as NodeJS.ErrnoException | null)?.code === code;

/**
 * The real path of `relPath` under `root`. Throws a PathGuardError for a NUL byte, an
 * absolute path, a `..` segment, a missing root, or a target that (through symlinks) lies
 * outside the root. A target that does not exist yet is allowed unless `mustExist`: its
 * nearest existing ancestor is checked instead.
 */
export async function resolveInside(root: string, relPath: string, options: ResolveOptions = {}): Promise<string> {
  if (relPath.includes('\0')) throw new PathGuardError('invalid_path', 'The path contains a NUL byte.');
  if (isAbsolute(relPath) || win32.isAbsolute(relPath)) {
    throw new PathGuardError('outside_root', `"${relPath}" is an absolute path; give a path relative to the project root.`);
  }
  // Split on both separators: a client may send Windows paths, and `..\` must not slip by on POSIX.
  if (relPath.split(/[\\/]+/).some((segment) => segment === '..')) {
    throw new PathGuardError('outside_root', `"${relPath}" climbs out of the project root with "..".`);
  }

  let rootReal: string;
  try {
    rootReal = await realpath(root);
  } catch (err) {
    if (isErrno(err, 'ENOENT') || isErrno(err, 'ENOTDIR')) {
      throw new PathGuardError('not_found', `The project root ${root} does not exist.`);
    }
    throw err;
  }

  const target = resolve(rootReal, relPath);
  if (!isInside(rootReal, target)) {
    throw new PathGuardError('outside_root', `"${relPath}" is outside the project root ${rootReal}.`);
  }

  const { real, exists } = await realpathAllowingMissing(target, 0);
  if (!isInside(rootReal, real)) {
    throw new PathGuardError('outside_root', `"${relPath}" leads outside the project root ${rootReal} through a symbolic link.`);
  }
  if (!exists && options.mustExist) throw new PathGuardError('not_found', `"${relPath}" does not exist in ${rootReal}.`);
  return real;
}

const MAX_LINK_HOPS = 40;

/**
 * realpath for a path that may not exist yet: the real path of its nearest existing
 * ancestor plus the missing rest. A dangling symlink on the way is followed by name, so a
 * link to a file outside the root that does not exist yet is still caught.
 */
async function realpathAllowingMissing(path: string, hops: number): Promise<{ real: string; exists: boolean }> {
  try {
    return { real: await realpath(path), exists: true };
  } catch (err) {
    if (isErrno(err, 'ELOOP')) throw new PathGuardError('invalid_path', `Symbolic links loop while resolving ${path}.`);
    if (!isErrno(err, 'ENOENT') && !isErrno(err, 'ENOTDIR')) throw err;
  }
  const parent = dirname(path);
  if (parent === path) return { real: path, exists: false };
  const { real: parentReal } = await realpathAllowingMissing(parent, hops);
  const candidate = join(parentReal, basename(path));
  let link: string | null = null;
  try {
    link = await readlink(candidate);
  } catch {
    // Not a symlink, or not there at all: the name is taken as it is.
  }
  if (link === null) return { real: candidate, exists: false };
  if (hops >= MAX_LINK_HOPS) throw new PathGuardError('invalid_path', `Too many symbolic links while resolving ${path}.`);
  const followed = await realpathAllowingMissing(resolve(parentReal, link), hops + 1);
  return { real: followed.real, exists: false };
}
