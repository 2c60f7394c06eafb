// Bundles procs/vigil-host.ts the way scripts/build.mjs bundles dist/cli.js (ESM, packages
// external), into test/bench/.cache/ — inside the repo so node_modules resolve, git-ignored.
import { build } from 'esbuild';
import { join } from 'node:path';
import { BENCH_DIR } from './children';

export const HOST_BUNDLE = join(BENCH_DIR, '.cache', 'vigil-host.mjs');
let built: Promise<string> | null = null;

export function ensureHostBundle(): Promise<string> {
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
