// The folder a person asks to add as a project, checked the same way whether it is registered
// (ConfigStore) or only watched for now (the engine without persisting, as in the demo).
import { realpath, stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { EngineError } from './errors';

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
  return realpath(absolute);
}
