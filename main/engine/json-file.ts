// A JSON document on disk that survives crashes, bad edits and other processes: writes go to
// a temp file that is fsynced and renamed over the target, every read-modify-write runs under
// a cross-process lock and starts from what is on disk now, and a file that cannot be read
// back is moved aside to `<name>.corrupt-<time>` with a warning. Never a silent reset: when the
// damaged file had been read well before, that last good content is written back in its place.
import { mkdir, open, readFile, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { z } from 'zod';
import { withFileLock } from './config-lock';

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

type Parsed<T> = { ok: true; value: T } | { ok: false; problem: string; text: string } | { ok: 'missing' };

/**
 * How long a file that does not parse must stay byte-for-byte the same before it is called
 * damaged: an in-place save (an editor, `echo … >`) truncates first and writes after, and a read
 * can land between the two, most of all on a busy machine. Moving that file aside would send the
 * save into the moved copy.
 */
const DAMAGE_SETTLE_MS = 200;
/** Looks at a file that keeps changing and never parses, before it is repaired anyway. */
const DAMAGE_LOOKS = 5;

const pause = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export class JsonFile<S extends z.ZodTypeAny> {
  /** The last content read or written well; what a damaged file is replaced with. */
  private lastGood: z.infer<S> | null = null;

  constructor(
    readonly path: string,
    private readonly schema: S,
    private readonly fallback: () => z.infer<S>,
    /** Waits before a file that does not parse is read again (tests finish a save in it). */
    private readonly settle: () => Promise<void> = () => pause(DAMAGE_SETTLE_MS),
  ) {}

  /**
   * Read and validate. Missing → the fallback. Unreadable → moved aside with a warning, and
   * the last good content (written back) or, when there never was any, the fallback.
   */
  async load(now: Date = new Date()): Promise<LoadResult<z.infer<S>>> {
    const first = await this.read();
    if (first.ok === true) return { value: this.keep(first.value), warning: null };
    if (first.ok === 'missing') return { value: this.fallback(), warning: null };
    // Damaged: look again under the lock (another process may be mid-repair) and repair once.
    return withFileLock(this.path, () => this.loadLocked(now));
  }

  /**
   * Read-modify-write under the cross-process lock: `change` gets what is on disk now (or the
   * last good content when the file is damaged) and edits it in place; the result is written
   * atomically. Returns what `change` returned and the warning of a repair, if one was made.
   */
  async update<R>(change: (value: z.infer<S>) => R | Promise<R>, now: Date = new Date()): Promise<{ result: R; value: z.infer<S>; warning: string | null }> {
    return withFileLock(this.path, async () => {
      const { value, warning } = await this.loadLocked(now);
      const result = await change(value);
      await this.saveLocked(value);
      return { result, value, warning };
    });
  }

  /** Replace the whole document (under the lock). */
  async save(value: z.infer<S>): Promise<void> {
    await withFileLock(this.path, () => this.saveLocked(value));
  }

  private async saveLocked(value: z.infer<S>): Promise<void> {
    await writeFileAtomic(this.path, `${JSON.stringify(value, null, 2)}\n`);
    this.lastGood = structuredClone(value);
  }

  /** load() for a caller that holds the lock. */
  private async loadLocked(now: Date): Promise<LoadResult<z.infer<S>>> {
    let parsed = await this.read();
    for (let look = 1; parsed.ok === false && look < DAMAGE_LOOKS; look++) {
      await this.settle();
      const again = await this.read();
      const unchanged = again.ok === false && again.text === parsed.text;
      parsed = again;
      if (unchanged) break;
    }
    if (parsed.ok === true) return { value: this.keep(parsed.value), warning: null };
    if (parsed.ok === 'missing') return { value: this.fallback(), warning: null };
    const aside = `${this.path}.corrupt-${now.toISOString().replace(/[:.]/g, '-')}-${process.pid}`;
    await rename(this.path, aside);
    if (this.lastGood !== null) {
      const kept = structuredClone(this.lastGood);
      await writeFileAtomic(this.path, `${JSON.stringify(kept, null, 2)}\n`);
      return {
        value: kept,
        warning: `${this.path} could not be read (${parsed.problem}); it was moved to ${aside} and the last good content was written back. Nothing was lost.`,
      };
    }
    return {
      value: this.fallback(),
      warning: `${this.path} could not be read (${parsed.problem}); it was moved to ${aside} and defaults are in use. Fix or delete that copy.`,
    };
  }

  private keep(value: z.infer<S>): z.infer<S> {
    this.lastGood = structuredClone(value);
    return value;
  }

  private async read(): Promise<Parsed<z.infer<S>>> {
    let text: string;
    try {
      text = await readFile(this.path, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { ok: 'missing' };
      throw new Error(`Cannot read ${this.path}: ${(err as Error).message}`);
    }
    try {
      const parsed = this.schema.safeParse(JSON.parse(text));
      if (parsed.success) return { ok: true, value: parsed.data };
      const first = parsed.error.issues[0];
      return { ok: false, problem: `${first?.path.join('.') || 'document'}: ${first?.message ?? 'invalid'}`, text };
    } catch (err) {
      return { ok: false, problem: (err as Error).message, text };
    }
  }
}
