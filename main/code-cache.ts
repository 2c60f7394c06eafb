// V8's code cache for the one large file `vigil serve` runs (dist/cli-serve.cjs, ~2 MB).
// Compiling it, and the functions its start then compiles lazily (the scan, the journal, the
// server), is ~150 ms of an ~800 ms start on the 2-core machine; given the bytecode V8 made on
// an earlier start, the same start skips most of that. The cache is made once per build and
// Node version, a second after the first start is listening (by then the start's functions
// are compiled), and lives in the user's cache folder. Nothing here is required: a missing,
// foreign, stale or rejected cache means an ordinary compile, and the code runs the same.
//
// A cache file is code: V8 runs the bytecode in it. So it is trusted only when it is a regular
// file owned by the user running Vigil and writable by no one else (checked on the open file),
// and it is named after the build's content hash, because V8 itself only checks the source's
// length before using bytecode made for it.
import Module, { createRequire } from 'node:module';
import { closeSync, fstatSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { Script, constants } from 'node:vm';

/** Where Vigil keeps what it can always make again: VIGIL_CACHE_DIR, else the platform's per-user cache folder. */
export function defaultCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.VIGIL_CACHE_DIR) return env.VIGIL_CACHE_DIR;
  if (process.platform === 'win32' && env.LOCALAPPDATA) return join(env.LOCALAPPDATA, 'vigil', 'Cache');
  if (process.platform === 'darwin') return join(homedir(), 'Library', 'Caches', 'vigil');
  return join(env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'vigil');
}

/** Where one file's code cache goes: `dir`, under `name` (no dashes), for the build whose content hash is `codeHash`. */
export interface CodeCache {
  dir: string;
  name: string;
  codeHash: string;
}

/** The cache file for `cache`, run by this Node on this architecture. */
export function codeCacheFile(cache: CodeCache): string {
  return join(cache.dir, `${cache.name}-${cache.codeHash}-${process.version}-${process.arch}.v8cache`);
}

/**
 * What this load did with the cache: compiled from it (`used`), found none (`none`), or found
 * one V8 would not take (`rejected`: other V8 flags, or a damaged file).
 */
export type CacheUse = 'used' | 'none' | 'rejected';

export interface LoadedModule<T> {
  exports: T;
  cache: CacheUse;
  /**
   * Write the cache when this load compiled without one: the bytecode of every function run so
   * far goes in. Never throws (a cache folder that cannot be written means no cache); returns
   * whether a file was written.
   */
  save(): boolean;
}

/** The owner and permission check a cache file must pass: regular, the user's own, writable by no one else. */
export function trustedCacheFile(stat: { isFile(): boolean; uid: number; mode: number }, uid: number | undefined): boolean {
  if (!stat.isFile()) return false;
  // Windows has no POSIX owners; the cache folder is in the user's own profile.
  if (uid === undefined) return true;
  return stat.uid === uid && (stat.mode & 0o022) === 0;
}

function readTrusted(path: string): Buffer | null {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch {
    return null;
  }
  try {
    return trustedCacheFile(fstatSync(fd), process.getuid?.()) ? readFileSync(fd) : null;
  } catch {
    return null;
  } finally {
    closeSync(fd);
  }
}

/** Write `data` as the cache file whole or not at all, and drop the caches of other builds of the same name. */
function writeCache(cache: CodeCache, data: Buffer): boolean {
  const { dir } = cache;
  const path = codeCacheFile(cache);
  const temp = `${path}.${process.pid}.tmp`;
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    writeFileSync(temp, data, { mode: 0o600, flag: 'wx' });
    renameSync(temp, path);
  } catch {
    try {
      rmSync(temp, { force: true });
    } catch {
      // Left for the next write's rename to replace, or for the user to remove.
    }
    return false;
  }
  const prefix = `${cache.name}-`;
  try {
    for (const entry of readdirSync(dir)) {
      if (entry.startsWith(prefix) && entry.endsWith('.v8cache') && entry !== basename(path)) rmSync(join(dir, entry), { force: true });
    }
  } catch {
    // Another build's cache left behind costs disk, nothing else.
  }
  return true;
}

/**
 * Run the CommonJS file `file` as `require` would, compiled from the code cache `cache` names
 * when there is a trusted one (null: no cache). The module's own errors are thrown as
 * `require` throws them.
 */
export function loadCommonJs<T>(file: string, cache: CodeCache | null): LoadedModule<T> {
  const source = readFileSync(file, 'utf8');
  const cachedData = cache ? (readTrusted(codeCacheFile(cache)) ?? undefined) : undefined;
  // import() inside the file resolves as it would in a file Node loaded itself.
  const script = new Script(Module.wrap(source), { filename: file, cachedData, importModuleDynamically: constants.USE_MAIN_CONTEXT_DEFAULT_LOADER });
  const use: CacheUse = cachedData === undefined ? 'none' : script.cachedDataRejected ? 'rejected' : 'used';
  const module = { exports: {} as T };
  const wrapper = script.runInThisContext() as (exports: T, require: NodeJS.Require, module: { exports: T }, filename: string, dirname: string) => void;
  wrapper.call(module.exports, module.exports, createRequire(file), module, file, dirname(file));
  let saved = false;
  return {
    exports: module.exports,
    cache: use,
    save() {
      if (saved || use === 'used' || !cache) return false;
      saved = true;
      try {
        return writeCache(cache, script.createCachedData());
      } catch {
        return false;
      }
    },
  };
}
