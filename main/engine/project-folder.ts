// The folder a person asks to add as a project, checked the same way whether it is registered
// (ConfigStore), only watched for now (the engine without persisting, as in the demo), given on
// the command line or found in the config file. A project root is what every read token may
// read logs under, so the file system's root, the home folder itself and system folders are
// refused: with one of those as a "project", a read token could follow /etc/passwd.
import { realpath, stat } from 'node:fs/promises';
import { homedir } from 'node:os';
import { parse, resolve, sep } from 'node:path';
import { EngineError } from './errors';

/** Folders that are never a project, nor is anything below them. */
const SYSTEM_TREES_POSIX = ['/proc', '/sys', '/dev', '/etc', '/boot', '/bin', '/sbin', '/lib', '/lib32', '/lib64', '/libx32', '/run', '/System', '/private/etc', '/private/var/db'];
/** Folders that are never a project themselves (projects may sit below them). */
const SYSTEM_FOLDERS_POSIX = ['/usr', '/usr/local', '/var', '/opt', '/home', '/Users', '/tmp', '/private', '/private/tmp', '/mnt', '/media', '/srv', '/Volumes', '/Library', '/Applications'];

/** Why `real` (an absolute real path) cannot be a project root, or null when it can. */
export function refusedRootReason(real: string, home: string = homedir()): string | null {
  const path = real.length > 1 && real.endsWith(sep) ? real.slice(0, -1) : real;
  if (parse(path).root === path || path === parse(path).root.replace(/[\\/]+$/, '')) {
    return `${real} is the root of the file system; choose the project's own folder`;
  }
  if (home && path === resolve(home)) return `${real} is your home folder; choose a project folder inside it`;
  if (process.platform === 'win32') {
    const lower = path.toLowerCase();
    const windir = (process.env.SystemRoot ?? 'C:\\Windows').toLowerCase();
    if (lower === windir || lower.startsWith(`${windir}\\`)) return `${real} is a system folder; choose a project folder`;
    return null;
  }
  for (const tree of SYSTEM_TREES_POSIX) {
    if (path === tree || path.startsWith(`${tree}/`)) return `${real} is a system folder; choose a project folder`;
  }
  if (SYSTEM_FOLDERS_POSIX.includes(path)) return `${real} is a system folder, not a project; choose the project's own folder inside it`;
  return null;
}

/** An error for a folder that cannot be a project, with the reason (the server shows it as `forbidden`). */
export class RefusedRootError extends EngineError {
  constructor(reason: string) {
    super('forbidden', `Cannot add ${reason}.`);
    this.name = 'RefusedRootError';
  }
}

/** The real absolute path of an existing folder, or an error that says what is wrong with it. */
export async function realProjectFolder(root: string): Promise<string> {
  if (root.trim() === '') throw new EngineError('invalid', 'No folder given: choose the project folder to add');
  const absolute = resolve(root);
  let info;
  try {
    info = await stat(absolute);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') throw new EngineError('not_found', `Cannot add ${absolute}: the folder does not exist`);
    if (code === 'EACCES' || code === 'EPERM') throw new EngineError('forbidden', `Cannot add ${absolute}: permission denied`);
    throw new Error(`Cannot add ${absolute}: ${(err as Error).message}`);
  }
  if (!info.isDirectory()) throw new EngineError('invalid', `Cannot add ${absolute}: it is a file, not a folder; choose the folder that holds the project`);
  const real = await realpath(absolute);
  const refused = refusedRootReason(real);
  if (refused) throw new RefusedRootError(refused);
  return real;
}
