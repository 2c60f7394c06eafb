// A JSON document on disk that survives crashes and bad edits: writes go to a temp file
// that is fsynced and renamed over the target, and a file that cannot be read back is
// moved aside to `<name>.corrupt-<time>` with a warning, never silently reset.
import { mkdir, open, readFile, rename, unlink } from 'node:fs/promises';
import { homedir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import type { z } from 'zod';

/** Where Vigil keeps its settings: VIGIL_CONFIG_DIR, else $XDG_CONFIG_HOME/vigil, else ~/.config/vigil. */
export function defaultConfigDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.VIGIL_CONFIG_DIR) return env.VIGIL_CONFIG_DIR;
  if (process.platform === 'win32' && env.APPDATA) return join(env.APPDATA, 'vigil');
  if (process.platform === 'darwin') return join(homedir(), 'Library', 'Application Support', 'vigil');
  return join(env.XDG_CONFIG_HOME || join(homedir(), '.config'), 'vigil');
}

export interface LoadResult<T> {
  value: T;
  /** Set when the file was unreadable and moved aside; say it to the user. */
  warning: string | null;
}

let tempCounter = 0;

/** Write `text` to `path` atomically (temp file in the same folder, fsync, rename). */
export async function writeFileAtomic(path: string, text: string, mode = 0o600): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const temp = join(dirname(path), `.${basename(path)}.${process.pid}.${++tempCounter}.tmp`);
  const handle = await open(temp, 'w', mode);
  try {
    await handle.writeFile(text, 'utf8');
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    await rename(temp, path);
  } catch (err) {
    await unlink(temp).catch(() => undefined);
    throw err;
  }
}

export class JsonFile<S extends z.ZodTypeAny> {
  constructor(
    readonly path: string,
    private readonly schema: S,
    private readonly fallback: () => z.infer<S>,
  ) {}

  /** Read and validate. Missing → the fallback. Unreadable → moved aside, the fallback, and a warning. */
  async load(now: Date = new Date()): Promise<LoadResult<z.infer<S>>> {
    let text: string;
    try {
      text = await readFile(this.path, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { value: this.fallback(), warning: null };
      throw new Error(`Cannot read ${this.path}: ${(err as Error).message}`);
    }
    let problem: string;
    try {
      const parsed = this.schema.safeParse(JSON.parse(text));
      if (parsed.success) return { value: parsed.data, warning: null };
      const first = parsed.error.issues[0];
      problem = `${first?.path.join('.') || 'document'}: ${first?.message ?? 'invalid'}`;
    } catch (err) {
      problem = (err as Error).message;
    }
    const aside = `${this.path}.corrupt-${now.toISOString().replace(/[:.]/g, '-')}`;
    await rename(this.path, aside);
    return {
      value: this.fallback(),
      warning: `${this.path} could not be read (${problem}); it was moved to ${aside} and defaults are in use. Fix or delete that copy.`,
    };
  }

  async save(value: z.infer<S>): Promise<void> {
    await writeFileAtomic(this.path, `${JSON.stringify(value, null, 2)}\n`);
  }
}
