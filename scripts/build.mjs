// Builds everything `dist/` holds: the Node side (CLI and Electron main) as ESM bundles with
// node_modules left external, the preload as CommonJS (sandboxed preloads cannot be ESM), and
// the renderer with Vite. One command so `npm test` and CI build the same way.
import { build } from 'esbuild';
import { build as viteBuild } from 'vite';
import { createHash } from 'node:crypto';
import { chmod, readFile, rm } from 'node:fs/promises';
import { cliBundle, hookBundle, mainBundle, preloadBundle, serveBundle, serveEntryBundle } from './bundles.mjs';

const started = Date.now();
await rm('dist', { recursive: true, force: true });

await Promise.all([
  build(cliBundle),
  // Serve's whole file first, then its entry, which names the code cache after the file's hash.
  build(serveBundle).then(async () => build(serveEntryBundle(createHash('sha256').update(await readFile('dist/cli-serve.cjs')).digest('hex').slice(0, 16)))),
  build(mainBundle({ 'electron/main': 'main/electron/main.ts' })),
  // What agents' hooks run: its own small bundle, so it starts fast (main/hook.ts).
  build(hookBundle),
  build(preloadBundle),
]);
await chmod('dist/cli.js', 0o755);
await chmod('dist/hook.cjs', 0o755);

await viteBuild({ configFile: 'vite.config.ts', logLevel: 'warn' });
console.log(`built dist/ in ${Date.now() - started} ms`);
