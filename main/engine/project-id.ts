import { createHash } from 'node:crypto';
import { resolve } from 'node:path';

/** A project's id: stable for its root folder across runs, short enough for a URL or a room name. */
export function projectIdFor(root: string): string {
  return createHash('sha256').update(resolve(root)).digest('hex').slice(0, 12);
}
