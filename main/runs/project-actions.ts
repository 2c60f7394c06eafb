// A project's own actions, `.vigil/actions.json`. A cloned repository must not be able to make
// Vigil run its commands, so the file counts only once the local user trusted it, and the
// trust is for its exact bytes (SHA-256): any change to the file needs a new trust.
import { createHash } from 'node:crypto';
import { realpath } from 'node:fs/promises';
import { ProjectActionsFileSchema, type ActionSpec, type ProjectActionsState, type TrustedActionsFile } from '../../shared/runs';
import { PathGuardError, resolveInside } from '../engine/path-guard';
import { openInsideRoot } from '../engine/safe-open';

export const PROJECT_ACTIONS_PATH = '.vigil/actions.json';
/** An actions file larger than this is not read (it is a list of a few commands). */
export const MAX_ACTIONS_FILE_BYTES = 256 * 1024;

export interface ProjectActionsFile {
  state: ProjectActionsState;
  /** The file's actions; empty unless it is trusted as it is now. */
  actions: ActionSpec[];
  /** Hex SHA-256 of the bytes read, null when there was nothing to read. */
  sha256: string | null;
  /** What the file defines, trusted or not: to show before trusting, and to say why one does not run. */
  defined: ActionSpec[];
}

/** The file's bytes, read through one handle that is checked, after opening, to be inside the root (safe-open). */
async function readInside(root: string): Promise<Buffer | null> {
  let rootReal: string;
  try {
    rootReal = await realpath(root);
    // By name first (no `..`, no absolute path), so a missing file is simply none.
    await resolveInside(rootReal, PROJECT_ACTIONS_PATH, { mustExist: true });
  } catch (err) {
    if (err instanceof PathGuardError && err.code === 'not_found') return null;
    throw err;
  }
  let opened;
  try {
    opened = await openInsideRoot(rootReal, PROJECT_ACTIONS_PATH);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return null;
    if (code === 'ELOOP') throw new Error(`${PROJECT_ACTIONS_PATH} is a symbolic link; only a regular file in the project is read`);
    throw err;
  }
  const { handle, stats } = opened;
  try {
    if (stats.size > MAX_ACTIONS_FILE_BYTES) throw new Error(`${PROJECT_ACTIONS_PATH} is larger than ${MAX_ACTIONS_FILE_BYTES} bytes`);
    return await handle.readFile();
  } finally {
    await handle.close();
  }
}

export function sha256Hex(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

function parse(bytes: Buffer): { actions: ActionSpec[] } | { problem: string } {
  let json: unknown;
  try {
    json = JSON.parse(bytes.toString('utf8'));
  } catch (err) {
    return { problem: `it is not valid JSON (${(err as Error).message})` };
  }
  const parsed = ProjectActionsFileSchema.safeParse(json);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    return { problem: `${first?.path.join('.') || 'the document'}: ${first?.message ?? 'invalid'}` };
  }
  const seen = new Set<string>();
  for (const action of parsed.data.actions) {
    if (seen.has(action.id)) return { problem: `the action id "${action.id}" appears twice` };
    seen.add(action.id);
  }
  return { actions: parsed.data.actions };
}

/** Read a project's actions file and say whether its actions may run. Never throws for a bad file. */
export async function readProjectActions(root: string, trusted: readonly TrustedActionsFile[]): Promise<ProjectActionsFile> {
  const base = { path: PROJECT_ACTIONS_PATH };
  let bytes: Buffer | null;
  try {
    bytes = await readInside(root);
  } catch (err) {
    const message = `${PROJECT_ACTIONS_PATH} cannot be read: ${(err as Error).message}`;
    return { state: { ...base, state: 'invalid', message, count: 0 }, actions: [], sha256: null, defined: [] };
  }
  if (bytes === null) return { state: { ...base, state: 'none', message: null, count: 0 }, actions: [], sha256: null, defined: [] };
  const sha256 = sha256Hex(bytes);
  const parsed = parse(bytes);
  if ('problem' in parsed) {
    return { state: { ...base, state: 'invalid', message: `${PROJECT_ACTIONS_PATH}: ${parsed.problem}. Fix the file; its actions are not offered until then.`, count: 0 }, actions: [], sha256, defined: [] };
  }
  const count = parsed.actions.length;
  const rootReal = await realpath(root).catch(() => root);
  const record = trusted.find((t) => t.root === rootReal);
  if (record?.sha256 === sha256) return { state: { ...base, state: 'trusted', message: null, count }, actions: parsed.actions, sha256, defined: parsed.actions };
  const how = `Read it, then trust it in Vigil or with \`vigil action trust ${rootReal}\`.`;
  if (record) {
    return { state: { ...base, state: 'changed', message: `${PROJECT_ACTIONS_PATH} changed since you trusted it, so its ${count} action(s) do not run. ${how}`, count }, actions: [], sha256, defined: parsed.actions };
  }
  return { state: { ...base, state: 'untrusted', message: `This project defines ${count} action(s) in ${PROJECT_ACTIONS_PATH}; they run only once you trust the file. ${how}`, count }, actions: [], sha256, defined: parsed.actions };
}

/**
 * The trust record for a project's actions file as it is now. Throws when there is no file or
 * it is invalid: only a file that can run is worth trusting.
 */
export async function trustRecordFor(root: string, now: number): Promise<TrustedActionsFile & { count: number }> {
  let rootReal: string;
  try {
    rootReal = await realpath(root);
  } catch (err) {
    throw new Error(`The folder ${root} cannot be opened: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'it does not exist' : (err as Error).message}.`);
  }
  const read = await readProjectActions(rootReal, []);
  if (read.state.state === 'none') throw new Error(`${rootReal} has no ${PROJECT_ACTIONS_PATH} to trust.`);
  if (read.state.state === 'invalid' || read.sha256 === null) throw new Error(read.state.message ?? `${PROJECT_ACTIONS_PATH} cannot be read.`);
  return { root: rootReal, sha256: read.sha256, trustedAt: now, count: read.state.count };
}
