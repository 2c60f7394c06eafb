// The esbuild options of the Node-side bundles, shared by `npm run build` and `npm run dev` so
// the app you develop is bundled the way it ships: node_modules left external, Electron too.
import { dirname } from 'node:path';

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  packages: 'external',
  sourcemap: 'linked',
  logLevel: 'warning',
  legalComments: 'none',
  external: ['electron'],
};

/** ESM bundles of main-side entry points, written to dist/ under their keys. */
export function mainBundle(entryPoints) {
  return {
    ...common,
    entryPoints,
    outdir: 'dist',
    format: 'esm',
    // ESM bundles that pull CommonJS packages need a require of their own.
    banner: { js: "import { createRequire as __vigilRequire } from 'node:module'; const require = __vigilRequire(import.meta.url);" },
  };
}

/**
 * zod's `z` namespace re-exports every locale (`z.locales`, 60-odd languages, ~360 KiB of the
 * CLI's largest chunk), so none can be tree-shaken; Vigil configures none, and zod sets English
 * itself. The CLI's bundle gets a locales module with English only: `vigil serve` parses and
 * compiles that much less before its first hello (~15 ms of CPU per start on the 2-core machine).
 */
const zodEnglishOnly = {
  name: 'zod-english-only',
  setup(build) {
    build.onLoad({ filter: /[\\/]zod[\\/]v4[\\/]locales[\\/]index\.js$/ }, (args) => ({
      contents: 'export { default as en } from "./en.js";',
      resolveDir: dirname(args.path),
    }));
  },
};

/**
 * The CLI as ESM split at its lazy imports (dist/cli.js and dist/cli-chunks/): each command's
 * modules, and the packages they import, load only when that command runs. So `vigil serve`
 * can check the open-file limit before loading anything that needs descriptors, and `vigil
 * scan` does not load the server.
 *
 * Unlike the app's bundles, the CLI carries its JavaScript packages inside its chunks: Node
 * resolves, reads and compiles every file of an external package one by one (zod alone is
 * about a hundred ES modules), which was half of the time `vigil serve` took to load. What
 * stays external: libsql and koffi (native bindings found by their platform packages at run time), the
 * optional native helpers ws and chokidar look for, and Electron. Licence comments are kept
 * at the end of each chunk.
 */
const cliCommon = {
  ...mainBundle({ cli: 'main/cli.ts' }),
  packages: undefined,
  external: ['electron', 'libsql', 'koffi', 'bufferutil', 'utf-8-validate', 'fsevents'],
  // ES module builds first: jsonc-parser's CommonJS entry requires its parts by computed paths.
  mainFields: ['module', 'main'],
  legalComments: 'eof',
};

/** cli.ts's lazy import of the serve command, pointed at its own whole file (see serveBundle). */
const serveWhole = {
  name: 'serve-whole',
  setup(build) {
    build.onResolve({ filter: /^\.\/commands\/serve$/ }, (args) =>
      /[\\/]main[\\/]cli\.ts$/.test(args.importer) ? { path: './cli-serve.js', external: true } : undefined,
    );
  },
};

export const cliBundle = {
  ...cliCommon,
  splitting: true,
  chunkNames: 'cli-chunks/[name]-[hash]',
  plugins: [zodEnglishOnly, serveWhole],
};

/**
 * `vigil serve` in one file (dist/cli-serve.cjs), which cli.js runs through its entry
 * (serveEntryBundle) when the command is serve. Node resolves, reads, links and compiles each
 * ES module on its own, and serve's code split into the thirty-odd chunks it shares with other
 * commands took ~90 ms longer to import than the same code in one file (docs/bench.md,
 * start-up). CommonJS, so that it can be compiled with V8's code cache (main/code-cache.ts);
 * strict throughout, as the ES module build was; `import.meta.url` is the file's URL. The
 * other commands keep the shared chunks.
 */
export const serveBundle = {
  ...cliCommon,
  entryPoints: { 'cli-serve': 'main/commands/serve.ts' },
  format: 'cjs',
  outExtension: { '.js': '.cjs' },
  banner: { js: '"use strict";\nconst __vigilMetaUrl = require("node:url").pathToFileURL(__filename).href;' },
  define: { 'import.meta.url': '__vigilMetaUrl' },
  plugins: [zodEnglishOnly],
};

/**
 * What cli.js imports for serve (dist/cli-serve.js, main/serve-entry.ts): it loads
 * dist/cli-serve.cjs with the code cache named after `codeHash`, the built file's content hash.
 */
export function serveEntryBundle(codeHash) {
  return {
    ...common,
    entryPoints: { 'cli-serve': 'main/serve-entry.ts' },
    outdir: 'dist',
    format: 'esm',
    define: { VIGIL_SERVE_CODE_HASH: JSON.stringify(codeHash) },
  };
}

/**
 * What agents' hooks run (dist/hook.cjs): CommonJS, because Node starts a CommonJS file
 * noticeably faster than an ES module, and the hook has 200 ms for everything.
 */
export const hookBundle = {
  ...common,
  entryPoints: { hook: 'main/hook.ts' },
  outdir: 'dist',
  outExtension: { '.js': '.cjs' },
  format: 'cjs',
};

/** The preload as CommonJS (dist/preload.cjs): sandboxed preloads cannot be ESM. */
export const preloadBundle = {
  ...common,
  entryPoints: { preload: 'preload/index.ts' },
  outdir: 'dist',
  outExtension: { '.js': '.cjs' },
  format: 'cjs',
};
