// Bundles procs/vigil-host.ts the way scripts/build.mjs bundles dist/cli.js (ESM, packages
// external). It goes to node_modules/.cache/ — inside the repo so its imports resolve, and a
// place git, eslint and tsc all leave alone — and is removed when the bench ends.
import { build } from 'esbuild';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { BENCH_DIR, REPO_DIR } from './children';
import { onCleanup } from './lifetime';

const CACHE_DIR = join(REPO_DIR, 'node_modules', '.cache', `vigil-bench-${process.pid}`);
export const HOST_BUNDLE = join(CACHE_DIR, 'vigil-host.mjs');
let built: Promise<string> | null = null;

export function ensureHostBundle(): Promise<string> {
  if (!built) onCleanup(() => rmSync(CACHE_DIR, { recursive: true, force: true }));
  built ??= build({
    entryPoints: [join(BENCH_DIR, 'procs', 'vigil-host.ts')],
    outfile: HOST_BUNDLE,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'esm',
    packages: 'external',
    logLevel: 'warning',
    banner: { js: "import { createRequire as __vigilRequire } from 'node:module'; const require = __vigilRequire(import.meta.url);" },
  }).then(() => HOST_BUNDLE);
  return built;
}
