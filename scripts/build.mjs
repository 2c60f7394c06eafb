// Builds everything `dist/` holds: the Node side (CLI and Electron main) as ESM bundles with
// node_modules left external, the preload as CommonJS (sandboxed preloads cannot be ESM), and
// the renderer with Vite. One command so `npm test` and CI build the same way.
import { build } from 'esbuild';
import { build as viteBuild } from 'vite';
import { chmod, rm } from 'node:fs/promises';

const started = Date.now();
await rm('dist', { recursive: true, force: true });

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  packages: 'external',
  sourcemap: 'linked',
  logLevel: 'warning',
  legalComments: 'none',
};

await Promise.all([
  build({
    ...common,
    entryPoints: { cli: 'main/cli.ts', 'electron/main': 'main/electron/main.ts' },
    outdir: 'dist',
    format: 'esm',
    // ESM bundles that pull CommonJS packages need a require of their own.
    banner: { js: "import { createRequire as __vigilRequire } from 'node:module'; const require = __vigilRequire(import.meta.url);" },
    external: ['electron'],
  }),
  build({
    ...common,
    entryPoints: { preload: 'preload/index.ts' },
    outdir: 'dist',
    outExtension: { '.js': '.cjs' },
    format: 'cjs',
    external: ['electron'],
  }),
]);
await chmod('dist/cli.js', 0o755);

await viteBuild({ configFile: 'vite.config.ts', logLevel: 'warn' });
console.log(`built dist/ in ${Date.now() - started} ms`);
