// Why a folder named on the command line cannot be used, in words that name it: the same
// sentence whether `scan`, `watch`, `serve` or `add` was given the folder.
import { constants } from 'node:fs';
import { access, readdir, stat } from 'node:fs/promises';
import { resolve } from 'node:path';

/** What is wrong with `folder` as a project folder; null when it can be read. */
export async function folderProblem(folder: string): Promise<string | null> {
  const absolute = resolve(folder);
  try {
    const info = await stat(absolute);
    if (!info.isDirectory()) return `${folder}: not a folder (give the folder that holds the project)`;
    await access(absolute, constants.R_OK | constants.X_OK);
    await readdir(absolute);
    return null;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return `${folder}: no such folder (${absolute})`;
    if (code === 'EACCES' || code === 'EPERM') return `${folder}: permission denied; check that you can read ${absolute}`;
    return `${folder}: cannot be read (${(err as Error).message})`;
  }
}
