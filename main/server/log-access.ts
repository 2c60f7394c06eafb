// Nothing outside a registered project root is ever read (DESIGN.md §6). The engine's
// subscribeLog checks this with realpath; the server checks again before asking, so a remote
// client's path is refused here even if an engine change loosened its own check.
import { realpath } from 'node:fs/promises';
import { dirname, isAbsolute, join, relative, sep } from 'node:path';
import { RequestFailure } from './request-failure';

function inside(root: string, path: string): boolean {
  return path === root || path.startsWith(root.endsWith(sep) ? root : root + sep);
}

/** The nearest existing ancestor of `path`, resolved (a log file may not exist yet). */
async function realpathOfExisting(path: string): Promise<string> {
  let current = path;
  for (;;) {
    try {
      return await realpath(current);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      const parent = dirname(current);
      if ((code !== 'ENOENT' && code !== 'ENOTDIR') || parent === current) throw err;
      current = parent;
    }
  }
}

/** Refuse a log path that is absolute, climbs out with `..`, or resolves (symlinks too) outside `root`. */
export async function assertLogPathInside(root: string, relPath: string): Promise<void> {
  const refuse = (): never => {
    throw new RequestFailure('forbidden', `Log path ${JSON.stringify(relPath)} is outside the project; only files inside its folder can be followed.`);
  };
  if (relPath.includes('\0') || isAbsolute(relPath) || /^[a-zA-Z]:/.test(relPath)) refuse();
  if (relPath.split(/[\\/]/).includes('..')) refuse();
  let realRoot: string;
  try {
    realRoot = await realpath(root);
  } catch {
    throw new RequestFailure('not_found', `The project folder ${root} is missing.`);
  }
  const target = join(realRoot, relPath);
  if (relative(realRoot, target).startsWith('..')) refuse();
  const resolved = await realpathOfExisting(target).catch(() => refuse());
  if (!inside(realRoot, resolved)) refuse();
}
