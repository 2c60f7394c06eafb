// The code cache `vigil serve` starts from: a real CommonJS file in a temp folder, each load in
// a Node process of its own (code-cache-load.ts), with the cache V8 made on an earlier load,
// and every way a cache can be unusable.
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { codeCacheFile, defaultCacheDir, loadCommonJs, trustedCacheFile, type CodeCache } from '../../main/code-cache';

let base: string;
let file: string;
let cache: CodeCache;

const LOAD = fileURLToPath(new URL('./code-cache-load.ts', import.meta.url));

interface Load {
  cache: 'used' | 'none' | 'rejected';
  /** What the module's count() returned (it counts once at load). */
  count: number;
  label: string;
  strict: boolean;
  /** What save() returned, when asked to save. */
  saved: boolean | null;
}

function load(path: string, with_: CodeCache | null, save = false): Load {
  const out = execFileSync(process.execPath, ['--import', 'tsx', LOAD, path, JSON.stringify(with_), ...(save ? ['save'] : [])], { encoding: 'utf8' });
  return JSON.parse(out) as Load;
}

beforeEach(() => {
  base = mkdtempSync(join(tmpdir(), 'vigil-code-cache-'));
  file = join(base, 'counter.cjs');
  // A module as the serve build is: strict, with a relative require and a function run at load.
  writeFileSync(join(base, 'label.cjs'), 'module.exports = "counted";\n');
  writeFileSync(
    file,
    `"use strict";
const label = require('./label.cjs');
let n = 0;
function count() { return ++n; }
count();
module.exports = { count, label, strict: (function () { return this === undefined; })(), later: () => import('./label.cjs') };
`,
  );
  cache = { dir: join(base, 'cache'), name: 'counter', codeHash: 'abc123' };
});

afterEach(() => rmSync(base, { recursive: true, force: true }));

const NAME = `counter-abc123-${process.version}-${process.arch}.v8cache`;

test('the first load compiles without a cache and writes one; the next load runs from it', () => {
  const first = load(file, cache, true);
  expect(first).toEqual({ cache: 'none', count: 2, label: 'counted', strict: true, saved: true });

  const path = codeCacheFile(cache);
  expect(path).toBe(join(base, 'cache', NAME));
  if (process.platform !== 'win32') {
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(statSync(cache.dir).mode & 0o777).toBe(0o700);
  }
  expect(readdirSync(cache.dir)).toEqual([NAME]);

  const written = statSync(path).mtimeMs;
  // A module of its own: the cache holds code, not the first load's state.
  expect(load(file, cache, true)).toEqual({ cache: 'used', count: 2, label: 'counted', strict: true, saved: false });
  expect(statSync(path).mtimeMs).toBe(written);
});

test('a cache V8 will not take (damaged) is reported, the module runs anyway, and saving replaces it', () => {
  load(file, cache, true);
  writeFileSync(codeCacheFile(cache), Buffer.alloc(4096, 7), { mode: 0o600 });
  expect(load(file, cache, true)).toEqual({ cache: 'rejected', count: 2, label: 'counted', strict: true, saved: true });
  expect(load(file, cache).cache).toBe('used');
});

test('a build with other code of the same length gets a cache of its own (V8 checks only the length), and the old one goes', () => {
  load(file, cache, true);
  // The same length, other code: a build that changed one character.
  writeFileSync(file, readFileSync(file, 'utf8').replace('++n', 'n++'));
  const next = { ...cache, codeHash: 'def456' };
  expect(load(file, next, true)).toMatchObject({ cache: 'none', count: 1, saved: true });
  expect(readdirSync(cache.dir)).toEqual([`counter-def456-${process.version}-${process.arch}.v8cache`]);
  expect(load(file, next)).toMatchObject({ cache: 'used', count: 1 });
});

test.skipIf(process.platform === 'win32')('a cache file others may write is not trusted: the module compiles from source, and saving rewrites it as private', () => {
  load(file, cache, true);
  const path = codeCacheFile(cache);
  chmodSync(path, 0o666);
  expect(load(file, cache, true)).toEqual({ cache: 'none', count: 2, label: 'counted', strict: true, saved: true });
  expect(statSync(path).mode & 0o777).toBe(0o600);
  expect(load(file, cache).cache).toBe('used');
});

test('without a cache folder the module loads and nothing is written', () => {
  expect(load(file, null, true)).toEqual({ cache: 'none', count: 2, label: 'counted', strict: true, saved: false });
  expect(existsSync(cache.dir)).toBe(false);
});

describe('trustedCacheFile', () => {
  const stat = (over: Partial<{ file: boolean; uid: number; mode: number }> = {}) => ({
    isFile: () => over.file ?? true,
    uid: over.uid ?? 1000,
    mode: over.mode ?? 0o100600,
  });

  test('takes a regular file of the user, writable by the user alone', () => {
    expect(trustedCacheFile(stat(), 1000)).toBe(true);
    expect(trustedCacheFile(stat({ mode: 0o100644 }), 1000)).toBe(true);
  });

  test("refuses another user's file, a group- or world-writable one, and anything not a regular file", () => {
    expect(trustedCacheFile(stat({ uid: 0 }), 1000)).toBe(false);
    expect(trustedCacheFile(stat({ mode: 0o100620 }), 1000)).toBe(false);
    expect(trustedCacheFile(stat({ mode: 0o100602 }), 1000)).toBe(false);
    expect(trustedCacheFile(stat({ file: false }), 1000)).toBe(false);
  });

  test('without POSIX owners (Windows) a regular file in the profile folder is taken', () => {
    expect(trustedCacheFile(stat({ uid: 0, mode: 0o100666 }), undefined)).toBe(true);
    expect(trustedCacheFile(stat({ file: false }), undefined)).toBe(false);
  });
});

test('a cache folder that cannot be made means no cache, not an error', () => {
  const blocked = join(base, 'blocked');
  writeFileSync(blocked, 'a file where the folder would go');
  expect(load(file, { ...cache, dir: join(blocked, 'vigil') }, true)).toEqual({ cache: 'none', count: 2, label: 'counted', strict: true, saved: false });
  expect(existsSync(join(blocked, 'vigil'))).toBe(false);
});

test("a folder in the cache file's place is not read, and saving cannot replace it", () => {
  mkdirSync(codeCacheFile(cache), { recursive: true });
  expect(load(file, cache, true)).toMatchObject({ cache: 'none', count: 2, saved: false });
});

test("the module's own errors come out as require's do", () => {
  writeFileSync(join(base, 'broken.cjs'), 'throw new Error("broken at load");\n');
  expect(() => loadCommonJs(join(base, 'broken.cjs'), cache)).toThrow('broken at load');
});

test('the cache folder: VIGIL_CACHE_DIR, else the per-user cache folder of the platform', () => {
  expect(defaultCacheDir({ VIGIL_CACHE_DIR: '/somewhere/cache' })).toBe('/somewhere/cache');
  if (process.platform === 'linux') {
    expect(defaultCacheDir({ XDG_CACHE_HOME: '/home/ann/.xdg-cache' })).toBe('/home/ann/.xdg-cache/vigil');
    expect(defaultCacheDir({})).toMatch(/\.cache[\\/]vigil$/);
  }
});

test('import() inside the file resolves as in a file Node loaded itself', async () => {
  const loaded = loadCommonJs<{ later(): Promise<{ default: string }> }>(file, null);
  expect((await loaded.exports.later()).default).toBe('counted');
});
